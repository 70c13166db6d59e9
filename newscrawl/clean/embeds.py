"""What an embedded social post or widget looks like: the one definition shared by the page path
(:func:`newscrawl.pages.blocks.drop_embeds`) and the cleaner (:func:`newscrawl.clean.clean_body`),
so a body handed straight to the cleaner loses the same embeds as one extracted from a page.
"""

from __future__ import annotations

import re

from lxml import etree

__all__ = ["AMP_WIDGETS", "EMBED_CLASSES", "PLAYER_TAGS", "is_embed"]

#: Class words of embedded posts (whole class values).
EMBED_CLASSES = frozenset(
    [
        "twitter-tweet",
        "twitter-video",
        "twitter-timeline",
        "instagram-media",
        "tiktok-embed",
        "fb-post",
        "fb-video",
        "fb-embed",
        "fb-xfbml-parse-ignore",
        "wp-block-embed",
        "embed-twitter",
        "embed-instagram",
        "embed-tiktok",
        "embed-facebook",
    ]
)
#: AMP elements that show a widget, an ad or a social post, never article text.
AMP_WIDGETS = frozenset(
    [
        "amp-ad",
        "amp-embed",
        "amp-sticky-ad",
        "amp-twitter",
        "amp-instagram",
        "amp-facebook",
        "amp-tiktok",
        "amp-youtube",
        "amp-iframe",
        "amp-social-share",
        "amp-analytics",
        "amp-video",
    ]
)
#: Players embedded in a body (their text is a fallback message, never article text).
PLAYER_TAGS = frozenset(["iframe", "video", "audio", "object", "embed"])
#: Hosts of social posts quoted by ``blockquote[cite]``.
_SOCIAL_CITE_RE = re.compile(
    r"^https?://(?:[\w-]+\.)*(?:facebook\.com|instagram\.com|tiktok\.com|twitter\.com|x\.com"
    r"|threads\.net)/",
    re.I,
)


def is_embed(el: etree._Element) -> bool:
    """Whether ``el`` is an embedded social post or an AMP widget.

    >>> from lxml import html
    >>> is_embed(html.fromstring('<blockquote class="twitter-tweet"><p>x</p></blockquote>'))
    True
    >>> is_embed(html.fromstring('<blockquote cite="https://www.facebook.com/a/posts/1">x</blockquote>'))
    True
    >>> is_embed(html.fromstring('<blockquote data-instgrm-permalink="https://instagram.com/p/1">'
    ...                          'A post shared by X</blockquote>'))
    True
    >>> is_embed(html.fromstring('<figure class="wp-block-embed is-type-rich"><div></div></figure>'))
    True
    >>> is_embed(html.fromstring('<blockquote><p>Kutipan pidato.</p></blockquote>'))
    False
    """
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in AMP_WIDGETS:
        return True
    cls = el.get("class")
    if cls and not EMBED_CLASSES.isdisjoint(cls.lower().split()):
        return True
    if tag == "blockquote":
        if el.get("data-instgrm-permalink") is not None or el.get("data-video-id"):
            return True
        return bool(_SOCIAL_CITE_RE.match(el.get("cite") or ""))
    return False
