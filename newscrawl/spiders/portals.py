"""A spider for every portal profile: the class is a name and a profile key, nothing more.

``scrapy crawl surabayapagi`` and ``newscrawl crawl surabayapagi`` both find them here.

>>> spider_class("detik").__name__, spider_class("detik").profile_key
('DetikSpider', 'detik')
"""

from __future__ import annotations

from newscrawl.portals import all_profiles
from newscrawl.spiders.base import PortalSpider


def _class_name(key: str) -> str:
    return "".join(part.capitalize() for part in key.replace("-", "_").split("_")) + "Spider"


def _spider_class(key: str) -> type[PortalSpider]:
    return type(
        _class_name(key), (PortalSpider,), {"name": key, "profile_key": key, "__module__": __name__}
    )


for _key in all_profiles():
    globals()[_class_name(_key)] = _spider_class(_key)
del _key


def spider_class(key: str) -> type[PortalSpider]:
    """The spider class of portal ``key`` (KeyError naming the known keys otherwise)."""
    if key not in all_profiles():
        raise KeyError(f"unknown portal {key!r}; known: {', '.join(all_profiles())}")
    return globals()[_class_name(key)]
