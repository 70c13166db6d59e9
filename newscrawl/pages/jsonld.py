"""JSON-LD reading that survives what portals publish.

Real portals paste titles into JSON-LD unescaped, leave control characters in strings and nest
articles in ``@graph`` lists. :func:`parse_jsonld` returns whatever objects it can recover; when a
block is not valid JSON, :func:`salvage_fields` pulls the few keys we need out of the text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

#: Article-like schema.org types whose fields we read.
ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "blogposting",
    "webpage",
    "opinionnewsarticle",
    "backgroundnewsarticle",
}

#: A quoted key and its string value, where the value may hold unescaped quotes: the value runs
#: up to the first quote that is followed by `,"key":` or a closing brace.
_SALVAGE_RE = re.compile(
    r'"(?P<key>headline|name|datePublished|dateModified|articleSection|description|articleBody)"'
    r'\s*:\s*"(?P<value>.*?)"\s*(?=,\s*"[@\w]+"\s*:|\s*[}\]])',
    re.S,
)
#: The author's name inside an ``"author": {...}`` or ``"author": [{...}]`` block.
_SALVAGE_AUTHOR_RE = re.compile(
    r'"author"\s*:\s*\[?\s*\{[^{}]*?"name"\s*:\s*"(?P<name>[^"]+)"', re.S
)


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if "@type" in node:
            yield node
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in node:
                yield from _walk(node[key])
    elif isinstance(node, list):
        for child in node:
            yield from _walk(child)


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type", "")
    if isinstance(t, list):
        return {str(x).lower() for x in t}
    return {str(t).lower()}


def salvage_fields(text: str) -> dict[str, Any]:
    """Recover the keys we need from a JSON-LD block that is not valid JSON.

    >>> bad = '{"@type": "NewsArticle", "headline": "Kata "Netral" di Malang", "datePublished": "2024-08-13"}'
    >>> d = salvage_fields(bad)
    >>> d["headline"], d["datePublished"]
    ('Kata "Netral" di Malang', '2024-08-13')
    """
    out: dict[str, Any] = {}
    for m in _SALVAGE_RE.finditer(text):
        key = "headline" if m["key"] == "name" and "headline" not in out else m["key"]
        out.setdefault(key, m["value"].replace('\\"', '"').replace("\\/", "/"))
    m = _SALVAGE_AUTHOR_RE.search(text)
    if m:
        out["author"] = {"name": m["name"]}
    if out:
        out["@type"] = "NewsArticle"
        out["@salvaged"] = True
    return out


def parse_jsonld(blocks: list[str]) -> list[dict[str, Any]]:
    """All JSON-LD objects from the text of ``<script type=application/ld+json>`` blocks.

    >>> objs = parse_jsonld(['{"@graph": [{"@type": "WebSite"}, {"@type": "NewsArticle", "headline": "A"}]}'])
    >>> [o["@type"] for o in objs]
    ['WebSite', 'NewsArticle']
    >>> parse_jsonld(["not json at all"])
    []
    """
    out: list[dict[str, Any]] = []
    for block in blocks:
        text = block.strip().removeprefix("<!--").removesuffix("-->").strip()
        if not text:
            continue
        try:
            data = json.loads(text, strict=False)
        except ValueError:
            salvaged = salvage_fields(text)
            if salvaged:
                out.append(salvaged)
            continue
        out.extend(_walk(data))
    return out


def find_article(objects: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The first article-like object (NewsArticle before Article before WebPage)."""
    ranked = sorted(
        (o for o in objects if _types(o) & ARTICLE_TYPES),
        key=lambda o: 2 if "webpage" in _types(o) else (0 if "newsarticle" in _types(o) else 1),
    )
    return ranked[0] if ranked else None


def names(value: Any) -> list[str]:
    """Person names from a JSON-LD ``author``/``editor`` value of any shape.

    >>> names([{"@type": "Person", "name": "Ana"}, "Budi", {"name": ["Cici"]}])
    ['Ana', 'Budi', 'Cici']
    """
    out: list[str] = []
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict):
        out.extend(names(value.get("name")))
    elif isinstance(value, list):
        for v in value:
            out.extend(names(v))
    return [n.strip() for n in out if isinstance(n, str) and n.strip()]


def text_value(value: Any) -> str | None:
    """A plain string from a JSON-LD value that may be a list or an object."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list) and value:
        return text_value(value[0])
    if isinstance(value, dict):
        return text_value(value.get("name") or value.get("@value"))
    return None
