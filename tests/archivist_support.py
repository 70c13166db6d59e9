"""Helpers for the archivist tests: crawl the local Surabaya Pagi replica with WARC on.

Crawls run as subprocesses (``python -m newscrawl.cli crawl ...``) against a replica on
127.0.0.1 only. :func:`template_archive` crawls once per test session into a template directory;
tests copy it (:func:`copy_archive`) instead of crawling again.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

import pytest

from newscrawl.items import RawArticle

ROOT = Path(__file__).resolve().parents[1]

#: The spider attaches WARC pointers to items only once the wiring patch is applied
#: (``RawArticle.warc`` and friends); tests that need pointers in the archive skip until then.
WIRED = "warc" in {f.name for f in fields(RawArticle)}
needs_wiring = pytest.mark.skipif(
    not WIRED, reason="needs the WARC wiring patch (RawArticle.warc, spider and ArchivePipeline)"
)


def crawl_settings(warc_dir: Path | str, **extra: str) -> list[str]:
    """``-s NAME=VALUE`` arguments: local replica, no delays, WARC middleware on."""
    from newscrawl.runner import project_settings

    middlewares = dict(project_settings().getdict("DOWNLOADER_MIDDLEWARES"))
    middlewares.setdefault("newscrawl.warc.WarcMiddleware", 650)
    settings = {
        "NEWSCRAWL_SSRF_ALLOW": "127.0.0.1",
        "DOWNLOAD_DELAY": "0",
        "AUTOTHROTTLE_ENABLED": "False",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "4",
        "LOG_LEVEL": "WARNING",
        "NEWSCRAWL_WARC_DIR": str(warc_dir),
        "DOWNLOADER_MIDDLEWARES": json.dumps(middlewares),
        **extra,
    }
    args: list[str] = []
    for name, value in settings.items():
        args += ["-s", f"{name}={value}"]
    return args


def crawl_command(
    base_url: str, db_url: str, warc_dir: Path | str, *extra_args: str, **settings: str
) -> list[str]:
    return [
        sys.executable,
        "-m",
        "newscrawl.cli",
        "crawl",
        "surabayapagi",
        "--base-url",
        base_url,
        "--db",
        db_url,
        *extra_args,
        *crawl_settings(warc_dir, **settings),
    ]


def crawl_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSCRAWL_")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run_crawl(base_url: str, db_url: str, warc_dir: Path | str, *extra_args: str, **settings: str):
    """Crawl the replica to the end; the completed process (check ``returncode``)."""
    return subprocess.run(
        crawl_command(base_url, db_url, warc_dir, *extra_args, **settings),
        cwd=ROOT,
        env=crawl_env(),
        capture_output=True,
        text=True,
        timeout=180,
    )


@dataclass
class Served:
    replica: object
    server: object

    @property
    def base_url(self) -> str:
        return self.server.base_url  # type: ignore[attr-defined]


@cache
def shared_replica() -> Served:
    """One replica server for the whole session (a daemon thread on 127.0.0.1)."""
    from newscrawl.demo.server import ReplicaServer
    from newscrawl.demo.surabayapagi import SurabayaPagiReplica

    replica = SurabayaPagiReplica()
    server = ReplicaServer(replica).start()
    return Served(replica, server)


@dataclass(frozen=True)
class ArchiveDir:
    root: Path

    @property
    def db_path(self) -> Path:
        return self.root / "archive.sqlite3"

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.db_path}"

    @property
    def warc_dir(self) -> Path:
        return self.root / "warcs"


#: WARC files of the template crawl rotate at this size, so it leaves several files.
TEMPLATE_MAX_SIZE = 150_000


@cache
def template_archive() -> ArchiveDir:
    """The replica crawled once, WARC on, files rotated small (several WARC files)."""
    served = shared_replica()
    target = ArchiveDir(Path(tempfile.mkdtemp(prefix="newscrawl-archivist-")))
    atexit.register(shutil.rmtree, target.root, True)
    done = run_crawl(
        served.base_url,
        target.db_url,
        target.warc_dir,
        NEWSCRAWL_WARC_MAX_SIZE=str(TEMPLATE_MAX_SIZE),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return target


def copy_archive(dest: Path) -> ArchiveDir:
    """A private copy of the template archive (database and WARC files)."""
    src = template_archive()
    out = ArchiveDir(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        path = Path(str(src.db_path) + suffix)
        if path.exists():
            shutil.copy2(path, str(out.db_path) + suffix)
    shutil.copytree(src.warc_dir, out.warc_dir)
    return out
