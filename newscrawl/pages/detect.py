"""Is this page an article at all? Bot challenges, soft 404s and listing pages are not.

Checked before extraction, in the crawl and in ``newscrawl extract``; each reason is counted
(``newscrawl/rejected/<reason>``) and such pages are never archived as articles.
"""

from __future__ import annotations

from parsel import Selector
from scrapy.http import TextResponse

from newscrawl.portals import Profile
from newscrawl.safety.charset import is_bot_challenge, looks_like_soft_404

#: Signals that a page describes one article (any one is enough).
_ARTICLE_SIGNALS_XPATH = (
    "//meta[@property='og:type' and contains(translate(@content, 'ARTICLE', 'article'), 'article')]"
    " | //meta[@property='article:published_time']"
    " | //*[@itemprop='articleBody']"
    " | //script[@type='application/ld+json'][contains(., 'Article')]"
)
#: Headline links, as listings show them (one per teaser).
_TEASER_XPATH = "//h2/a[@href] | //h3/a[@href] | //article//a[@href][normalize-space()]"


def looks_like_listing(sel: Selector) -> bool:
    """True for an index page: many teasers and no sign of a single article.

    >>> html = "<html><body>" + "<article><h2><a href='/a{0}'>Judul {0}</a></h2></article>" * 8
    >>> looks_like_listing(Selector(text=html.format(1)))
    True
    >>> looks_like_listing(Selector(text="<meta property='og:type' content='article'>" + html))
    False
    """
    if sel.xpath(_ARTICLE_SIGNALS_XPATH):
        return False
    return len(sel.xpath("//article")) >= 4 or len(sel.xpath(_TEASER_XPATH)) >= 6


def not_article_reason(response: TextResponse, profile: Profile | None = None) -> str | None:
    """``"bot_challenge"``, ``"listing"``, ``"soft_404"`` or None for an article page."""
    sel = Selector(text=response.text or "", type="html")
    title = " ".join(sel.xpath("//title//text()").getall()).strip()
    if is_bot_challenge(title, response.text[:100_000]):
        return "bot_challenge"
    if profile is not None and profile.classify(response.url) == "listing":
        return "listing"
    if looks_like_listing(sel):
        return "listing"
    text = " ".join(
        sel.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]").getall()
    )
    if looks_like_soft_404(title, text):
        return "soft_404"
    return None
