"""PostgreSQL search at scale (archive.models SCHEMA_VERSION 3).

* ``ix_articles_published_at`` becomes ``(published_at DESC NULLS LAST, id DESC) INCLUDE
  (source_id)``: newest-first pages with their tie-break, and per-period counts by source over a
  date range, read the index alone (index-only scans) instead of the wide article rows.
* ``toast_tuple_target = 128`` on ``articles``: the body and the tsvector of a new or rewritten
  row go out of line, so the heap keeps narrow rows and a search or trend that reads the date
  and source of many matches reads a fraction of the pages. Rows already written keep their
  layout until rewritten: on a large archive run ``VACUUM FULL articles`` (it locks the table;
  see docs/scaling.md) after this upgrade, at a quiet time.

SQLite: only the schema version changes.

Revision ID: 0010_pg_search
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0010_pg_search"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA_VERSION = "4"
PREVIOUS_SCHEMA_VERSION = "3"


def _set_schema_version(value: str) -> None:
    op.execute(
        sa.text("UPDATE meta SET value = :v WHERE key = 'schema_version'").bindparams(v=value)
    )


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        from archive.db import PG_SEARCH_DDL

        op.drop_index("ix_articles_published_at", table_name="articles")
        op.create_index(
            "ix_articles_published_at",
            "articles",
            [sa.text("published_at DESC NULLS LAST"), sa.text("id DESC")],
            postgresql_include=["source_id"],
        )
        for ddl in PG_SEARCH_DDL:
            op.execute(ddl)
    _set_schema_version(SCHEMA_VERSION)


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("ALTER TABLE articles RESET (toast_tuple_target)")
        op.drop_index("ix_articles_published_at", table_name="articles")
        op.create_index(
            "ix_articles_published_at", "articles", [sa.text("published_at DESC NULLS LAST")]
        )
    _set_schema_version(PREVIOUS_SCHEMA_VERSION)
