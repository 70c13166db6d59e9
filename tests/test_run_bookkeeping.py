"""The crawl run's bookkeeping: figures written as the crawl goes, how a run ends (finished,
interrupted by a signal, killed), and what ``runs`` shows of it."""

from __future__ import annotations

import json
import signal
import subprocess
import time

import pytest
from sqlalchemy import select

from archive.db import open_archive
from archive.models import ArticleVersion, CrawlRun
from newscrawl.cli import EXIT_INTERRUPTED, main
from newscrawl.demo.server import ReplicaServer
from newscrawl.demo.surabayapagi import SurabayaPagiReplica
from newscrawl.health import run_figures
from newscrawl.pipelines import ArchivePipeline
from tests.archivist_support import ROOT, crawl_command, crawl_env
from tests.test_pipelines import _through_all, make_crawler, raw


def _archive_items(pipeline, crawler, count: int) -> None:
    for n in range(count):
        url = f"https://surabayapagi.com/news-{100 + n}-polres"
        pipeline.process_item(_through_all(crawler, raw(url=url, canonical_url=url)))


def test_a_killed_run_shows_what_it_archived(tmp_path, capsys) -> None:
    db_url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    crawler = make_crawler(NEWSCRAWL_DB_URL=db_url, NEWSCRAWL_ARCHIVE_BATCH_SIZE=10)
    crawler.stats.set_value("downloader/response_count", 31)
    pipeline = ArchivePipeline.from_crawler(crawler)
    pipeline.open_spider()
    _archive_items(pipeline, crawler, 25)
    # No close_spider: the process dies here (SIGKILL, power cut). The next crawl sweeps the
    # run as "killed"; its figures are what it had written by then.
    pipeline.engine.dispose()
    engine, Session = open_archive(db_url, readonly=True)
    try:
        with Session() as session:
            run = session.scalars(select(CrawlRun)).one()
            versions = len(session.scalars(select(ArticleVersion)).all())
            figures = run_figures(run)
    finally:
        engine.dispose()
    assert 20 <= versions <= 25  # the last batch was not written yet (or was, on time)
    assert run.status == "running"
    new = figures["articles"]["new"]
    assert new == versions  # the figures are written in each batch's own transaction
    assert figures["pages"] == 31
    assert run.summary["articles"]["new"] == new
    assert main(["runs", "--db", db_url, "--json"]) == 0

    row = json.loads(capsys.readouterr().out)[0]
    assert row["articles"]["new"] == new and row["pages"] == 31


def test_progress_is_written_in_the_item_transaction(tmp_path) -> None:
    """The figures written count the items archived in the same transaction."""
    db_url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    crawler = make_crawler(NEWSCRAWL_DB_URL=db_url, NEWSCRAWL_ARCHIVE_BATCH_SIZE=1)
    pipeline = ArchivePipeline.from_crawler(crawler)
    pipeline.open_spider()
    _archive_items(pipeline, crawler, 3)
    pipeline.engine.dispose()
    engine, Session = open_archive(db_url, readonly=True)
    try:
        with Session() as session:
            run = session.scalars(select(CrawlRun)).one()
            assert run.stats["newscrawl/archive/new"] == 3
    finally:
        engine.dispose()


# --- a crawl stopped by a signal ----------------------------------------------------------------
@pytest.mark.e2e
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stopped_crawl_is_interrupted(tmp_path, sig) -> None:
    """A real signal to a CLI crawl of a local replica: the crawl shuts down cleanly, exits
    with EXIT_INTERRUPTED and says so, and ``runs`` records it ``interrupted`` with its figures."""
    db_url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    with ReplicaServer(SurabayaPagiReplica()) as server:
        process = subprocess.Popen(
            crawl_command(server.base_url, db_url, tmp_path / "warcs", DOWNLOAD_DELAY="0.1"),
            cwd=ROOT,
            env=crawl_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 120
            while process.poll() is None and len(server.paths()) < 15:
                assert time.monotonic() < deadline, "the crawl made no requests"
                time.sleep(0.02)
            assert process.poll() is None, "the crawl ended before the signal"
            process.send_signal(sig)
            out, err = process.communicate(timeout=120)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert process.returncode == EXIT_INTERRUPTED, err[-2000:]
    assert "crawl of surabayapagi: shutdown" in out
    assert "crawl interrupted (SIGTERM or Ctrl-C)" in err
    assert "Traceback" not in err
    engine, Session = open_archive(db_url, readonly=True)
    try:
        with Session() as session:
            run = session.scalars(select(CrawlRun)).one()
            versions = len(session.scalars(select(ArticleVersion)).all())
    finally:
        engine.dispose()
    assert run.status == "interrupted"
    assert run.finished_at is not None
    assert run.stats["finish_reason"] == "shutdown"
    assert run_figures(run)["articles"]["new"] == versions
    assert run_figures(run)["pages"] > 0


# --- times: WIB with the zone written for people, offsets for machines --------------------------
def _archive_at_known_times(db_url: str) -> int:
    from datetime import UTC, datetime

    from archive.store import start_run, upsert_article

    engine, Session = open_archive(db_url)
    try:
        with Session.begin() as session:
            run = start_run(session, "surabayapagi")
            run.started_at = datetime(2026, 11, 29, 12, 53, 20, tzinfo=UTC)
            result = upsert_article(
                session,
                {
                    "url": "https://surabayapagi.com/news-1-banjir",
                    "source": "surabayapagi",
                    "title": "Banjir",
                    "body": "Hujan deras.",
                    "published_at": "2024-08-13T18:13:00+07:00",
                    "fetched_at": "2024-08-13T12:00:00+00:00",
                },
                crawl_run_id=run.id,
            )
        return result.article_id
    finally:
        engine.dispose()


def test_runs_and_show_write_wib_with_the_zone(tmp_path, capsys) -> None:
    db_url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    article_id = _archive_at_known_times(db_url)
    assert main(["runs", "--db", db_url]) == 0
    header, row = capsys.readouterr().out.splitlines()[:2]
    assert "UTC" not in header
    assert "2026-11-29 19:53:20 WIB" in row  # 12:53:20 UTC
    assert main(["runs", "--db", db_url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["started_at"] == "2026-11-29T19:53:20+07:00"

    assert main(["show", str(article_id), "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert "published_at: 2024-08-13 18:13:00 WIB" in out
    assert "seen: 20" in out and out.count(" WIB") >= 4  # published, seen twice, v1
    assert main(["show", str(article_id), "--db", db_url, "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["published_at"] == "2024-08-13T18:13:00+07:00"
    assert all(
        stamp.endswith("+07:00")
        for stamp in (
            info["first_seen_at"],
            info["last_seen_at"],
            info["versions"][0]["fetched_at"],
        )
    )
