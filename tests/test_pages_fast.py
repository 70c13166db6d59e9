"""The fast page paths give what the plain ones give: same tree, same selector results."""

from __future__ import annotations

import pytest
from lxml import etree
from scrapy.http import HtmlResponse

from newscrawl.pages.detect import page_selector
from newscrawl.pages.fast import fast_selector, xpath
from newscrawl.pages.generic import GenericPage, _required_classes, css_select

PAGES = [
    pytest.param("<html><body><p class='a b'>x</p></body></html>", id="plain"),
    pytest.param("<form><input name=q value=1><select><option>o</select></form>", id="form"),
    pytest.param("", id="empty"),
    pytest.param("\x00<p>nul</p>", id="nul"),
    pytest.param("<?xml version='1.0'?><html><body><p>x</p></body></html>", id="xml-decl"),
    pytest.param("<p>caf\u00e9 <b>tebal</p><div class='B'>z</div>", id="unclosed"),
]


@pytest.mark.parametrize("html", PAGES)
def test_fast_selector_same_tree(html: str) -> None:
    response = HtmlResponse("https://x.id/a", body=html.encode("utf-8"), encoding="utf-8")
    fast = fast_selector(response)
    plain = HtmlResponse("https://x.id/a", body=html.encode("utf-8"), encoding="utf-8").selector
    assert etree.tostring(fast.root) == etree.tostring(plain.root)
    assert fast.css("p::text").getall() == plain.css("p::text").getall()


def test_page_selector_is_shared_with_response() -> None:
    response = HtmlResponse("https://x.id/a", body=b"<p>x</p>", encoding="utf-8")
    sel = page_selector(response)
    assert response.selector is sel
    assert page_selector(response) is sel


SELECTORS = [
    pytest.param(".breadcrumb a:last-child", {"breadcrumb"}, id="pseudo"),
    pytest.param("div.Read__Content p::text", {"read__content"}, id="text"),
    pytest.param(".a, .b", set(), id="list"),
    pytest.param("p:not(.a)", set(), id="not"),
    pytest.param("meta[name='x.y']::attr(content)", set(), id="attr"),
    pytest.param("#main > p", set(), id="no-class"),
]


@pytest.mark.parametrize(("css", "want"), SELECTORS)
def test_required_classes(css: str, want: set[str]) -> None:
    assert _required_classes(css) == want


CSS_CASES = [
    pytest.param("<div class='x\tY'><p>t</p></div>", ".x p", id="tab-separated"),
    pytest.param("<div class='x\tY'><p>t</p></div>", ".Y p", id="case"),
    pytest.param("<div class='xy'><p>t</p></div>", ".x p", id="prefix-only"),
    pytest.param("<div class='a'><p class='b'>t</p></div>", ".a .b", id="both"),
    pytest.param("<div class='a'><p>t</p></div>", ".a .b", id="one-missing"),
]


@pytest.mark.parametrize(("html", "css"), CSS_CASES)
def test_page_css_shortcut_agrees(html: str, css: str) -> None:
    response = HtmlResponse("https://x.id/a", body=html.encode("utf-8"), encoding="utf-8")
    page = GenericPage(response, None)
    assert page.css(css) == css_select(page.root, css)


def test_xpath_cached_matches_element_xpath() -> None:
    root = etree.fromstring("<div><a href='/x'>t</a><a>u</a></div>")
    assert xpath(root, "//a/@href") == root.xpath("//a/@href")
