"""Cleaning: article-body HTML in, clean text plus metadata out (no I/O, pure functions).

- :func:`clean_body` runs every rule and returns a :class:`CleanResult` (body, related links,
  captions, editor, reporter, writers, dateline city, syndication source, and every removal
  with the rule that made it).
- :class:`PortalRules` carries a portal profile's extra rules.
- :func:`html_to_text` and :func:`normalize_text` are the text primitives.
- :func:`find_promo` spots leftovers in cleaned text; :func:`filter_authors` keeps people only.
- :func:`has_crawl_ban` / :data:`CRAWL_BAN_RE` detect ANTARA's ban on crawling.
- :func:`parse_meta_line` reads "Reporter : X | Editor : Y" lines (also useful outside bodies);
  :func:`parse_dateline` reads "SURABAYAPAGI.COM, Malang -" openings.
"""

from newscrawl.clean.engine import CleanResult, PortalRules, Removal, check_rules, clean_body
from newscrawl.clean.metadata import filter_authors, parse_dateline, parse_meta_line
from newscrawl.clean.rules import CRAWL_BAN_RE, find_promo, has_crawl_ban
from newscrawl.clean.text import html_to_text, normalize_text

__all__ = [
    "CRAWL_BAN_RE",
    "CleanResult",
    "PortalRules",
    "Removal",
    "check_rules",
    "clean_body",
    "filter_authors",
    "find_promo",
    "has_crawl_ban",
    "html_to_text",
    "normalize_text",
    "parse_dateline",
    "parse_meta_line",
]
