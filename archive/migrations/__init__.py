"""Alembic migrations of the archive schema (see :mod:`archive.migrate`)."""
