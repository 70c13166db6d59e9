"""Crawl run status ``interrupted`` (archive.models SCHEMA_VERSION 3): a crawl stopped by SIGTERM
or Ctrl-C, which shut down cleanly, is told apart from one that was killed.

Only the check constraint ``ck_crawl_runs_status`` changes. PostgreSQL drops and re-adds it.
SQLite cannot alter a constraint, and rebuilding ``crawl_runs`` would null every version's
``crawl_run_id`` (``ON DELETE SET NULL`` fires when the old table is dropped); a constraint that
only lets more values in changes nothing on disk, so its text is edited in the schema table
instead (the procedure SQLite documents for such changes). Downgrading records interrupted runs
as ``killed``.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA_VERSION = "3"
PREVIOUS_SCHEMA_VERSION = "2"

OLD = "'running', 'finished', 'failed', 'degraded', 'killed'"
NEW = "'running', 'finished', 'failed', 'degraded', 'killed', 'interrupted'"


def _set_schema_version(value: str) -> None:
    op.execute(
        sa.text("UPDATE meta SET value = :v WHERE key = 'schema_version'").bindparams(v=value)
    )


def _sqlite_edit_check(old: str, new: str) -> None:
    bind = op.get_bind()
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.execute(
        sa.text(
            "UPDATE sqlite_master SET sql = replace(sql, :old, :new) "
            "WHERE type = 'table' AND name = 'crawl_runs'"
        ),
        {"old": f"status IN ({old})", "new": f"status IN ({new})"},
    )
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def _replace_check(old: str, new: str) -> None:
    if op.get_context().dialect.name == "sqlite":
        _sqlite_edit_check(old, new)
    else:
        op.drop_constraint(op.f("ck_crawl_runs_status"), "crawl_runs", type_="check")
        op.create_check_constraint(op.f("ck_crawl_runs_status"), "crawl_runs", f"status IN ({new})")


def upgrade() -> None:
    _replace_check(OLD, NEW)
    _set_schema_version(SCHEMA_VERSION)


def downgrade() -> None:
    op.execute("UPDATE crawl_runs SET status = 'killed' WHERE status = 'interrupted'")
    _replace_check(NEW, OLD)
    _set_schema_version(PREVIOUS_SCHEMA_VERSION)
