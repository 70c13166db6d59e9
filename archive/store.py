"""Writing and reading the archive: upserts with versions, URL look-ups, crawl runs, counts.

Every function takes a ``session``; the caller owns the transaction::

    with Session.begin() as session:
        result = upsert_article(session, item, crawl_run_id=run_id)

Items are plain mappings with the field names of ``newscrawl.items.ArticleItem`` (timestamps as
ISO 8601 strings with an offset). ``raw_html`` is never stored. Strings are made safe for
PostgreSQL: NUL characters are removed and lone surrogates replaced, recursively in JSON values.

A version keeps its title and body in its own columns; its ``data`` holds the rest of the item
(``title`` and ``body`` are not repeated there: :func:`version_item` puts them back). Many items
at once go through :func:`insert_articles`, which inserts new URLs in bulk.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import socket
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from archive.models import (
    ID_MAX,
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
BULK_CHUNK = 500
"""URLs looked up in one ``IN (...)`` by :func:`insert_articles`."""

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
    if not value.isascii() and _SURROGATE_RE.search(value):
        value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return value


def clean_json(value: Any) -> Any:
    """``value`` made safe for a JSON column: strings cleaned, datetimes as ISO, recursively.

    Tuples and sets become lists, non-finite floats None, other objects their ``str()``.

    >>> clean_json({"a\\x00": ["x\\x00", (1, 2.5), float("nan")], "t": date(2024, 8, 13)})
    {'a': ['x', [1, 2.5], None], 't': '2024-08-13'}
    """
    kind = type(value)
    if kind is str:  # the common case first
        return clean_text(value)
    if value is None or kind is bool or kind is int:
        return value
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {
            clean_text(k if type(k) is str else str(k)): clean_json(v) for k, v in value.items()
        }
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


_SOURCE_IDS = "archive.store.source_ids"
"""``session.info`` key of the source key -> id cache (dropped on any rollback)."""


def _forget_sources(session: Session, _previous: Any) -> None:
    session.info.pop(_SOURCE_IDS, None)


def _source_id(session: Session, key: str) -> int:
    """The id of source ``key`` (created when missing), cached in the session."""
    cache = session.info.get(_SOURCE_IDS)
    if cache is None:
        if not session.info.get(_SOURCE_IDS + ".hook"):
            sa.event.listen(session, "after_soft_rollback", _forget_sources)
            session.info[_SOURCE_IDS + ".hook"] = True
        cache = session.info[_SOURCE_IDS] = {}
    source_id = cache.get(key)
    if source_id is None:
        source = get_or_create_source(session, key)
        if source.id is None:  # pragma: no cover - created outside a savepoint
            session.flush()
        source_id = cache[key] = source.id
    return source_id


@dataclass
class _Prepared:
    """An item made ready for storing: its key, source, and article and version values."""

    key: str
    url: str
    source: str
    seen: datetime
    values: dict[str, Any]
    version: dict[str, Any]


def _prepare(
    item: Mapping[str, Any],
    *,
    extractor_version: str,
    crawl_run_id: int | None,
    warc: Mapping[str, Any] | None,
) -> _Prepared | UpsertResult:
    """The values to store for ``item``, or a ``"rejected"`` result."""
    data = _clean_item(item)
    url = (_str_or_none(data.get("url")) or "").strip()
    key = (_str_or_none(data.get("canonical_url")) or "").strip() or url
    if not key:
        return UpsertResult("rejected", None, None, reason="no url")
    if len(key) > URL_MAX:
        return UpsertResult("rejected", None, None, reason=f"url longer than {URL_MAX}")
    values = _article_values(data)
    values["content_sha256"] = values["content_sha256"] or content_hash(data)
    version = {
        "content_sha256": values["content_sha256"],
        "raw_sha256": values["raw_sha256"],
        "title": values["title"],
        "body": values["body"],
        # title and body are the version's own columns: not repeated in its data
        "data": {k: v for k, v in data.items() if k not in _VERSION_COLUMNS_IN_DATA},
        "fetched_at": values["fetched_at"],
        "extractor_version": (
            clean_text(extractor_version or "") or _str_or_none(data.get("extractor_version")) or ""
        )[:64],
        "crawl_run_id": crawl_run_id,
        **_warc_values(warc),
    }
    return _Prepared(
        key=key,
        url=(url or key)[:URL_MAX],
        source=_str_or_none(data.get("source")) or "generic",
        seen=values["fetched_at"] or utc_now(),
        values=values,
        version=version,
    )


_VERSION_COLUMNS_IN_DATA = frozenset({"title", "body"})


_INSERT_ARTICLE = sa.insert(Article.__table__)
_INSERT_ARTICLE_RETURNING = _INSERT_ARTICLE.returning(Article.__table__.c.id)
_INSERT_VERSION = sa.insert(ArticleVersion.__table__)


def _insert_new(session: Session, prepared: Sequence[_Prepared]) -> list[int]:
    """Insert articles with their version 1 (``executemany`` per table); their ids, in order."""
    rows = [
        {
            **p.values,
            "source_id": _source_id(session, p.source),
            "canonical_url": p.key,
            "url": p.url,
            "first_seen_at": p.seen,
            "last_seen_at": p.seen,
            "version_count": 1,
            "current_version_no": 1,
        }
        for p in prepared
    ]
    articles = Article.__table__
    if len(rows) == 1:
        ids = [session.execute(_INSERT_ARTICLE_RETURNING, rows[0]).scalar_one()]
    else:  # RETURNING would cost a statement per row on SQLite: look the ids up instead
        session.execute(_INSERT_ARTICLE, rows)
        by_key: dict[str, int] = {}
        keys = [p.key for p in prepared]
        for start in range(0, len(keys), BULK_CHUNK):
            stmt = sa.select(articles.c.canonical_url, articles.c.id).where(
                articles.c.canonical_url.in_(keys[start : start + BULK_CHUNK])
            )
            by_key.update((key, id_) for key, id_ in session.execute(stmt))
        ids = [by_key[key] for key in keys]
    session.execute(
        _INSERT_VERSION,
        [
            {
                **p.version,
                "article_id": article_id,
                "version_no": 1,
                "headline_changed": False,
                "is_correction": False,
            }
            for p, article_id in zip(prepared, ids, strict=True)
        ],
    )
    return ids


_CURRENT_STATE = sa.select(
    Article.id, Article.content_sha256, Article.last_seen_at, Article.current_version_no
).where(Article.canonical_url == sa.bindparam("key"))


def _current_state(session: Session, key: str) -> sa.Row[Any] | None:
    """What an update needs to know of the article at ``key`` (not its text), or None."""
    return session.execute(_CURRENT_STATE, {"key": key}).first()


def _store_existing(session: Session, p: _Prepared, current: sa.Row[Any]) -> UpsertResult:
    """A capture of an archived article: ``"unchanged"`` or a new version (``"changed"``)."""
    moved: dict[str, Any] = {"last_seen_at": max(current.last_seen_at, p.seen)}
    if p.values["fetched_at"] is not None:
        moved["fetched_at"] = p.values["fetched_at"]
    if current.content_sha256 == p.values["content_sha256"]:
        session.execute(sa.update(Article).where(Article.id == current.id).values(**moved))
        return UpsertResult("unchanged", current.id, current.current_version_no)

    article = session.get(Article, current.id)
    if article is None:  # pragma: no cover - deleted meanwhile within this transaction
        raise LookupError(f"article {current.id} vanished")
    version_no = article.current_version_no + 1
    old_title, old_body = article.title, article.body
    values = p.values
    session.execute(
        _INSERT_VERSION,
        [
            {
                **p.version,
                "article_id": article.id,
                "version_no": version_no,
                "headline_changed": (old_title or "") != (values["title"] or ""),
                "is_correction": correction_marks(values["title"], values["body"])
                > correction_marks(old_title, old_body),
            }
        ],
    )
    for column, value in {**values, **moved}.items():
        setattr(article, column, value)
    article.url = p.url
    article.version_count = article.version_count + 1
    article.current_version_no = version_no
    return UpsertResult("changed", article.id, version_no)


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
    For many items at once, :func:`insert_articles` is faster.
    """
    p = _prepare(item, extractor_version=extractor_version, crawl_run_id=crawl_run_id, warc=warc)
    return p if isinstance(p, UpsertResult) else _upsert_prepared(session, p)


