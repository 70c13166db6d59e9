"""Shared test fixtures: local services (PostgreSQL, Redis) and fixture pages.

Services skip with a clear reason when absent, except when ``NEWSCRAWL_REQUIRE_SERVICES=1``
(set by ``.ci/run``): then a missing service fails the test.
"""

from __future__ import annotations

import os
import socket
import uuid

import pytest

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
