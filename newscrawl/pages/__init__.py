"""Page classes: a response in, a :class:`~newscrawl.items.RawArticle` out.

:func:`page_for` picks the class named by the profile (``page_class``), or the generic one.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from scrapy.http import TextResponse

from newscrawl.portals import Profile


def page_class(profile: Profile | None) -> type:
    from newscrawl.pages.generic import GenericPage

    if profile is None or not profile.page_class:
        return GenericPage
    module, _, name = profile.page_class.partition(":")
    return getattr(import_module(module), name)


def page_for(response: TextResponse, profile: Profile | None = None, **kwargs: Any):
    """The page object that extracts ``response`` for ``profile`` (generic when None)."""
    return page_class(profile)(response, profile, **kwargs)