def _upsert_prepared(session: Session, p: _Prepared) -> UpsertResult:
    current = _current_state(session, p.key)
    if current is None:
        if session.get_bind().dialect.name == "sqlite":
            # No other writer can insert between the look-up and the insert: a WAL snapshot
            # that another writer has moved past fails with "busy", never with a duplicate.
            (article_id,) = _insert_new(session, [p])
            return UpsertResult("new", article_id, 1)
        try:
            with session.begin_nested():
                (article_id,) = _insert_new(session, [p])
        except sa.exc.IntegrityError:  # inserted meanwhile by another writer
            current = _current_state(session, p.key)
            if current is None:  # pragma: no cover - some other constraint failed
                raise
        else:
            return UpsertResult("new", article_id, 1)
    return _store_existing(session, p, current)


def insert_articles(
    session: Session,
    items: Iterable[Mapping[str, Any]],
    *,
    extractor_version: str = "",
    crawl_run_id: int | None = None,
) -> list[UpsertResult]:
    """Store many captured articles at once; one :class:`UpsertResult` per item, in order.

    The same as calling :func:`upsert_article` for each item in turn, only faster: the items
    whose URL is not archived yet (first occurrence in ``items``) are inserted with one
    multi-row statement per table; the others (archived URLs, repeats within ``items``) are
    upserted one by one afterwards. An item's ``warc`` mapping, when it has one, is its WARC
    reference (the ``warc`` argument of :func:`upsert_article`) and is not kept in its data.
    If another writer inserts one of the URLs meanwhile, the batch falls back to one-by-one.
    """
    prepared: list[_Prepared | UpsertResult] = []
    for item in items:
        warc = item.get("warc") if isinstance(item, Mapping) else None
        if warc is not None:
            item = {k: v for k, v in item.items() if k != "warc"}
        prepared.append(
            _prepare(
                item,
                extractor_version=extractor_version,
                crawl_run_id=crawl_run_id,
                warc=warc if isinstance(warc, Mapping) else None,
            )
        )
    keys = list(dict.fromkeys(p.key for p in prepared if isinstance(p, _Prepared)))
    archived: set[str] = set()
    for start in range(0, len(keys), BULK_CHUNK):
        chunk = keys[start : start + BULK_CHUNK]
        archived.update(
            session.scalars(
                sa.select(Article.canonical_url).where(Article.canonical_url.in_(chunk))
            )
        )
    fresh: dict[str, int] = {}  # key -> index in prepared of its first, bulk-inserted item
    for index, p in enumerate(prepared):
        if isinstance(p, _Prepared) and p.key not in archived and p.key not in fresh:
            fresh[p.key] = index
    results: list[UpsertResult | None] = [
        p if isinstance(p, UpsertResult) else None for p in prepared
    ]
    if fresh:
        batch = [prepared[i] for i in fresh.values()]
        try:
            with session.begin_nested():
                ids = _insert_new(session, batch)  # type: ignore[arg-type]
        except sa.exc.IntegrityError:  # another writer was quicker: do it the slow way
            fresh = {}
        else:
            for index, article_id in zip(fresh.values(), ids, strict=True):
                results[index] = UpsertResult("new", article_id, 1)
    for index, p in enumerate(prepared):
        if results[index] is None and isinstance(p, _Prepared):
            results[index] = _upsert_prepared(session, p)
    return [r for r in results if r is not None]


