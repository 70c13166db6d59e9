"""Writing and reading the archive: upserts with versions, URL look-ups, crawl runs, counts.

Every function takes a ``session``; the caller owns the transaction::

    with Session.begin() as session:
        result = upsert_article(session, item, crawl_run_id=run_id)

Items are plain mappings with the field names of ``newscrawl.items.ArticleItem`` (timestamps as
ISO 8601 strings with an offset). ``raw_html`` is never stored. Strings are made safe for
PostgreSQL: NUL characters are removed and lone surrogates replaced, recursively in JSON values.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from archive.models import (
    RUN_STATUSES,
    Article,
    ArticleVersion,
    CrawlRun,
    Source,
    to_utc,
    utc_now,
)

URL_MAX = 2048
"""Longest canonical URL the archive keys on (the column size)."""

# Lone UTF-16 surrogates: valid in a Python str, invalid in UTF-8 (PostgreSQL rejects them).
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# Words that mark a correction notice in Indonesian news ("Ralat:", "Koreksi:").
_CORRECTION_RE = re.compile(r"\b(?:ralat|koreksi)\b", re.IGNORECASE)

_ITEM_STR_COLUMNS = (
    "title",
    "body",
    "description",
    "editor",
    "reporter",
    "section",
    "dateline_city",
    "published_raw",
    "published_source",
    "syndicated_from",
    "language",
    "content_sha256",
    "raw_sha256",
)
_ITEM_LIST_COLUMNS = ("authors", "tags", "related_links", "captions", "flags")
_COLUMN_LIMITS = {"published_source": 32, "language": 16, "content_sha256": 64, "raw_sha256": 64}


@dataclass(frozen=True)
class UpsertResult:
    """What :func:`upsert_article` did.

    ``status`` is ``"new"``, ``"changed"`` or ``"unchanged"``; ``"rejected"`` (with ``reason``)
    when the item cannot be stored, e.g. it has no URL.
    """

    status: Literal["new", "changed", "unchanged", "rejected"]
    article_id: int | None
    version_no: int | None
    reason: str | None = None


# --- cleaning -----------------------------------------------------------------------------------


def clean_text(value: str) -> str:
    """``value`` without NUL characters and with lone surrogates replaced by U+FFFD.

    A surrogate pair that was split into two code points is joined back.

    >>> clean_text("a\\x00b")
    'ab'
    >>> clean_text("x\\udc80y")
    'x\\ufffdy'
    >>> clean_text("\\ud83d\\ude00") == "\\U0001F600"
    True
    """
    if "\x00" in value:
        value = value.replace("\x00", "")
    if _SURROGATE_RE.search(value):
        value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return value


def clean_json(value: Any) -> Any:
    """``value`` made safe for a JSON column: strings cleaned, datetimes as ISO, recursively.

    Tuples and sets become lists, non-finite floats None, other objects their ``str()``.

    >>> clean_json({"a\\x00": ["x\\x00", (1, 2.5), float("nan")], "t": date(2024, 8, 13)})
    {'a': ['x', [1, 2.5], None], 't': '2024-08-13'}
    """
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {clean_text(str(k)): clean_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_json(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((clean_json(v) for v in value), key=repr)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return clean_text(str(value))


def parse_instant(value: Any) -> datetime | None:
    """An aware UTC datetime from an ISO 8601 string or a datetime; None when it cannot.

    A value without an offset is taken as UTC.

    >>> parse_instant("2024-08-13T18:13:00+07:00")
    datetime.datetime(2024, 8, 13, 11, 13, tzinfo=datetime.timezone.utc)
    >>> parse_instant("2024-08-13T11:13:00Z") == parse_instant("2024-08-13T18:13:00+07:00")
    True
    >>> parse_instant("Selasa, 13 Agu 2024") is None
    True
    """
    if isinstance(value, datetime):
        return to_utc(value)
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return to_utc(datetime.fromisoformat(value.strip()))
    except ValueError:
        return None


def content_hash(item: Mapping[str, Any]) -> str:
    """SHA-256 of title, body and published_at, for items that come without ``content_sha256``.

    >>> content_hash({"title": "A", "body": "B"}) == content_hash({"title": "A", "body": "B"})
    True
    >>> content_hash({"title": "A"}) == content_hash({"title": "B"})
    False
    """
    parts = [str(item.get(k) or "") for k in ("title", "body", "published_at")]
    return hashlib.sha256("\n\x1f\n".join(parts).encode("utf-8")).hexdigest()


def correction_marks(*texts: str | None) -> int:
    """How many times "Ralat"/"Koreksi" occur in ``texts``.

    >>> correction_marks("Ralat: Jumlah korban", "Koreksi atas berita sebelumnya")
    2
    >>> correction_marks("Pemkot Surabaya", None)
    0
    """
    return sum(len(_CORRECTION_RE.findall(t)) for t in texts if t)


def _clean_item(item: Mapping[str, Any]) -> dict[str, Any]:
    data = {str(k): v for k, v in item.items() if k != "raw_html"}
    return clean_json(data)


def _str_or_none(value: Any, limit: int | None = None) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    return text[:limit] if limit else text


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return [value]
    return list(value) if isinstance(value, Iterable) else [value]


def _article_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """Article column values from a cleaned item."""
    values: dict[str, Any] = {
        k: _str_or_none(data.get(k), _COLUMN_LIMITS.get(k)) for k in _ITEM_STR_COLUMNS
    }
    values.update({k: _as_list(data.get(k)) for k in _ITEM_LIST_COLUMNS})
    values["published_at"] = parse_instant(data.get("published_at"))
    values["modified_at"] = parse_instant(data.get("modified_at"))
    values["fetched_at"] = parse_instant(data.get("fetched_at"))
    values["http_status"] = _int_or_none(data.get("http_status"))
    return values


def _warc_values(warc: Mapping[str, Any] | None) -> dict[str, Any]:
    """WARC reference columns from ``{"file", "offset", "length", "record_id"}`` (or the same keys
    prefixed with ``warc_``).

    >>> _warc_values({"file": "a.warc.gz", "offset": 10, "length": 99, "record_id": "<urn:x>"})
    {'warc_file': 'a.warc.gz', 'warc_offset': 10, 'warc_length': 99, 'warc_record_id': '<urn:x>'}
    """
    warc = warc or {}

    def pick(name: str) -> Any:
        return warc.get(name, warc.get(f"warc_{name}"))

    return {
        "warc_file": _str_or_none(clean_json(pick("file"))),
        "warc_offset": _int_or_none(pick("offset")),
        "warc_length": _int_or_none(pick("length")),
        "warc_record_id": _str_or_none(clean_json(pick("record_id"))),
    }


# --- sources and articles -----------------------------------------------------------------------


def get_source(session: Session, key: str) -> Source | None:
    """The source with ``key``, or None."""
    return session.scalars(sa.select(Source).where(Source.key == key)).first()


def get_or_create_source(
    session: Session, key: str, *, name: str | None = None, base_url: str | None = None
) -> Source:
    """The source with ``key``, created when missing (safe against a concurrent insert).

    ``name`` and ``base_url`` fill in blanks of an existing source; they never overwrite.
    """
    key = clean_text(key)
    source = get_source(session, key)
    if source is None:
        try:
            with session.begin_nested():
                source = Source(key=key, name=name, base_url=base_url)
                session.add(source)
        except sa.exc.IntegrityError:
            source = get_source(session, key)
            if source is None:  # pragma: no cover - some other constraint failed
                raise
    if name and not source.name:
        source.name = clean_text(name)
    if base_url and not source.base_url:
        source.base_url = clean_text(base_url)
    return source


def _find_article(session: Session, key: str) -> Article | None:
    return session.scalars(sa.select(Article).where(Article.canonical_url == key)).first()


def upsert_article(
    session: Session,
    item: Mapping[str, Any],
    *,
    extractor_version: str = "",
    crawl_run_id: int | None = None,
    warc: Mapping[str, Any] | None = None,
) -> UpsertResult:
    """Store one captured article, keyed on ``canonical_url`` (else ``url``).

    - new URL: the article and its version 1;
    - same ``content_sha256`` as the current version: ``"unchanged"``, only ``last_seen_at`` and
      ``fetched_at`` move;
    - different hash: ``"changed"``, a new version (old ones kept) and the article columns updated;
      the version says whether the headline changed and whether a correction ("Ralat",
      "Koreksi") newly appeared.

    ``warc`` is the capture's WARC reference: ``{"file", "offset", "length", "record_id"}``.
    ``extractor_version`` defaults to the item's own ``extractor_version`` field.
    Items without a usable URL come back ``"rejected"`` with a reason, never as an exception.
    """
    data = _clean_item(item)
    url = (_str_or_none(data.get("url")) or "").strip()
    key = (_str_or_none(data.get("canonical_url")) or "").strip() or url
    if not key:
        return UpsertResult("rejected", None, None, reason="no url")
    if len(key) > URL_MAX:
        return UpsertResult("rejected", None, None, reason=f"url longer than {URL_MAX}")
    url = (url or key)[:URL_MAX]
    values = _article_values(data)
    values["content_sha256"] = values["content_sha256"] or content_hash(data)
    seen = values["fetched_at"] or utc_now()
    version_values = {
        "content_sha256": values["content_sha256"],
        "raw_sha256": values["raw_sha256"],
        "title": values["title"],
        "body": values["body"],
        "data": data,
        "fetched_at": values["fetched_at"],
        "extractor_version": (
            clean_text(extractor_version or "") or _str_or_none(data.get("extractor_version")) or ""
        )[:64],
        "crawl_run_id": crawl_run_id,
        **_warc_values(warc),
    }

    article = _find_article(session, key)
    if article is None:
        source = get_or_create_source(session, _str_or_none(data.get("source")) or "generic")
        try:
            with session.begin_nested():
                article = Article(
                    source=source,
                    canonical_url=key,
                    url=url,
                    first_seen_at=seen,
                    last_seen_at=seen,
                    version_count=1,
                    current_version_no=1,
                    **values,
                )
                article.versions.append(ArticleVersion(version_no=1, **version_values))
                session.add(article)
        except sa.exc.IntegrityError:  # inserted meanwhile by another writer
            article = _find_article(session, key)
            if article is None:  # pragma: no cover - some other constraint failed
                raise
        else:
            return UpsertResult("new", article.id, 1)

    article.last_seen_at = max(article.last_seen_at, seen)
    if values["fetched_at"] is not None:
        article.fetched_at = values["fetched_at"]
    if article.content_sha256 == values["content_sha256"]:
        return UpsertResult("unchanged", article.id, article.current_version_no)

    version_no = article.current_version_no + 1
    old_title, old_body = article.title, article.body
    version_values["headline_changed"] = (old_title or "") != (values["title"] or "")
    version_values["is_correction"] = correction_marks(
        values["title"], values["body"]
    ) > correction_marks(old_title, old_body)
    session.add(ArticleVersion(article_id=article.id, version_no=version_no, **version_values))
    for column, value in values.items():
        setattr(article, column, value)
    article.url = url
    article.version_count = article.version_count + 1
    article.current_version_no = version_no
    session.flush()
    return UpsertResult("changed", article.id, version_no)


def get_article(session: Session, id_or_url: int | str) -> Article | None:
    """The article with this id (int or digit string) or URL (canonical first, then fetched)."""
    if isinstance(id_or_url, int):
        return session.get(Article, id_or_url)
    text = str(id_or_url).strip()
    if text.isdigit():
        return session.get(Article, int(text))
    article = _find_article(session, text)
    if article is None:
        article = session.scalars(
            sa.select(Article).where(Article.url == text).order_by(Article.id)
        ).first()
    return article


def get_versions(session: Session, article_id: int) -> list[ArticleVersion]:
    """All versions of an article, oldest first."""
    stmt = (
        sa.select(ArticleVersion)
        .where(ArticleVersion.article_id == article_id)
        .order_by(ArticleVersion.version_no)
    )
    return list(session.scalars(stmt))


def known_urls(session: Session, source_key: str) -> set[str]:
    """Every canonical and fetched URL archived for a source (empty for an unknown source)."""
    stmt = (
        sa.select(Article.canonical_url, Article.url)
        .join(Source, Source.id == Article.source_id)
        .where(Source.key == source_key)
    )
    urls: set[str] = set()
    for canonical, fetched in session.execute(stmt):
        urls.add(canonical)
        if fetched:
            urls.add(fetched)
    return urls


def url_is_archived(session: Session, url: str) -> bool:
    """Whether ``url`` is some article's canonical or fetched URL."""
    stmt = sa.select(Article.id).where(sa.or_(Article.canonical_url == url, Article.url == url))
    return session.execute(stmt.limit(1)).first() is not None


