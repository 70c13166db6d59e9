"""Blocks inside and around an article body that are not article text, found by their shape.

Real pages embed social posts (a tweet is a ``blockquote`` full of text), print a photo caption
as an italic paragraph under an image, badge the headline ("VIDEO"), and show the update time
next to the publication time. These pure helpers let page classes handle such blocks on any
portal, without a selector per site:

- :func:`drop_embeds` removes embedded social posts and AMP widgets from a body element (what an
  embed is: :func:`newscrawl.clean.embeds.is_embed`, shared with the cleaner).
- :func:`mark_image_captions` turns a caption printed under an image into a ``figcaption``.
- :func:`published_part` keeps the publication part of a visible date line ("Diperbarui ...").
- :func:`same_title` / :func:`drop_title_label` compare a visible headline with the meta title.
"""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

from newscrawl.clean.embeds import PLAYER_TAGS, is_embed

#: Blocks that may announce an embed under them.
_LABEL_TAGS = frozenset(["p", "div", "h2", "h3", "h4", "h5", "h6"])
#: Words of a line announcing a video.
_VIDEO_WORD_RE = re.compile(r"\b(?:video|tonton|saksikan|simak)\b", re.I)
#: Elements that only wrap an embed (their other content is scripts and whitespace).
_WRAPPER_TAGS = frozenset(["div", "figure", "p", "center", "section", "span"])
#: Elements holding an image.
_IMAGE_TAGS = frozenset(["img", "amp-img", "picture"])
#: Inline elements that style a whole caption line.
_CAPTION_STYLE_TAGS = frozenset(["em", "i", "small"])

#: Labels of an update time on a visible date line ("Diperbarui 05/11/2023, 08:12 WIB").
_UPDATE_LABEL_RE = re.compile(
    r"(?<![\w])(?:terakhir\s+)?(?:diperbarui|diperbaharui|diupdate|di-update|pembaruan|update[d]?"
    r"|last\s+updated|modified)(?:\s+(?:pada|on))?\s*[:：]?",
    re.I,
)
#: Labels of the publication time ("Dipublikasikan:", "Terbit", "Tayang:").
_PUBLISH_LABEL_RE = re.compile(
    r"(?<![\w])(?:dipublikasikan|dipublikasi|diterbitkan|terbit|tayang|published|dipublish"
    r"|diposting|posted)(?:\s+(?:pada|on))?\s*[:：]?",
    re.I,
)
#: A year: a date line part without one is not a date.
_YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b")
#: Quote, dash and space variants that do not change a headline.
_QUOTES_TABLE = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "‘": "'",
        "’": "'",
        "`": "'",
        "–": "-",
        "—": "-",
        "\u00a0": " ",
    }
)
#: Words of a headline.
_WORD_RE = re.compile(r"\w+")
#: A short label before a headline ("VIDEO", "FOTO:", "BREAKING NEWS |").
_LABEL_MAX_WORDS = 3
_LABEL_MAX_CHARS = 24
_LABEL_SEPS = " :|-–—•·»›"


def _only_wraps(wrapper: etree._Element, inner: etree._Element) -> bool:
    """True when ``wrapper`` holds nothing but ``inner`` (and scripts, whitespace)."""
    if wrapper.tag not in _WRAPPER_TAGS or (wrapper.text or "").strip():
        return False
    for child in wrapper:
        if (child.tail or "").strip():
            return False
        if child is inner or child.tag in ("script", "noscript") or not isinstance(child.tag, str):
            continue
        return False
    return True


def _embed_label(el: etree._Element | None) -> bool:
    """A short bold line announcing the embed under it ("Jangan Lewatkan Video Terbaru:")."""
    if el is None or not isinstance(el.tag, str) or el.tag not in _LABEL_TAGS:
        return False
    text = " ".join(_own_text(el).split())
    if not text or len(text) > 80:
        return False
    if not (text.endswith((":", "!", "…")) or _VIDEO_WORD_RE.search(text)):
        return False
    if el.tag in ("h2", "h3", "h4", "h5", "h6"):
        return True
    bold = "".join("".join(b.itertext()) for b in el.iterdescendants() if b.tag in ("strong", "b"))
    return len(" ".join(bold.split())) == len(text)


