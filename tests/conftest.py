"""Shared test fixtures: local services (PostgreSQL, Redis) and fixture pages.

Services skip with a clear reason when absent, except when ``NEWSCRAWL_REQUIRE_SERVICES=1``
(set by ``.ci/run``): then a missing service fails the test.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

ROOT = Path(__file__).resolve().parent.parent

# Timings stay out of tests: no Hypothesis deadline anywhere, on a loaded CI machine included.
hypothesis_settings.register_profile("newscrawl", deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "newscrawl"))

# What may appear in the checkout during a run: tool caches, never anything a test wrote.
_TOOL_CACHES = ("__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", ".egg-info", ".venv")
_OUTPUT_ENV = ("NEWSCRAWL_WARC_DIR", "NEWSCRAWL_STATE_DIR")


def _checkout_files() -> set[str] | None:
    """Untracked and ignored paths of the checkout (``git status``), tool caches left out."""
    try:
        out = subprocess.run(
            ["git", "status", "--porcelain", "--ignored", "--untracked-files=all"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None  # not a git checkout (an sdist, say): nothing to compare
    paths = {line[3:] for line in out.splitlines() if line[:2] in ("??", "!!")}
    return {p for p in paths if not any(part in p for part in _TOOL_CACHES)}


def pytest_configure(config):
    """Point every output the tool writes by default (WARCs, run state) at a temp dir.

    Set before collection, so settings modules read at import time see it too.
    """
    out = Path(tempfile.mkdtemp(prefix="newscrawl-tests-"))
    config._newscrawl_outdir = out
    for name in _OUTPUT_ENV:
        os.environ[name] = str(out / name.lower())
    config._newscrawl_before = _checkout_files()


def pytest_sessionfinish(session, exitstatus):
    """Fail the run when the checkout gained files: tests write into their temp dirs only."""
    config = session.config
    before = getattr(config, "_newscrawl_before", None)
    after = _checkout_files()
    if before is not None and after is not None and (added := sorted(after - before)):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(
                "FAILED hermetic check: the test run wrote into the checkout: " + ", ".join(added),
                red=True,
            )
    shutil.rmtree(getattr(config, "_newscrawl_outdir", ""), ignore_errors=True)


PG_BASE_URL = os.environ.get(
    "NEWSCRAWL_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("NEWSCRAWL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def services_required() -> bool:
    return os.environ.get("NEWSCRAWL_REQUIRE_SERVICES", "") not in ("", "0", "false", "no")


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def _missing(service: str, where: str) -> None:
    msg = f"{service} is not reachable at {where}"
    if services_required():
        pytest.fail(f"{msg} and NEWSCRAWL_REQUIRE_SERVICES=1 (CI) requires it")
    pytest.skip(f"{msg}; start it or set NEWSCRAWL_TEST_PG_URL / NEWSCRAWL_TEST_REDIS_URL")


@pytest.fixture
def pg_url():
    """URL of a fresh, empty PostgreSQL schema of its own; dropped after the test."""
    if not _port_open("127.0.0.1", 5432):
        _missing("PostgreSQL", "127.0.0.1:5432")
    import sqlalchemy as sa

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_BASE_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # pragma: no cover - depends on the machine
        admin.dispose()
        _missing("PostgreSQL", f"{PG_BASE_URL} ({exc.__class__.__name__}: {exc})")
    sep = "&" if "?" in PG_BASE_URL else "?"
    yield f"{PG_BASE_URL}{sep}options=-csearch_path%3D{schema}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def redis_url():
    """URL of the local Redis server (database 0); keys made by a test are its own to clean."""
    if not _port_open("127.0.0.1", 6379):
        _missing("Redis", "127.0.0.1:6379")
    return REDIS_URL
