"""Is this page an article at all? Bot challenges, soft 404s and listing pages are not.

Checked before extraction, in the crawl and in ``newscrawl extract``; each reason is counted
(``newscrawl/rejected/<reason>``) and such pages are never archived as articles.
"""

from __future__ import annotations

import contextlib

from lxml import etree
from parsel import Selector
from scrapy.http import HtmlResponse, TextResponse

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
    if looks_like_challenge(title, response.text or ""):
        return "bot_challenge"
    if profile is not None and profile.classify(response.url, base_url=base_url) == "listing":
        return "listing"
    if looks_like_listing(sel):
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
