"""Crawl health: figures, the comparison with a portal's history, degraded runs and their alerts."""

from __future__ import annotations

import json

import pytest

from archive.db import open_archive
from archive.models import CrawlRun
from archive.store import finish_run, start_run, upsert_article
from newscrawl.health import (
    NORMAL_BODY_CHARS,
    assess,
    check_run,
    count_coverage,
    figures,
)
from newscrawl.items import ArticleItem


class Stats(dict):
    def inc_value(self, key: str, count: int = 1) -> None:
        self[key] = self.get(key, 0) + count


def _stats(
    items: int, dated: int, authored: int, normal: int, promo: int = 0, pages: int | None = None
) -> dict:
    pages = items if pages is None else pages
    return {
        "downloader/response_count": pages + 3,
        "newscrawl/pages/article": pages,
        "newscrawl/archive/new": items,
        "newscrawl/clean/items": items,
        "newscrawl/clean/promo_left": promo,
        "newscrawl/coverage/items": items,
        "newscrawl/coverage/with_date": dated,
        "newscrawl/coverage/with_author": authored,
        "newscrawl/coverage/body_normal": normal,
    }


GOOD = _stats(20, 19, 12, 18)


def test_count_coverage_counts_each_field() -> None:
    stats = Stats()
    count_coverage(
        stats,
        ArticleItem(
            url="a",
            published_at="2024-08-13T18:13:00+07:00",
            authors=["A"],
            body="x" * NORMAL_BODY_CHARS,
        ),
    )
    count_coverage(stats, ArticleItem(url="b", body="short"))
    assert stats == {
        "newscrawl/coverage/items": 2,
        "newscrawl/coverage/with_date": 1,
        "newscrawl/coverage/with_author": 1,
        "newscrawl/coverage/body_normal": 1,
    }


@pytest.mark.parametrize(
    ("current", "history_len", "status", "reason"),
    [
        (GOOD, 5, "ok", None),
        (_stats(20, 17, 12, 18), 5, "ok", None),  # small dip
        (_stats(20, 8, 12, 18), 5, "degraded", "date coverage 40% (usually 95%)"),
        (_stats(20, 19, 2, 18), 5, "degraded", "author coverage 10% (usually 60%)"),
        (_stats(20, 19, 12, 8), 5, "degraded", "normal-length bodies 40% (usually 90%)"),
        (
            _stats(20, 19, 12, 18, promo=6),
            5,
            "degraded",
            "leftover promo in 30% of items (usually 0%)",
        ),
        (_stats(20, 8, 12, 18), 2, "ok", None),  # too little history to judge
        (_stats(3, 0, 0, 0), 5, "ok", None),  # too few items to judge
        (_stats(0, 0, 0, 0, pages=12), 0, "degraded", "no article extracted from 12 article pages"),
    ],
)
def test_assess(current: dict, history_len: int, status: str, reason: str | None) -> None:
    health = assess(figures(current), [figures(GOOD)] * history_len)
    assert health.status == status
    if reason:
        assert reason in health.reasons
    else:
        assert health.reasons == []


def test_figures_without_items_have_no_coverage() -> None:
    f = figures({"downloader/response_count": 4})
    assert f["coverage"] == {
        "items": 0,
        "with_date": None,
        "with_author": None,
        "body_normal": None,
    }
    assert f["promo_rate"] is None


@pytest.fixture
def archive(tmp_path):
    engine, Session = open_archive(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    yield Session
    engine.dispose()


def _finished_run(Session, stats: dict, status: str = "finished") -> int:
    with Session.begin() as session:
        run = start_run(session, "surabayapagi")
        finish_run(session, run, status=status, stats=stats, summary={})
        return run.id


def test_degraded_run_is_marked_and_alerted(archive, tmp_path) -> None:
    for _ in range(3):
        run_id = _finished_run(archive, GOOD)
        assert check_run(archive, run_id).status == "ok"
    alerts = tmp_path / "alerts.jsonl"
    bad = _stats(20, 4, 12, 18)
    run_id = _finished_run(archive, bad)
    health = check_run(archive, run_id, bad, alerts=[f"file:{alerts}"])
    assert health.status == "degraded"
    with archive() as session:
        run = session.get(CrawlRun, run_id)
        assert run.status == "degraded"
        assert run.summary["health"]["reasons"] == ["date coverage 20% (usually 95%)"]
    (alert,) = [json.loads(line) for line in alerts.read_text().splitlines()]
    assert alert["kind"] == "crawl_degraded" and alert["run_id"] == run_id
    assert alert["source"] == "surabayapagi" and alert["baseline"]["with_date"] == 0.95


def test_degraded_runs_are_not_the_baseline(archive) -> None:
    for _ in range(3):
        check_run(archive, _finished_run(archive, GOOD))
    bad = _stats(20, 4, 12, 18)
    for _ in range(4):  # a lasting breakage keeps alerting until it is fixed
        assert check_run(archive, _finished_run(archive, bad), bad).status == "degraded"


def test_coverage_from_archived_versions_when_stats_have_none(archive) -> None:
    for _ in range(3):
        check_run(archive, _finished_run(archive, GOOD))
    stats = {
        "downloader/response_count": 12,
        "newscrawl/pages/article": 10,
        "newscrawl/clean/items": 10,
    }
    run_id = _finished_run(archive, stats)
    with archive.begin() as session:
        for i in range(10):
            item = {
                "url": f"https://surabayapagi.com/news-{i}-x",
                "source": "surabayapagi",
                "title": f"T{i}",
                "body": "isi " * 150,
                "published_at": None,
                "authors": [],
            }
            upsert_article(session, item, crawl_run_id=run_id)
    health = check_run(archive, run_id)
    assert health.figures["coverage"] == {
        "items": 10,
        "with_date": 0.0,
        "with_author": 0.0,
        "body_normal": 1.0,
    }
    assert health.status == "degraded"
    assert any(r.startswith("date coverage 0%") for r in health.reasons)


def test_runs_command_lists_status_and_figures(archive, tmp_path, capsys) -> None:
    from newscrawl.cli import main

    for _ in range(3):
        check_run(archive, _finished_run(archive, GOOD))
    bad = _stats(20, 4, 12, 18)
    check_run(archive, _finished_run(archive, bad), bad)
    assert main(["runs", "--db", f"sqlite:///{tmp_path / 'a.sqlite3'}", "--limit", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len([line for line in out if "surabayapagi" in line]) == 2
    assert "degraded" in out[1] and " 20%" in out[1]
    assert out[2].strip() == "degraded: date coverage 20% (usually 95%)"
    assert (
        main(
            [
                "runs",
                "--db",
                f"sqlite:///{tmp_path / 'a.sqlite3'}",
                "--json",
                "--source",
                "surabayapagi",
            ]
        )
        == 0
    )
    rows = json.loads(capsys.readouterr().out)
    assert [r["status"] for r in rows] == ["degraded", "finished", "finished", "finished"]
    assert rows[1]["coverage"]["with_date"] == 0.95
