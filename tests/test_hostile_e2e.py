"""The real crawl (spider, pipelines, archive) against the fault-injecting portal.

The portal serves good articles beside slow, truncated, huge, compressed-bomb, looping,
wrong-charset, NUL-laden, deeply nested, empty, soft-404 and challenge pages, and redirects into
a canary server that must never be reached. The crawl must finish, archive every good article
(and the recoverable ones, with their text repaired), archive nothing bad, keep its memory
bounded, and report each fault by kind. It runs against SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import textwrap
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from archive.db import open_archive
from archive.models import Article
from newscrawl.demo.faults import (
    FAULT_PATHS,
    GOOD_PATHS,
    GOOD_TITLES,
    RECOVERABLE_PATHS,
    RECOVERABLE_TITLES,
    CanaryServer,
    FaultPortal,
)

pytestmark = pytest.mark.e2e

#: A profile for the fault portal: every page linked from its index counts as an article, so
#: each fault meets the article path of the crawl.
PROFILE = textwrap.dedent(
    """
    key = "faultportal"
    name = "Portal Uji (faults)"
    base_url = "https://faultportal.example"
    domains = ["faultportal.example"]
    timezone = "WIB"
    site_names = ["Portal Uji"]

    [entry]
    start_urls = ["/"]

    [patterns]
    article = ['^/(article/\\d+|[a-z0-9-]+)$']
    listing = ['^/$']
    """
)


def run_crawl(tmp_path, db_url: str, portal: FaultPortal) -> tuple[dict, int]:
    profiles = tmp_path / "profiles"
    profiles.mkdir(exist_ok=True)
    (profiles / "faultportal.toml").write_text(PROFILE, encoding="utf-8")
    env = {**os.environ, "NEWSCRAWL_PROFILE_PATH": str(profiles)}
    settings = {
        "NEWSCRAWL_SSRF_ALLOW": "127.0.0.1",
        "DOWNLOAD_DELAY": "0",
        "AUTOTHROTTLE_ENABLED": "False",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
        "DOWNLOAD_TIMEOUT": "2",
        "RETRY_TIMES": "0",
        "LOG_LEVEL": "ERROR",
        "NEWSCRAWL_WARC_DIR": str(tmp_path / "warcs"),
    }
    cmd = [sys.executable, "-m", "newscrawl", "crawl", "faultportal", "--json"]
    cmd += ["--base-url", portal.base_url, "--db", db_url]
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=env, cwd=tmp_path)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert proc.returncode == 0, proc.stderr[-4000:]
    summary = json.loads(proc.stdout[proc.stdout.index("{") :])
    return summary, max(peak_kib, before)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    return request.getfixturevalue("pg_url")


def test_crawl_survives_a_hostile_portal(tmp_path, db_url) -> None:
    canary = CanaryServer()
    try:
        canary.start()
    except OSError as exc:  # pragma: no cover - Linux routes all of 127/8
        pytest.skip(f"cannot bind the canary on 127.0.0.2: {exc}")
    with canary, FaultPortal(canary_port=canary.port) as portal:
        summary, peak_kib = run_crawl(tmp_path, db_url, portal)
        paths = [target for _method, target, _ua in portal.requests]
    assert canary.connections == [], "a request reached the canary"

    engine, Session = open_archive(db_url, readonly=True)
    with Session() as session:
        titles = {urlsplit(a.url).path: a.title for a in session.scalars(select(Article))}
        bodies = [a.body for a in session.scalars(select(Article))]
    engine.dispose()

    # Every good article, and the recoverable ones with their text repaired; nothing bad.
    expected = {**GOOD_TITLES, **RECOVERABLE_TITLES}
    assert titles == expected
    assert not set(titles) & set(FAULT_PATHS)
    for body in bodies:
        body.encode("utf-8")  # valid UTF-8: no lone surrogates left
        assert "\x00" not in body

    # Each fault reported by kind.
    problems = summary["problems"]
    for kind in ("fault/timeout", "fault/too_large", "fault/bomb", "fault/redirect_loop"):
        assert any(k.startswith(kind) for k in problems), (kind, problems)
    for kind in ("fault/truncated", "fault/empty", "rejected/bot_challenge", "rejected/soft_404"):
        assert kind in problems, (kind, problems)
    # Redirects off the portal (to 127.0.0.2, "localhost", a decimal IP) never leave: the
    # offsite filter stops them before the SSRF guard would.
    assert summary["skipped"].get("offsite", 0) + problems.get("ssrf/blocked", 0) >= 2
    assert summary["articles"]["new"] == len(GOOD_PATHS) + len(RECOVERABLE_PATHS)
    # Memory stays bounded although the portal offers a 16 MiB body and a 32 MiB bomb.
    assert peak_kib < 600 * 1024, f"peak RSS {peak_kib} KiB"
    assert "/robots.txt" in paths
