"""Simple CSS selectors matched element by element during the cleaning walk.

A portal's drop and "read also" selectors are mostly ``.class``, ``tag.class``, ``#id`` or a short
descendant / child chain of those. Evaluating them with :class:`lxml.cssselect.CSSSelector` runs
one XPath over the whole body per selector (tens of microseconds on a detik body); the walk visits
every element anyway, so these are matched there instead, with the semantics of lxml's HTML
translator applied from the body root: tag names case-insensitive, classes and ids
case-sensitive, class tokens split on XML whitespace, ancestors searched no higher than the root.
Anything else (attributes, pseudo-classes, sibling combinators, escapes) is left to CSSSelector.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.etree

__all__ = ["SimpleSelector", "parse_selector"]

# One compound selector: an optional tag (or "*"), then ".class" and "#id" parts.
_COMPOUND_RE = re.compile(
    r"(?P<tag>[a-zA-Z][a-zA-Z0-9-]*|\*)?(?P<parts>(?:[.#]-?[_a-zA-Z][_a-zA-Z0-9-]*)*)"
)
# One ".class" or "#id" part of a compound.
_PART_RE = re.compile(r"([.#])(-?[_a-zA-Z][_a-zA-Z0-9-]*)")
# A child combinator with its spacing (normalised to " > " before splitting).
_CHILD_RE = re.compile(r"\s*>\s*")
# XML whitespace, which separates class tokens for XPath's normalize-space().
_XML_WS_RE = re.compile(r"[ \t\n\r]+")


@dataclass(frozen=True)
class _Compound:
    tag: str | None  # lowercase, None for any
    ids: tuple[str, ...]
    classes: frozenset[str]

    def match(self, el: lxml.etree._Element) -> bool:
        tag = el.tag
        if type(tag) is not str:  # a comment or processing instruction
            return False
        if self.tag is not None:
            if "}" in tag:
                tag = tag.rsplit("}", 1)[1]
            if tag.lower() != self.tag:
                return False
        for ident in self.ids:
            if el.get("id") != ident:
                return False
        if self.classes:
            cls = el.get("class")
            if not cls or not self.classes.issubset(_XML_WS_RE.split(cls)):
                return False
        return True


@dataclass(frozen=True)
class SimpleSelector:
    """A selector of compounds joined by descendant (" ") or child (">") combinators."""

    text: str
    chain: tuple[tuple[str, _Compound], ...]  # right to left; the first combinator is ""

    @property
    def needs(self) -> str:
        """What an element needs to be a candidate: ``attr`` (a class or id), ``tag`` (the
        rightmost compound names only a tag: see :attr:`tag`) or ``any`` (``*``)."""
        last = self.chain[0][1]
        if last.ids or last.classes:
            return "attr"
        return "tag" if last.tag is not None else "any"

    @property
    def tag(self) -> str | None:
        return self.chain[0][1].tag

    def match(self, el: lxml.etree._Element, root: lxml.etree._Element) -> bool:
        """Whether ``el`` (a descendant of ``root``) matches, as CSSSelector run on root would.

        >>> import lxml.html
        >>> root = lxml.html.fragment_fromstring(
        ...     '<div><div class="a b"><p id="x">t</p></div><p class="b">u</p></div>')
        >>> inner = root[0][0]
        >>> [parse_selector(s).match(inner, root) for s in ("p", ".a p", ".a > #x", ".b p", "P#x")]
        [True, True, True, True, True]
        >>> [parse_selector(s).match(inner, root) for s in (".c p", "p > div > p", "p.a")]
        [False, False, False]
        """
        if not self.chain[0][1].match(el):
            return False
        return self._up(1, el, root)

    def _up(self, i: int, el: lxml.etree._Element, root: lxml.etree._Element) -> bool:
        if i == len(self.chain):
            return True
        if el is root:
            return False
        comb, comp = self.chain[i]
        p = el.getparent()
        while p is not None:
            if comp.match(p) and self._up(i + 1, p, root):
                return True
            if comb == ">" or p is root:
                return False
            p = p.getparent()
        return False


def parse_selector(sel: str) -> SimpleSelector | None:
    """A :class:`SimpleSelector` for ``sel``, or None when it needs CSSSelector.

    >>> [c.tag for _, c in parse_selector("div.baca-juga > ul a").chain]
    ['a', 'ul', 'div']
    >>> parse_selector(".x").needs, parse_selector("aside").needs, parse_selector("a[href]")
    ('attr', 'tag', None)
    >>> parse_selector("p:first-child"), parse_selector("a, b"), parse_selector("> a")
    (None, None, None)
    """
    if not isinstance(sel, str) or not sel.strip() or "," in sel:
        return None
    tokens = _CHILD_RE.sub(" > ", sel.strip()).split()
    chain: list[tuple[str, _Compound]] = []
    comb = ""
    expect_compound = True
    for tok in reversed(tokens):
        if tok == ">":
            if expect_compound:
                return None
            comb, expect_compound = ">", True
            continue
        m = _COMPOUND_RE.fullmatch(tok)
        if m is None or not tok:
            return None
        tag = m.group("tag")
        ids, classes = [], []
        for kind, name in _PART_RE.findall(m.group("parts")):
            (ids if kind == "#" else classes).append(name)
        compound = _Compound(
            tag=None if tag in (None, "*") else tag.lower(),
            ids=tuple(ids),
            classes=frozenset(classes),
        )
        chain.append((comb if chain else "", compound))
        comb = " "
        expect_compound = False
    if not chain or expect_compound:
        return None
    return SimpleSelector(text=sel, chain=tuple(chain))