def get_article(session: Session, id_or_url: int | str) -> Article | None:
    """The article with this id (int or digit string) or URL (canonical first, then fetched).

    An id no id column can hold (:data:`archive.models.ID_MAX`) is no article.
    """
    if isinstance(id_or_url, int):
        return session.get(Article, id_or_url) if 0 < id_or_url <= ID_MAX else None
    text = str(id_or_url).strip()
    if text.isdigit():
        return get_article(session, int(text))
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


def record_progress(
    session: Session,
    run: CrawlRun | int,
    *,
    stats: Mapping[str, Any],
    summary: Mapping[str, Any] | None = None,
) -> None:
    """Write a running crawl's figures so far (its status and end stay as they are).

    The crawl calls it now and then, in the transaction that archives an item, so a crawl that
    is killed still shows what it archived.
    """
    run_id = run if isinstance(run, int) else run.id
    session.execute(
        sa.update(CrawlRun)
        .where(CrawlRun.id == run_id)
        .values(stats=clean_json(dict(stats)), summary=clean_json(dict(summary or {})))
    )


def list_runs(session: Session, *, source: str | None = None, limit: int = 50) -> list[CrawlRun]:
    """Crawl runs, newest first, optionally of one source."""
    stmt = sa.select(CrawlRun).order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
    if source:
        stmt = stmt.where(CrawlRun.source_key == source)
    return list(session.scalars(stmt.limit(max(0, limit))))


