"""Every saved fixture page, extracted as the crawl would: one assertion per expected field."""

from __future__ import annotations

from functools import cache

import pytest

from newscrawl.clean import find_promo
from newscrawl.extract import extract_page
from tests.fixture_pages import Case, load_cases

CASES = load_cases()
ARTICLES = [c for c in CASES if c.is_article]
NON_ARTICLES = [c for c in CASES if not c.is_listing and not c.is_article]
#: Fields of expected.json that are about the item (others describe the case).
ITEM_FIELDS = (
    "title",
    "published_at",
    "authors",
    "editor",
    "reporter",
    "dateline_city",
    "section",
    "tags",
    "related_links",
    "captions",
    "syndicated_from",
    "canonical_url",
    "description",
    "body",
)


@cache
def extracted(case_id: str):
    case = next(c for c in CASES if c.id == case_id)
    return extract_page(
        case.body,
        case.meta["url"],
        fetched_at=case.meta.get("fetched_at"),
        status=case.meta.get("status", 200),
        headers=case.meta.get("headers"),
    )


FIELD_PARAMS = [
    pytest.param(case, name, id=f"{case.id}:{name}")
    for case in ARTICLES
    for name in ITEM_FIELDS
    if name in case.expected
]


@pytest.mark.parametrize(("case", "name"), FIELD_PARAMS)
def test_field(case: Case, name: str) -> None:
    item = extracted(case.id).item
    assert getattr(item, name) == case.expected[name]


@pytest.mark.parametrize("case", ARTICLES, ids=lambda c: c.id)
def test_no_promo_left(case: Case) -> None:
    item = extracted(case.id).item
    assert find_promo(item.body or "") == []


@pytest.mark.parametrize("case", ARTICLES, ids=lambda c: c.id)
def test_is_valid_article(case: Case) -> None:
    assert extracted(case.id).invalid_reason is None


@pytest.mark.parametrize("case", NON_ARTICLES, ids=lambda c: c.id)
def test_not_an_article(case: Case) -> None:
    from newscrawl.extract import make_response
    from newscrawl.pages.detect import not_article_reason

    response = make_response(case.body, case.meta["url"], headers=case.meta.get("headers"))
    assert not_article_reason(response) == case.expected.get("reason")
