"""Alembic environment of the archive.

Run through :mod:`archive.migrate` (``newscrawl db upgrade``), which passes an open connection in
``config.attributes["connection"]``; or by the ``alembic`` command with ``archive/alembic.ini``,
which takes the URL from ``-x db=URL``, else ``$NEWSCRAWL_DB_URL``, else the default archive.

Autogenerate compares against ``archive.models`` and ignores what ``archive.db`` makes by DDL:
the FTS5 table and its shadow tables on SQLite, the ``search_vector`` column and its GIN index on
PostgreSQL. SQLite gets batch mode (``ALTER TABLE`` there is limited).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import context

from archive.models import Base, UTCDateTime

#: Tables and indexes made by the full-text DDL in ``archive.db``, unknown to the models.
FTS_OBJECTS = frozenset(
    {
        "article_fts",
        "article_fts_data",
        "article_fts_idx",
        "article_fts_content",
        "article_fts_docsize",
        "article_fts_config",
        "search_vector",
        "ix_articles_search_vector",
    }
)


def include_object_for(dialect: str) -> Callable[..., bool]:
    """An ``include_object`` hook for autogenerate on ``dialect``.

    It leaves out the full-text machinery, and the model's indexes meant for another dialect
    (``Index(...).ddl_if(dialect=...)``: autogenerate does not look at ``ddl_if`` itself).
    """

    def include_object(
        obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
    ) -> bool:
        if name in FTS_OBJECTS:
            return False
        ddl_if = getattr(obj, "_ddl_if", None)
        if type_ == "index" and not reflected and ddl_if is not None and ddl_if.dialect:
            wanted = ddl_if.dialect
            return dialect == wanted if isinstance(wanted, str) else dialect in wanted
        return True

    return include_object


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write ``UTCDateTime`` columns as the ``DateTime(timezone=True)`` they store."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        include_object=include_object_for(connection.dialect.name),
        render_item=render_item,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_offline() -> None:
    from archive.db import resolve_db_url

    url = context.get_x_argument(as_dictionary=True).get("db")
    context.configure(
        url=resolve_db_url(url),
        target_metadata=Base.metadata,
        include_object=include_object_for(
            sa.engine.make_url(resolve_db_url(url)).get_backend_name()
        ),
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online(config: Any) -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    from archive.db import make_engine

    if config.config_file_name:  # the alembic command: log as its ini file says
        from logging.config import fileConfig

        fileConfig(config.config_file_name, disable_existing_loggers=False)
    engine = make_engine(context.get_x_argument(as_dictionary=True).get("db"))
    try:
        with engine.connect() as connection:
            _configure(connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


# ``alembic.context`` only has a ``config`` while alembic runs this file; importing it otherwise
# (pytest's doctest collection) does nothing.
_config = getattr(context, "config", None)
if _config is not None:
    if context.is_offline_mode():
        run_offline()
    else:
        run_online(_config)
