"""Text primitives: normalising strings and turning HTML into block-aware text.

The walker in this module is shared by :func:`html_to_text` (plain structure) and by the cleaning
engine (which adds link and bold markers and decides, element by element, what to drop). It never
mutates the tree it is given.
"""

from __future__ import annotations

import html
import re
import threading
import unicodedata
from collections.abc import Callable

import lxml.etree
import lxml.html

__all__ = [
    "BLOCK_TAGS",
    "SKIP_TAGS",
    "html_to_text",
    "normalize_line",
    "normalize_text",
    "parse_html",
    "split_paragraphs",
]

# Named and numeric character references that survived parsing (double-encoded pages show
# "&amp;quot;" as "&quot;"); only the terminated forms, so "&notice" stays as written.
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Runs of horizontal whitespace left after translation.
_SPACES_RE = re.compile(r"[ \t]{2,}")
# Three or more line breaks (two or more blank lines).
_MANY_NL_RE = re.compile(r"\n{3,}")
# Lone UTF-16 surrogates (only possible in str built from broken input).
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
# Characters the XML parser refuses (C0 controls but tab/newline/CR, and surrogates).
_XML_BAD_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# An XML declaration with an encoding, which lxml refuses in str input.
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# A whole document rather than a fragment.
_DOCUMENT_RE = re.compile(r"<(?:!doctype|html|body|head)[\s>]", re.I)
# Paragraph separators in walker output: a line break, optional spaces, another line break.
_PARA_SPLIT_RE = re.compile(r"\n[ \t]*\n\s*")

_SPACE_LIKE = "\u00a0\u202f\u2007\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u3000\u1680\t\x0b\x0c"
_DROPPED = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f\u202a\u202b\u202c\u202d\u202e"

# Line-level translation: space-likes to space, invisible characters and controls removed.
_LINE_TABLE: dict[int, int | None] = {ord(c): 0x20 for c in _SPACE_LIKE}
_LINE_TABLE.update({ord(c): None for c in _DROPPED})
_LINE_TABLE.update({c: None for c in range(0x20) if c not in (0x09, 0x0A)})
_LINE_TABLE.update({c: None for c in range(0x7F, 0xA0)})
_LINE_TABLE[0x0A] = 0x20
_LINE_TABLE[0x0D] = 0x20
# A NUL between two words ("Berita\x00Uji") separates them: it becomes a space.
_LINE_TABLE[0x00] = 0x20
# Multi-line translation: as above, but line breaks kept and CR / Unicode separators made breaks.
_TEXT_TABLE = dict(_LINE_TABLE)
_TEXT_TABLE[0x0A] = 0x0A
_TEXT_TABLE[0x2028] = 0x0A
_TEXT_TABLE[0x2029] = 0x0A
_TEXT_TABLE[0x85] = 0x0A
_TEXT_TABLE.pop(0x0D)  # handled before translation (CRLF -> LF)
# Runs of characters the line table changes (a cheap test before translating non-ASCII text,
# whose translation is slow); the same for the multi-line table (identity mappings left out).
_LINE_CHANGE_RE = re.compile("[" + re.escape("".join(map(chr, _LINE_TABLE))) + "]+")
_TEXT_CHANGE_RE = re.compile(
    "[" + re.escape("".join(chr(c) for c, v in _TEXT_TABLE.items() if v != c)) + "]+"
)

# Text nodes inside the walker: all whitespace to a space; controls (our markers) removed.
NODE_TABLE: dict[int, int | None] = {c: None for c in range(0x20)}
NODE_TABLE.update({c: 0x20 for c in (0x09, 0x0A, 0x0B, 0x0C, 0x0D)})
# Inside <pre>: keep line breaks.
_PRE_TABLE = dict(NODE_TABLE)
_PRE_TABLE[0x0A] = 0x0A

# Elements whose content is never text.
SKIP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "meta",
        "link",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "svg",
        "math",
        "canvas",
        "video",
        "audio",
        "source",
        "track",
        "map",
        "area",
        "input",
        "select",
        "option",
        "optgroup",
        "textarea",
        "button",
        "param",
        "base",
    ]
)
# Elements that start and end a paragraph.
BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "aside",
        "nav",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "caption",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "address",
        "center",
        "details",
        "summary",
        "hr",
        "form",
        "fieldset",
        "legend",
        "hgroup",
        "menu",
        "dir",
        "body",
        "html",
    ]
)
# Table cells: separated by a space inside the row's paragraph.
CELL_TAGS = frozenset(("td", "th"))
BOLD_TAGS = frozenset(("strong", "b"))

# Markers inserted by the walker in cleaning mode (controls never survive parsing).
LINK_OPEN = "\x01"  # followed by the link index and LINK_MID
LINK_MID = "\x02"
LINK_CLOSE = "\x03"
BOLD_OPEN = "\x04"
BOLD_CLOSE = "\x05"


