"""Alembic migrations of the archive: an upgraded empty database is the schema ``init_db`` makes,
an ``init_db`` archive is stamped and upgrades as a no-op, on SQLite and PostgreSQL."""

from __future__ import annotations

import importlib.util
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from archive.db import init_db, make_engine
from archive.migrate import (
    MigrationError,
    current,
    head_revision,
    script_location,
    stamp_head,
    status,
    upgrade,
)
from archive.models import SCHEMA_VERSION, Article, Base, SavedWatch, Source

#: The newest revision: PostgreSQL search at scale.
HEAD = "0010_pg_search"

#: Runs of whitespace, to compare DDL text written with different indentation.
_SPACE_RE = re.compile(r"\s+")


def _squash(text: str | None) -> str:
    return _SPACE_RE.sub(" ", text or "").strip()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def schema(engine: sa.Engine) -> dict:
    """Everything about the schema that matters: tables, columns, keys, indexes, checks, and the
    full-text machinery (SQLite triggers and FTS table; PostgreSQL index definitions and the
    generated column)."""
    insp = sa.inspect(engine)
    out: dict = {}
    for table in sorted(set(insp.get_table_names()) - {"alembic_version"}):
        out[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"], _squash(str(c.get("computed") or "")))
                for c in insp.get_columns(table)
            ],
            "pk": insp.get_pk_constraint(table),
            "fks": sorted(
                (
                    fk["name"],
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    str(fk["options"]),
                )
                for fk in insp.get_foreign_keys(table)
            ),
            "unique": sorted(
                (u["name"], tuple(u["column_names"])) for u in insp.get_unique_constraints(table)
            ),
            "indexes": sorted(
                (
                    i["name"],
                    tuple(str(c) for c in i["column_names"]),
                    tuple(i.get("expressions") or ()),
                    bool(i["unique"]),
                )
                for i in insp.get_indexes(table)
            ),
            "checks": sorted(
                (c["name"], _squash(c["sqltext"])) for c in insp.get_check_constraints(table)
            ),
        }
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql(
                "SELECT type, name, sql FROM sqlite_master "
                "WHERE type = 'trigger' OR name LIKE 'article_fts%' ORDER BY name"
            )
            out["_sqlite_fts"] = [(t, n, _squash(s)) for t, n, s in rows]
        else:
            rows = conn.exec_driver_sql(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = current_schema() ORDER BY indexname"
            )
            out["_pg_indexes"] = [(n, d) for n, d in rows if n != "alembic_version_pkc"]
        out["_meta"] = sorted(conn.exec_driver_sql("SELECT key, value FROM meta").all())
    return out


def _drop_alembic_version(engine: sa.Engine) -> None:
    """Make an ``init_db`` archive look like one made before alembic."""
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def _add_article(engine: sa.Engine, title: str = "Banjir di Jalan Ahmad Yani") -> None:
    with sa.orm.Session(engine) as session, session.begin():
        source = Source(key="surabayapagi", name="Surabaya Pagi")
        session.add(source)
        session.flush()
        session.add(
            Article(
                source_id=source.id,
                canonical_url="https://surabayapagi.com/news-1-banjir",
                url="https://surabayapagi.com/news-1-banjir",
                title=title,
                body="Hujan deras membuat banjir di Surabaya.",
                published_at=datetime(2024, 8, 13, 11, 13, tzinfo=UTC),
            )
        )


def _fts_hits(engine: sa.Engine, word: str) -> int:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            sql = "SELECT count(*) FROM article_fts WHERE article_fts MATCH :w"
        else:
            sql = (
                "SELECT count(*) FROM articles "
                "WHERE search_vector @@ plainto_tsquery('indonesian', :w)"
            )
        return conn.execute(sa.text(sql), {"w": word}).scalar_one()


