"""Portal profiles: one declarative TOML file per portal.

A profile says where a portal's articles are (domains, feeds, sitemaps, listings and their
pagination, date index pages), what an article URL looks like, which selectors hold each field,
which cleaning rules the portal needs, its time zone, how often articles are revisited, and whether
crawling it is allowed at all. A new portal needs a profile and fixtures, not a new spider.

The schema (every key optional unless marked):

- ``key``, ``base_url`` (required), ``name``, ``domains`` (hosts; subdomains included),
  ``timezone`` (WIB/WITA/WIT), ``language``, ``site_names`` (never authors or cities),
  ``page_class`` (``module:Class``, only where data cannot express the page; such a class
  lives next to its profile, e.g. ``newscrawl.portals.radarjawapos:RadarJawaPosPage`` reads
  Radar JawaPos's ``data-page`` JSON and inline analytics block).
- ``[entry]``: ``start_urls``, ``hubs`` (start pages whose every section link is followed;
  default: the start URLs), ``feeds``, ``sitemaps``, ``listings``, ``date_index`` (a template
  with ``{date:<strftime>}`` and ``{page}`` in the portal's own date format), ``search``
  (``{query}``, ``{page}``), ``split_param`` (what makes a split article whole, "page=all").
  Paths are on the base URL; absolute URLs name other hosts of the portal.
- ``[patterns]``: ``article``, ``listing``, ``exclude``: regexes over path and query.
- ``[selectors]``: one list of parsel CSS selectors per name in :data:`SELECTOR_NAMES`, tried in
  order before the generic sources.
- ``[next_data]``: a path into ``script#__NEXT_DATA__`` and one path per field
  (:data:`NEXT_DATA_FIELDS`), for Next.js portals whose pages carry that blob.
- ``[clean]``: ``drop_selectors``, ``related_selectors``, ``line_patterns``,
  ``reporter_code_patterns`` (:class:`~newscrawl.clean.PortalRules`).
- ``[extract]``: :class:`ExtractOptions` (AMP fallback, split pages, JSON-LD values to ignore).
- ``[policy]``: ``allowed`` and ``reason``, ``revisit_hours``, ``max_listing_pages``.

>>> p = get_profile("surabayapagi")
>>> p.name, p.timezone
('Surabaya Pagi', 'WIB')
>>> p.classify("https://surabayapagi.com/news-241234-polres-malang-jaga-netralitas")
'article'
>>> p.classify("https://surabayapagi.com/tag/pilkada?page=2")
'listing'
>>> p.classify("https://example.com/news-1-x") is None
True
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newscrawl.clean import PortalRules

#: Offsets of Indonesia's three zones, in hours.
ZONE_HOURS = {"WIB": 7, "WITA": 8, "WIT": 9}


#: Selector names a profile may set, and what each one finds (parsel CSS; ``::attr(x)`` allowed).
SELECTOR_NAMES = {
    "title": "the headline",
    "body": "the element holding the article text (first one with enough text wins)",
    "date": "visible publication date strings",
    "modified": "visible or meta modification date strings",
    "author": "writers' names (labels like 'Penulis:' are stripped)",
    "editor": "the editor's name",
    "reporter": "the reporter's name",
    "credits": "blocks of 'Label: Name' lines (Reporter / Editor / Penulis / Pewarta ...)",
    "section": "the section or channel",
    "tags": "keyword tags, one per node",
    "captions": "photo captions outside (or inside) the body",
    "listing_links": "containers of a listing's main list (sidebars are ignored)",
    "split_pages": "links to the other parts of a split article",
}
#: Keys of the ``[next_data]`` table: a dotted path into ``script#__NEXT_DATA__`` JSON, then one
#: path (relative to it) per field; ``[]`` walks a list (``tags[].name``).
NEXT_DATA_FIELDS = (
    "path",
    "title",
    "body",
    "published",
    "modified",
    "author",
    "editor",
    "reporter",
    "section",
    "tags",
    "caption",
    "description",
)


#: Item fields whose own source a profile may name, checked for field-level fallback: the field,
#: its selector name, its ``[next_data]`` key.
OWN_SOURCES = (
    ("title", "title", "title"),
    ("date", "date", "published"),
    ("body", "body", "body"),
    ("authors", "author", "author"),
)


class ProfileError(ValueError):
    """A profile file is malformed; the message names the file and the problem."""


@dataclass(frozen=True)
class ExtractOptions:
    """How extraction treats the portal beyond selectors."""

    #: Fetch the AMP copy (``link[rel=amphtml]``) when the body comes out shorter than this.
    amp_fallback: bool = True
    short_body_chars: int = 400
    #: Follow in-article pagination ("Halaman 2", "Selanjutnya") and join the parts.
    join_split_pages: bool = True
    #: Never take the date or author from JSON-LD (a portal whose JSON-LD is known wrong).
    ignore_jsonld_date: bool = False
    ignore_jsonld_author: bool = False


@dataclass(frozen=True)
class CrawlPolicy:
    allowed: bool = True
    reason: str = ""
    revisit_hours: float = 48.0
    max_listing_pages: int = 50


@dataclass(frozen=True)
class Profile:
    key: str
    name: str
    base_url: str
    domains: tuple[str, ...]
    timezone: str = "WIB"
    language: str = "id"
    site_names: tuple[str, ...] = ()
    page_class: str = ""
    start_urls: tuple[str, ...] = ("/",)
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listings: tuple[str, ...] = ()
    search_url: str = ""
    date_index: str = ""
    split_param: str = ""
    hubs: tuple[str, ...] = ()
    article_patterns: tuple[re.Pattern[str], ...] = ()
    listing_patterns: tuple[re.Pattern[str], ...] = ()
    exclude_patterns: tuple[re.Pattern[str], ...] = ()
    selectors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rules: PortalRules = field(default_factory=PortalRules)
    policy: CrawlPolicy = field(default_factory=CrawlPolicy)
    next_data: dict[str, str] = field(default_factory=dict)
    extract: ExtractOptions = field(default_factory=ExtractOptions)

    @property
    def utc_offset_hours(self) -> int:
        return ZONE_HOURS.get(self.timezone, 7)

    def owns(self, url: str) -> bool:
        """True when the URL's host is one of the portal's domains (or a subdomain of one)."""
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def classify(self, url: str, *, base_url: str | None = None) -> str | None:
        """``"article"``, ``"listing"`` or None for a URL, by the profile's patterns.

        Patterns match the path and query. With ``base_url`` (a replica or mirror), URLs on that
        host are classified as if they were on the portal.
        """
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return None
        if base_url and parts.netloc == urlsplit(base_url).netloc:
            pass
        elif not self.owns(url):
            return None
        target = parts.path + ("?" + parts.query if parts.query else "")
        if any(p.search(target) for p in self.exclude_patterns):
            return None
        if any(p.search(target) for p in self.article_patterns):
            return "article"
        if any(p.search(target) for p in self.listing_patterns):
            return "listing"
        return None

    def selector(self, name: str) -> tuple[str, ...]:
        return self.selectors.get(name, ())

    def own_fields(self) -> tuple[str, ...]:
        """Item fields the profile names its own source for (a selector or a ``[next_data]``
        path): the fields that can fall back to generic extraction (``fallback_fields``).

        >>> profile_from_dict({"key": "x", "base_url": "https://x.id",
        ...                    "selectors": {"title": "h1.judul", "tags": "a.tag"}}).own_fields()
        ('title',)
        """
        return tuple(
            name
            for name, selector, next_key in OWN_SOURCES
            if self.selector(selector)
            or (self.next_data.get("path") and self.next_data.get(next_key))
        )

    def entry_points(self) -> tuple[str, ...]:
        """Every fixed entry point (feeds, sitemaps, start pages, listings), in crawl order."""
        return tuple(dict.fromkeys((*self.feeds, *self.sitemaps, *self.start_urls, *self.listings)))


def _tuple(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ProfileError(f"{where}: expected a string or a list of strings")


def _patterns(value: Any, where: str) -> tuple[re.Pattern[str], ...]:
    out = []
    for pat in _tuple(value, where):
        try:
            out.append(re.compile(pat))
        except re.error as exc:
            raise ProfileError(f"{where}: bad regex {pat!r}: {exc}") from exc
    return tuple(out)


def _check_css(css: str, where: str) -> None:
    from parsel.csstranslator import HTMLTranslator

    try:
        HTMLTranslator().css_to_xpath(css)
    except Exception as exc:  # cssselect raises several types
        raise ProfileError(f"{where}: bad CSS selector {css!r}: {exc}") from exc


def _selectors(data: Any, origin: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(data, dict):
        raise ProfileError(f"{origin} selectors: expected a table")
    out = {}
    for name, value in data.items():
        if name not in SELECTOR_NAMES:
            raise ProfileError(
                f"{origin} selectors.{name}: unknown selector name; known: {', '.join(SELECTOR_NAMES)}"
            )
        out[name] = _tuple(value, f"{origin} selectors.{name}")
        for css in out[name]:
            _check_css(css, f"{origin} selectors.{name}")
    return out


def _next_data(data: Any, origin: str) -> dict[str, str]:
    if not data:
        return {}
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ProfileError(f"{origin} next_data: expected a table of strings")
    unknown = set(data) - set(NEXT_DATA_FIELDS)
    if unknown:
        raise ProfileError(f"{origin} next_data: unknown keys {sorted(unknown)}")
    return dict(data)


def _date_template(value: str, where: str) -> str:
    """Check a date index template renders (``{date:%m/%d/%Y}``, ``{page}``)."""
    from datetime import date

    if value:
        try:
            value.format(date=date(2024, 8, 13), page=1)
        except (KeyError, IndexError, ValueError) as exc:
            raise ProfileError(f"{where}: bad template {value!r}: {exc}") from exc
    return value


def profile_from_dict(data: dict[str, Any], *, origin: str = "<dict>") -> Profile:
    """Build a Profile from parsed TOML, checking every key.

    >>> p = profile_from_dict({"key": "x", "base_url": "https://x.id/",
    ...                        "selectors": {"title": "h1.judul"}})
    >>> p.domains, p.selector("title"), p.entry_points()
    (('x.id',), ('h1.judul',), ('/',))
    >>> try:
    ...     profile_from_dict({"key": "x", "base_url": "https://x.id", "selectors": {"titel": "h1"}})
    ... except ProfileError as exc:
    ...     str(exc).split(";")[0]
    '<dict> selectors.titel: unknown selector name'
    """
    try:
        key = data["key"]
        base_url = data["base_url"].rstrip("/")
    except KeyError as exc:
        raise ProfileError(f"{origin}: missing required key {exc.args[0]!r}") from exc
    entry = data.get("entry", {})
    patterns = data.get("patterns", {})
    clean = data.get("clean", {})
    policy = data.get("policy", {})
    extract = data.get("extract", {})
    selectors = _selectors(data.get("selectors", {}), origin)
    for d in _tuple(data.get("domains"), f"{origin} domains"):
        if "/" in d or ":" in d:
            raise ProfileError(f"{origin} domains: {d!r} is not a host name")
    domains = _tuple(data.get("domains"), f"{origin} domains") or (urlsplit(base_url).hostname,)
    site_names = _tuple(data.get("site_names"), f"{origin} site_names")
    return Profile(
        key=key,
        name=data.get("name", key),
        base_url=base_url,
        domains=tuple(d.lower() for d in domains),
        timezone=data.get("timezone", "WIB"),
        language=data.get("language", "id"),
        site_names=site_names,
        page_class=data.get("page_class", ""),
        start_urls=_tuple(entry.get("start_urls", ["/"]), f"{origin} entry.start_urls"),
        feeds=_tuple(entry.get("feeds"), f"{origin} entry.feeds"),
        sitemaps=_tuple(entry.get("sitemaps"), f"{origin} entry.sitemaps"),
        listings=_tuple(entry.get("listings"), f"{origin} entry.listings"),
        search_url=entry.get("search", ""),
        date_index=_date_template(entry.get("date_index", ""), f"{origin} entry.date_index"),
        split_param=entry.get("split_param", ""),
        hubs=_tuple(entry.get("hubs"), f"{origin} entry.hubs"),
        article_patterns=_patterns(patterns.get("article"), f"{origin} patterns.article"),
        listing_patterns=_patterns(patterns.get("listing"), f"{origin} patterns.listing"),
        exclude_patterns=_patterns(patterns.get("exclude"), f"{origin} patterns.exclude"),
        selectors=selectors,
        rules=PortalRules(
            drop_selectors=_tuple(clean.get("drop_selectors"), f"{origin} clean.drop_selectors"),
            related_selectors=_tuple(
                clean.get("related_selectors"), f"{origin} clean.related_selectors"
            ),
            line_patterns=_tuple(clean.get("line_patterns"), f"{origin} clean.line_patterns"),
            site_names=site_names,
            reporter_code_patterns=_tuple(
                clean.get("reporter_code_patterns"), f"{origin} clean.reporter_code_patterns"
            ),
        ),
        policy=CrawlPolicy(
            allowed=bool(policy.get("allowed", True)),
            reason=policy.get("reason", ""),
            revisit_hours=float(policy.get("revisit_hours", 48)),
            max_listing_pages=int(policy.get("max_listing_pages", 50)),
        ),
        next_data=_next_data(data.get("next_data"), origin),
        extract=ExtractOptions(
            amp_fallback=bool(extract.get("amp_fallback", True)),
            short_body_chars=int(extract.get("short_body_chars", 400)),
            join_split_pages=bool(extract.get("join_split_pages", True)),
            ignore_jsonld_date=bool(extract.get("ignore_jsonld_date", False)),
            ignore_jsonld_author=bool(extract.get("ignore_jsonld_author", False)),
        ),
    )


#: Environment variable naming extra profile directories (``os.pathsep``-separated): an
#: archivist adds a portal by dropping a TOML file there, without touching the package.
PROFILE_PATH_ENV = "NEWSCRAWL_PROFILE_PATH"


def _load_toml(name: str, text: str) -> Profile:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{name}: {exc}") from exc
    return profile_from_dict(data, origin=name)


@cache
def all_profiles() -> dict[str, Profile]:
    """Every bundled profile, then those in ``$NEWSCRAWL_PROFILE_PATH`` (which may override a
    bundled one of the same key), by key."""
    out: dict[str, Profile] = {}
    for entry in sorted(resources.files(__package__).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            profile = _load_toml(entry.name, entry.read_text(encoding="utf-8"))
            out[profile.key] = profile
    for folder in filter(None, os.environ.get(PROFILE_PATH_ENV, "").split(os.pathsep)):
        for path in sorted(Path(folder).glob("*.toml")):
            profile = _load_toml(str(path), path.read_text(encoding="utf-8"))
            out[profile.key] = profile
    return out


def get_profile(key: str) -> Profile:
    """The profile named ``key``; KeyError naming the known keys otherwise."""
    profiles = all_profiles()
    try:
        return profiles[key]
    except KeyError:
        raise KeyError(f"unknown portal {key!r}; known: {', '.join(profiles)}") from None


def profile_for_url(url: str) -> Profile | None:
    """The profile whose domains cover the URL's host, or None (then use generic extraction)."""
    best: Profile | None = None
    best_len = -1
    host = (urlsplit(url).hostname or "").lower()
    for profile in all_profiles().values():
        for d in profile.domains:
            if (host == d or host.endswith("." + d)) and len(d) > best_len:
                best, best_len = profile, len(d)
    return best
