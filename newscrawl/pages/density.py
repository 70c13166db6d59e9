"""The main text of a page found by text and link density (no selector, no profile).

Every block of text (a paragraph, a list item, a ``<div>`` of inline text, a run between
``<br>``s) weighs for or against the elements around it:

- prose (a block of some length whose text is mostly not link text) counts for, by its non-link
  characters, and its link text against;
- short fragments (menu items, buttons, labels) and link-heavy blocks count against;
- everything inside a region that is never the article counts against: menus, sidebars, lists of
  other news, footers, and consent banners, cookie walls, newsletter boxes, share bars, tag clouds
  (:func:`boilerplate_region`), however much prose they carry.

The body is the element with the highest sum over the blocks inside it: an article split over
sibling containers is taken whole (their parent sums all of them), a page-wide wrapper loses to
the article inside it (it adds menus and teasers, which weigh against), and a cookie banner or a
teaser never wins against a real article.

No I/O here: a parsed tree in, an element out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

#: Elements whose text is never shown as text.
SKIP_TAGS = frozenset(
    ["script", "style", "noscript", "template", "svg", "head", "title", "select", "option"]
)
#: Inline elements: their text belongs to the block around them.
INLINE_TAGS = frozenset(
    [
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "span",
        "font",
        "small",
        "sup",
        "sub",
        "mark",
        "abbr",
        "cite",
        "q",
        "s",
        "del",
        "ins",
        "code",
        "time",
        "label",
        "big",
        "tt",
        "kbd",
        "var",
        "dfn",
        "bdi",
        "bdo",
        "wbr",
    ]
)
#: Headings: short, but part of the article.
HEADING_TAGS = frozenset(["h2", "h3", "h4", "h5", "h6"])
#: Elements that are never the article: controls, navigation, page furniture.
OFF_TAGS = frozenset(["nav", "aside", "footer", "form", "button", "dialog", "menu"])
#: Class/id words of regions that are never the article.
OFF_TOKENS = frozenset(
    [
        "sidebar",
        "menu",
        "navbar",
        "nav",
        "navigation",
        "breadcrumb",
        "breadcrumbs",
        "footer",
        "related",
        "recommended",
        "recommendation",
        "popular",
        "populer",
        "terpopuler",
        "trending",
        "terkait",
        "rekomendasi",
        "comment",
        "comments",
        "komentar",
        "share",
        "sharing",
        "social",
        "newsletter",
        "subscribe",
        "subscription",
        "signup",
        "consent",
        "cookie",
        "cookies",
        "gdpr",
        "ccpa",
        "modal",
        "popup",
        "overlay",
        "disclaimer",
        "disclosure",
        "advertisement",
        "advert",
        "ads",
        "tagcloud",
        "tags",
        "banner",
    ]
)
#: Parts of class/id values of consent and cookie walls and newsletter boxes (matched anywhere:
#: ``CybotCookiebotDialog``, ``onetrust-consent-sdk``, ``sp_message_container``).
OFF_SUBSTRINGS = ("newsletter", "sp_message")
#: Parts of class/id values of consent banners and cookie walls: never the body, however much
#: text they hold (a consent banner can be longer than a short article).
CONSENT_SUBSTRINGS = ("cookie", "consent", "gdpr", "ccpa", "onetrust", "cookiebot", "cmp-")
#: Roles of regions that are never the article.
OFF_ROLES = frozenset(["navigation", "banner", "contentinfo", "complementary", "dialog", "menu"])

#: How far up a teaser card is looked for.
TEASER_LEVELS = 3
_SPLIT_RE = re.compile(r"[-_\s]+")


@dataclass(frozen=True)
class Weights:
    """How much each kind of text weighs (characters)."""

    #: A block with at least this many characters (and mostly not links) is prose.
    prose_chars: int = 25
    #: Share of link text above which a block is a list of links, not prose.
    link_share: float = 0.5
    #: Weight of each link character inside prose.
    link_penalty: float = 1.0
    #: Weight of each character of a short fragment or a link list.
    fragment_penalty: float = 0.6
    #: Weight of each character inside a region that is never the article.
    off_penalty: float = 0.6
    #: Weight of each character of a heading (for).
    heading_bonus: float = 0.5
    #: Characters taken off every prose block: a date line or a byline weighs nothing.
    block_cost: float = 30.0
    #: An element inside the heaviest one that keeps this share of its weight is the body
    #: (the article without its byline, date line and photo caption).
    keep_share: float = 0.9
    #: A container of at most this many characters whose links (outside a block) make this
    #: share of its text is a teaser card, and the block in it is not prose.
    teaser_chars: int = 500
    teaser_link_share: float = 0.3


DEFAULT_WEIGHTS = Weights()


#: Class words that describe the element's content or layout, not what it is (WordPress's
#: ``tag-cookies`` and ``category-social`` on a post, ``with-sidebar`` on a page wrapper).
_DESCRIPTIVE_PREFIXES = (
    "tag-",
    "tags-",
    "category-",
    "cat-",
    "post-",
    "has-",
    "with-",
    "no-",
    "is-",
    "format-",
    "type-",
    "status-",
    "page-template",
)
#: Consent walls and newsletter boxes: never the body, whatever they hold.
HARD_TOKENS = frozenset(
    ["consent", "cookie", "cookies", "gdpr", "ccpa", "newsletter", "modal", "popup", "tagcloud"]
)


def region_kind(el: etree._Element) -> str | None:
    """``"consent"`` for consent banners and cookie walls, ``"hard"`` for other regions that are
    never the article (newsletter boxes, dialogs, tag clouds, controls), ``"soft"`` for one that
    usually is not (menus, sidebars, related news, share bars, footers), else None. An
    ``article`` or ``main`` element is never a region, whatever its class.

    >>> from lxml import html
    >>> region_kind(html.fromstring('<div id="onetrust-banner-sdk">x</div>'))
    'consent'
    >>> region_kind(html.fromstring('<div class="tagcloud">x</div>'))
    'hard'
    >>> region_kind(html.fromstring('<div class="related-posts">x</div>'))
    'soft'
    >>> region_kind(html.fromstring('<article class="post tag-cookies category-social">x</article>'))
    >>> region_kind(html.fromstring('<div class="page-width with-sidebar">x</div>'))
    """
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in ("form", "button", "dialog", "select"):
        return "hard"
    if tag in ("article", "main", "body", "html") or el.get("itemprop") == "articleBody":
        return None  # an article named "newsletter-post" is an article
    if tag in OFF_TAGS:
        return "soft"
    role = (el.get("role") or "").lower()
    if role == "dialog" or el.get("aria-modal") == "true":
        return "hard"
    if role in OFF_ROLES:
        return "soft"
    words = [
        w
        for w in f"{el.get('class') or ''} {el.get('id') or ''}".lower().split()
        if not w.startswith(_DESCRIPTIVE_PREFIXES)
    ]
    if not words:
        return None
    names = " ".join(words)
    if any(s in names for s in CONSENT_SUBSTRINGS):
        return "consent"
    if any(s in names for s in OFF_SUBSTRINGS):
        return "hard"
    tokens = {t for t in _SPLIT_RE.split(names) if t}
    if tokens & HARD_TOKENS:
        return "hard"
    return "soft" if tokens & OFF_TOKENS else None


def boilerplate_region(el: etree._Element) -> bool:
    """Whether ``el`` itself is a region that is never (or usually not) the article.

    >>> from lxml import html
    >>> boilerplate_region(html.fromstring('<div class="entry-content">x</div>'))
    False
    >>> boilerplate_region(html.fromstring('<div class="share-buttons">x</div>'))
    True
    """
    return region_kind(el) is not None


def _block_of(el: etree._Element) -> etree._Element:
    node = el
    while node.tag in INLINE_TAGS:
        parent = node.getparent()
        if parent is None:
            break
        node = parent
    return node


def _blocks(
    root: etree._Element,
) -> tuple[dict[etree._Element, list[int]], dict[etree._Element, str | None]]:
    """Characters (all, in links) of every text block, and the region kind of every element."""
    kind: dict[etree._Element, str | None] = {}
    link: dict[etree._Element, bool] = {}
    chars: dict[etree._Element, list[int]] = {}
    skip: set[etree._Element] = set()
    for el in root.iter():
        parent = el.getparent()
        tag = el.tag if isinstance(el.tag, str) else None
        if tag is None or tag in SKIP_TAGS or (parent is not None and parent in skip):
            skip.add(el)
            continue
        kind[el] = region_kind(el)
        link[el] = tag == "a" or (link.get(parent, False) if parent is not None else False)
        n = len((el.text or "").strip()) + sum(len((c.tail or "").strip()) for c in el)
        if not n:
            continue
        counts = chars.setdefault(_block_of(el), [0, 0])
        counts[0] += n
        if link[el]:
            counts[1] += n
    return chars, kind


def block_weights(
    root: etree._Element, weights: Weights = DEFAULT_WEIGHTS
) -> dict[etree._Element, float]:
    """The weight of every element: the sum over the text blocks inside it."""
    w = weights
    chars, kind = _blocks(root)
    # Characters (all, in links) of the small containers around each block: a teaser card is
    # a headline link and a line of text; the line is not prose of the page.
    near: dict[etree._Element, list[int]] = {}
    for block, (total, linked) in chars.items():
        for node in _up(block, TEASER_LEVELS):
            counts = near.setdefault(node, [0, 0])
            counts[0] += total
            counts[1] += linked
    prose: dict[etree._Element, float] = {}  # block -> its value when not in an off region
    for block, (total, linked) in chars.items():
        if block.tag in HEADING_TAGS and linked < total / 2:
            prose[block] = w.heading_bonus * (total - linked) - w.link_penalty * linked
        elif (
            total >= w.prose_chars
            and linked <= w.link_share * total
            and not _teaser(block, linked, near, w)
        ):
            prose[block] = (total - linked) - w.link_penalty * linked - w.block_cost
        else:
            prose[block] = -w.fragment_penalty * total
    # Prose under each element: a "sidebar" class on the wrapper of half the page's prose
    # names a layout, not a sidebar (a consent banner stays one, whatever it holds).
    under: dict[etree._Element, float] = {}
    for block, value in prose.items():
        if value > 0:
            for node in _self_and_ancestors(block):
                under[node] = under.get(node, 0.0) + value
    page = under.get(root, 0.0)
    off: dict[etree._Element, bool] = {}
    for el, k in kind.items():
        parent = el.getparent()
        inherited = off.get(parent, False) if parent is not None else False
        if k in ("soft", "hard") and page and under.get(el, 0.0) >= 0.5 * page:
            k = None
        off[el] = inherited or k is not None
    out: dict[etree._Element, float] = {}
    for block, (total, _linked) in chars.items():
        value = -w.off_penalty * total if off.get(block) else prose[block]
        for node in _self_and_ancestors(block):
            out[node] = out.get(node, 0.0) + value
    return out


def _up(el: etree._Element, levels: int):
    """The ``levels`` ancestors of ``el`` (parent first)."""
    node = el.getparent()
    for _ in range(levels):
        if node is None:
            return
        yield node
        node = node.getparent()


def _teaser(
    block: etree._Element, linked: int, near: dict[etree._Element, list[int]], w: Weights
) -> bool:
    """Whether a block of text is the line under a headline link in a small card."""
    for node in _up(block, TEASER_LEVELS):
        total, links = near[node]
        if total > w.teaser_chars:
            return False
        if links - linked >= w.teaser_link_share * total:
            return True
    return False


def _self_and_ancestors(el: etree._Element):
    node: etree._Element | None = el
    while node is not None:
        yield node
        node = node.getparent()


def densest_element(
    root: etree._Element,
    weights: Weights = DEFAULT_WEIGHTS,
    *,
    min_weight: float = 200.0,
    scores: dict[etree._Element, float] | None = None,
) -> tuple[etree._Element | None, float]:
    """The element whose blocks weigh the most, with its weight (None under ``min_weight``).

    >>> from lxml import html
    >>> p = "<p>" + "Kalimat berita yang cukup panjang untuk dibaca. " * 4 + "</p>"
    >>> doc = html.fromstring("<html><body><nav>" + "<a href=/x>Menu</a>" * 30 + "</nav>"
    ...     "<div id=cookie-consent>" + p + "</div><main><div id=a>" + p * 2 + "</div>"
    ...     "<div id=b>" + p * 2 + "</div></main></body></html>")
    >>> densest_element(doc)[0].tag
    'main'
    """
    if scores is None:
        scores = block_weights(root, weights)
    best, best_score = None, float("-inf")
    for el, score in scores.items():
        if el.tag != "html" and score > best_score:
            best, best_score = el, score
    if best is None or best_score < min_weight:
        return None, max(best_score, 0.0)
    # The innermost element that keeps nearly all the weight (a wrapper adds only furniture).
    floor = weights.keep_share * best_score
    top, depth = best, 0
    for el, score in scores.items():
        if score >= floor and el is not top and _inside(el, top):
            d = sum(1 for _ in el.iterancestors())
            if d > depth:
                best, depth = el, d
    return best, scores[best]


def _inside(inner: etree._Element, outer: etree._Element) -> bool:
    return any(node is outer for node in inner.iterancestors())