def _unescape_entity(m: re.Match[str]) -> str:
    return html.unescape(m.group(0))


def _nfc(s: str) -> str:
    return s if unicodedata.is_normalized("NFC", s) else unicodedata.normalize("NFC", s)


def _translate_line_run(m: re.Match[str]) -> str:
    return m.group(0).translate(_LINE_TABLE)


def _translate_text_run(m: re.Match[str]) -> str:
    return m.group(0).translate(_TEXT_TABLE)


def normalize_line(s: str) -> str:
    """Normalise one line: like :func:`normalize_text` but line breaks become spaces.

    >>> normalize_line("  Kota\\u00a0Malang&nbsp;\\u200bhari\\nini  ")
    'Kota Malang hari ini'
    """
    if "&" in s:
        s = _ENTITY_RE.sub(_unescape_entity, s)
    if s.isascii():
        if not s.isprintable():  # ASCII keys of the table are exactly the unprintable ones
            s = s.translate(_LINE_TABLE)
    elif _LINE_CHANGE_RE.search(s):
        s = _LINE_CHANGE_RE.sub(_translate_line_run, s)
    if "  " in s:
        s = _SPACES_RE.sub(" ", s)
    s = s.strip()
    if not s.isascii():
        s = _SURROGATE_RE.sub("", s)
        s = _nfc(s)
    return s


def normalize_text(s: str) -> str:
    """Normalise text: spaces, invisible characters, entities, controls, NFC; lines stripped.

    NBSP and narrow NBSP become spaces; zero-width characters, BOM and soft hyphens go; entities
    are decoded; NUL becomes a space (a word boundary), other C0 controls and lone surrogates are
    removed; runs of spaces collapse;
    each line is stripped and runs of blank lines become one blank line. Never raises.

    >>> normalize_text("Kota\\u00a0Malang\\u202f\\u200b &amp; Batu\\ufeff")
    'Kota Malang & Batu'
    >>> normalize_text("a\\x00b\\u00adc\\r\\n  d  \\n\\n\\n\\ne")
    'a bc\\nd\\n\\ne'
    >>> normalize_text("Cafe\\u0301 &quot;x&quot; &notice")
    'Café "x" &notice'
    """
    if not isinstance(s, str):
        return ""
    if "&" in s:
        s = _ENTITY_RE.sub(_unescape_entity, s)
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    if s.isascii():
        if not s.isprintable():
            s = s.translate(_TEXT_TABLE)
    elif _TEXT_CHANGE_RE.search(s):
        s = _TEXT_CHANGE_RE.sub(_translate_text_run, s)
    if not s.isascii():
        s = _SURROGATE_RE.sub("", s)
    if "  " in s:
        s = _SPACES_RE.sub(" ", s)
    if "\n" in s:
        s = "\n".join(line.strip() for line in s.split("\n"))
        s = _MANY_NL_RE.sub("\n\n", s)
    s = s.strip()
    if not s.isascii():
        s = _nfc(s)
    return s


def _make_parser() -> lxml.html.HTMLParser:
    """lxml.html's parser with a C-level class lookup: every element is a plain
    :class:`lxml.html.HtmlElement` (no Python callback per element, as the default lookup makes
    to pick form and input classes)."""
    parser = lxml.html.HTMLParser()
    parser.set_element_class_lookup(
        lxml.etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement,
            comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction,
            entity=lxml.html.HtmlEntity,
        )
    )
    return parser


class _ThreadParser(threading.local):
    """One parser per thread (lxml parsers serialise concurrent use)."""

    def __init__(self) -> None:
        self.parser = _make_parser()


_PARSER = _ThreadParser()


def parse_html(body: object) -> lxml.html.HtmlElement | None:
    """Parse a fragment or a document into an element (a document gives its ``<body>``).

    Returns the element unchanged when given one, and None for empty or unparseable input.

    >>> parse_html("<p>a</p><p>b</p>").tag
    'div'
    >>> parse_html("   ") is None
    True
    """
    if isinstance(body, lxml.etree._Element):
        return body  # type: ignore[return-value]
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if not isinstance(body, str):
        return None
    s = _XML_BAD_RE.sub("", body)
    if s.lstrip().startswith("<?"):
        s = _XML_DECL_RE.sub("", s)
    if not s.strip():
        return None
    try:
        parser = _PARSER.parser
        if _DOCUMENT_RE.search(s, 0, 2000):
            doc = lxml.etree.fromstring(s, parser)
            if doc is None:
                return None
            found = doc.find("body")
            return found if found is not None else doc
        # As lxml.html.fragment_fromstring(s, create_parent="div") does, without moving every
        # element into a new document: the wrapper's <body>, renamed, is the parent.
        doc = lxml.etree.fromstring(f"<html><body>{s}</body></html>", parser)
        found = None if doc is None else doc.find("body")
        if found is None:
            return None
        if found.text is not None and not found.text.strip():
            found.text = None  # fragment_fromstring drops leading whitespace
        found.tag = "div"
        return found
    except (lxml.etree.ParserError, ValueError, TypeError):
        return None


