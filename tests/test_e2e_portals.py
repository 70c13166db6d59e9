"""End to end, per portal: the real spider crawls a local replica made of the portal's fixture
pages (``newscrawl.demo.fixture_site``) into a temporary SQLite archive.

Every crawl runs in its own ``newscrawl crawl`` subprocess (Twisted's reactor cannot restart);
they run side by side against one replica server each, so the whole module takes a few seconds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from archive.db import open_archive
from archive.models import Article
from newscrawl.demo.fixture_site import FixtureSite
from newscrawl.demo.server import ReplicaServer
from newscrawl.portals import all_profiles

pytestmark = pytest.mark.e2e

PORTALS = sorted(all_profiles())
LOCAL = {
    "NEWSCRAWL_SSRF_ALLOW": "127.0.0.1",
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "LOG_LEVEL": "WARNING",
}
#: Crawls besides one per portal: (name, portal whose replica is crawled, extra arguments).
EXTRA = {
    "generic": ("jatimnow", ["--url", "https://jatimnow.com/"]),
    "antaranews-refused": ("antaranews", ["antaranews"]),
}


def crawl_command(args: list[str], base_url: str, db_url: str) -> list[str]:
    cmd = [sys.executable, "-m", "newscrawl.cli", "crawl", *args]
    cmd += ["--base-url", base_url, "--db", db_url, "--json"]
    for key, value in LOCAL.items():
        cmd += ["-s", f"{key}={value}"]
    return cmd


def read_archive(db_url: str) -> dict[str, dict]:
    """The archived articles by canonical URL: url, source key, title, published_at."""
    engine, Session = open_archive(db_url, readonly=True)
    try:
        with Session() as session:
            return {
                a.canonical_url: {
                    "url": a.url,
                    "source": a.source.key,
                    "title": a.title,
                    "published_at": a.published_at,
                }
                for a in session.scalars(select(Article))
            }
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def crawls(tmp_path_factory) -> dict[str, dict]:
    """Every crawl's exit code, summary and archive, keyed by crawl name."""
    tmp: Path = tmp_path_factory.mktemp("e2e_portals")
    jobs = {
        key: (key, [key] + (["--allow-excluded"] if key == "antaranews" else [])) for key in PORTALS
    }
    jobs.update(EXTRA)
    sites = {name: FixtureSite(portal) for name, (portal, _) in jobs.items()}
    servers = {name: ReplicaServer(site).start() for name, site in sites.items()}
    procs = {}
    try:
        for name, (_, args) in jobs.items():
            db_url = f"sqlite:///{tmp / (name + '.sqlite3')}"
            cmd = crawl_command(args, servers[name].base_url, db_url)
            procs[name] = (
                db_url,
                subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
            )
        out = {}
        for name, (db_url, proc) in procs.items():
            stdout, stderr = proc.communicate(timeout=300)  # 16 crawls at once on 2 cores
            summary = json.loads(stdout[stdout.index("{") :]) if "{" in stdout else {}
            out[name] = {
                "code": proc.returncode,
                "stderr": stderr,
                "summary": summary,
                "archive": read_archive(db_url) if Path(db_url[10:]).exists() else {},
                "site": sites[name],
            }
        return out
    finally:
        for proc in (p for _, p in procs.values()):
            if proc.poll() is None:
                proc.kill()
        for server in servers.values():
            server.stop()


@pytest.mark.parametrize("portal", PORTALS)
def test_crawl_archives_exactly_the_fixture_articles(crawls, portal: str) -> None:
    run = crawls[portal]
    assert run["code"] == 0, run["stderr"][-3000:]
    expected = {a["canonical_url"]: a for a in run["site"].articles}
    archive = run["archive"]
    assert sorted(archive) == sorted(expected)
    for url, want in expected.items():
        got = archive[url]
        assert got["title"] == want["title"], url
        assert got["published_at"] == datetime.fromisoformat(want["published_at"]), url


@pytest.mark.parametrize("portal", PORTALS)
def test_crawl_reports_no_extraction_problem(crawls, portal: str) -> None:
    problems = crawls[portal]["summary"].get("problems") or {}
    bad = {k: v for k, v in problems.items() if not k.startswith(("http/", "fault/", "rejected/"))}
    assert bad == {}


def test_bot_challenge_is_counted_and_not_archived(crawls) -> None:
    run = crawls["beritajatim"]
    problems = run["summary"]["problems"]
    assert problems.get("rejected/bot_challenge") == 1
    challenge = next(
        c for c in run["site"].not_articles if c.expected.get("reason") == "bot_challenge"
    )
    assert challenge.url not in run["archive"]
    assert all(not a["url"].endswith(urlsplit(challenge.url).path) for a in run["archive"].values())


def test_excluded_portal_is_refused_without_override(crawls) -> None:
    run = crawls["antaranews-refused"]
    assert run["code"] == 3
    assert run["archive"] == {}


def test_generic_crawl_of_a_portal_without_profile(crawls) -> None:
    run = crawls["generic"]
    assert run["code"] == 0, run["stderr"][-3000:]
    expected = {a["canonical_url"]: a for a in run["site"].articles}
    assert sorted(run["archive"]) == sorted(expected)
    for url, want in expected.items():
        assert run["archive"][url]["title"] == want["title"]
        assert run["archive"][url]["source"] == "generic"
