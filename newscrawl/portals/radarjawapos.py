"""Radar JawaPos regional sites (``radar<city>.jawapos.com``): where the article's data lives.

The profile (``radarjawapos.toml``) names the server-rendered ``read__*`` markup; two sources no
selector can express are read here (evidence tags as in ``tests/fixtures/radarjawapos/NOTES.md``):

- the Inertia-style ``data-page`` attribute (radarmalang, 2025–26: F56757415945, F71569368500,
  F53134202180): HTML-escaped JSON whose ``props.article`` holds ``title``, ``content`` (HTML),
  ``date``, ``authors[].name``, ``editor.name``, ``category.name``;
- the inline analytics block of the ``read__*`` template (radarbogor 2026, F53116540163):
  ``"published_date": "2026-02-24 08:50:51"`` (local time, no zone), ``"penulis"``, ``"editor"``,
  ``"rubrik"``.

Neither is ``script#__NEXT_DATA__``: no source shows that blob on a radar host. Both feed the
generic page's ``next_value`` hook, so every field keeps the generic fallbacks (the visible
selectors first where the profile names them).

>>> from scrapy.http import HtmlResponse
>>> html = (b'<html><body><div id="app" data-page="{&quot;props&quot;:{&quot;article&quot;:'
...         b'{&quot;title&quot;:&quot;Judul&quot;,&quot;date&quot;:&quot;2025-03-12 09:14:05&quot;,'
...         b'&quot;authors&quot;:[{&quot;name&quot;:&quot;Ana&quot;}]}}}"></div>'
...         b'<script>dataLayer.push({"published_date": "2025-03-12 09:14:05", '
...         b'"editor": "Budi"});</script></body></html>')
>>> page = RadarJawaPosPage(HtmlResponse("https://radarmalang.jawapos.com/a/1/b", body=html))
>>> page.next_value("title"), page.next_value("author"), page.next_value("editor")
(['Judul'], ['Ana'], ['Budi'])
>>> page.data_layer["published_date"]
'2025-03-12 09:14:05'
"""

from __future__ import annotations

import json
import re
from functools import cached_property
from typing import Any

from newscrawl.pages.fast import xpath
from newscrawl.pages.generic import GenericPage, dig

__all__ = ["DATA_LAYER_FIELDS", "DATA_PAGE_FIELDS", "RadarJawaPosPage"]

#: Where the article is in the ``data-page`` JSON, and each field under it (F56757415945).
DATA_PAGE_ARTICLE = "props.article"
DATA_PAGE_FIELDS = {
    "title": "title",
    "body": "content",
    "published": "date",
    "author": "authors[].name",
    "editor": "editor.name",
    "section": "category.name",
    "description": "description",
}
#: Keys of the inline analytics block, per field (F53116540163).
DATA_LAYER_FIELDS = {
    "published": "published_date",
    "author": "penulis",
    "editor": "editor",
    "section": "rubrik",
}
_DATA_LAYER_KEYS = frozenset(DATA_LAYER_FIELDS.values())
_PAIR_RE = re.compile(r'"(?P<key>[a-z_]+)"\s*:\s*"(?P<value>(?:[^"\\\n]|\\.){0,300})"')


class RadarJawaPosPage(GenericPage):
    """A Radar JawaPos article: ``data-page`` JSON and the inline analytics block first."""

    @cached_property
    def data_page(self) -> Any:
        """The parsed ``data-page`` attribute (lxml has unescaped it), or None."""
        for raw in xpath(self.root, "//*[@data-page][1]/@data-page"):
            try:
                return json.loads(str(raw))
            except ValueError:
                return None
        return None

    @cached_property
    def data_layer(self) -> dict[str, str]:
        """The analytics block's known keys (``published_date``, ``penulis``, ...), first wins."""
        out: dict[str, str] = {}
        for text in xpath(self.root, "//script[not(@src)][contains(., 'published_date')]/text()"):
            for m in _PAIR_RE.finditer(str(text)):
                key = m["key"]
                if key not in _DATA_LAYER_KEYS or key in out:
                    continue
                try:
                    value = json.loads(f'"{m["value"]}"')
                except ValueError:
                    continue
                if value.strip():
                    out[key] = value.strip()
        return out

    @cached_property
    def next_data(self) -> Any:
        found = dig(self.data_page, DATA_PAGE_ARTICLE) if self.data_page is not None else []
        if found and isinstance(found[0], dict):
            return found[0]
        return super().next_data

    def next_value(self, name: str) -> list[Any]:
        article = self.next_data if self.data_page is not None else None
        if isinstance(article, dict) and name in DATA_PAGE_FIELDS:
            values = dig(article, DATA_PAGE_FIELDS[name])
            if values:
                return values
        key = DATA_LAYER_FIELDS.get(name)
        if key and self.data_layer.get(key):
            return [self.data_layer[key]]
        return super().next_value(name)