def _env_module():
    with script_location() as where:
        spec = importlib.util.spec_from_file_location("_archive_env", Path(where) / "env.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module


# --- the tests ----------------------------------------------------------------------------------
def test_upgrade_from_empty_gives_the_init_db_schema(engine) -> None:
    assert current(engine) is None
    assert upgrade(engine) == head_revision()
    migrated = schema(engine)
    # Back to nothing, then the init_db way, in the same database.
    from alembic import command

    from archive.migrate import alembic_config

    with script_location() as where, engine.begin() as conn:
        command.downgrade(alembic_config(where, conn), "base")
    assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
    _drop_alembic_version(engine)
    init_db(engine)
    assert schema(engine) == migrated


def test_migrated_schema_matches_the_models(engine) -> None:
    """Autogenerate finds nothing to do right after the upgrade."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    upgrade(engine)
    include = _env_module().include_object_for(engine.dialect.name)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_object": include, "compare_type": True}
        )
        assert compare_metadata(context, Base.metadata) == []


@pytest.mark.parametrize("how", ["stamp_head", "upgrade_stamps_it"])
def test_init_db_archive_is_stamped_and_upgrade_is_a_noop(engine, how: str) -> None:
    init_db(engine)
    _add_article(engine)
    _drop_alembic_version(engine)  # as made before alembic
    before = schema(engine)
    assert current(engine) is None
    if how == "stamp_head":
        assert stamp_head(engine) == head_revision()
        assert current(engine) == head_revision()
    assert upgrade(engine) == head_revision()
    assert upgrade(engine) == head_revision()  # and again
    assert schema(engine) == before
    assert _fts_hits(engine, "banjir") == 1


def test_new_init_db_archive_needs_no_migration(engine) -> None:
    """``init_db`` makes the newest schema; it may stamp it at once (or ``upgrade`` does)."""
    init_db(engine)
    assert current(engine) in (None, head_revision())
    before = schema(engine)
    assert upgrade(engine) == head_revision()
    assert schema(engine) == before


def test_full_text_search_works_after_upgrade(engine) -> None:
    upgrade(engine)
    _add_article(engine)
    assert _fts_hits(engine, "banjir") == 1
    assert _fts_hits(engine, "kebakaran") == 0
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT key, value FROM meta").all()
    assert [tuple(r) for r in rows] == [("schema_version", str(SCHEMA_VERSION))]


def test_init_db_after_upgrade_changes_nothing(engine) -> None:
    upgrade(engine)
    before = schema(engine)
    init_db(engine)
    assert schema(engine) == before
    assert current(engine) == head_revision()


@pytest.mark.parametrize(
    ("version", "message"),
    [("99", "schema version 99"), (None, "schema version None")],
)
def test_unknown_schema_is_refused(engine, version: str | None, message: str) -> None:
    init_db(engine)
    _drop_alembic_version(engine)
    with engine.begin() as conn:
        if version is None:
            conn.exec_driver_sql("DELETE FROM meta")
        else:
            conn.execute(sa.text("UPDATE meta SET value = :v"), {"v": version})
    with pytest.raises(MigrationError, match=message):
        upgrade(engine)
    assert current(engine) is None


def test_upgrade_takes_a_url(db_url) -> None:
    assert upgrade(db_url) == head_revision()
    assert status(db_url) == {"current": HEAD, "head": HEAD, "up_to_date": True}


def test_script_location_is_inside_the_package() -> None:
    with script_location() as where:
        assert (Path(where) / "env.py").is_file()
        assert any(Path(where, "versions").glob("0001_*.py"))
        assert any(Path(where, "versions").glob(f"{HEAD}_*.py"))


def test_head_is_the_pg_search_revision() -> None:
    assert head_revision() == HEAD


def _watch_tables(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names()) & {
        "watches",
        "watch_deliveries",
        "watch_articles",
    }


def test_0002_keeps_watch_tables_made_before_it(engine) -> None:
    """Watches used to create their own tables: an archive at 0001 that has them upgrades."""
    upgrade(engine, "0001")
    assert _watch_tables(engine) == set()
    watch_tables = [
        SavedWatch.__table__,
        *(Base.metadata.tables[t] for t in ("watch_deliveries", "watch_articles")),
    ]
    Base.metadata.create_all(engine, tables=watch_tables)  # what ensure_tables did
    with engine.begin() as conn:
        conn.execute(
            sa.insert(SavedWatch.__table__).values(
                name="banjir",
                query="banjir",
                targets=["-"],
                baseline_id=0,
                created_at=datetime(2024, 8, 13, tzinfo=UTC),
            )
        )
    assert upgrade(engine, "0002") == "0002"
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT name FROM watches").scalars().all() == ["banjir"]
        assert conn.exec_driver_sql("SELECT value FROM meta").scalar_one() == "2"
    assert upgrade(engine) == HEAD


def test_downgrade_to_0001_drops_the_watch_tables(engine) -> None:
    from alembic import command

    from archive.migrate import alembic_config

    upgrade(engine)
    assert len(_watch_tables(engine)) == 3
    with script_location() as where, engine.begin() as conn:
        command.downgrade(alembic_config(where, conn), "0001")
    assert _watch_tables(engine) == set()
    assert current(engine) == "0001"
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT value FROM meta").scalar_one() == "1"
    assert upgrade(engine) == HEAD


def test_0010_pg_search_indexes_and_narrow_rows(engine) -> None:
    """On PostgreSQL: the covering newest-first index and out-of-line text; down and up again."""
    from alembic import command

    from archive.migrate import alembic_config

    upgrade(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT value FROM meta").scalar_one() == "4"
    if engine.dialect.name != "postgresql":
        return

    def state() -> tuple[str, list]:
        with engine.connect() as conn:
            index = conn.exec_driver_sql(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_articles_published_at' "
                "AND schemaname = current_schema()"
            ).scalar_one()
            options = conn.exec_driver_sql(
                "SELECT reloptions FROM pg_class WHERE relname = 'articles' "
                "AND relnamespace = current_schema()::regnamespace"
            ).scalar_one()
        return index, options or []

    index, options = state()
    assert "published_at DESC NULLS LAST, id DESC) INCLUDE (source_id)" in index
    assert options == ["toast_tuple_target=128"]
    with script_location() as where, engine.begin() as conn:
        command.downgrade(alembic_config(where, conn), "0002")
    index, options = state()
    assert "INCLUDE" not in index and options == []
    assert upgrade(engine) == HEAD


# --- the CLI ------------------------------------------------------------------------------------
@pytest.fixture
def cli():
    import newscrawl.commands.admin  # noqa: F401 - registers the commands
    from newscrawl.cli import main

    return main


def test_cli_db_upgrade_and_current(cli, db_url, capsys) -> None:
    assert cli(["db", "current", "--db", db_url]) in (1, 2)  # empty, or no file yet
    capsys.readouterr()
    assert cli(["db", "upgrade", "--db", db_url]) == 0
    assert f"archive at revision {HEAD}" in capsys.readouterr().out
    assert cli(["db", "current", "--db", db_url]) == 0
    assert f"{HEAD} (newest {HEAD}: up to date)" in capsys.readouterr().out
    assert cli(["db", "current", "--db", db_url, "--json"]) == 0
    assert '"up_to_date": true' in capsys.readouterr().out


def test_cli_db_stamp(cli, tmp_path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    engine = make_engine(url)
    init_db(engine)
    _drop_alembic_version(engine)
    engine.dispose()
    assert cli(["db", "stamp", "--db", url]) == 0
    assert f"stamped with revision {HEAD}" in capsys.readouterr().out
    assert current(url) == HEAD


def test_cli_db_unknown_schema_is_a_clear_error(cli, tmp_path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE articles (id INTEGER PRIMARY KEY)")
    engine.dispose()
    assert cli(["db", "upgrade", "--db", url]) == 2
    assert "no migration knows" in capsys.readouterr().err


def _run_with_a_version(engine: sa.Engine) -> int:
    """A crawl run and an archived version that points at it; the run's id."""
    from archive.store import start_run, upsert_article

    with sa.orm.Session(engine) as session, session.begin():
        run_id = start_run(session, "surabayapagi").id
        upsert_article(
            session,
            {
                "url": "https://surabayapagi.com/news-1-banjir",
                "source": "surabayapagi",
                "title": "Banjir",
                "body": "Hujan deras.",
            },
            crawl_run_id=run_id,
        )
    return run_id


def _set_run_status(engine: sa.Engine, status: str) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE crawl_runs SET status = :s"), {"s": status})


def test_0003_allows_interrupted_runs_and_keeps_version_links(engine) -> None:
    """An archive at 0002 refuses status ``interrupted``; 0003 allows it without touching the
    versions' links to their runs (rebuilding the table on SQLite would null them)."""
    upgrade(engine, "0002")
    run_id = _run_with_a_version(engine)
    with pytest.raises(sa.exc.IntegrityError):
        _set_run_status(engine, "interrupted")
    assert upgrade(engine) == HEAD
    _set_run_status(engine, "interrupted")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT crawl_run_id FROM article_versions").scalar() == run_id
        assert conn.exec_driver_sql("SELECT value FROM meta").scalar_one() == "4"
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    with pytest.raises(sa.exc.IntegrityError):
        _set_run_status(engine, "lost")


def test_downgrade_from_0003_records_interrupted_runs_as_killed(engine) -> None:
    from alembic import command

    from archive.migrate import alembic_config

    upgrade(engine)
    _run_with_a_version(engine)
    _set_run_status(engine, "interrupted")
    with script_location() as where, engine.begin() as conn:
        command.downgrade(alembic_config(where, conn), "0002")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT status FROM crawl_runs").scalar() == "killed"
    with pytest.raises(sa.exc.IntegrityError):
        _set_run_status(engine, "interrupted")
