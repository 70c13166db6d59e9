"""The generic extractor (no profile) on the page shapes where it used to fail.

Small pages written for these tests (``tests/data/generic_shapes/``), each reproducing a shape
seen on real pages of the WCXB benchmark: a consent banner longer than a short article, a tag
cloud beside an article written in ``<div>`` paragraphs, an article split over sibling
containers with an ad and a newsletter box between them, a real article with a grid of teasers
under it (which looked like a listing), and a real listing. ``NAME.txt`` is the expected body.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newscrawl.extract import extract_page, make_response
from newscrawl.pages.detect import not_article_reason
from newscrawl.pages.score import token_f1

PAGES = Path(__file__).parent / "data" / "generic_shapes"

#: name -> (url, phrases that must not be in the body)
ARTICLES = {
    "consent-banner": (
        "https://courier.example/news/2025/03/04/bike-lanes-main-street",
        ["partners", "consent", "Accept all", "All rights reserved"],
    ),
    "tag-cloud": (
        "https://crumb.example/guides/keep-sourdough-starter-alive",
        ["Recipes And Guides", "Ten breads for beginners"],
    ),
    "split-article": (
        "https://metrobiz.example/small-business/phishing-survey-2025",
        ["newsletter", "Advertisement", "Story headline number", "Harbor Road"],
    ),
    "article-like-listing": (
        "https://northlight.example/blog/why-we-moved-our-office",
        ["Our first year in numbers", "Keep reading", "Careers"],
    ),
}


def _page(name: str) -> bytes:
    return (PAGES / f"{name}.html").read_bytes()


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_body_is_the_article(name: str) -> None:
    url, _ = ARTICLES[name]
    result = extract_page(_page(name), url, generic=True)
    expected = (PAGES / f"{name}.txt").read_text(encoding="utf-8")
    assert token_f1(result.item.body, expected) >= 0.95, result.item.body


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_no_boilerplate_in_body(name: str) -> None:
    url, absent = ARTICLES[name]
    body = extract_page(_page(name), url, generic=True).item.body or ""
    assert [phrase for phrase in absent if phrase.lower() in body.lower()] == []


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_article_is_not_refused(name: str) -> None:
    url, _ = ARTICLES[name]
    assert not_article_reason(make_response(_page(name), url)) is None
    assert extract_page(_page(name), url, generic=True).invalid_reason is None


def test_listing_is_refused() -> None:
    response = make_response(_page("category-listing"), "https://weekend.example/category/travel")
    assert not_article_reason(response) == "listing"


def test_listing_url_alone_does_not_refuse_an_article() -> None:
    # The consent-banner article served under a section-like URL is still an article.
    response = make_response(_page("consent-banner"), "https://courier.example/news/")
    assert not_article_reason(response) is None
