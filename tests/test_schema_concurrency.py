"""Several crawls opening one fresh archive at once: the schema is created exactly once, and
none of them dies (PostgreSQL and SQLite)."""

from __future__ import annotations

import multiprocessing

import pytest
import sqlalchemy as sa

from archive.db import open_archive

PROCESSES = 4


def _open(db_url: str, barrier, results) -> None:
    barrier.wait(timeout=60)  # all at once
    try:
        engine, _ = open_archive(db_url)
        engine.dispose()
        results.put("ok")
    except Exception as exc:  # noqa: BLE001 - reported to the test
        results.put(f"{exc.__class__.__name__}: {str(exc).splitlines()[0]}")


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    return request.getfixturevalue("pg_url")


def test_concurrent_first_opens_create_the_schema_once(fresh_url) -> None:
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(PROCESSES), ctx.Queue()
    workers = [
        ctx.Process(target=_open, args=(fresh_url, barrier, results)) for _ in range(PROCESSES)
    ]
    for w in workers:
        w.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for w in workers:
        w.join(timeout=30)
    assert outcomes == ["ok"] * PROCESSES
    engine = sa.create_engine(fresh_url)
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT key, value FROM meta").all()
            revisions = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    finally:
        engine.dispose()
    assert [r[0] for r in rows] == ["schema_version"]
    assert len(revisions) == 1


# --- a crawl whose archive failed says so --------------------------------------------------------
def test_a_crawl_without_an_archive_fails_in_one_line(tmp_path, capsys) -> None:
    from newscrawl.cli import EXIT_ARCHIVE, main

    db = f"sqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'a.sqlite3'}"
    code = main(["crawl", "surabayapagi", "--base-url", "http://127.0.0.1:9/", "--db", db])
    out, err = capsys.readouterr()
    assert code == EXIT_ARCHIVE
    assert "problems: none" not in out and "Traceback" not in err
    assert err.startswith("newscrawl: error: cannot open the archive at ") and err.count("\n") == 1


def test_archive_failure_during_the_crawl_is_a_problem_and_an_exit_code(capsys) -> None:
    """Another process broke the archive between the check and the crawl: the pipeline
    counts it, the summary lists it, the exit status says it."""
    from newscrawl.cli import EXIT_ARCHIVE, crawl_exit_code, print_summary
    from newscrawl.pipelines import ArchivePipeline, summarize
    from tests.test_pipelines import make_crawler

    crawler = make_crawler(NEWSCRAWL_DB_URL="postgresql+psycopg://u:s3cret@127.0.0.1:1/none")
    pipeline = ArchivePipeline.from_crawler(crawler)
    with pytest.raises(sa.exc.OperationalError):
        pipeline.open_spider()
    stats = crawler.stats.get_stats()
    print_summary("surabayapagi", summarize(stats))
    out = capsys.readouterr().out
    assert "problems: none" not in out and "archive/unavailable 1" in out
    assert "crawl of surabayapagi: failed" in out
    assert (
        crawl_exit_code("surabayapagi", stats, crawler.settings["NEWSCRAWL_DB_URL"]) == EXIT_ARCHIVE
    )
    err = capsys.readouterr().err
    assert "s3cret" not in err and "OperationalError" in err
