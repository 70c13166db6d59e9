"""The one way to turn a page into an article item.

The crawl (through the pipelines), ``newscrawl extract`` on a saved page, and reprocessing from
WARC all run these stages, in this order:

1. :func:`clean_stage`: body HTML -> clean text, related links, captions, editor, reporter,
   dateline; author traps removed.
2. :func:`date_stage`: date candidates -> ``published_at`` (aware), with the raw string and the
   winning source.
3. :func:`validate_stage`: the reason an item cannot be archived as an article, or None.
4. :func:`finalize`: content hash and extractor version.

Stages are pure: they return what they did so callers can count it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from newscrawl import __version__
from newscrawl.clean import CleanResult, clean_body, filter_authors, find_promo, normalize_text
from newscrawl.dates import DateChoice, choose_date
from newscrawl.items import ArticleItem, RawArticle
from newscrawl.portals import Profile

#: Bumped whenever extraction or cleaning output may change; stored on every version.
EXTRACTOR_VERSION = f"newscrawl/{__version__}"

#: Default minimum length of a body for an item to count as an article.
MIN_BODY_CHARS = 80


@dataclass
class ProcessResult:
    """An item and the record of what each stage did to it."""

    item: ArticleItem
    clean: CleanResult | None = None
    date: DateChoice | None = None
    invalid_reason: str | None = None
    promo_left: list[str] = field(default_factory=list)
    body_source: str | None = None


def _tz(profile: Profile | None) -> timezone:
    hours = profile.utc_offset_hours if profile else 7
    name = profile.timezone if profile else "WIB"
    return timezone(timedelta(hours=hours), name)


def clean_stage(raw: RawArticle, profile: Profile | None = None) -> tuple[ArticleItem, CleanResult]:
    """Clean the body and metadata of a raw article into an :class:`ArticleItem`."""
    rules = profile.rules if profile else None
    result = clean_body(raw.body_html or "", rules=rules, base_url=raw.url)
    site_names = tuple(profile.site_names) if profile else ()
    authors = filter_authors(list(raw.authors) + list(result.writers), site_names)
    title = normalize_text(raw.title).strip() if raw.title else None
    item = ArticleItem(
        url=raw.url,
        canonical_url=raw.canonical_url or raw.url,
        source=raw.source,
        title=title or None,
        body=result.body or None,
        description=raw.description,
        authors=authors,
        editor=raw.editor or result.editor,
        reporter=raw.reporter or result.reporter,
        section=raw.section,
        tags=list(dict.fromkeys(raw.tags)),
        dateline_city=result.dateline_city,
        related_links=result.related_links,
        captions=result.captions,
        syndicated_from=result.syndicated_from,
        language=raw.language or (profile.language if profile else None),
        fetched_at=raw.fetched_at,
        http_status=raw.http_status,
        raw_sha256=raw.raw_sha256,
        flags=list(raw.flags),
        date_candidates=[list(c) for c in raw.date_candidates],
        modified_candidates=[list(c) for c in raw.modified_candidates],
        fallback_fields=list(raw.fallback_fields),
        raw_html=raw.raw_html,
        warc=raw.warc,
    )
    if item.editor and item.editor in item.authors:
        item.authors = [a for a in item.authors if a != item.editor] or item.authors
    return item, result


def _fetched(item: ArticleItem) -> datetime | None:
    try:
        return datetime.fromisoformat(item.fetched_at) if item.fetched_at else None
    except ValueError:
        return None


def date_stage(item: ArticleItem, profile: Profile | None = None) -> DateChoice | None:
    """Choose and parse the publication date among the item's candidates (in place)."""
    tz = _tz(profile)
    now = _fetched(item)
    choice = choose_date([tuple(c) for c in item.date_candidates], now=now, default_tz=tz)
    if choice is None:
        item.published_at = None
        item.published_raw = item.date_candidates[0][1] if item.date_candidates else None
        item.published_source = None
        if "date_unparsed" not in item.flags:
            item.flags.append("date_unparsed")
    else:
        # The instant, written in the portal's own zone (a UTC JSON-LD value reads as WIB).
        item.published_at = choice.value.astimezone(tz).isoformat()
        item.published_raw = choice.raw
        item.published_source = choice.source
        for flag in choice.flags:
            if flag not in item.flags:
                item.flags.append(flag)
    modified = item.modified_candidates
    if modified:
        mchoice = choose_date([tuple(c) for c in modified], now=now, default_tz=tz)
        item.modified_at = mchoice.value.astimezone(tz).isoformat() if mchoice else None
    return choice


def validate_stage(item: ArticleItem, *, min_body_chars: int = MIN_BODY_CHARS) -> str | None:
    """Why the item cannot be archived as an article (``"no_title"``, ``"no_body"``), or None.

    >>> validate_stage(ArticleItem(url="u", title="T", body="x" * 100))
    >>> validate_stage(ArticleItem(url="u", title=None, body="x" * 100))
    'no_title'
    >>> validate_stage(ArticleItem(url="u", title="T", body="short"))
    'no_body'
    """
    if not item.title:
        return "no_title"
    if not item.body or len(item.body) < min_body_chars:
        return "no_body"
    return None


def content_hash(item: ArticleItem) -> str:
    """SHA-256 over the cleaned content: two captures saying the same have the same hash.

    >>> a = ArticleItem(url="u", title="T", body="B", published_at="2024-08-13T18:13:00+07:00")
    >>> content_hash(a) == content_hash(ArticleItem(url="other", title="T", body="B",
    ...     published_at="2024-08-13T18:13:00+07:00"))
    True
    """
    payload = {
        "title": item.title,
        "body": item.body,
        "published_at": item.published_at,
        "authors": item.authors,
        "editor": item.editor,
        "reporter": item.reporter,
        "dateline_city": item.dateline_city,
        "tags": item.tags,
        "section": item.section,
        "related_links": item.related_links,
    }
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


def finalize(item: ArticleItem) -> ArticleItem:
    item.content_sha256 = content_hash(item)
    item.extractor_version = EXTRACTOR_VERSION
    return item


def process_raw(
    raw: RawArticle, profile: Profile | None = None, *, min_body_chars: int = MIN_BODY_CHARS
) -> ProcessResult:
    """Run every stage on a raw article (what ``extract`` and ``reprocess`` use)."""
    item, cleaned = clean_stage(raw, profile)
    choice = date_stage(item, profile)
    reason = validate_stage(item, min_body_chars=min_body_chars)
    finalize(item)
    promo = find_promo(item.body or "")
    return ProcessResult(
        item=item, clean=cleaned, date=choice, invalid_reason=reason, promo_left=promo
    )
