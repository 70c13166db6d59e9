"""Setting the delay of a request's download slot, before or after Scrapy has made the slot.

Two components steer a portal's slot: the robots middleware puts the robots.txt Crawl-delay
under it as a floor, and the shared politeness budget sets it to exactly what the budget
granted. Both go through :func:`set_slot_delay`, so both reach a slot that does not exist yet
(through ``per_slot_settings``) and both turn Scrapy's jitter off.
"""

from __future__ import annotations

from typing import Any


def set_slot_delay(crawler: Any, request: Any, delay: float, *, floor: bool = False) -> None:
    """Give the download slot of ``request`` this ``delay`` (at least it, with ``floor``)
    and no jitter. Does nothing before the engine has a downloader."""
    downloader = getattr(getattr(crawler, "engine", None), "downloader", None)
    if downloader is None:
        return
    key = downloader.get_slot_key(request)
    slot = downloader.slots.get(key)
    if slot is None:
        settings = downloader.per_slot_settings.setdefault(key, {})
        settings["delay"] = max(settings.get("delay", 0.0), delay) if floor else delay
        settings["jitter"] = 0.0
    else:
        slot.delay = max(slot.delay, delay) if floor else delay
        slot.jitter = 0.0
