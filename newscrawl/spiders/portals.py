"""A spider for every portal profile: the class is a name and a profile key, nothing more.

``scrapy crawl surabayapagi`` and ``newscrawl crawl surabayapagi`` both find them here.
"""

from __future__ import annotations

from newscrawl.portals import all_profiles
from newscrawl.spiders.base import PortalSpider


def _spider_class(key: str) -> type[PortalSpider]:
    cls_name = "".join(part.capitalize() for part in key.replace("-", "_").split("_")) + "Spider"
    return type(
        cls_name, (PortalSpider,), {"name": key, "profile_key": key, "__module__": __name__}
    )


globals().update({cls.__name__: cls for cls in map(_spider_class, all_profiles())})
