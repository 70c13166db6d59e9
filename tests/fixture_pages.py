"""Loading saved fixture pages: ``tests/fixtures/<portal>/<case>/``.

A case holds the page as served (``page.html``, or ``feed.xml`` / ``sitemap.xml`` for feeds), its
``meta.json`` (URL, frozen fetch time, status, headers) and ``expected.json`` (what a careful human
reads from the page).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
PAGE_NAMES = ("page.html", "feed.xml", "sitemap.xml")


@dataclass
class Case:
    portal: str
    name: str
    path: Path
    page_file: Path
    meta: dict[str, Any]
    expected: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.portal}/{self.name}"

    @property
    def body(self) -> bytes:
        return self.page_file.read_bytes()

    @property
    def is_listing(self) -> bool:
        return "article_urls" in self.expected or "next_pages" in self.expected

    @property
    def is_article(self) -> bool:
        return not self.is_listing and self.expected.get("is_article", True)


def load_cases(portal: str | None = None) -> list[Case]:
    cases = []
    for case_dir in sorted(FIXTURES.glob(f"{portal or '*'}/*/")):
        page = next((case_dir / n for n in PAGE_NAMES if (case_dir / n).exists()), None)
        if page is None or not (case_dir / "meta.json").exists():
            continue
        cases.append(
            Case(
                portal=case_dir.parent.name,
                name=case_dir.name,
                path=case_dir,
                page_file=page,
                meta=json.loads((case_dir / "meta.json").read_text(encoding="utf-8")),
                expected=json.loads((case_dir / "expected.json").read_text(encoding="utf-8")),
            )
        )
    return cases
