"""A replica portal made of saved fixture pages, for end-to-end crawls of every profile.

:class:`FixtureSite` serves the cases of ``tests/fixtures/<portal>/`` at the paths (and queries)
of their recorded URLs, with the recorded status and headers, plus:

- ``/robots.txt`` allowing everything;
- ``/`` (unless a case lives there): a hub page linking every case by its live-portal URL, as
  a home page links sections and stories. The spider, crawling the replica as a mirror, maps those
  URLs onto the replica.

An article recorded with a query (``?page=all``) is also served at its bare path when no other
case is. Several hosts of one portal (www.detik.com/jatim and news.detik.com) share the replica; a path
served by two cases goes to the first.

Usage::

    site = FixtureSite("detik")
    with ReplicaServer(site) as server:
        newscrawl crawl detik --base-url <server.base_url> ...
    site.articles   # the article cases: url, canonical_url, title, published_at
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newscrawl.demo.server import Response

__all__ = ["FIXTURES_DIR", "FixtureCase", "FixtureSite"]

#: The repository's fixture pages (a source checkout).
FIXTURES_DIR = Path(__file__).resolve().parents[2] / "tests" / "fixtures"
#: File names a case's page may have.
PAGE_NAMES = ("page.html", "feed.xml", "sitemap.xml")
ROBOTS_TXT = b"User-agent: *\nAllow: /\n"


@dataclass
class FixtureCase:
    """One saved page: where it lived, how it was served, and what a reader takes from it."""

    name: str
    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    expected: dict[str, Any] = field(default_factory=dict)

    @property
    def target(self) -> str:
        """Path and query of the recorded URL."""
        parts = urlsplit(self.url)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    @property
    def is_listing(self) -> bool:
        return "article_urls" in self.expected or "next_pages" in self.expected

    @property
    def is_article(self) -> bool:
        return not self.is_listing and self.expected.get("is_article", True)


def load_fixture_cases(portal: str, fixtures: Path | None = None) -> list[FixtureCase]:
    """The cases of one portal, sorted by name (an unreadable case is skipped)."""
    out = []
    for case_dir in sorted((fixtures or FIXTURES_DIR).glob(f"{portal}/*/")):
        page = next((case_dir / n for n in PAGE_NAMES if (case_dir / n).exists()), None)
        if page is None:
            continue
        try:
            meta = json.loads((case_dir / "meta.json").read_text(encoding="utf-8"))
            expected_file = case_dir / "expected.json"
            expected = (
                json.loads(expected_file.read_text(encoding="utf-8"))
                if expected_file.exists()
                else {}
            )
        except (OSError, ValueError):
            continue
        headers = dict(meta.get("headers") or {})
        if page.suffix == ".xml":
            headers.setdefault("Content-Type", "application/xml; charset=UTF-8")
        headers.setdefault("Content-Type", "text/html; charset=UTF-8")
        out.append(
            FixtureCase(
                name=case_dir.name,
                url=meta["url"],
                status=int(meta.get("status", 200)),
                headers=headers,
                body=page.read_bytes(),
                expected=expected,
            )
        )
    return out


class FixtureSite:
    """Serve one portal's fixture cases (see the module docstring).

    >>> site = FixtureSite("kompas")
    >>> site.respond("GET", "/robots.txt", {}).body
    b'User-agent: *\\nAllow: /\\n'
    >>> page = site.articles[0]["url"]
    >>> site.respond("GET", page.split(".com", 1)[1], {}).status
    200
    >>> b"indeks.kompas.com" in site.respond("GET", "/", {}).body
    True
    >>> site.respond("GET", "/nope", {}) is None
    True
    """

    def __init__(self, portal: str, fixtures: Path | None = None) -> None:
        self.portal = portal
        self.cases = load_fixture_cases(portal, fixtures)
        self.base_url: str | None = None
        self.pages: dict[str, FixtureCase] = {}
        for case in self.cases:
            self.pages.setdefault(case.target, case)
        for case in self.cases:
            if case.is_article:  # "?page=all" articles are linked by their bare URL too
                self.pages.setdefault(case.target.split("?", 1)[0], case)

    @property
    def articles(self) -> list[dict[str, Any]]:
        """The article cases, with what their pages must give once crawled."""
        return [
            {
                "name": c.name,
                "url": c.url,
                "canonical_url": c.expected.get("canonical_url") or c.url,
                "title": c.expected.get("title"),
                "published_at": c.expected.get("published_at"),
            }
            for c in self.cases
            if c.is_article
        ]

    @property
    def not_articles(self) -> list[FixtureCase]:
        """Pages served where an article is expected that must never be archived."""
        return [c for c in self.cases if not c.is_listing and not c.is_article]

    def hub_page(self) -> Response:
        links = "\n".join(
            f'<li><a href="{escape(c.url)}">{escape(c.expected.get("title") or c.name)}</a></li>'
            for c in self.cases
        )
        html = (
            '<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8">'
            f"<title>{escape(self.portal)} (replica)</title></head><body><main><ul>\n"
            f"{links}\n</ul></main></body></html>\n"
        )
        return Response(200, {"Content-Type": "text/html; charset=UTF-8"}, html.encode("utf-8"))

    def respond(self, method: str, path: str, headers: Any) -> Response | None:
        if path == "/robots.txt":
            return Response(200, {"Content-Type": "text/plain"}, ROBOTS_TXT)
        case = self.pages.get(path)
        if case is not None:
            return Response(case.status, dict(case.headers), case.body)
        if path == "/":
            return self.hub_page()
        return None
