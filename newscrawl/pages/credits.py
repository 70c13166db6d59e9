"""Credit lines around an article: who wrote, reported and edited it.

Portals print credits in many shapes: ``Reporter : X | Editor : Y``, ``Penulis: X`` and
``Editor: Y`` in separate boxes, a label in one element and the name in the next (kompas's
``<h6>Penulis</h6><h6>Name</h6>``), ``Redaktur & Reporter : X`` (one person, two roles),
``Laporan oleh X``, ``Kontributor Banyuwangi, X``. :func:`parse_credits` reads lines of such text
into roles; :func:`element_lines` turns an element into those lines (blocks and ``<br>`` break
lines). Pure functions; bad input gives an empty result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from newscrawl.clean import normalize_text

#: Label words and the role each names.
ROLE_OF_LABEL = {
    "penulis": "writer",
    "writer": "writer",
    "author": "writer",
    "ditulis oleh": "writer",
    "oleh": "writer",
    "by": "writer",
    "reporter": "reporter",
    "pewarta": "reporter",
    "wartawan": "reporter",
    "jurnalis": "reporter",
    "kontributor": "reporter",
    "laporan oleh": "reporter",
    "laporan": "reporter",
    "editor": "editor",
    "redaktur": "editor",
    "penyunting": "editor",
    "publisher": "",
    "fotografer": "",
    "videografer": "",
    "foto": "",
    "sumber": "",
}
_LABEL = (
    r"(?:ditulis\s+oleh|laporan\s+oleh|penulis|writer|author|reporter|pewarta|wartawan|jurnalis"
    r"|kontributor|editor|redaktur|penyunting|publisher|fotografer|videografer|foto|sumber|oleh"
    r"|laporan|by)"
)
#: A label (or "Label & Label") followed by a colon, anywhere in a line.
_COLON_LABEL_RE = re.compile(
    rf"(?i:(?<![\w])(?P<labels>{_LABEL}(?:\s*(?:&|/|dan|and)\s*{_LABEL})*)\s*[:：])\s*"
)
#: A label without a colon opening a line and followed by a capitalised name ("Laporan oleh X").
_BARE_LABEL_RE = re.compile(
    rf"^(?i:(?P<labels>{_LABEL}(?:\s*(?:&|/|dan|and)\s*{_LABEL})*))\s+(?=[A-Z])"
)
#: A line that is only a label ("Penulis", "Editor:") whose value is on the next line.
_LABEL_ONLY_RE = re.compile(
    rf"^(?i:(?P<labels>{_LABEL}(?:\s*(?:&|/|dan|and)\s*{_LABEL})*))\s*[:：]?$"
)
#: A name followed by its role ("Riko Abdiono - Pewarta"), as some bylines print it.
_NAME_THEN_LABEL_RE = re.compile(
    rf"^(?P<name>[^:|]{{2,60}}?)\s+[-–—|]\s*(?i:(?P<labels>{_LABEL}))$"
)
#: Splits combined labels ("Redaktur & Reporter").
_LABEL_SPLIT_RE = re.compile(r"\s*(?:&|/|\bdan\b|\band\b)\s*", re.I)
#: Separators between segments, and trailing junk after a name.
_VALUE_STRIP = " |•·,;:-–—/()"
#: "Kontributor Banyuwangi, Name" / "Tim Redaksi, Name": a role and place before the name.
_ROLE_PREFIX_RE = re.compile(
    r"^(?:kontributor|koresponden|wartawan|reporter|jurnalis)\s+[^,]{2,40},\s*", re.I
)
#: A plausible person name (or a few, joined by commas / "dan"): starts with a capital letter.
_NAME_RE = re.compile(r"^[A-Z][\w.'’\-]*(?:[\s,]+(?:dan\s+)?[\w.'’\-]+){0,9}$")
#: Elements whose text breaks lines.
_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "li",
        "ol",
        "p",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ]
)


def _roles(labels: str) -> list[str]:
    out = []
    for label in _LABEL_SPLIT_RE.split(labels.strip()):
        role = ROLE_OF_LABEL.get(" ".join(label.lower().split()))
        if role is not None and role not in out:
            out.append(role)
    return out


def clean_name(value: str) -> str | None:
    """A credited name without separators, role prefixes or site suffixes; None when not a name.

    >>> clean_name("Kontributor Banyuwangi, Bagus Prasetyo")
    'Bagus Prasetyo'
    >>> clean_name(" Moch Ilham | ")
    'Moch Ilham'
    >>> clean_name("Rabu, 14 Agustus 2024 07:45 WIB") is None
    True
    """
    value = normalize_text(value).strip(_VALUE_STRIP)
    value = _ROLE_PREFIX_RE.sub("", value).strip(_VALUE_STRIP)
    if not value or len(value) > 80 or any(ch.isdigit() for ch in value):
        return None
    return value if _NAME_RE.match(value) else None


def parse_credits(lines: Iterable[str]) -> dict[str, str]:
    """Roles (``writer``, ``reporter``, ``editor``) named in credit lines; first mention wins.

    >>> parse_credits(["Reporter : Yuliana Sari | Editor : Hadi Santoso"])
    {'reporter': 'Yuliana Sari', 'editor': 'Hadi Santoso'}
    >>> parse_credits(["Redaktur & Reporter : Ricky Saputra"])
    {'editor': 'Ricky Saputra', 'reporter': 'Ricky Saputra'}
    >>> parse_credits(["Penulis", "Kontributor Banyuwangi, Bagus Prasetyo", "Editor", "Dimas W"])
    {'writer': 'Bagus Prasetyo', 'editor': 'Dimas W'}
    >>> parse_credits(["Laporan oleh Rina Anggraeni", "Editor: Bayu Prasetyo"])
    {'reporter': 'Rina Anggraeni', 'editor': 'Bayu Prasetyo'}
    >>> parse_credits(["Pewarta : Anggita Putri Editor : Fajar Ramadhani Publisher : Sholihin"])
    {'reporter': 'Anggita Putri', 'editor': 'Fajar Ramadhani'}
    >>> parse_credits(["Riko Abdiono - Pewarta"]), parse_credits(["Kontributor Malang, Ana Sari"])
    ({'reporter': 'Riko Abdiono'}, {})
    >>> parse_credits(["Polisi menangkap pelaku pada Senin (12/8)."])
    {}
    """
    out: dict[str, str] = {}
    pending: list[str] = []
    for raw in lines:
        if not isinstance(raw, str):
            continue
        line = normalize_text(raw).strip()
        if not line:
            continue
        if pending:
            m = _LABEL_ONLY_RE.match(line)
            if not m and not _COLON_LABEL_RE.search(line):
                name = clean_name(line)
                if name:
                    for role in pending:
                        if role:
                            out.setdefault(role, name)
                pending = []
                continue
            pending = []
        m = _LABEL_ONLY_RE.match(line)
        if m:
            pending = _roles(m["labels"]) or [""]
            continue
        segments: list[tuple[list[str], str]] = []
        marks = list(_COLON_LABEL_RE.finditer(line))
        bare = _BARE_LABEL_RE.match(line) if not marks or marks[0].start() > 0 else None
        if bare and _ROLE_PREFIX_RE.match(line):
            bare = None  # "Kontributor Banyuwangi, Name": a description of the writer, not a role
        after = _NAME_THEN_LABEL_RE.match(line) if not marks and not bare else None
        if after:
            segments.append((_roles(after["labels"]), after["name"]))
        if bare:
            end = marks[0].start() if marks else len(line)
            segments.append((_roles(bare["labels"]), line[bare.end() : end]))
        for i, mark in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(line)
            segments.append((_roles(mark["labels"]), line[mark.end() : end]))
        for roles, value in segments:
            name = clean_name(value)
            if not name:
                continue
            for role in roles:
                if role:
                    out.setdefault(role, name)
    return out


def element_lines(el: etree._Element) -> list[str]:
    """Text lines of an element: block elements and ``<br>`` end lines; scripts are skipped.

    >>> from lxml import html
    >>> element_lines(html.fromstring("<div>Reporter : A<br>Editor : <b>B</b><p>C</p></div>"))
    ['Reporter : A', 'Editor : B', 'C']
    """
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("script", "style", "noscript"):
            return
        block = tag in _BLOCK_TAGS
        if block or tag == "br":
            parts.append("\n")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")

    try:
        walk(el)
    except (ValueError, TypeError):
        return []
    text = "".join(parts)
    return [line for line in (normalize_text(s).strip() for s in text.split("\n")) if line]
