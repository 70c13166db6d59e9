"""Is this page an article at all? Bot challenges, soft 404s and listing pages are not.

Checked before extraction, in the crawl and in ``newscrawl extract``; each reason is counted
(``newscrawl/rejected/<reason>``) and such pages are never archived as articles.
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import urlsplit

from lxml import etree
from parsel import Selector
from scrapy.http import HtmlResponse, TextResponse

from newscrawl.pages.density import densest_element
from newscrawl.pages.fast import fast_selector, xpath
from newscrawl.portals import Profile
from newscrawl.safety.charset import is_bot_challenge, looks_like_soft_404, soft_404_title

#: Signals that a page describes one article (any one is enough), cheapest and commonest first:
#: each is a separate expression so the first hit ends the search.
_ARTICLE_SIGNALS_XPATHS = (
    "//meta[@property='og:type' and contains(translate(@content, 'ARTICLE', 'article'), 'article')]",
    "//meta[@property='article:published_time']",
    "//*[@itemprop='articleBody']",
    "//script[@type='application/ld+json'][contains(., 'Article')]",
)
#: Visible text of the page body. The HTML parser keeps the content of ``script`` and ``style``
#: as one text node, so "not(parent::...)" is "not(ancestor::...)" and much cheaper.
_BODY_TEXT_XPATH = etree.XPath(
    "//body//text()[not(parent::script) and not(parent::style)]", smart_strings=False
)
#: Lower-case words of which every challenge-page marker contains one: pages with none of them
#: skip the (slower) full challenge check.
_CHALLENGE_HINTS = (
    "cf-",
    "_cf_chl",
    "challenge",
    "checking",
    "cookies",
    "incapsula",
    "ddos-guard",
    "sucuri",
)
#: An element holding three paragraphs of prose: the body of one article, not a teaser list.
_PROSE_BLOCK_XPATH = "//*[count(p[string-length(normalize-space()) >= 150]) >= 3]"
#: Headline links, as listings show them (one per teaser).
_TEASER_XPATH = "//h2/a[@href] | //h3/a[@href] | //article//a[@href][normalize-space()]"


def looks_like_listing(sel: Selector) -> bool:
    """True for an index page: many teasers and no sign of a single article.

    >>> html = "<html><body>" + "<article><h2><a href='/a{0}'>Judul {0}</a></h2></article>" * 8
    >>> looks_like_listing(Selector(text=html.format(1)))
    True
    >>> looks_like_listing(Selector(text="<meta property='og:type' content='article'>" + html))
    False
    >>> prose = "<div>" + ("<p>" + "Kalimat berita yang panjang. " * 8 + "</p>") * 3 + "</div>"
    >>> looks_like_listing(Selector(text=html + prose))
    False
    """
    root = sel.root
    if not hasattr(root, "xpath"):
        return False
    if any(xpath(root, x) for x in _ARTICLE_SIGNALS_XPATHS) or xpath(root, _PROSE_BLOCK_XPATH):
        return False
    return len(xpath(root, "//article")) >= 4 or len(xpath(root, _TEASER_XPATH)) >= 6


#: JSON-LD types and OpenGraph types of pages that list things (their first JSON-LD type).
_LIST_LD_TYPES = frozenset(["CollectionPage", "ItemList", "SearchResultsPage", "OfferCatalog"])
#: URL paths of sections, collections, topics, tags, shops and archives (one to three segments
#: after the keyword, an optional language prefix before it), and the home page.
_LIST_PATH_RE = re.compile(
    r"^/(?:[a-z]{2}(?:-[a-z]{2})?/)?(?:collections?|category|categories|kategori|kanal|topics?"
    r"|topik|tags?|browse|c|cat|shop|list|hub|sections?|archives?|arsip|indeks|index|search)"
    r"(?:/[^/]+){0,2}/?$|^/?$",
    re.I,
)
#: Prices as shops show them.
_PRICE_RE = re.compile(r"[$€£]\s?\d")
_JSONLD_TYPE_RE = re.compile(r'"@type"\s*:\s*\[?\s*"([A-Za-z]+)"')
#: Weight of prose (:func:`~newscrawl.pages.density.densest_element`) above which challenge
#: markup alone does not make a page a challenge.
CHALLENGE_PROSE = 1500
#: Points of listing evidence at which a page without a profile is refused as a listing.
LISTING_POINTS = 5


def listing_points(sel: Selector, url: str, *, weight: float | None = None) -> int:
    """Evidence that a page lists things rather than tells one article (used without a profile).

    For: the page declares itself a collection (``og:type`` ``product.group``, a first JSON-LD
    type ``CollectionPage``/``ItemList``), a section/collection/tag URL or the home page, many
    prices, the teaser shape of :func:`looks_like_listing`, and little prose (the densest
    block of text, :func:`~newscrawl.pages.density.densest_element`, is light). Against: a
    publication time, an article signal, a heavy block of prose.

    >>> html = "<html><body>" + "<article><h2><a href='/a{0}'>Judul {0}</a></h2></article>" * 8
    >>> listing_points(Selector(text=html), "https://x.id/kanal/jatim") >= LISTING_POINTS
    True
    >>> prose = "<main>" + ("<p>" + "Kalimat berita yang panjang. " * 20 + "</p>") * 8 + "</main>"
    >>> listing_points(Selector(text=html + prose), "https://x.id/kanal/jatim") < LISTING_POINTS
    True
    """
    root = sel.root
    points = 0
    og_type = " ".join(xpath(root, "//meta[@property='og:type']/@content")).lower()
    ld_text = " ".join(xpath(root, "//script[@type='application/ld+json']/text()"))[:200_000]
    ld_types = _JSONLD_TYPE_RE.findall(ld_text)
    if og_type.startswith("product.group"):
        points += 4
    if ld_types[:1] and ld_types[0] in _LIST_LD_TYPES:
        points += 3
    if any(t in _LIST_LD_TYPES for t in ld_types):
        points += 2
    if og_type == "website":
        points += 1
    if _LIST_PATH_RE.match(urlsplit(url).path or "/"):
        points += 2
    text = " ".join(_BODY_TEXT_XPATH(root))
    if len(_PRICE_RE.findall(text)) >= 20:
        points += 2
    if looks_like_listing(sel):
        points += 2
    if weight is None:
        weight = prose_weight(root)
    if weight < 500:
        points += 4
    elif weight < 1500:
        points += 2
    elif weight >= 4000:
        points -= 1
    if "datePublished" in ld_text or xpath(root, "//meta[@property='article:published_time']"):
        points -= 2
    if any(xpath(root, x) for x in _ARTICLE_SIGNALS_XPATHS):
        points -= 1
    return points


def prose_weight(root: etree._Element) -> float:
    """Weight of the page's densest block of prose (0 for none)."""
    return densest_element(root, min_weight=0.0)[1]


