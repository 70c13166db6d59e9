"""Portal profiles: one declarative TOML file per portal.

A profile says where a portal's articles are (domains, feeds, sitemaps, listings and their
pagination, date index pages), what an article URL looks like, which selectors hold each field,
which cleaning rules the portal needs, its time zone, how often articles are revisited, and whether
crawling it is allowed at all. A new portal needs a profile and fixtures, not a new spider.

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

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from newscrawl.clean import PortalRules

#: Offsets of Indonesia's three zones, in hours.
ZONE_HOURS = {"WIB": 7, "WITA": 8, "WIT": 9}


class ProfileError(ValueError):
    """A profile file is malformed; the message names the file and the problem."""


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
    article_patterns: tuple[re.Pattern[str], ...] = ()
    listing_patterns: tuple[re.Pattern[str], ...] = ()
    exclude_patterns: tuple[re.Pattern[str], ...] = ()
    selectors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rules: PortalRules = field(default_factory=PortalRules)
    policy: CrawlPolicy = field(default_factory=CrawlPolicy)

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


def profile_from_dict(data: dict[str, Any], *, origin: str = "<dict>") -> Profile:
    """Build a Profile from parsed TOML, checking every key."""
    try:
        key = data["key"]
        base_url = data["base_url"].rstrip("/")
    except KeyError as exc:
        raise ProfileError(f"{origin}: missing required key {exc.args[0]!r}") from exc
    entry = data.get("entry", {})
    patterns = data.get("patterns", {})
    clean = data.get("clean", {})
    policy = data.get("policy", {})
    selectors = {
        name: _tuple(value, f"{origin} selectors.{name}")
        for name, value in data.get("selectors", {}).items()
    }
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
        date_index=entry.get("date_index", ""),
        split_param=entry.get("split_param", ""),
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
    )


@cache
def all_profiles() -> dict[str, Profile]:
    """Every bundled profile, by key, sorted."""
    out: dict[str, Profile] = {}
    for entry in sorted(resources.files(__package__).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            try:
                data = tomllib.loads(entry.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise ProfileError(f"{entry.name}: {exc}") from exc
            profile = profile_from_dict(data, origin=entry.name)
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