def drop_embeds(node: etree._Element) -> int:
    """Remove embedded posts and players (with wrappers holding only them, and a bold line
    announcing them) from ``node``; how many.

    >>> from lxml import html
    >>> body = html.fromstring('<div><p>Satu.</p><div class="sosmed"><blockquote '
    ...     'class="instagram-media"><a>Lihat postingan ini di Instagram</a></blockquote>'
    ...     '<script src="x"></script></div><p>Dua.</p><p><strong>Jangan Lewatkan Video '
    ...     'Terbaru:</strong></p><div class="video"><iframe src="y"></iframe></div></div>')
    >>> drop_embeds(body), [p.text for p in body.iter("p")]
    (2, ['Satu.', 'Dua.'])
    """
    found = [
        el
        for el in node.iterdescendants()
        if isinstance(el.tag, str) and (el.tag in PLAYER_TAGS or is_embed(el))
    ]
    removed = 0
    gone: set[etree._Element] = set()
    for el in found:
        if any(a in gone for a in el.iterancestors()):
            continue
        target = el
        while True:
            parent = target.getparent()
            if parent is None or parent is node or not _only_wraps(parent, target):
                break
            target = parent
        if target.getparent() is None:
            continue
        label = target.getprevious()
        if label is not None and not (label.tail or "").strip() and _embed_label(label):
            remove_keep_tail(label)
        remove_keep_tail(target)
        gone.add(target)
        removed += 1
    return removed


def _own_text(el: etree._Element) -> str:
    return " ".join(t for t in el.itertext() if isinstance(t, str)).strip()


def _image_only(el: etree._Element) -> bool:
    """A block that shows an image and no text (``<p><img></p>``, ``<figure><img></figure>``)."""
    if not isinstance(el.tag, str) or el.tag not in ("p", "div", "figure", "center", "a", "span"):
        return False
    if el.tag in _IMAGE_TAGS:
        return True
    has_image = any(d.tag in _IMAGE_TAGS for d in el.iterdescendants() if isinstance(d.tag, str))
    return has_image and not _own_text(el)


def _styled_caption(el: etree._Element) -> bool:
    """A short block whose whole text is in one italic / small element."""
    if el.tag not in ("p", "div", "span"):
        return False
    text = _own_text(el)
    if not 10 <= len(text) <= 300 or (el.text or "").strip():
        return False
    children = [c for c in el if isinstance(c.tag, str) and c.tag != "br"]
    if len(children) != 1 or children[0].tag not in _CAPTION_STYLE_TAGS:
        return False
    return not (children[0].tail or "").strip()


def mark_image_captions(node: etree._Element) -> int:
    """Rename to ``figcaption`` each italic line printed right under an image; how many.

    >>> from lxml import html
    >>> body = html.fromstring('<div><p><img src="a.jpg"></p><p><em>Warga antre air bersih di '
    ...     'Blitar. (Foto: Ana)</em></p><p><em>Kutipan</em> biasa.</p></div>')
    >>> mark_image_captions(body), [c.tag for c in body]
    (1, ['p', 'figcaption', 'p'])
    """
    count = 0
    for el in list(node.iterdescendants()):
        if not isinstance(el.tag, str) or not _styled_caption(el):
            continue
        prev = el.getprevious()
        while prev is not None and not isinstance(prev.tag, str):
            prev = prev.getprevious()
        if prev is None or (prev.tail or "").strip() or not _image_only(prev):
            continue
        el.tag = "figcaption"
        count += 1
    return count


