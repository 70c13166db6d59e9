"""The monitor commands: search, trend and stats over a small archive (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import sys

import pytest

from newscrawl.cli import main
from tests.monitor_corpus import build_archive


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_url")
    build_archive(url)
    return url


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- search -------------------------------------------------------------------------------------


def test_search_table_brackets_matches_when_not_a_tty(db_url, capsys):
    code, out, _ = run(capsys, "search", "banjir", "--db", db_url)
    assert code == 0
    assert out.startswith("4 match(es), showing 1-4")
    assert "[banjir]" in out.lower()
    assert "\x1b[" not in out and "\x02" not in out


def test_search_table_bold_on_a_tty(db_url, capsys, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, _ = run(capsys, "search", "longsor", "--db", db_url)
    assert code == 0
    assert "\x1b[1mlongsor\x1b[0m" in out.lower()


@pytest.mark.parametrize(
    ("extra", "expected_total"),
    [
        ([], 4),
        (["--source", "kompas"], 1),
        (["--source", "kompas", "--source", "tribunnews"], 2),
        (["--since", "2024-08-15"], 3),
        (["--until", "2024-08-14"], 1),
        (["--since", "2024-08-14", "--until", "2024-08-15"], 1),
    ],
)
def test_search_filters(db_url, capsys, extra, expected_total):
    code, out, _ = run(capsys, "search", "banjir", "--db", db_url, "--format", "json", *extra)
    assert code == 0
    assert json.loads(out)["total"] == expected_total


def test_search_sort_limit_offset(db_url, capsys):
    args = ["search", "banjir", "--db", db_url, "--format", "json", "--sort", "newest"]
    _, out, _ = run(capsys, *args)
    dates = [h["published_at"] for h in json.loads(out)["hits"]]
    assert dates == sorted(dates, reverse=True)
    _, out, _ = run(capsys, *args, "--limit", "2", "--offset", "1")
    page = json.loads(out)
    assert page["total"] == 4
    assert [h["published_at"] for h in page["hits"]] == dates[1:3]


def test_search_csv_is_guarded_and_parses(db_url, capsys):
    code, out, _ = run(capsys, "search", "banjir", "--db", db_url, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 4
    assert all("\x02" not in r["snippet"] for r in rows)
    assert {r["source"] for r in rows} == {"surabayapagi", "kompas", "tribunnews"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"banjir', "unbalanced quote"),
        ("(banjir", "unbalanced parenthesis"),
        ("banjir OR", "OR at the end"),
        ("-banjir", "at least one positive term"),
        ("warna:merah banjir", "unknown filter"),
    ],
)
def test_search_bad_query_exits_2(db_url, capsys, query, message):
    code, out, err = run(capsys, "search", "--db", db_url, "--", query)
    assert code == 2
    assert out == ""
    assert err.startswith("newscrawl: error: bad query: ")
    assert message in err
    assert "Traceback" not in err


def test_missing_sqlite_archive_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "nowhere" / "a.sqlite3"
    for argv in (["search", "banjir"], ["export", "banjir"], ["trend", "banjir"], ["stats"]):
        code, _, err = run(capsys, *argv, "--db", str(path))
        assert code == 2, argv
        assert err.startswith(f"newscrawl: error: no archive at {path}")
    assert not path.exists()


def test_a_sqlite_file_that_is_no_archive_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "other.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE x (y)").connection.close()
    code, _, err = run(capsys, "search", "banjir", "--db", str(path))
    assert code == 2
    assert "is not a newscrawl archive" in err


# --- trend --------------------------------------------------------------------------------------


def test_trend_table_is_zero_filled_with_totals(db_url, capsys):
    code, out, _ = run(
        capsys, "trend", "banjir", "--db", db_url, "--since", "2024-08-12", "--until", "2024-08-17"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["period", "surabayapagi", "kompas", "tribunnews", "total"]
    assert lines[1].split() == ["2024-08-12", "0", "0", "0", "0"]
    assert lines[2].split() == ["2024-08-13", "1", "0", "0", "1"]
    assert lines[5].split() == ["2024-08-16", "1", "0", "1", "2"]
    assert lines[-1].split() == ["total", "2", "1", "1", "4"]
    assert len(lines) == 1 + 6 + 1


@pytest.mark.parametrize(
    ("by", "periods"),
    [("day", ["2024-08-13", "2024-08-15", "2024-08-16"]), ("week", ["2024-W33"])],
)
def test_trend_json(db_url, capsys, by, periods):
    _, out, _ = run(capsys, "trend", "banjir", "--db", db_url, "--by", by, "--format", "json")
    table = json.loads(out)
    assert table["total"] == 4
    labels = [r["label"] for r in table["rows"] if r["total"]]
    assert labels == periods


def test_trend_csv_and_png(db_url, capsys, tmp_path):
    png = tmp_path / "trend.png"
    code, out, err = run(
        capsys, "trend", "", "--db", db_url, "--by", "month", "--format", "csv", "--png", str(png)
    )
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][0] == "period" and rows[1][0] == "2024-08"
    assert rows[-1][0] == "total" and rows[-1][-1] == "45"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "chart written" in err


# --- stats --------------------------------------------------------------------------------------


def test_stats_finds_the_gap_and_coverage(db_url, capsys):
    code, out, _ = run(
        capsys, "stats", "--db", db_url, "--since", "2024-08-01", "--until", "2024-08-20", "--json"
    )
    assert code == 0
    stats = json.loads(out)
    assert stats["gaps"] == {"detik": ["2024-08-10"]}
    per_day = {r["period"]: r for r in stats["per_day"]["rows"]}
    assert per_day["2024-08-10"]["detik"] == 0
    assert per_day["2024-08-13"]["surabayapagi"] == 2
    coverage = {c["source"]: c for c in stats["coverage"]}
    assert coverage["surabayapagi"]["articles"] == 23
    assert coverage["surabayapagi"]["with_author"] == 1.0
    assert coverage["detik"]["with_author"] == 0.0
    assert coverage["detik"]["with_editor"] == 1.0
    assert coverage["kompas"]["with_related"] == 1.0
    assert 0 < coverage["surabayapagi"]["long_body"] < 0.1  # one long article of 23
    assert coverage["kompas"]["with_date"] == 1.0


def test_stats_text_and_default_window(db_url, capsys):
    code, out, _ = run(capsys, "stats", "--db", db_url)
    assert code == 0
    assert "2024-07-22 .. 2024-08-20" in out  # 30 days up to the newest publication
    assert "detik: 1 day(s): 2024-08-10" in out
    assert "field coverage" in out


def test_stats_rejects_reversed_window(db_url, capsys):
    code, _, err = run(
        capsys, "stats", "--db", db_url, "--since", "2024-08-20", "--until", "2024-08-01"
    )
    assert code == 2 and "--since is after --until" in err
