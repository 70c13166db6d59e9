"""The article item: what one captured article page gives.

Every field is documented here; the archive stores the same names. Raw values are kept beside the
cleaned ones (``published_raw`` beside ``published_at``, ``related_links`` taken out of the body,
``raw_sha256`` of the bytes as received).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass
class ArticleItem:
    """One article page, extracted and cleaned.

    Fields:

    url
        The URL that was fetched (after redirects).
    canonical_url
        ``link[rel=canonical]`` (or ``og:url``) normalised; the archive's key. Falls back to ``url``.
    source
        Portal key, e.g. ``"surabayapagi"``; ``"generic"`` for portals without a profile.
    title
        Headline, whitespace-normalised, without the " - Portal Name" suffix.
    body
        Clean article text: paragraphs separated by exactly one blank line; no "Baca Juga",
        ads, captions, datelines, editor lines or reporter codes.
    description
        The page's summary (``og:description`` / ``meta[name=description]``).
    authors
        People who wrote the article. Never the site's name, "Kompas Cyber Media" or a developer
        account.
    editor
        Editor named in the page ("Editor : Moch Ilham").
    reporter
        Reporter named in the page ("Pewarta: X", "Laporan Wartawan ..., X").
    section
        Portal section or channel ("Hukum & Kriminal", "jatim").
    tags
        Keyword tags as shown by the portal.
    dateline_city
        City of the opening dateline ("SURABAYAPAGI.COM, Malang -" gives "Malang").
    published_at
        Publication instant, ISO 8601 with offset ("2024-08-13T18:13:00+07:00"), or None when no
        candidate could be parsed.
    published_raw
        The string ``published_at`` was parsed from, exactly as found.
    published_source
        Which candidate won: ``jsonld``, ``meta``, ``visible``, ``url`` or ``feed``.
    modified_at
        Last modification instant (ISO 8601 with offset) where the page states one.
    related_links
        The "read also" links taken out of the body: a list of ``{"title": ..., "url": ...}``.
    captions
        Photo captions taken out of the body.
    syndicated_from
        Where a syndicated article first appeared ("Artikel ini telah tayang di Surya.co.id ...").
    language
        ISO 639-1 code of the text (``"id"`` for these portals).
    fetched_at
        When the response was received, ISO 8601 UTC.
    http_status
        HTTP status of the response.
    content_sha256
        SHA-256 of the cleaned content (title, body, published_at), hex: two captures with the
        same content have the same hash.
    raw_sha256
        SHA-256 of the response body exactly as received, hex.
    flags
        Problems noticed but not fatal, e.g. ``"weekday_mismatch"``, ``"date_unparsed"``.
    date_candidates
        Every ``[source, raw string]`` considered for ``published_at``: the evidence behind it.
    modified_candidates
        Every ``[source, raw string]`` considered for ``modified_at``.
    fallback_fields
        Fields the portal profile names its own selector for, where that selector found nothing
        valid (nothing, the site's name as title, a date in the future, a body under the minimum)
        and generic extraction gave the value: ``title``, ``date``, ``body``, ``authors``. Empty
        when the profile's selectors did the work, and for portals without a profile.
    extractor_version
        Version of the extraction and cleaning code that made this item.
    raw_html
        The response body as text; kept for hashing and provenance, not for display.
    warc
        Where the response is preserved: ``{"warc_file", "warc_offset", "warc_length",
        "warc_record_id", ...}`` from :mod:`newscrawl.warc` (None without WARC). Not stored as
        item data; the archive keeps it on the version.
    """

    url: str = ""
    canonical_url: str = ""
    source: str = ""
    title: str | None = None
    body: str | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    editor: str | None = None
    reporter: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    dateline_city: str | None = None
    published_at: str | None = None
    published_raw: str | None = None
    published_source: str | None = None
    modified_at: str | None = None
    related_links: list[dict[str, str]] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    syndicated_from: str | None = None
    language: str | None = None
    fetched_at: str | None = None
    http_status: int | None = None
    content_sha256: str | None = None
    raw_sha256: str | None = None
    flags: list[str] = field(default_factory=list)
    date_candidates: list[list[str]] = field(default_factory=list)
    modified_candidates: list[list[str]] = field(default_factory=list)
    fallback_fields: list[str] = field(default_factory=list)
    extractor_version: str | None = None
    raw_html: str | None = field(default=None, repr=False)
    warc: dict[str, Any] | None = field(default=None, repr=False)

    def to_dict(self, *, include_raw: bool = False) -> dict[str, Any]:
        """The item as a plain dict in field order (``raw_html`` and ``warc`` only when asked)."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        if not include_raw:
            out.pop("raw_html")
            out.pop("warc")
        return out


FIELD_NAMES = tuple(f.name for f in fields(ArticleItem) if f.name not in ("raw_html", "warc"))


@dataclass
class RawArticle:
    """What a page class extracts from a response, before cleaning and date parsing.

    The spider yields these; the clean and date pipelines turn them into :class:`ArticleItem`.
    ``newscrawl extract`` and reprocessing from WARC run the same stages (``newscrawl.process``).
    """

    url: str
    source: str
    canonical_url: str = ""
    title: str | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    editor: str | None = None
    reporter: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    body_html: str | None = None
    body_source: str | None = None  # which selector or method found the body
    fallback_fields: list[str] = field(default_factory=list)  # see ArticleItem
    date_candidates: list[tuple[str, str]] = field(default_factory=list)
    modified_candidates: list[tuple[str, str]] = field(default_factory=list)
    language: str | None = None
    fetched_at: str | None = None
    http_status: int | None = None
    raw_sha256: str | None = None
    raw_html: str | None = field(default=None, repr=False)
    flags: list[str] = field(default_factory=list)
    warc: dict[str, Any] | None = field(default=None, repr=False)