def published_part(text: str) -> str | None:
    """The publication part of a visible date line; None when it only shows an update time.

    >>> published_part("Kompas.com - 05/11/2023, 06:30 WIB | Diperbarui 05/11/2023, 08:12 WIB")
    'Kompas.com - 05/11/2023, 06:30 WIB'
    >>> published_part("Diperbarui: Senin, 19 Agustus 2024 15:40 WIB | Dipublikasikan: Senin, "
    ...                "19 Agustus 2024 13:02 WIB")
    'Senin, 19 Agustus 2024 13:02 WIB'
    >>> published_part("Update: 19/08/2024 15:40") is None
    True
    >>> published_part("Selasa, 13 Agu 2024 18:13 WIB")
    'Selasa, 13 Agu 2024 18:13 WIB'
    """
    if not isinstance(text, str):
        return None
    updates = list(_UPDATE_LABEL_RE.finditer(text))
    if not updates:
        return text
    publish = _PUBLISH_LABEL_RE.search(text)
    if publish is not None:
        end = next((m.start() for m in updates if m.start() > publish.end()), len(text))
        part = text[publish.end() : end]
    else:
        part = text[: updates[0].start()]
    part = part.strip(" |,;-–—/()[]\u00a0")
    return part if _YEAR_RE.search(part) else None


def title_key(text: str) -> str:
    """A headline reduced to what a reader compares: quote styles, dashes, case and spaces.

    >>> title_key("Pungli: “Saya Pecat”  ") == title_key('pungli: "Saya Pecat"')
    True
    """
    text = unicodedata.normalize("NFKC", text or "").translate(_QUOTES_TABLE)
    return " ".join(text.lower().split())


def same_title(a: str | None, b: str | None) -> bool:
    """Whether two headlines differ only in quote style, dashes, case or spacing."""
    return bool(a and b) and title_key(a) == title_key(b)


def similar_title(visible: str | None, reference: str | None) -> bool:
    """Whether a visible headline and the metadata title name the same story (most words
    shared): an edited or shortened headline, not another heading of the page.

    >>> similar_title("Pemkot Surabaya Siapkan 20 Ribu Tandon Air untuk Warga Terdampak Kemarau",
    ...               "Pemkot Surabaya Siapkan 20 Ribu Tandon Air untuk Warga")
    True
    >>> similar_title("Berita Terkini", "Pemkot Surabaya Siapkan 20 Ribu Tandon Air")
    False
    """
    if not visible or not reference or len(visible) < 20:
        return False
    a, b = set(_WORD_RE.findall(title_key(visible))), set(_WORD_RE.findall(title_key(reference)))
    return bool(a and b) and len(a & b) / len(a | b) >= 0.6


def drop_title_label(visible: str, reference: str | None) -> str:
    """``visible`` without a short leading label ("VIDEO", "FOTO:") that ``reference`` lacks.

    >>> drop_title_label("VIDEO Detik-detik Truk Tabrak Motor", "Detik-detik Truk Tabrak Motor")
    'Detik-detik Truk Tabrak Motor'
    >>> drop_title_label("Video: Banjir Rob", "Video: Banjir Rob")
    'Video: Banjir Rob'
    >>> drop_title_label("Banjir Rob di Kenjeran", "Rob di Kenjeran")
    'Banjir Rob di Kenjeran'
    """
    if not reference or not visible:
        return visible
    key_v, key_r = title_key(visible), title_key(reference)
    if key_v == key_r or not key_r or not key_v.endswith(key_r):
        return visible
    shown = " ".join(visible.split())
    # Cut as many characters from the visible text as the reference is long (same rendering).
    n = len(" ".join(reference.split()))
    cut, head = shown[-n:], shown[:-n]
    if title_key(cut) != key_r or not head.endswith(tuple(_LABEL_SEPS)):
        return visible  # the reference is a word tail of the headline, not the headline
    label = head.strip(_LABEL_SEPS)
    if not label or len(label) > _LABEL_MAX_CHARS or len(label.split()) > _LABEL_MAX_WORDS:
        return visible
    if not head.rstrip().endswith(tuple(_LABEL_SEPS.strip())) and not label.isupper():
        return visible  # "Banjir Rob": a capitalised word, not a badge like "VIDEO"
    return cut


def remove_keep_tail(el: etree._Element) -> None:
    """Remove an element but keep the text that follows it (its tail)."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    prev = el.getprevious()
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)
