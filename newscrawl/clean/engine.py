"""The cleaning engine: article-body HTML in, clean text and metadata out.

One walk over the tree decides element by element (scripts, ad slots, share bars, captions,
"read also" containers, editor boxes, portal selectors) and flattens the rest into paragraphs of
lines, with links and bold runs marked. One pass over the lines then drops boilerplate lines,
turns metadata lines into fields and strips the opening dateline. A closing pass, repeated until
nothing changes, drops a "Sumber: X" line near the end and strips reporter codes and "(Editor: X)"
notes off the last line. Every removal is recorded with the rule that made it.

Speed (a body takes ~0.15 ms): the walk copies text nodes untranslated (each line is normalised
once, later) and checks afterwards that no text node held one of its marker characters, walking
again in a safe mode when one did; simple portal selectors are matched during the walk
(:mod:`newscrawl.clean.css`) instead of by one XPath per selector; cheap substring tests guard the
regexes that search inside a line.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin

import lxml.etree
import lxml.html
from lxml.cssselect import CSSSelector

from newscrawl.clean.css import SimpleSelector, parse_selector
from newscrawl.clean.embeds import AMP_WIDGETS, is_embed
from newscrawl.clean.metadata import (
    filter_authors,
    parse_dateline,
    parse_laporan,
    parse_meta_line,
)
from newscrawl.clean.rules import (
    COPYRIGHT_TAIL_RE,
    CRAWL_BAN_RE,
    EMAIL_PROTECTION_RE,
    GAMBAS_INLINE_RE,
    SOURCE_LINE_RE,
    TRAIL_META_RE,
    TRAIL_SHORT_CODE_RE,
    TRAIL_SLASH_CODE_RE,
    URL_LINE_RE,
    classify_attrs,
    classify_line,
    is_ad_label,
    list_heading,
    match_read_also,
    syndication_source,
)
from newscrawl.clean.text import (
    BLOCK_TAGS,
    BOLD_CLOSE,
    BOLD_OPEN,
    BOLD_TAGS,
    CELL_TAGS,
    LINK_CLOSE,
    LINK_MID,
    LINK_OPEN,
    NODE_TABLE,
    SKIP_TAGS,
    normalize_line,
    normalize_text,
    parse_html,
    walk,
)

__all__ = ["CleanResult", "PortalRules", "Removal", "check_rules", "clean_body"]

# A marked link in a walker line: index and text (raw text may hold line breaks).
_LINK_RE = re.compile("\x01(\\d+)\x02(.*?)\x03", re.S)
# A bold run in a walker line and a marked link right after it: an inline "Baca juga:" label
# ("... itu. <strong>Baca Juga: <a>Judul</a></strong> Sementara ...").
_BOLD_RUN_RE = re.compile("\x04([^\x04\x05]*)\x05(\\s*\x01\\d+\x02[^\x01\x03]*\x03)?")
# An opening link marker whose link never closed on this line.
_STRAY_OPEN_RE = re.compile("\x01\\d*\x02?")
# A plausible email address (what a decoded Cloudflare token must be).
_EMAIL_RE = re.compile(r"[\w.+\-]{1,64}@[\w\-]+(?:\.[\w\-]+)+")
# Separators left at the start of a paragraph after its dateline.
_DATELINE_REST_STRIP = " -–—|,:;"
# Sentence punctuation that ends prose lines (titles usually lack it).
_PROSE_END = (".", ",", ";", ":")

# The engine's structural line break in its flat text (text nodes keep their own "\n"); two of
# them end a paragraph.
BREAK = "\x06"
PARA = BREAK + BREAK
# Paragraph separators in the flat text: two breaks with only whitespace (or controls the old
# per-node translation deleted) between them, then any further whitespace and breaks.
_PARA_SPLIT_RE = re.compile("\x06[\x00\x07-\x20]*\x06[\\s\x00\x06-\x08\x0e-\x1b]*")
# Text nodes in safe mode (controls deleted, whitespace to spaces); inside <pre> "\n" breaks.
_SAFE_PRE_TABLE = dict(NODE_TABLE)
_SAFE_PRE_TABLE[0x0A] = ord(BREAK)
# Markers the walker writes; a text node holding one forces the safe walk.
_MARKERS = (LINK_OPEN, LINK_MID, LINK_CLOSE, BOLD_OPEN, BOLD_CLOSE, BREAK)
# Elements the hook must see even without a class or id.
# (a class-less ``blockquote`` may be an Instagram post, an AMP widget needs no class).
_HOOK_TAGS = (
    frozenset(("img", "picture", "figure", "figcaption", "aside", "blockquote")) | AMP_WIDGETS
)

# Rule names of elements skipped by tag.
_SKIP_RULES = {
    "script": "script",
    "noscript": "script",
    "template": "script",
    "style": "style",
    "iframe": "embed",
    "frame": "embed",
    "frameset": "embed",
    "object": "embed",
    "embed": "embed",
    "applet": "embed",
    "video": "embed",
    "audio": "embed",
    "source": "embed",
    "track": "embed",
    "svg": "media",
    "math": "media",
    "canvas": "media",
    "map": "media",
    "area": "media",
    "input": "form",
    "select": "form",
    "option": "form",
    "optgroup": "form",
    "textarea": "form",
    "button": "form",
    "head": "head",
    "title": "head",
    "meta": "head",
    "link": "head",
    "base": "head",
    "param": "head",
}
# Label words of a trailing "(Editor: X)" note and the field each fills.
_TRAIL_LABEL_FIELDS = {
    "editor": "editor",
    "penyunting": "editor",
    "penulis": "writer",
    "pewarta": "reporter",
    "reporter": "reporter",
    "kontributor": "reporter",
}
# Rules whose element is kept (walked normally) when it holds this much text: a wrapper, not a slot.
_WRAPPER_TEXT = 1500
# Metadata fields and the rule a removal of each is recorded under.
_FIELD_RULES = {
    "editor": "editor",
    "writer": "writer",
    "reporter": "reporter",
    "photographer": "photographer",
    "publisher": "publisher",
}
# Most lines one "Sumber: X" line may be from the end of the body to be dropped as its source.
_SOURCE_LINE_MAX = 80
# Rounds of the closing pass (each strips one code or note, or drops one line).
_TAIL_ROUNDS = 12
# How far from the end of a line the global closing patterns are searched (their longest match,
# "(Penyunting: <60 characters>)", is under 90 characters of a normalised line).
_TAIL_SPAN = 120
# How near the end the slash of a bare code ("Ml-01/ham": at most 8 letters after it) must be.
_CODE_SLASH_SPAN = 12


@dataclass(frozen=True)
class Removal:
    """One thing the cleaner took out of the body, and the rule that did it."""

    rule: str
    text: str


@dataclass
class CleanResult:
    """Clean body text plus everything taken out of it."""

    body: str = ""
    related_links: list[dict[str, str]] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    editor: str | None = None
    reporter: str | None = None
    writers: list[str] = field(default_factory=list)
    dateline_city: str | None = None
    syndicated_from: str | None = None
    removed: list[Removal] = field(default_factory=list)

    @property
    def rule_counts(self) -> dict[str, int]:
        """How many removals each rule made.

        >>> CleanResult(removed=[Removal("ad_slot", "x"), Removal("ad_slot", "y")]).rule_counts
        {'ad_slot': 2}
        """
        return dict(Counter(r.rule for r in self.removed))


def _as_tuple(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    try:
        return tuple(str(v) for v in value)  # type: ignore[union-attr]
    except TypeError:
        return ()


@dataclass(frozen=True)
class PortalRules:
    """Per-portal extra rules from a portal profile; they extend the global rules."""

    drop_selectors: tuple[str, ...] = ()  # CSS selectors of elements to drop entirely
    related_selectors: tuple[str, ...] = ()  # CSS selectors of "read also" containers
    line_patterns: tuple[str, ...] = ()  # regexes (searched, case-insensitive) of lines to drop
    site_names: tuple[str, ...] = ()  # e.g. ("surabayapagi.com", "Surabaya Pagi")
    reporter_code_patterns: tuple[str, ...] = ()  # regexes of codes ending the last paragraph

    def __post_init__(self) -> None:
        for name in (
            "drop_selectors",
            "related_selectors",
            "line_patterns",
            "site_names",
            "reporter_code_patterns",
        ):
            object.__setattr__(self, name, _as_tuple(getattr(self, name)))


@dataclass(frozen=True)
class _Compiled:
    drop: tuple[CSSSelector, ...]  # selectors the walk cannot match itself (run before it)
    related: tuple[CSSSelector, ...]
    lines: tuple[re.Pattern[str], ...]
    codes: tuple[re.Pattern[str], ...]
    site_names: tuple[str, ...]
    errors: tuple[str, ...]
    drop_simple: tuple[SimpleSelector, ...] = ()  # selectors matched during the walk
    related_simple: tuple[SimpleSelector, ...] = ()
    hook_tags: frozenset[str] = _HOOK_TAGS  # elements the hook must see without class or id
    hook_all: bool = False  # a "*" selector: the hook sees every element


@lru_cache(maxsize=256)
def _compile(rules: PortalRules | None) -> _Compiled:
    errors: list[str] = []

    def css(sels: tuple[str, ...]) -> tuple[tuple[CSSSelector, ...], tuple[SimpleSelector, ...]]:
        out, simple = [], []
        for sel in sels:
            try:
                compiled = CSSSelector(sel, translator="html")  # validates every selector
            except Exception as exc:  # cssselect raises several types
                errors.append(f"bad selector {sel!r}: {exc}")
                continue
            quick = parse_selector(sel)
            if quick is None:
                out.append(compiled)
            else:
                simple.append(quick)
        return tuple(out), tuple(simple)

    def rx(pats: tuple[str, ...], suffix: str = "") -> tuple[re.Pattern[str], ...]:
        out = []
        for pat in pats:
            try:
                out.append(re.compile(f"(?:{pat}){suffix}", re.I))
            except re.error as exc:
                errors.append(f"bad pattern {pat!r}: {exc}")
        return tuple(out)

    if rules is None:
        return _Compiled((), (), (), (), (), ())
    drop, drop_simple = css(rules.drop_selectors)
    related, related_simple = css(rules.related_selectors)
    quick = drop_simple + related_simple
    return _Compiled(
        drop=drop,
        related=related,
        lines=rx(rules.line_patterns),
        codes=rx(rules.reporter_code_patterns, r"\s*$"),
        site_names=rules.site_names,
        errors=tuple(errors),
        drop_simple=drop_simple,
        related_simple=related_simple,
        hook_tags=_HOOK_TAGS | {q.tag for q in quick if q.needs == "tag" and q.tag},
        hook_all=any(q.needs == "any" for q in quick),
    )


def check_rules(rules: PortalRules) -> list[str]:
    """Problems with a portal's rules (bad CSS selectors or regexes); [] when all compile.

    >>> [e.split(":")[0] for e in check_rules(PortalRules(drop_selectors=(".ok", "[["),
    ...                                                   line_patterns=("(",)))]
    ["bad selector '[['", "bad pattern '('"]
    """
    return list(_compile(rules).errors)


def _plain_absolute(href: str) -> bool:
    """Whether ``urljoin(base, href)`` is ``href`` itself for any http(s) base: an absolute
    http(s) address with nothing urlsplit would drop, strip or refuse (empty "?", "#" or ";"
    parts, tabs and newlines, brackets, non-ASCII hosts).

    >>> _plain_absolute("https://x.id/a?b=1#c"), _plain_absolute("https://x.id/a?")
    (True, False)
    >>> _plain_absolute("/a"), _plain_absolute("HTTPS://x.id/")
    (False, False)
    """
    return (
        href.startswith(("https://", "http://"))
        and href.isascii()
        and href.isprintable()
        and ";" not in href
        and "[" not in href
        and "?#" not in href
        and not href.endswith(("?", "#"))
    )


def decode_cfemail(hexstr: str) -> str | None:
    """Decode Cloudflare's ``data-cfemail`` (first byte XOR key), or None when it is not one.

    >>> decode_cfemail("543931142c2c7a373b39")
    'me@xx.com'
    >>> decode_cfemail("zz") is None
    True
    """
    try:
        data = bytes.fromhex(hexstr.strip())
    except ValueError:
        return None
    if len(data) < 4:
        return None
    try:
        email = bytes(b ^ data[0] for b in data[1:]).decode("utf-8")
    except UnicodeDecodeError:
        return None
    return email if _EMAIL_RE.fullmatch(email) else None


def _is_title_like(text: str) -> bool:
    """A short line that reads like a headline rather than prose."""
    if len(text) > 160 or len(text) < 3 or text[0].islower():
        return False
    return not text.rstrip("\"'”’) ").endswith(_PROSE_END)


class _Cleaner:
    def __init__(self, rules: PortalRules | None, base_url: str | None) -> None:
        self.rules = rules
        self.c = _compile(rules)
        self.base_url = base_url if isinstance(base_url, str) and base_url else None
        self.res = CleanResult()
        self.record = lambda rule, text: self.res.removed.append(Removal(rule, text))
        self.drop_set: set = set()
        self.related_set: set = set()
        self.pending: str | None = None
        self.pending_first = False
        self.dateline_done = False
        self.tail: str | None = None  # rule of a closing list heading, once one was seen
        self.total_chars = 0
        self.done_chars = 0
        self._seen_related: set[tuple[str, str]] = set()

    # --- helpers ------------------------------------------------------------------------------

    def url(self, href: str | None) -> str:
        href = (href or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            return ""
        if "/cdn-cgi/" in href:
            return ""
        if _plain_absolute(href):
            return href  # what urljoin would return, without its cost
        if self.base_url:
            try:
                return urljoin(self.base_url, href)
            except ValueError:
                return ""
        if href.startswith("//"):
            return "https:" + href
        return href

    def add_related(self, title: str, url: str) -> None:
        title = title.strip(" \"'“”‘’-–—»›>:")
        if not title and not url:
            return
        key = (title, url)
        if key not in self._seen_related:
            self._seen_related.add(key)
            self.res.related_links.append({"title": title, "url": url})

    def add_caption(self, text: str) -> None:
        if text and text not in self.res.captions:
            self.res.captions.append(text)

    def set_field(self, name: str, value: str) -> None:
        names = filter_authors([value], self.c.site_names)
        res = self.res
        if name == "editor":
            if res.editor is None and names:
                res.editor = ", ".join(names)
        elif name == "reporter":
            if res.reporter is None and names:
                res.reporter = ", ".join(names)
        elif name == "writer":
            for n in names:
                if n not in res.writers:
                    res.writers.append(n)

    @staticmethod
    def text_of(el: lxml.etree._Element) -> str:
        """Normalised one-line text of a subtree (block breaks become spaces)."""
        return normalize_line(walk(el, raw=True))

    # --- element decisions ----------------------------------------------------------------------

    def is_drop(self, el: lxml.etree._Element) -> bool:
        """Whether a portal drop selector matches ``el``."""
        if self.drop_set and el in self.drop_set:
            return True
        return any(q.match(el, self.root) for q in self.c.drop_simple)

    def is_related(self, el: lxml.etree._Element) -> bool:
        """Whether a portal "read also" selector matches ``el``."""
        if self.related_set and el in self.related_set:
            return True
        return any(q.match(el, self.root) for q in self.c.related_simple)

    def hook(self, el: lxml.etree._Element, tag: str) -> bool | str:
        rule = _SKIP_RULES.get(tag)
        if rule is not None:
            if rule in ("script", "style"):
                text = " ".join((el.text or "").split())[:80]
            elif rule == "embed":
                text = el.get("src") or el.get("data") or ""
            else:
                text = normalize_line(" ".join(el.itertext()))[:200]
            self.record(rule, text)
            return True
        if self.is_drop(el):
            self.record("portal_selector", self.text_of(el))
            return True
        if self.is_related(el):
            return self.take_related(el, force=True)
        if tag == "img" or tag == "picture":
            self.record("image", el.get("alt") or el.get("src") or "")
            return True
        if is_embed(el):  # a social post ("Posted by ...", "A post shared by ..."), not a caption
            self.record("embed", self.text_of(el)[:200])
            return True
        if tag == "figure" or tag == "figcaption":
            return self.take_caption(el)
        cls = el.get("class")
        ident = el.get("id")
        if not cls and not ident:
            return tag == "aside" and self.take_related(el, aside=True)
        if cls and "__cf_email__" in cls:
            email = decode_cfemail(el.get("data-cfemail") or "")
            if email:
                return email
            self.record("email_protection", self.text_of(el))
            return True
        kind = classify_attrs(cls or "", ident or "")
        if kind is None:
            return tag == "aside" and self.take_related(el, aside=True)
        if kind == "read_also":
            return self.take_related(el)
        if kind == "caption":
            return self.take_caption(el)
        if kind == "meta":
            return self.take_meta(el, ident or cls or "")
        text = self.text_of(el)
        if len(text) > _WRAPPER_TEXT:
            return False
        self.record(kind, text)
        return True

    def take_related(
        self, el: lxml.etree._Element, force: bool = False, aside: bool = False
    ) -> bool:
        """Take a "read also" container into related links; False when it is not one.

        ``force``: a portal selector named it. ``aside``: an unnamed ``<aside>``, taken only when
        labelled as "read also" or made of links alone (a "Terpopuler" box is left to the lines).
        """
        full = self.text_of(el)
        items = []
        link_len = 0
        for a in el.iter("a"):
            title = normalize_line(a.text_content()) or normalize_line(a.get("title") or "")
            if title:
                link_len += len(title)
                items.append((title, self.url(a.get("href"))))
        rest = match_read_also(full, bool(items))
        if aside and rest is None and (not items or len(full) - link_len > len(items)):
            return False
        if not force:
            label_len = len(full) - len(rest) if rest is not None else 0
            if len(full) - link_len - label_len > 200:
                return False  # prose in a container named like a "read also" box
            if not items and not rest:
                return False  # a label alone: the line rules pair it with what follows
        if not items:
            title = rest if rest is not None else full
            if title:
                items.append((title, ""))
        for title, url in items:
            self.add_related(title, url)
        self.record("read_also", full)
        return True

    def take_caption(self, el: lxml.etree._Element) -> bool:
        caps = []
        for sub in el.iterdescendants():
            if not isinstance(sub.tag, str):
                continue
            cls = (sub.get("class") or "").lower()
            if sub.tag == "figcaption" or "caption" in cls:
                text = self.text_of(sub)
                if text:
                    caps.append(text)
                break
        if not caps:
            text = self.text_of(el)
            if text:
                caps.append(text)
        if caps:
            for text in caps:
                if is_ad_label(text):  # detik's "p.para_caption" ADVERTISEMENT
                    self.record("ad_slot", text)
                    continue
                if self.meta_line(text):  # a byline in a caption-named box
                    continue
                self.add_caption(text)
                self.record("caption", text)
        else:
            img = next(el.iter("img"), None)
            src = "" if img is None else (img.get("alt") or img.get("src") or "")
            self.record("image", src)
        return True

    def take_meta(self, el: lxml.etree._Element, which: str) -> bool:
        text = self.text_of(el)
        if not text:
            self.record("meta", "")
            return True
        parsed = parse_meta_line(text)
        if parsed is None:
            low = which.lower()
            name = next(
                (
                    f
                    for f in ("penulis", "editor", "reporter", "pewarta", "kontributor")
                    if f in low
                ),
                None,
            )
            if name is None or len(text) > 80:
                return False
            field_name = {
                "penulis": "writer",
                "pewarta": "reporter",
                "kontributor": "reporter",
            }.get(name, name)
            parsed = [(field_name, text)]
        for name, value in parsed:
            self.set_field(name, value)
        self.record(_FIELD_RULES[parsed[0][0]], text)
        return True

    # --- line decisions --------------------------------------------------------------------------

    def consume_pending(self, text: str, links: list[tuple[int, str]], link_len: int) -> bool:
        p = self.pending
        if p == "syndication":
            if URL_LINE_RE.fullmatch(text):
                src = self.res.syndicated_from
                if src is None or not src.startswith("http"):
                    url = text[text.find("http") :] if "http" in text else text
                    self.res.syndicated_from = url.rstrip(".,;:)")
                self.record("syndication", text)
                return True
            self.pending = None
            return False
        if classify_line(text) is not None or parse_meta_line(text) is not None:
            self.pending = None
            return False
        dominated = bool(links) and link_len * 10 >= len(text) * 6
        if p == "related":
            if dominated or (self.pending_first and _is_title_like(text)):
                self.related_from_line(text, links, text)
                self.record("read_also", text)
                self.pending_first = False
                return True
        elif dominated or _is_title_like(text):
            if p == "list_related":
                self.related_from_line(text, links, text)
                self.record("read_also", text)
            else:
                self.record("latest_list", text)
            return True
        self.pending = None
        return False

    def related_from_line(self, text: str, links: list[tuple[int, str]], rest: str) -> None:
        found = False
        for idx, title in links:
            href, title_attr = self.links[idx] if idx < len(self.links) else ("", "")
            title = title or normalize_line(title_attr)
            if title:
                self.add_related(title, self.url(href))
                found = True
        if not found and rest:
            self.add_related(rest, "")

    def inline_related(self, raw: str) -> str:
        """``raw`` (a walker line) without a bold "Baca juga:" label and its links set inside
        prose; the links become related links. A line that is only the label is left to
        :meth:`line`."""

        def repl(m: re.Match[str]) -> str:
            seg = m.group(0)
            if LINK_OPEN not in seg:
                return seg
            outside = raw[: m.start()] + raw[m.end() :]
            if not any(ch.isalnum() for ch in outside):
                return seg  # the whole line: the line rules take it
            label = _LINK_RE.sub(" ", seg).replace(BOLD_OPEN, " ").replace(BOLD_CLOSE, " ")
            if match_read_also(normalize_line(label), True) != "":
                return seg  # not a label alone: bold prose with a link
            for link in _LINK_RE.finditer(seg):
                idx = int(link.group(1))
                href, title_attr = self.links[idx] if idx < len(self.links) else ("", "")
                title = normalize_line(link.group(2)) or normalize_line(title_attr)
                if title:
                    self.add_related(title, self.url(href))
            self.record("read_also", normalize_line(_LINK_RE.sub(r"\2", seg)))
            return " "

        return _BOLD_RUN_RE.sub(repl, raw)

    def syndication(self, text: str, links: list[tuple[int, str]]) -> None:
        """Set ``syndicated_from`` from a syndication footer: its url, else the address of its
        link ("tayang di <a href=U>detikJatim</a>"), else the portal it names."""
        if self.res.syndicated_from is not None:
            return
        src = syndication_source(text)
        if src is None or not src.startswith("http"):
            for idx, _ in links:
                href = self.url(self.links[idx][0] if idx < len(self.links) else "")
                if href.startswith("http"):
                    src = href
                    break
        self.res.syndicated_from = src

    def meta_line(self, text: str) -> bool:
        """Take an editor / writer / reporter line into fields; False when it is not one."""
        if len(text) > 200:
            return False
        meta = parse_meta_line(text)
        if meta is not None:
            for name, value in meta:
                self.set_field(name, value)
            self.record(_FIELD_RULES[meta[0][0]], text)
            return True
        reporter = parse_laporan(text)
        if reporter is not None:
            self.set_field("reporter", reporter)
            self.record("reporter", text)
            return True
        return False

    def tail_line(self, text: str, links: list[tuple[int, str]]) -> None:
        """A line after a closing list heading: metadata is still taken, the rest dropped."""
        if self.meta_line(text):
            return
        rule = classify_line(text)
        if rule == "syndication":
            self.syndication(text, links)
        if rule is None and self.tail == "read_also" and links:
            self.related_from_line(text, links, "")
        self.record(rule or self.tail or "latest_list", text)

    def line(self, text: str, links: list[tuple[int, str]], bold: str | None) -> str | None:
        if self.tail is not None:
            self.tail_line(text, links)
            return None
        link_len = sum(len(t) for _, t in links) if links else 0
        if self.pending and self.consume_pending(text, links, link_len):
            return None
        for pat in self.c.lines:
            if pat.search(text):
                self.record("portal_line", text)
                return None
        rest = match_read_also(text, bool(links))
        if rest is not None:
            self.record("read_also", text)
            if not rest and not links:
                self.pending, self.pending_first = "related", True
            else:
                self.related_from_line(text, links, rest)
            return None
        heading = list_heading(text)
        if heading is not None:
            self.record(heading, text)
            if self.done_chars * 2 >= self.total_chars:
                self.tail = heading  # a list heading in the second half: the rest is the list
            else:
                self.pending = "list_related" if heading == "read_also" else "list"
            return None
        rule = classify_line(text)
        if rule is not None:
            if rule == "syndication":
                self.syndication(text, links)
                self.pending = "syndication"
            elif rule == "caption":
                self.add_caption(text)
            self.record(rule, text)
            return None
        if self.meta_line(text):
            return None
        if "[" in text:
            text = self.strip_inline(text, GAMBAS_INLINE_RE, "embed")
            text = self.strip_inline(text, EMAIL_PROTECTION_RE, "email_protection")
        low = text.lower()
        if "dilarang" in low:
            text = self.strip_inline(text, CRAWL_BAN_RE, "crawl_ban")
        if "©" in text or "copyright" in low:
            text = self.strip_inline(text, COPYRIGHT_TAIL_RE, "copyright")
        if not text:
            return None
        if not self.dateline_done:
            self.dateline_done = True
            found = parse_dateline(text, self.c.site_names, bold)
            if found is not None:
                city, end = found
                self.record("dateline", text[:end].strip())
                text = text[end:].lstrip(_DATELINE_REST_STRIP)
                if city is None:  # "SURYA.co.id | MALANG - ...": a site, then the city
                    again = parse_dateline(text, self.c.site_names)
                    if again is not None and again[0] is not None:
                        city, end = again
                        self.record("dateline", text[:end].strip())
                        text = text[end:].lstrip(_DATELINE_REST_STRIP)
                self.res.dateline_city = city
                if not text:
                    return None
        self.pending = None
        return text

    def strip_inline(self, text: str, pattern: re.Pattern[str], rule: str) -> str:
        def repl(m: re.Match[str]) -> str:
            self.record(rule, m.group(0).strip())
            return " "

        new = pattern.sub(repl, text)
        if new is text or new == text:
            return text
        return normalize_line(new)

    def strip_code(self, line: str) -> str | None:
        """``line`` without one closing reporter code or "(Editor: X)" note, or None if none."""
        # The global patterns match at most ~80 characters of a normalised line: search its end,
        # and only when it ends as they all do, with ")" or "]", or with "x/yy".
        start = max(0, len(line) - _TAIL_SPAN)
        end = line.rstrip()[-_CODE_SLASH_SPAN:]
        m = None
        if end.endswith((")", "]")) or "/" in end:
            m = TRAIL_META_RE.search(line, start)
            if m:
                name = _TRAIL_LABEL_FIELDS[m.group("label").lower()]
                self.set_field(name, m.group("value"))
                self.record(_FIELD_RULES[name], m.group(0).strip())
                return line[: m.start()].rstrip()
            m = TRAIL_SLASH_CODE_RE.search(line, start) or TRAIL_SHORT_CODE_RE.search(line, start)
        if m is None:
            for pat in self.c.codes:
                m = pat.search(line)
                if m:
                    break
        if m is None or m.start() == m.end():
            return None
        self.record("reporter_code", m.group(0).strip())
        return line[: m.start()].rstrip()

    def drop_source_line(self, paras: list[list[str]]) -> bool:
        """Drop a short "Sumber: X" line when it is the last or second-to-last line."""
        last = len(paras) - 1
        spots = [(last, len(paras[last]) - 1)]
        if len(paras[last]) >= 2:
            spots.append((last, len(paras[last]) - 2))
        elif last >= 1:
            spots.append((last - 1, len(paras[last - 1]) - 1))
        for p, i in spots:
            line = paras[p][i]
            if len(line) <= _SOURCE_LINE_MAX and SOURCE_LINE_RE.fullmatch(line):
                self.record("source_line", line)
                del paras[p][i]
                if not paras[p]:
                    del paras[p]
                return True
        return False

    def strip_tail(self, paras: list[list[str]]) -> None:
        """The closing pass, repeated until nothing changes: drop a "Sumber: X" line near the end,
        strip reporter codes ("(vyp/kna)", "(*)") and "(Editor: X)" notes off the last line."""
        for _ in range(_TAIL_ROUNDS):
            if not paras:
                return
            if self.drop_source_line(paras):
                continue
            last = paras[-1]
            line = self.strip_code(last[-1])
            if line is None:
                return
            if line:
                last[-1] = line
            else:
                last.pop()
                if not last:
                    paras.pop()

    # --- driver ------------------------------------------------------------------------------------

    def flatten(self, root: lxml.etree._Element, safe: bool) -> str | None:
        """The one walk: flat text of ``root`` with BREAKs, link and bold markers, the hook
        deciding element by element. Text nodes are copied untranslated (each line is normalised
        later); None when a text node held a marker character (the caller walks again with
        ``safe``, which translates every text node and deletes controls)."""
        out: list[str] = []
        app = out.append
        links = self.links
        hook = self.hook
        every = self.c.hook_all
        hook_tags = self.c.hook_tags
        sets = self.drop_set | self.related_set  # elements CSSSelector matched before the walk
        counts = [0, 0]  # breaks, bold runs

        def text(t: str, pre: bool) -> str:
            if safe:
                return t.translate(_SAFE_PRE_TABLE if pre else NODE_TABLE)
            return t.replace("\n", BREAK) if pre else t

        def visit(el: lxml.etree._Element, pre: bool) -> None:
            plain = not (safe or pre)
            t = el.text
            if t:
                app(t if plain else text(t, pre))
            for ch in el:
                tag = ch.tag
                if type(tag) is str:
                    if "}" in tag:
                        tag = tag.rsplit("}", 1)[1]
                    tag = tag.lower()
                    if tag == "br":
                        app(BREAK)
                        counts[0] += 1
                    elif tag in SKIP_TAGS:
                        hook(ch, tag)
                    elif (
                        every
                        or tag in hook_tags
                        or ch.get("class")
                        or ch.get("id")
                        or (sets and ch in sets)
                    ) and (took := hook(ch, tag)):
                        if took is not True:
                            app(took)  # the hook's replacement text (a decoded email)
                    elif tag in BLOCK_TAGS:
                        app(PARA)
                        visit(ch, pre or tag == "pre")
                        app(PARA)
                        counts[0] += 4
                    elif tag in CELL_TAGS:
                        app(" ")
                        visit(ch, pre)
                        app(" ")
                    elif tag == "a":
                        app(f"{LINK_OPEN}{len(links)}{LINK_MID}")
                        links.append((ch.get("href") or "", ch.get("title") or ""))
                        visit(ch, pre)
                        app(LINK_CLOSE)
                    elif tag in BOLD_TAGS:
                        app(BOLD_OPEN)
                        visit(ch, pre)
                        app(BOLD_CLOSE)
                        counts[1] += 1
                    else:
                        visit(ch, pre)
                tail = ch.tail
                if tail:
                    app(tail if plain else text(tail, pre))

        visit(root, False)
        flat = "".join(out)
        if not safe:
            n, bold = len(links), counts[1]
            want = (n, n, n, bold, bold, counts[0])
            if any(flat.count(m) != k for m, k in zip(_MARKERS, want, strict=True)):
                return None
        return flat

    def run(self, root: lxml.etree._Element, safe: bool = False) -> CleanResult:
        self.root = root
        for sel in self.c.drop:
            self.drop_set.update(sel(root))
        for sel in self.c.related:
            self.related_set.update(sel(root))
        self.drop_set.discard(root)
        self.related_set.discard(root)
        self.links: list[tuple[str, str]] = []
        flat = self.flatten(root, safe)
        if flat is None:  # a text node held a marker: start again, translating every node
            return _Cleaner(self.rules, self.base_url).run(root, safe=True)
        paras: list[list[str]] = []
        all_paras = []
        for chunk in _PARA_SPLIT_RE.split(flat):
            lines = [ln for ln in chunk.split(BREAK) if ln.strip()]
            if lines:
                all_paras.append(lines)
        self.total_chars = sum(len(raw) for raw_lines in all_paras for raw in raw_lines)
        for raw_lines in all_paras:
            kept: list[str] = []
            for raw in raw_lines:
                self.done_chars += len(raw)
                links: list[tuple[int, str]] = []
                text = raw
                if LINK_OPEN in text:
                    if BOLD_OPEN in text:
                        text = self.inline_related(text)

                    def repl(m: re.Match[str], links: list = links) -> str:
                        links.append((int(m.group(1)), normalize_line(m.group(2))))
                        return m.group(2)

                    text = _LINK_RE.sub(repl, text)
                    if LINK_OPEN in text:
                        text = _STRAY_OPEN_RE.sub("", text)
                bold = None
                if not self.dateline_done:
                    lead = text.lstrip()
                    if lead.startswith(BOLD_OPEN) and BOLD_CLOSE in lead:
                        bold = normalize_line(lead[1 : lead.index(BOLD_CLOSE)])
                text = normalize_line(text)
                if not text:
                    continue
                out = self.line(text, links, bold)
                if out:
                    kept.append(out)
            if kept:
                paras.append(kept)
        self.strip_tail(paras)
        self.res.body = "\n\n".join("\n".join(lines) for lines in paras)
        return self.res


def clean_body(
    body: str | lxml.html.HtmlElement,
    *,
    rules: PortalRules | None = None,
    base_url: str | None = None,
) -> CleanResult:
    """Clean an article body (HTML string or element): text, related links, captions, metadata.

    The element is not modified. Never raises: unparseable input gives an empty result, and an
    internal failure gives the plain text with a removal of rule ``error``.

    >>> r = clean_body('<p><strong>Jakarta</strong> - Harga cabai naik di <a href="/p">Pasar</a>'
    ...     ' Turi.</p><p>Baca juga: <a href="/a/1">Cabai Langka</a></p><p>Stok aman. (vyp/kna)</p>',
    ...     base_url="https://news.detik.com/x")
    >>> r.body
    'Harga cabai naik di Pasar Turi.\\n\\nStok aman.'
    >>> r.dateline_city, r.related_links
    ('Jakarta', [{'title': 'Cabai Langka', 'url': 'https://news.detik.com/a/1'}])
    >>> sorted(r.rule_counts)
    ['dateline', 'read_also', 'reporter_code']
    """
    root = None
    try:
        root = parse_html(body)
        if root is None:
            return CleanResult()
        return _Cleaner(rules, base_url).run(root)
    except Exception as exc:  # never let one odd page stop a crawl; the error rule is counted
        text = ""
        if root is not None:
            try:
                text = normalize_text(" ".join(root.itertext()))
            except Exception:  # pragma: no cover - itertext is iterative C code
                text = ""
        return CleanResult(body=text, removed=[Removal("error", f"{type(exc).__name__}: {exc}")])
