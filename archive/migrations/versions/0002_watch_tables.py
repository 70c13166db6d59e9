"""The watch tables (archive.models SCHEMA_VERSION 2): watches, watch_deliveries, watch_articles;
and on SQLite the narrow index ``ix_articles_id_published_at`` (id, published_at, source_id) that
lets search check a full-text match's date and source without reading the article's row.

Saved searches used to create their own tables (``newscrawl.watch.ensure_tables``); an archive
that has them already keeps them: only the missing ones are created (their definitions never
changed). Downgrading drops them with their delivery history.

Revision ID: 0002
Revises: 0001
Create Date: 2024-10-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The schema version this revision brings the ``meta`` table to (and its downgrade back to).
SCHEMA_VERSION = "2"
PREVIOUS_SCHEMA_VERSION = "1"

WATCH_TABLES = ("watches", "watch_deliveries", "watch_articles")


def _json() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _ts() -> sa.types.TypeEngine:
    return sa.DateTime(timezone=True)


def _set_schema_version(value: str) -> None:
    op.execute(
        sa.text("UPDATE meta SET value = :v WHERE key = 'schema_version'").bindparams(v=value)
    )


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "watches" not in existing:
        op.create_table(
            "watches",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("name", sa.String(length=100), nullable=False),
            sa.Column("query", sa.Text(), nullable=False),
            sa.Column("source", sa.String(length=64), nullable=True),
            sa.Column("targets", _json(), nullable=False),
            sa.Column("baseline_id", sa.BigInteger(), nullable=False),
            sa.Column("created_at", _ts(), nullable=False),
            sa.Column("last_run_at", _ts(), nullable=True),
            sa.Column("last_error", sa.Text(), nullable=True),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_watches")),
            sa.UniqueConstraint("name", name=op.f("uq_watches_name")),
        )
    if "watch_deliveries" not in existing:
        op.create_table(
            "watch_deliveries",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("watch_id", sa.Integer(), nullable=False),
            sa.Column("delivery_id", sa.String(length=64), nullable=False),
            sa.Column("article_ids", _json(), nullable=False),
            sa.Column("targets_done", _json(), nullable=False),
            sa.Column("attempts", sa.Integer(), nullable=False),
            sa.Column("created_at", _ts(), nullable=False),
            sa.Column("delivered_at", _ts(), nullable=True),
            sa.ForeignKeyConstraint(
                ["watch_id"],
                ["watches.id"],
                name=op.f("fk_watch_deliveries_watch_id_watches"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_deliveries")),
            sa.UniqueConstraint("delivery_id", name=op.f("uq_watch_deliveries_delivery_id")),
        )
        op.create_index("ix_watch_deliveries_watch_id", "watch_deliveries", ["watch_id"])
    if "watch_articles" not in existing:
        op.create_table(
            "watch_articles",
            sa.Column("watch_id", sa.Integer(), nullable=False),
            sa.Column("article_id", sa.BigInteger(), nullable=False),
            sa.Column("delivery_id", sa.String(length=64), nullable=False),
            sa.ForeignKeyConstraint(
                ["watch_id"],
                ["watches.id"],
                name=op.f("fk_watch_articles_watch_id_watches"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("watch_id", "article_id", name=op.f("pk_watch_articles")),
        )
    if op.get_context().dialect.name == "sqlite":
        op.execute(
            "CREATE INDEX IF NOT EXISTS ix_articles_id_published_at "
            "ON articles (id, published_at, source_id)"
        )
    _set_schema_version(SCHEMA_VERSION)


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        op.execute("DROP INDEX IF EXISTS ix_articles_id_published_at")
    for table in reversed(WATCH_TABLES):
        op.drop_table(table)
    _set_schema_version(PREVIOUS_SCHEMA_VERSION)
