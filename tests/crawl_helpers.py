"""Running real crawls from tests: one subprocess per crawl (Twisted's reactor cannot restart)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

#: Settings for crawling a replica on 127.0.0.1: allowed by the SSRF guard, no politeness delay.
#: WARCs go to $NEWSCRAWL_WARC_DIR, which tests/conftest.py points at a temp dir.
LOCAL = {
    "NEWSCRAWL_SSRF_ALLOW": "127.0.0.1",
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "4",
    "LOG_LEVEL": "WARNING",
}


def crawl(
    site: str,
    base_url: str,
    db_url: str,
    *args: str,
    settings: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
) -> dict[str, Any]:
    """Run ``newscrawl crawl SITE --json`` against a local replica; return the summary."""
    cmd = [
        sys.executable,
        "-m",
        "newscrawl.cli",
        "crawl",
        site,
        "--base-url",
        base_url,
        "--db",
        db_url,
        "--json",
    ]
    for key, value in {**LOCAL, **(settings or {})}.items():
        cmd += ["-s", f"{key}={value}"]
    cmd += list(args)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=cwd)
    assert proc.returncode == 0, f"crawl failed ({proc.returncode}):\n{proc.stderr[-4000:]}"
    start = proc.stdout.index("{")
    return json.loads(proc.stdout[start:])
