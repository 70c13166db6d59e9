"""The archive's tables: sources, articles (current state), article versions, crawl runs, and
saved searches ("watches") with their deliveries.

SQLAlchemy 2.0 declarative style. Timestamps are stored as UTC and always come back as aware UTC
datetimes, on SQLite too (see :class:`UTCDateTime`). The original offset of a publication time is
kept in the item data (``published_raw`` and the ISO ``published_at`` inside
:attr:`ArticleVersion.data`).

The full-text machinery (an FTS5 table on SQLite, a generated ``search_vector`` column on
PostgreSQL) is not mapped here: :func:`archive.db.init_db` creates it by DDL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

SCHEMA_VERSION = 4
"""Bumped whenever the schema changes; stored in the ``meta`` table by ``init_db``.

1: sources, articles, versions, crawl runs; 2: the watch tables and, on SQLite, the narrow
``ix_articles_id_published_at`` index for search; 3: crawl run status ``interrupted``."""

ID_MAX = 2**31 - 1
"""Largest value of an ``id`` column (PostgreSQL ``integer``); callers refuse larger ids,
offsets and page numbers as bad input instead of letting the database overflow."""

RUN_STATUSES = ("running", "finished", "failed", "degraded", "killed", "interrupted")
"""Allowed values of :attr:`CrawlRun.status`."""

# Constraint names that alembic (or a human) can rely on.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    """The current instant as an aware UTC datetime.

    >>> utc_now().tzinfo is UTC
    True
    """
    return datetime.now(UTC)


def to_utc(value: datetime | None) -> datetime | None:
    """``value`` as an aware UTC datetime; a naive value is taken to be UTC already.

    >>> from datetime import timedelta, timezone
    >>> to_utc(datetime(2024, 8, 13, 18, 13, tzinfo=timezone(timedelta(hours=7))))
    datetime.datetime(2024, 8, 13, 11, 13, tzinfo=datetime.timezone.utc)
    >>> to_utc(datetime(2024, 8, 13, 11, 13))
    datetime.datetime(2024, 8, 13, 11, 13, tzinfo=datetime.timezone.utc)
    >>> to_utc(None) is None
    True
    """
    if value is None:
        return None
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored as UTC, returned as an aware UTC datetime on every backend.

    PostgreSQL gets ``timestamp with time zone``; SQLite, which has no zones, gets the naive UTC
    value (so that text comparison and ``strftime`` work on it) and the zone is put back on read.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"UTCDateTime needs a datetime, got {type(value).__name__}")
        value = to_utc(value)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # raw SQLite text, e.g. from a hand-written query
            value = datetime.fromisoformat(value)
        return to_utc(value)


# JSON everywhere; JSONB on PostgreSQL (indexable, compact).
JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


class Meta(Base):
    """Key/value facts about the archive itself (``schema_version``)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    value: Mapped[str] = mapped_column(sa.Text)