# A hook of the cleaning engine: called with (element, lowercase tag) for every element before it
# is walked; returns True when it consumed the element (the walker then skips it, tail kept), or
# a string to print in the element's place.
ElementHook = Callable[[lxml.html.HtmlElement, str], "bool | str"]


def walk(
    root: lxml.etree._Element,
    hook: ElementHook | None = None,
    links: list[tuple[str, str]] | None = None,
    *,
    raw: bool = False,
) -> str:
    """Flatten ``root`` into text: ``"\\n\\n"`` around blocks, ``"\\n"`` for ``<br>``.

    With a ``links`` list, every link is appended to it as ``(href, title attribute)`` and wrapped
    in the text as ``LINK_OPEN index LINK_MID text LINK_CLOSE``, and bold runs as ``BOLD_OPEN text
    BOLD_CLOSE``. Whitespace is only translated, not collapsed: see :func:`split_paragraphs`.
    With ``raw``, text nodes are copied untranslated (their line breaks and controls stay), for
    callers that want one normalised line (:func:`normalize_line` maps and deletes them anyway).

    >>> walk(parse_html("<p>a <b>b</b></p>x<br>y"))
    '\\n\\na b\\n\\nx\\ny'
    >>> normalize_line(walk(parse_html("<p>a\\nb</p><p>c</p>"), raw=True))
    'a b c'
    """
    out: list[str] = []
    app = out.append
    markers = links is not None

    def visit(el: lxml.etree._Element, pre: bool) -> None:
        table = None if raw else _PRE_TABLE if pre else NODE_TABLE
        t = el.text
        if t:
            app(t if table is None else t.translate(table))
        for ch in el:
            tag = ch.tag
            if type(tag) is str:
                if "}" in tag:
                    tag = tag.rsplit("}", 1)[1]
                tag = tag.lower()
                if tag == "br":
                    app("\n")
                elif tag in SKIP_TAGS:
                    if hook is not None:
                        hook(ch, tag)
                elif hook is not None and (took := hook(ch, tag)):
                    if took is not True:
                        app(took if table is None else took.translate(table))  # hook's text
                else:
                    if tag in BLOCK_TAGS:
                        app("\n\n")
                        visit(ch, pre or tag == "pre")
                        app("\n\n")
                    elif tag in CELL_TAGS:
                        app(" ")
                        visit(ch, pre)
                        app(" ")
                    elif markers and tag == "a":
                        app(f"{LINK_OPEN}{len(links)}{LINK_MID}")  # type: ignore[arg-type]
                        links.append((ch.get("href") or "", ch.get("title") or ""))  # type: ignore[union-attr]
                        visit(ch, pre)
                        app(LINK_CLOSE)
                    elif markers and tag in BOLD_TAGS:
                        app(BOLD_OPEN)
                        visit(ch, pre)
                        app(BOLD_CLOSE)
                    else:
                        visit(ch, pre)
            tail = ch.tail
            if tail:
                app(tail if table is None else tail.translate(table))

    visit(root, False)
    return "".join(out)


def split_paragraphs(flat: str) -> list[list[str]]:
    """Split walker output into paragraphs of raw (unnormalised) lines, empty lines dropped.

    >>> split_paragraphs("\\n\\na\\nb\\n\\n \\n\\nc\\n")
    [['a', 'b'], ['c']]
    """
    paras = []
    for chunk in _PARA_SPLIT_RE.split(flat):
        lines = [ln for ln in chunk.split("\n") if ln.strip()]
        if lines:
            paras.append(lines)
    return paras


def html_to_text(element_or_html: object) -> str:
    """Block-aware text of an element or HTML string: paragraphs split by one blank line.

    Inline elements keep the spacing of the source; ``<br>`` is a line break; block elements and
    ``<br><br>`` are paragraph breaks; scripts, styles and other non-text elements are skipped.
    Returns "" for empty or unparseable input.

    >>> html_to_text("<p>di <a href='/x'>Pasar</a> Besar,<br>Malang</p><div>Kedua</div>")
    'di Pasar Besar,\\nMalang\\n\\nKedua'
    >>> html_to_text("Satu<br><br>Dua <b>tiga</b><script>x()</script>")
    'Satu\\n\\nDua tiga'
    """
    try:
        root = parse_html(element_or_html)
        if root is None:
            return ""
        paras = split_paragraphs(walk(root))
        out = []
        for lines in paras:
            normed = [n for n in (normalize_line(ln) for ln in lines) if n]
            if normed:
                out.append("\n".join(normed))
        return "\n\n".join(out)
    except (RecursionError, ValueError, TypeError, lxml.etree.LxmlError):
        return ""
