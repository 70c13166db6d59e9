"""``scrapy crawl surabayapagi`` from the project root runs the same spider and pipelines."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from archive.db import open_archive
from archive.models import Article
from newscrawl.demo.server import ReplicaServer
from newscrawl.demo.surabayapagi import SurabayaPagiReplica

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).parent.parent


def test_scrapy_crawl_from_the_project_root(tmp_path) -> None:
    db_url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    replica = SurabayaPagiReplica(base_url="https://surabayapagi.com")
    with ReplicaServer(replica) as server:
        cmd = [sys.executable, "-m", "scrapy", "crawl", "surabayapagi"]
        cmd += ["-a", f"base_url={server.base_url}", "-a", "max_articles=5"]
        for setting in (
            "NEWSCRAWL_SSRF_ALLOW=127.0.0.1",
            "DOWNLOAD_DELAY=0",
            f"NEWSCRAWL_DB_URL={db_url}",
            f"NEWSCRAWL_WARC_DIR={tmp_path / 'warcs'}",
            "LOG_LEVEL=WARNING",
        ):
            cmd += ["-s", setting]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    engine, Session = open_archive(db_url, readonly=True)
    with Session() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 5
    engine.dispose()
