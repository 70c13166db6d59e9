"""Log lines for dropped items: the reason and URL, never the whole item.

Scrapy's default logs every dropped item in full at WARNING (a raw article carries its whole
HTML). Our pipelines put the reason and the URL in the :class:`~scrapy.exceptions.DropItem`
message and choose its level (``out_of_range`` is routine: INFO), so the line says all that is
needed and the counters in the crawl stats do the counting.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import logformatter


class NewscrawlLogFormatter(logformatter.LogFormatter):
    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any = None):
        level = getattr(exception, "log_level", None) or "WARNING"
        return {
            "level": getattr(logging, str(level).upper(), logging.WARNING),
            "msg": "Dropped: %(exception)s",
            "args": {"exception": exception},
        }