class Source(Base):
    """A portal, e.g. ``key="surabayapagi"``."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str | None] = mapped_column(sa.Text)
    base_url: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    articles: Mapped[list[Article]] = relationship(back_populates="source")

    def __repr__(self) -> str:
        return f"Source(id={self.id!r}, key={self.key!r})"


class Article(Base):
    """One article: the values of its latest version, plus when it was first and last seen."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(sa.ForeignKey("sources.id", ondelete="CASCADE"))
    canonical_url: Mapped[str] = mapped_column(sa.String(2048), unique=True)
    url: Mapped[str] = mapped_column(sa.String(2048), index=True)
    title: Mapped[str | None] = mapped_column(sa.Text)
    body: Mapped[str | None] = mapped_column(sa.Text)
    description: Mapped[str | None] = mapped_column(sa.Text)
    authors: Mapped[list[str]] = mapped_column(JSONType, default=list)
    editor: Mapped[str | None] = mapped_column(sa.Text)
    reporter: Mapped[str | None] = mapped_column(sa.Text)
    section: Mapped[str | None] = mapped_column(sa.Text)
    tags: Mapped[list[str]] = mapped_column(JSONType, default=list)
    dateline_city: Mapped[str | None] = mapped_column(sa.Text)
    published_at: Mapped[datetime | None] = mapped_column()
    published_raw: Mapped[str | None] = mapped_column(sa.Text)
    published_source: Mapped[str | None] = mapped_column(sa.String(32))
    modified_at: Mapped[datetime | None] = mapped_column()
    related_links: Mapped[list[dict[str, str]]] = mapped_column(JSONType, default=list)
    captions: Mapped[list[str]] = mapped_column(JSONType, default=list)
    syndicated_from: Mapped[str | None] = mapped_column(sa.Text)
    language: Mapped[str | None] = mapped_column(sa.String(16))
    flags: Mapped[list[str]] = mapped_column(JSONType, default=list)
    content_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    raw_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    http_status: Mapped[int | None] = mapped_column()
    first_seen_at: Mapped[datetime] = mapped_column(default=utc_now)
    last_seen_at: Mapped[datetime] = mapped_column(default=utc_now)
    fetched_at: Mapped[datetime | None] = mapped_column()
    version_count: Mapped[int] = mapped_column(default=1)
    current_version_no: Mapped[int] = mapped_column(default=1)

    source: Mapped[Source] = relationship(back_populates="articles")
    versions: Mapped[list[ArticleVersion]] = relationship(
        back_populates="article",
        order_by="ArticleVersion.version_no",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __table_args__ = (
        # Newest-first listings. PostgreSQL sorts NULLs first in DESC unless told, so its index
        # matches the ``DESC NULLS LAST`` order used by search; SQLite puts NULLs last anyway.
        sa.Index("ix_articles_published_at", "published_at").ddl_if(dialect="sqlite"),
        # On PostgreSQL it also covers the source and the id tie-break, so newest-first pages and
        # per-period counts over a date range are index-only scans (migration 0010_pg_search).
        sa.Index(
            "ix_articles_published_at",
            sa.text("published_at DESC NULLS LAST"),
            sa.text("id DESC"),
            postgresql_include=["source_id"],
        ).ddl_if(dialect="postgresql"),
        sa.Index("ix_articles_source_id_published_at", "source_id", "published_at").ddl_if(
            dialect="sqlite"
        ),
        sa.Index(
            "ix_articles_source_id_published_at",
            "source_id",
            sa.text("published_at DESC NULLS LAST"),
        ).ddl_if(dialect="postgresql"),
        # A narrow copy of what search filters on, by id: checking a full-text match's date and
        # source reads this small index instead of the article's row (with its body).
        sa.Index("ix_articles_id_published_at", "id", "published_at", "source_id").ddl_if(
            dialect="sqlite"
        ),
    )

    @property
    def source_key(self) -> str:
        return self.source.key

    def __repr__(self) -> str:
        return f"Article(id={self.id!r}, canonical_url={self.canonical_url!r})"


class ArticleVersion(Base):
    """One distinct content of an article, as captured; version 1 is the first capture."""

    __tablename__ = "article_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        sa.ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    version_no: Mapped[int] = mapped_column()
    content_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    raw_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    title: Mapped[str | None] = mapped_column(sa.Text)
    body: Mapped[str | None] = mapped_column(sa.Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    fetched_at: Mapped[datetime | None] = mapped_column()
    extractor_version: Mapped[str] = mapped_column(sa.String(64), default="")
    crawl_run_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("crawl_runs.id", ondelete="SET NULL"), index=True
    )
    warc_file: Mapped[str | None] = mapped_column(sa.Text)
    warc_offset: Mapped[int | None] = mapped_column(sa.BigInteger)
    warc_length: Mapped[int | None] = mapped_column(sa.BigInteger)
    warc_record_id: Mapped[str | None] = mapped_column(sa.Text)
    headline_changed: Mapped[bool] = mapped_column(default=False)
    is_correction: Mapped[bool] = mapped_column(default=False)

    article: Mapped[Article] = relationship(back_populates="versions")

    __table_args__ = (sa.UniqueConstraint("article_id", "version_no"),)

    def __repr__(self) -> str:
        return f"ArticleVersion(article_id={self.article_id!r}, version_no={self.version_no!r})"


class CrawlRun(Base):
    """One crawl of one source: when, where, with which settings, and how it ended."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_key: Mapped[str] = mapped_column(sa.String(64), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
    finished_at: Mapped[datetime | None] = mapped_column()
    status: Mapped[str] = mapped_column(sa.String(16), default="running")
    pid: Mapped[int | None] = mapped_column()
    host: Mapped[str | None] = mapped_column(sa.Text)
    settings: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    stats: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    summary: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)

    __table_args__ = (
        sa.CheckConstraint(
            "status IN ('running', 'finished', 'failed', 'degraded', 'killed', 'interrupted')",
            name="status",
        ),
    )

    def __repr__(self) -> str:
        return f"CrawlRun(id={self.id!r}, source_key={self.source_key!r}, status={self.status!r})"


WATCH_NAME_MAX = 100
"""Longest watch name."""


class SavedWatch(Base):
    """A saved search that reports new matching articles (``newscrawl.watch``).

    ``baseline_id`` is the archive's highest article id when the watch was added: only newer
    articles are reported. ``targets`` are delivery targets (``file:PATH``, URLs, ``mailto:``).
    """

    __tablename__ = "watches"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(WATCH_NAME_MAX), unique=True)
    query: Mapped[str] = mapped_column(sa.Text)
    source: Mapped[str | None] = mapped_column(sa.String(64))
    targets: Mapped[list[str]] = mapped_column(JSONType)
    baseline_id: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    last_run_at: Mapped[datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(sa.Text)

    def __repr__(self) -> str:
        return f"SavedWatch(id={self.id!r}, name={self.name!r})"


class WatchDelivery(Base):
    """One batch of a watch's articles, claimed, then sent to each target (``targets_done``)
    and confirmed (``delivered_at``); ``delivery_id`` goes out with it."""

    __tablename__ = "watch_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    watch_id: Mapped[int] = mapped_column(
        sa.ForeignKey("watches.id", ondelete="CASCADE"), index=True
    )
    delivery_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    article_ids: Mapped[list[int]] = mapped_column(JSONType)
    targets_done: Mapped[list[str]] = mapped_column(JSONType)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    delivered_at: Mapped[datetime | None] = mapped_column()

    def __repr__(self) -> str:
        return f"WatchDelivery(id={self.id!r}, delivery_id={self.delivery_id!r})"


class WatchArticle(Base):
    """An article claimed by a watch (at most once per watch) and the delivery it went in."""

    __tablename__ = "watch_articles"

    watch_id: Mapped[int] = mapped_column(
        sa.ForeignKey("watches.id", ondelete="CASCADE"), primary_key=True
    )
    article_id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    delivery_id: Mapped[str] = mapped_column(sa.String(64))

    def __repr__(self) -> str:
        return f"WatchArticle(watch_id={self.watch_id!r}, article_id={self.article_id!r})"