# --- look-ups for the WARC writer, the verifier and crawl health ---------------------------------


def version_item(version: ArticleVersion) -> dict[str, Any]:
    """The stored item of a version: its ``data`` with its ``title`` and ``body`` put back.

    >>> v = ArticleVersion(title="Banjir", body="Isi.", data={"url": "https://x.id/1"})
    >>> version_item(v)
    {'url': 'https://x.id/1', 'title': 'Banjir', 'body': 'Isi.'}
    """
    return {**(version.data or {}), "title": version.title, "body": version.body}


class Capture(NamedTuple):
    """Where an archived capture's response is preserved (see :func:`find_capture`)."""

    warc_file: str
    warc_offset: int
    warc_length: int | None
    warc_record_id: str | None
    fetched_at: datetime | None


def find_capture(session: Session, url: str, raw_sha256: str) -> Capture | None:
    """The newest archived capture of the article at ``url`` (canonical or fetched URL) whose
    raw payload hashes to ``raw_sha256`` and that has a WARC pointer; None when there is none."""
    stmt = (
        sa.select(
            ArticleVersion.warc_file,
            ArticleVersion.warc_offset,
            ArticleVersion.warc_length,
            ArticleVersion.warc_record_id,
            ArticleVersion.fetched_at,
        )
        .join(Article, Article.id == ArticleVersion.article_id)
        .where(
            sa.or_(Article.url == url, Article.canonical_url == url),
            ArticleVersion.raw_sha256 == raw_sha256,
            ArticleVersion.warc_file.is_not(None),
            ArticleVersion.warc_offset.is_not(None),
        )
        .order_by(ArticleVersion.fetched_at.desc(), ArticleVersion.id.desc())
        .limit(1)
    )
    row = session.execute(stmt).first()
    return Capture(*row) if row is not None else None


class WarcPointer(NamedTuple):
    """A version's WARC address and the hash its payload must have (see :func:`warc_pointers`)."""

    article_id: int
    version_no: int
    canonical_url: str
    warc_file: str
    warc_offset: int | None
    warc_record_id: str | None
    raw_sha256: str | None


def warc_pointers(session: Session) -> list[WarcPointer]:
    """Every article version that has a WARC file, by file and offset."""
    stmt = (
        sa.select(
            ArticleVersion.article_id,
            ArticleVersion.version_no,
            Article.canonical_url,
            ArticleVersion.warc_file,
            ArticleVersion.warc_offset,
            ArticleVersion.warc_record_id,
            ArticleVersion.raw_sha256,
        )
        .join(Article, Article.id == ArticleVersion.article_id)
        .where(ArticleVersion.warc_file.is_not(None))
        .order_by(ArticleVersion.warc_file, ArticleVersion.warc_offset, ArticleVersion.id)
    )
    return [WarcPointer(*row) for row in session.execute(stmt)]


def previous_runs(session: Session, source_key: str, before_id: int, limit: int) -> list[CrawlRun]:
    """The source's last ``limit`` finished runs before run ``before_id``, newest first."""
    stmt = (
        sa.select(CrawlRun)
        .where(
            CrawlRun.source_key == source_key,
            CrawlRun.id < before_id,
            CrawlRun.status == "finished",
        )
        .order_by(CrawlRun.id.desc())
        .limit(max(0, limit))
    )
    return list(session.scalars(stmt))


def run_versions_data(session: Session, run_id: int) -> Iterator[dict[str, Any]]:
    """The stored items (:func:`version_item`) of the versions a crawl run archived, by id.

    Streamed: consume it while the session is open.
    """
    stmt = (
        sa.select(ArticleVersion.data, ArticleVersion.title, ArticleVersion.body)
        .where(ArticleVersion.crawl_run_id == run_id)
        .order_by(ArticleVersion.id)
    )
    for data, title, body in session.execute(stmt.execution_options(yield_per=500)):
        yield {**(data or {}), "title": title, "body": body}


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
