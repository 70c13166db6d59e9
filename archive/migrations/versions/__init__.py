"""Alembic revisions of the archive schema, oldest first (alembic ignores this file)."""