def page_selector(response: TextResponse) -> Selector:
    """The response's parsed HTML, parsed once (Scrapy caches ``response.selector``; a response
    not parsed yet is parsed by :func:`~newscrawl.pages.fast.fast_selector`)."""
    if isinstance(response, HtmlResponse):
        if getattr(response, "_cached_selector", True) is None:
            # Not parsed yet: parse it the fast way, and let ``response.selector`` share it.
            with contextlib.suppress(Exception):  # Scrapy's own parse below then says what fails
                response._cached_selector = fast_selector(response)
        return response.selector
    return Selector(text=response.text or "", type="html")


def looks_like_challenge(title: str, html: str) -> bool:
    """A bot challenge ("Just a moment...")? The markup check runs only when a hint is present.

    >>> looks_like_challenge("Just a moment...", ""), looks_like_challenge("Berita", "<p>x</p>")
    (True, False)
    >>> looks_like_challenge("", '<div id="cf-browser-verification"></div>')
    True
    """
    head = html[:100_000]
    low = head.lower()
    if not any(hint in low for hint in _CHALLENGE_HINTS):
        head = ""
    return is_bot_challenge(title, head)


def not_article_reason(
    response: TextResponse, profile: Profile | None = None, *, base_url: str | None = None
) -> str | None:
    """``"bot_challenge"``, ``"listing"``, ``"soft_404"`` or None for an article page.

    A soft 404 is decided by the title, the first heading and the page's shape (how much text,
    whether it declares an article), never by a number in the text ("Rp 404 juta").

    ``base_url``: the mirror the page was fetched from (its URLs are classified as the portal's).
    """
    sel = page_selector(response)
    root = sel.root
    if not hasattr(root, "xpath"):
        return "soft_404"
    title = " ".join(xpath(root, "//title//text()")).strip()
    found: list[float] = []

    def weight() -> float:
        if not found:
            found.append(prose_weight(root))
        return found[0]

    if looks_like_challenge(title, response.text or "") and not (
        # Challenge markup (an Incapsula or Cloudflare script) on a page that carries an
        # article is the protection's footprint on a page that was served, not a challenge.
        not is_bot_challenge(title, "") and weight() >= CHALLENGE_PROSE
    ):
        return "bot_challenge"
    if profile is not None:
        if profile.classify(response.url, base_url=base_url) == "listing":
            return "listing"
        if looks_like_listing(sel):
            return "listing"
    elif listing_points(sel, response.url, weight=weight()) >= LISTING_POINTS:
        return "listing"
    # Soft 404 (the status was looked at before: 4xx and 5xx pages are never articles): by the
    # title or the first heading, by next to no text, or by not-found wording in a short text on
    # a page that does not say it is an article. A number in the text never decides it.
    if soft_404_title(title) or _not_found_heading(root):
        return "soft_404"
    text = " ".join(_BODY_TEXT_XPATH(root)).strip()
    if looks_like_soft_404(None, text) and (len(text) < _MIN_TEXT or not _article_signal(root)):
        return "soft_404"
    return None


#: Below this many characters of body text a page is no article, whatever it says it is.
_MIN_TEXT = 80


def _article_signal(root) -> bool:
    return any(xpath(root, x) for x in _ARTICLE_SIGNALS_XPATHS)


def _not_found_heading(root) -> bool:
    """The page's first ``h1`` reads like a not-found page ("404", "Halaman tidak ditemukan").

    >>> import lxml.html
    >>> _not_found_heading(lxml.html.fromstring("<div><h1>404</h1><p>Maaf</p></div>"))
    True
    >>> _not_found_heading(lxml.html.fromstring("<div><h1>404 Warga Terdampak Banjir</h1></div>"))
    False
    """
    heads = xpath(root, "(//h1)[1]")
    if not heads:
        return False
    return soft_404_title(" ".join(heads[0].itertext()))
