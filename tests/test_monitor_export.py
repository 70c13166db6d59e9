"""``newscrawl export``: CSV and JSON Lines round trips, spreadsheet safety, constant memory."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from archive.db import open_archive
from archive.models import Article
from archive.store import get_or_create_source
from newscrawl.cli import main
from newscrawl.export import CSV_COLUMNS, csv_safe, iter_csv, iter_jsonl, join_list
from tests.monitor_corpus import add_article, build_archive


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_url")
    build_archive(url, daily=False)
    add_article(
        url,
        "formula",
        "detik",
        date(2024, 8, 17),
        '=HYPERLINK("http://evil.example","banjir")',
        '-10% turun setelah banjir.\n\nBaris kedua, dengan koma; dan "kutip".',
    )
    return url


def export(capsys, db_url: str, *argv: str) -> tuple[int, str, str]:
    code = main(["export", "--db", db_url, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_csv_round_trip_to_a_file(db_url, capsys, tmp_path):
    path = tmp_path / "banjir.csv"
    code, out, err = export(capsys, db_url, "banjir", "--out", str(path), "--bom")
    assert code == 0 and out == ""
    assert "exported 5 article(s)" in err
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\xef\xbb\xbf") == 1
    assert not (tmp_path / "banjir.csv.part").exists()
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert len(rows) == 5  # one row per article, whatever the newlines in the bodies
    by_id = {r["url"].rsplit("/", 1)[1]: r for r in rows}
    formula = by_id["formula"]
    assert formula["title"].startswith("'=HYPERLINK(")
    assert formula["body"].startswith("'-10% turun")
    assert '\n\nBaris kedua, dengan koma; dan "kutip".' in formula["body"]
    ayani = by_id["banjir-ayani"]
    assert ayani["authors"] == "Moch Ilham"
    assert ayani["tags"] == "banjir; surabaya"
    assert by_id["banjir-pompa"]["related_links"] == "https://kompas.example/related/banjir-pompa"
    assert by_id["hostile"]["title"].startswith("<script>")  # text, as archived
    dates = [r["published_at"] for r in rows]
    assert dates == sorted(dates, reverse=True)


def test_csv_without_bom_to_stdout(db_url, capsys):
    code, out, _ = export(capsys, db_url, "longsor")
    assert code == 0
    assert out.startswith("id,source,")
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert [r["title"] for r in rows] == ["Longsor Tutup Jalur Malang-Kediri"]


def test_jsonl_round_trip(db_url, capsys, tmp_path):
    path = tmp_path / "all.jsonl"
    code, _, err = export(capsys, db_url, "", "--format", "jsonl", "--out", str(path))
    assert code == 0
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 7 and "exported 7" in err
    formula = next(r for r in records if r["url"].endswith("/formula"))
    assert formula["title"].startswith("=HYPERLINK(")  # JSON is not a spreadsheet: unchanged
    assert formula["body"].count("\n") == 2
    ayani = next(r for r in records if r["url"].endswith("/banjir-ayani"))
    assert ayani["authors"] == ["Moch Ilham"] and ayani["tags"] == ["banjir", "surabaya"]
    assert ayani["published_at"] == "2024-08-13T10:00:00+07:00"  # the same instant, in WIB


@pytest.mark.parametrize(
    ("argv", "count"),
    [
        (["banjir", "--source", "kompas"], 1),
        (["banjir", "--since", "2024-08-16"], 3),
        (["banjir", "--until", "2024-08-13"], 1),
        (["source:surabayapagi"], 3),
    ],
)
def test_export_filters(db_url, capsys, argv, count):
    code, out, _ = export(capsys, db_url, "--format", "jsonl", *argv)
    assert code == 0
    assert len(out.splitlines()) == count


def test_export_bad_query_writes_nothing(db_url, capsys, tmp_path):
    path = tmp_path / "x.csv"
    code, out, err = export(capsys, db_url, "(banjir", "--out", str(path))
    assert code == 2
    assert err.startswith("newscrawl: error: bad query: unbalanced parenthesis")
    assert not path.exists() and out == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+62 812", "'+62 812"),
        ("-hoaks", "'-hoaks"),
        ("@pemkot", "'@pemkot"),
        ("\tx", "'\tx"),
        ("Banjir = bencana", "Banjir = bencana"),
        (42, 42),
        (-1, -1),
        (None, ""),
    ],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["a", "b"], "a; b"),
        ([{"url": "https://x/1", "title": "t"}], "https://x/1"),
        (["multi\nline"], "multi line"),
        ([], ""),
    ],
)
def test_join_list(value, expected):
    assert join_list(value) == expected


# --- constant memory ----------------------------------------------------------------------------

ROWS = 20_000
BODY = ("Hujan deras mengguyur Surabaya sejak sore dan banjir merendam jalan. " * 15).strip()


def _bulk_archive(url: str) -> int:
    """An archive of ROWS similar articles (bulk insert: this test is about the export)."""
    engine, session_factory = open_archive(url)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    with session_factory.begin() as session:
        source_id = get_or_create_source(session, "surabayapagi").id
        for first in range(0, ROWS, 5000):
            session.execute(
                sa.insert(Article),
                [
                    {
                        "source_id": source_id,
                        "canonical_url": f"https://surabayapagi.example/{i}",
                        "url": f"https://surabayapagi.example/{i}",
                        "title": f"Banjir nomor {i}",
                        "body": f"{BODY} {i}",
                        "authors": ["Moch Ilham"],
                        "published_at": start + timedelta(minutes=i),
                    }
                    for i in range(first, min(ROWS, first + 5000))
                ],
            )
    engine.dispose()
    return ROWS * len(BODY)


def test_export_streams_in_constant_memory(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'big.sqlite3'}"
    data_size = _bulk_archive(url)
    out = tmp_path / "big.csv"
    tracemalloc.start()
    try:
        code = main(["export", "banjir", "--db", url, "--out", str(out)])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == 0
    assert "exported 20000 article(s)" in capsys.readouterr().err
    assert out.stat().st_size > data_size
    assert peak < data_size / 4, f"peak {peak} bytes for {data_size} bytes of text"


def test_iterators_yield_many_chunks():
    class Fake:
        def __init__(self, i: int) -> None:
            self.id, self.source, self.published_at, self.title = i, None, None, f"t{i}"
            self.url = self.canonical_url = f"u{i}"
            self.authors, self.tags, self.related_links, self.captions = [], [], [], []
            self.editor = self.reporter = self.section = self.dateline_city = None
            self.description, self.body, self.language = None, "b", "id"
            self.first_seen_at = self.last_seen_at = None
            self.version_count = 1

    consumed = []

    def articles():
        for i in range(1000):
            consumed.append(i)
            yield Fake(i)

    chunks = iter_csv(articles())
    next(chunks)
    assert len(consumed) < 1000  # the first chunk came before the last article was read
    assert sum(1 for _ in chunks) >= 4
    assert len(list(iter_jsonl(Fake(i) for i in range(450)))) == 3
