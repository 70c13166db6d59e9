"""Fast paths of page parsing: a page tree built without a Python call per element, and XPath
expressions compiled once.

- :func:`fast_selector` parses a response as parsel would, but with a C-level element class
  lookup (every element a plain :class:`lxml.html.HtmlElement`; lxml.html's default lookup
  calls Python for each element to pick form and input classes).
- :func:`xpath` evaluates an expression compiled once per expression string
  (``el.xpath(expr)`` compiles it on every call).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import lxml.html
from lxml import etree
from parsel.selector import create_root_node
from scrapy.http import TextResponse
from scrapy.selector import Selector
from scrapy.utils.response import get_base_url

__all__ = ["fast_selector", "xpath"]

#: Element classes picked in C: lxml.html's classes without its per-element Python lookup.
_LOOKUP = etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement,
    comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)


class FastHTMLParser(lxml.html.HTMLParser):
    """:class:`lxml.html.HTMLParser` with the C-level class lookup."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.set_element_class_lookup(_LOOKUP)


def fast_selector(response: TextResponse) -> Selector:
    """The Scrapy selector of an HTML response (what ``response.selector`` builds: same text,
    same parse, same base url), parsed with :class:`FastHTMLParser`.

    >>> from scrapy.http import HtmlResponse
    >>> r = HtmlResponse("https://x.id/a", body=b"<p class='k'>Isi</p>", encoding="utf-8")
    >>> sel = fast_selector(r)
    >>> sel.css("p.k::text").get(), type(sel.root.find(".//p")).__name__, sel.response is r
    ('Isi', 'HtmlElement', True)
    """
    root = create_root_node(response.text, FastHTMLParser, base_url=get_base_url(response))
    sel = Selector(root=root, type="html")
    sel.response = response
    return sel


@lru_cache(maxsize=512)
def _compiled(expr: str) -> etree.XPath:
    return etree.XPath(expr)


def xpath(node: etree._Element, expr: str) -> Any:
    """``node.xpath(expr)`` with ``expr`` compiled once.

    >>> xpath(lxml.html.fromstring("<div><a href='/x'>t</a></div>"), "//a/@href")
    ['/x']
    """
    return _compiled(expr)(node)
