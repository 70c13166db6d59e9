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


#: Deepest JSON-LD nesting read. Real blocks nest a handful of levels; past this the block is
#: not parsed (``json`` and every walker of the objects recurse once per level).
MAX_DEPTH = 64
#: A JSON string literal, and a bracket.
_JSON_STRING_RE = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET_RE = re.compile(r"[\[\]{}]")


def json_depth(text: str, limit: int = MAX_DEPTH) -> int:
    """How deep ``text`` nests arrays and objects (brackets inside strings do not count), read
    without recursion; counting stops once past ``limit``.

    >>> json_depth('{"a": [1, {"b": "[[["}]}'), json_depth("[" * 200_000 + "]" * 200_000, 10)
    (3, 11)
    """
    depth = deepest = 0
    for m in _BRACKET_RE.finditer(_JSON_STRING_RE.sub('""', text) if '"' in text else text):
        if m.group() in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        else:
            depth -= 1
    return deepest


def loads_bounded(text: str, max_depth: int = MAX_DEPTH, *, strict: bool = True) -> Any:
    """``json.loads`` of page data that refuses (ValueError) text nested past ``max_depth``
    instead of recursing into a RecursionError.

    >>> loads_bounded('{"a": [1]}')
    {'a': [1]}
    >>> loads_bounded("[" * 200_000 + "]" * 200_000)
    Traceback (most recent call last):
    ...
    ValueError: JSON nested deeper than 64 levels
    """
    if json_depth(text, max_depth) > max_depth:
        raise ValueError(f"JSON nested deeper than {max_depth} levels")
    try:
        return json.loads(text, strict=strict)
    except RecursionError as exc:  # pragma: no cover - the depth check comes first
        raise ValueError("JSON nested too deep") from exc


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
    >>> parse_jsonld(['{"@type": "NewsArticle", "headline": "A", "x": ' + "[" * 200_000 + "]" * 200_000 + "}"])
    [{'headline': 'A', '@type': 'NewsArticle', '@salvaged': True}]
    """
    out: list[dict[str, Any]] = []
    for block in blocks:
        text = block.strip().removeprefix("<!--").removesuffix("-->").strip()
        if not text:
            continue
        try:
            data = loads_bounded(text, strict=False)
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
