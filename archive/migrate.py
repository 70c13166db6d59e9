"""Schema migrations of the archive with alembic.

The alembic environment lives inside the package (``archive/migrations``) and is found through
package resources, so it works from a checkout and from an installed wheel alike; no ini file is
needed (``archive/alembic.ini`` is only for developers running ``alembic`` by hand)::

    from archive.migrate import upgrade, current
    upgrade("postgresql://crawler@db/news")     # to the newest revision
    current(engine)                             # '0010_pg_search'

Archives made by :func:`archive.db.init_db` before alembic came along have a ``meta`` row
``schema_version`` but no ``alembic_version`` table: :func:`upgrade` stamps them with the
revision that matches their schema version (:data:`BASELINES`) and goes on from there.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from archive.db import make_engine

#: ``meta.schema_version`` of an archive made by ``init_db`` -> the alembic revision it equals.
BASELINES: dict[int, str] = {1: "0001", 2: "0002", 3: "0003", 4: "0010_pg_search"}

#: The tables ``init_db`` makes; an unversioned database with any of them is an old archive.
ARCHIVE_TABLES = frozenset({"meta", "sources", "articles", "article_versions", "crawl_runs"})


class MigrationError(RuntimeError):
    """The database cannot be migrated as asked (e.g. an unknown schema)."""


@contextmanager
def script_location() -> Iterator[str]:
    """The directory of the alembic environment, as a real path while the block runs.

    >>> with script_location() as where:
    ...     where.replace("\\\\", "/").endswith("archive/migrations")
    True
    """
    migrations = files("archive") / "migrations"
    if isinstance(migrations, os.PathLike) and os.path.isdir(migrations):
        yield os.fspath(migrations)
        return
    # Inside a zip (a Scrapyd egg): copy the tree out; as_file() cannot before Python 3.12.
    with tempfile.TemporaryDirectory(prefix="newscrawl-migrations-") as tmp:
        _copy_tree(migrations, os.path.join(tmp, "migrations"))
        yield os.path.join(tmp, "migrations")


def _copy_tree(source: Any, target: str) -> None:
    """Copy a ``Traversable`` directory (e.g. inside a zip) to the real directory ``target``."""
    os.makedirs(target, exist_ok=True)
    for child in source.iterdir():
        if child.name == "__pycache__":
            continue
        destination = os.path.join(target, child.name)
        if child.is_dir():
            _copy_tree(child, destination)
        else:
            with open(destination, "wb") as out:
                out.write(child.read_bytes())


def alembic_config(location: str, connection: Connection | None = None) -> Any:
    """An alembic ``Config`` for the environment at ``location``, bound to ``connection``.

    >>> with script_location() as where:
    ...     alembic_config(where).get_main_option("script_location") == where
    True
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", location)
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision.

    >>> head_revision()
    '0010_pg_search'
    """
    from alembic.script import ScriptDirectory

    with script_location() as where:
        head = ScriptDirectory.from_config(alembic_config(where)).get_current_head()
    if head is None:  # pragma: no cover - the package ships revisions
        raise MigrationError("the archive package has no migrations")
    return head


@contextmanager
def _engine(engine_or_url: Engine | str | None, *, readonly: bool = False) -> Iterator[Engine]:
    """``engine_or_url`` as an engine; one made here is disposed of afterwards."""
    if isinstance(engine_or_url, Engine):
        yield engine_or_url
        return
    engine = make_engine(engine_or_url, readonly=readonly)
    try:
        yield engine
    finally:
        engine.dispose()


def _current(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def current(engine_or_url: Engine | str | None = None) -> str | None:
    """The archive's alembic revision, or None when it has none (empty, or made before
    alembic by ``init_db``: :func:`upgrade` stamps those)."""
    with _engine(engine_or_url, readonly=True) as engine, engine.connect() as conn:
        return _current(conn)


def _stamp(connection: Connection, revision: str) -> None:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    with script_location() as where:
        script = ScriptDirectory.from_config(alembic_config(where))
        MigrationContext.configure(connection).stamp(script, revision)


def stamp_head(engine_or_connection: Engine | Connection | str) -> str:
    """Record the newest revision in the archive without running anything; return it.

    For a database whose schema is already the current one (``init_db`` made it). A
    connection is stamped in its own transaction, which the caller commits.
    """
    head = head_revision()
    if isinstance(engine_or_connection, Connection):
        _stamp(engine_or_connection, head)
        return head
    with _engine(engine_or_connection) as engine, engine.begin() as conn:
        _stamp(conn, head)
    return head


def _unversioned_baseline(connection: Connection) -> str | None:
    """The revision to stamp an archive made by ``init_db`` before alembic with; None for an
    empty database. Raises :class:`MigrationError` for a schema it does not know."""
    tables = set(sa.inspect(connection).get_table_names())
    if not tables & ARCHIVE_TABLES:
        return None
    version = None
    if "meta" in tables:
        value = connection.execute(
            sa.text("SELECT value FROM meta WHERE key = 'schema_version'")
        ).scalar_one_or_none()
        version = int(value) if value is not None and str(value).isdigit() else None
    if version not in BASELINES:
        raise MigrationError(
            f"the database has archive tables but schema version {version!r}, which no "
            f"migration knows (known: {sorted(BASELINES)}); stamp it by hand if you are sure"
        )
    return BASELINES[version]


def upgrade(engine_or_url: Engine | str | None = None, revision: str = "head") -> str | None:
    """Migrate the archive to ``revision`` (the newest by default) and return its revision.

    An empty database gets the whole schema; an archive made by ``init_db`` before alembic is
    stamped with its baseline first (so nothing is re-created). Everything runs in one
    transaction: on PostgreSQL (transactional DDL) a failed upgrade leaves nothing behind.
    """
    from alembic import command

    from archive.db import lock_schema

    with _engine(engine_or_url) as engine:
        with engine.begin() as conn:
            lock_schema(conn)
            if _current(conn) is None:
                baseline = _unversioned_baseline(conn)
                if baseline is not None:
                    _stamp(conn, baseline)
            with script_location() as where:
                command.upgrade(alembic_config(where, conn), revision)
        with engine.connect() as conn:
            return _current(conn)


def status(engine_or_url: Engine | str | None = None) -> dict[str, Any]:
    """The archive's revision, the newest one, and whether an upgrade is due."""
    head = head_revision()
    rev = current(engine_or_url)
    return {"current": rev, "head": head, "up_to_date": rev == head}


__all__ = [
    "BASELINES",
    "MigrationError",
    "alembic_config",
    "current",
    "head_revision",
    "script_location",
    "stamp_head",
    "status",
    "upgrade",
]