def recent_urls(session: Session, source_key: str, younger_than: datetime) -> set[str]:
    """Canonical URLs of a source's articles published after ``younger_than`` (for revisits).

    A naive ``younger_than`` is taken as UTC.
    """
    stmt = (
        sa.select(Article.canonical_url)
        .join(Source, Source.id == Article.source_id)
        .where(Source.key == source_key, Article.published_at > to_utc(younger_than))
    )
    return set(session.scalars(stmt))


# --- crawl runs ---------------------------------------------------------------------------------


def start_run(
    session: Session, source_key: str, *, settings: Mapping[str, Any] | None = None
) -> CrawlRun:
    """Record the start of a crawl (status ``"running"``); the run has its id on return."""
    run = CrawlRun(
        source_key=clean_text(source_key),
        started_at=utc_now(),
        status="running",
        pid=os.getpid(),
        host=socket.gethostname(),
        settings=clean_json(dict(settings or {})),
        stats={},
        summary={},
    )
    session.add(run)
    session.flush()
    return run


def finish_run(
    session: Session,
    run: CrawlRun | int,
    *,
    status: str,
    stats: Mapping[str, Any] | None = None,
    summary: Mapping[str, Any] | None = None,
) -> CrawlRun:
    """Record the end of a crawl. ``run`` may be the object from an earlier session, or its id.

    Stats may hold datetimes and other objects (Scrapy's do): they are stored as JSON-safe values.
    """
    if status not in RUN_STATUSES:
        raise ValueError(f"unknown run status {status!r}; expected one of {RUN_STATUSES}")
    run_id = run if isinstance(run, int) else run.id
    row = session.get(CrawlRun, run_id)
    if row is None:
        raise LookupError(f"no crawl run with id {run_id}")
    row.status = status
    row.finished_at = utc_now()
    row.stats = clean_json(dict(stats or {}))
    row.summary = clean_json(dict(summary or {}))
    session.flush()
    return row


def list_runs(session: Session, *, source: str | None = None, limit: int = 50) -> list[CrawlRun]:
    """Crawl runs, newest first, optionally of one source."""
    stmt = sa.select(CrawlRun).order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
    if source:
        stmt = stmt.where(CrawlRun.source_key == source)
    return list(session.scalars(stmt.limit(max(0, limit))))


# --- counts -------------------------------------------------------------------------------------


def counts_by_source(session: Session) -> dict[str, int]:
    """Number of articles per source key (sources without articles count 0), sorted by key."""
    stmt = (
        sa.select(Source.key, sa.func.count(Article.id))
        .outerjoin(Article, Article.source_id == Source.id)
        .group_by(Source.key)
        .order_by(Source.key)
    )
    return {key: count for key, count in session.execute(stmt)}


def count_articles(session: Session, source: str | None = None) -> int:
    """Number of articles, of one source when given."""
    stmt = sa.select(sa.func.count(Article.id))
    if source:
        stmt = stmt.join(Source, Source.id == Article.source_id).where(Source.key == source)
    return session.execute(stmt).scalar_one()
