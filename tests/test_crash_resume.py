"""Kill a crawl at random points (SIGKILL), restart it until it finishes: the archive is whole.

The crawl runs as a subprocess against the Surabaya Pagi replica on 127.0.0.1 and is killed once
it has made N requests (N drawn from a seeded generator; the server's request log is polled).
Afterwards every replica article is archived exactly once with one version, on SQLite and on
PostgreSQL, the final crawl has sealed the ``.open`` WARC files the killed crawls left (torn
tails cut and recorded), and ``verify`` finds no error and no warning.
"""

from __future__ import annotations

import random
import signal
import subprocess
import time

import pytest
import sqlalchemy as sa

from archive.db import open_archive
from archive.models import Article, ArticleVersion, CrawlRun
from newscrawl.demo.server import ReplicaServer
from newscrawl.demo.surabayapagi import SurabayaPagiReplica
from newscrawl.verify import verify_archive
from newscrawl.warc import OPEN_SUFFIX, SEALED_FIELD, iter_records, warc_files
from tests.archivist_support import ROOT, WIRED, crawl_command, crawl_env

KILLS = 3
SEED = 20240813


def _crawl(server: ReplicaServer, db_url: str, warc_dir, kill_after: int | None) -> int:
    """One crawl; SIGKILLed after ``kill_after`` requests (None: run to the end)."""
    start = len(server.paths())
    process = subprocess.Popen(
        crawl_command(server.base_url, db_url, warc_dir),
        cwd=ROOT,
        env=crawl_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        if kill_after is not None:
            while process.poll() is None and len(server.paths()) - start < kill_after:
                time.sleep(0.01)
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
        return process.wait(timeout=180)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    return request.getfixturevalue("pg_url")


@pytest.mark.e2e
def test_killed_crawls_resume_to_a_complete_archive(tmp_path, db_url) -> None:
    warc_dir = tmp_path / "warcs"
    rng = random.Random(SEED + db_url.startswith("postgresql"))
    replica = SurabayaPagiReplica()
    with ReplicaServer(replica) as server:
        codes = [_crawl(server, db_url, warc_dir, rng.randint(8, 70)) for _ in range(KILLS)]
        for _ in range(3):
            final = _crawl(server, db_url, warc_dir, None)
            if final == 0:
                break
        expected = {a["path"]: a for a in replica.articles}
        assert all(p.startswith("/") for p in server.paths())  # it only ever talked to us
    assert -signal.SIGKILL in codes
    assert final == 0

    engine, Session = open_archive(db_url, readonly=True)
    try:
        with Session() as session:
            articles = list(session.scalars(sa.select(Article)))
            paths = ["/" + a.canonical_url.split("/", 3)[-1] for a in articles]
            assert sorted(paths) == sorted(expected)  # every article, exactly once
            assert all(a.version_count == 1 for a in articles)
            assert session.scalar(sa.select(sa.func.count(ArticleVersion.id))) == len(expected)
            for a in articles:
                want = expected["/" + a.canonical_url.split("/", 3)[-1]]
                assert a.title == want["title"]
            statuses = [
                r.status for r in session.scalars(sa.select(CrawlRun).order_by(CrawlRun.id))
            ]
            assert statuses[-1] == "finished"
    finally:
        engine.dispose()

    report = verify_archive(db_url, warc_dir)
    assert report.problems == [], [str(p) for p in report.problems]  # no error, no warning
    files = warc_files(warc_dir)
    assert files and not any(f.name.endswith(OPEN_SUFFIX) for f in files)  # all sealed
    sealed = [
        r
        for f in files
        for _, r in iter_records(f)
        if r.record_type == "metadata" and SEALED_FIELD.encode() in r.payload
    ]
    assert len(sealed) >= sum(1 for c in codes if c == -signal.SIGKILL)  # each kill recorded
    if WIRED:
        assert report.pointers == len(expected)
