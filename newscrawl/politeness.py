"""One politeness budget per portal, shared by every worker of a distributed crawl.

Scrapy's delay, concurrency and AutoThrottle live in each process's download slots: N workers
would put N times the load on a portal. :class:`SharedPolitenessMiddleware` asks Redis before
each request leaves the worker, so all workers together keep to one budget per host:

* **concurrency**: at most ``CONCURRENT_REQUESTS_PER_DOMAIN`` (or the slot's ``concurrency`` in
  ``DOWNLOAD_SLOTS``) requests in flight to the host, counted over all workers. Each request
  holds a *lease* (a member of a sorted set scored by its expiry time) from the moment it is sent
  until its response or error comes back. A worker that dies gives its leases back when they
  expire (``NEWSCRAWL_POLITE_LEASE_TTL``, default ``DOWNLOAD_TIMEOUT`` + 15 s).
* **delay**: two requests to the host start at least ``delay`` seconds apart, over all workers;
  ``delay`` is the largest of ``DOWNLOAD_DELAY`` (or the slot's ``delay``), the robots.txt
  ``Crawl-delay`` (as :mod:`newscrawl.safety.robots` caps it) and the shared AutoThrottle delay.
* **AutoThrottle**: when ``AUTOTHROTTLE_ENABLED``, every worker feeds the latency of its
  responses into one delay per host kept in Redis, with Scrapy's rule (move half way towards
  ``latency / AUTOTHROTTLE_TARGET_CONCURRENCY``, never below the floor nor above
  ``AUTOTHROTTLE_MAX_DELAY``; an error response never lowers it).

Both checks and updates are Lua scripts run atomically by Redis with Redis's own clock
(``TIME``), so workers on machines whose clocks disagree still share one timeline.

Keys (``<prefix>`` is ``NEWSCRAWL_REDIS_PREFIX``, default ``newscrawl``; one budget per host, so
two crawls of the same portal share it too):

* ``<prefix>:polite:<host>:leases`` the requests in flight (sorted set, score = expiry in ms)
* ``<prefix>:polite:<host>:state``  ``next`` (ms, earliest start of the next request) and
  ``delay`` (ms, the shared AutoThrottle delay); it expires after a day without requests.

If Redis stops answering, the worker says so, counts ``newscrawl/polite/redis_error`` and falls
back to its own local delay and concurrency (Scrapy's slots still apply) for
``NEWSCRAWL_POLITE_REDIS_RETRY`` seconds (30) before asking Redis again; it never drops a
request. While the budget works, the worker's own download slot has no delay of its own (the
budget spaces the requests), so that a granted request leaves at once. Stats: ``newscrawl/polite/{granted,waited,
wait_seconds,released,redis_error}``.

Enabled by :class:`newscrawl.distributed.RedisAddon` whenever ``NEWSCRAWL_REDIS_URL`` is set;
``NEWSCRAWL_POLITE_SHARED = False`` turns it off (each worker is then polite on its own only).
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import sleep
from scrapy.utils.httpobj import urlparse_cached

from newscrawl.safety.slots import set_slot_delay

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

#: Meta key holding the lease of a request in flight.
LEASE_META = "newscrawl_polite_lease"
#: Seconds a host's state is kept after its last request.
STATE_TTL_SECONDS = 24 * 3600

# KEYS: leases, state. ARGV: lease id, concurrency, floor delay ms, lease ttl ms, state ttl s.
# Returns {granted (0/1), wait ms (-1: the host is at its concurrency), delay ms used}.
ACQUIRE_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local delay = tonumber(redis.call('HGET', KEYS[2], 'delay') or '0')
local floor = tonumber(ARGV[3])
if delay < floor then delay = floor end
local nxt = tonumber(redis.call('HGET', KEYS[2], 'next') or '0')
if now < nxt then
  return {0, nxt - now, math.floor(delay)}
end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return {0, -1, math.floor(delay)}
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('HSET', KEYS[2], 'next', now + math.floor(delay))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]) + 1000)
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[5]))
return {1, 0, math.floor(delay)}
"""

# KEYS: state. ARGV: latency ms, target concurrency, min delay ms, max delay ms, start delay ms,
# ok (1 when the response may lower the delay). Returns the new delay in ms.
THROTTLE_LUA = """
local latency = tonumber(ARGV[1])
local target_conc = tonumber(ARGV[2])
local mindelay = tonumber(ARGV[3])
local maxdelay = tonumber(ARGV[4])
local old = tonumber(redis.call('HGET', KEYS[1], 'delay') or ARGV[5])
local target = latency / target_conc
local new = (old + target) / 2.0
if new < target then new = target end
if new < mindelay then new = mindelay end
if new > maxdelay then new = maxdelay end
if ARGV[6] ~= '1' and new <= old then
  return math.floor(old)
end
redis.call('HSET', KEYS[1], 'delay', tostring(new))
return math.floor(new)
"""


def budget_keys(host: str, prefix: str) -> tuple[str, str]:
    """The Redis keys of the shared budget of ``host``.

    >>> budget_keys("www.surabayapagi.com", "newscrawl")
    ('newscrawl:polite:www.surabayapagi.com:leases', 'newscrawl:polite:www.surabayapagi.com:state')
    """
    base = f"{prefix}:polite:{host.lower()}"
    return f"{base}:leases", f"{base}:state"


class SharedBudget:
    """The Redis side of the budget: acquire and release leases, feed AutoThrottle.

    Usable without Scrapy (the benchmarks and tests call it directly). Delays in seconds.
    """

    def __init__(self, client: Any, prefix: str, *, lease_ttl: float = 45.0) -> None:
        self.client = client
        self.prefix = prefix
        self.lease_ttl_ms = max(1000, int(lease_ttl * 1000))
        self._acquire = client.register_script(ACQUIRE_LUA)
        self._throttle = client.register_script(THROTTLE_LUA)

    def try_acquire(self, host: str, lease: str, concurrency: int, delay: float) -> float:
        """0.0 when ``lease`` now holds a slot of ``host``; otherwise seconds to wait before
        asking again (-1.0: all slots taken, ask again soon)."""
        leases, state = budget_keys(host, self.prefix)
        granted, wait_ms, _ = self._acquire(
            keys=[leases, state],
            args=[
                lease,
                max(1, concurrency),
                int(delay * 1000),
                self.lease_ttl_ms,
                STATE_TTL_SECONDS,
            ],
        )
        if int(granted):
            return 0.0
        return -1.0 if int(wait_ms) < 0 else int(wait_ms) / 1000.0

    def release(self, host: str, lease: str) -> None:
        self.client.zrem(budget_keys(host, self.prefix)[0], lease)

    def in_flight(self, host: str) -> int:
        """Live leases of ``host`` (expired ones not counted)."""
        leases = budget_keys(host, self.prefix)[0]
        now_ms = self._now_ms()
        return int(self.client.zcount(leases, f"({now_ms}", "+inf"))

    def shared_delay(self, host: str) -> float | None:
        raw = self.client.hget(budget_keys(host, self.prefix)[1], "delay")
        return float(raw) / 1000.0 if raw is not None else None

    def throttle(
        self,
        host: str,
        latency: float,
        *,
        target_concurrency: float,
        min_delay: float,
        max_delay: float,
        start_delay: float,
        ok: bool,
    ) -> float:
        """Feed one response's latency into the host's shared AutoThrottle delay; the new
        delay in seconds."""
        state = budget_keys(host, self.prefix)[1]
        new_ms = self._throttle(
            keys=[state],
            args=[
                latency * 1000.0,
                max(target_concurrency, 0.01),
                min_delay * 1000.0,
                max(max_delay, min_delay) * 1000.0,
                max(start_delay, min_delay) * 1000.0,
                "1" if ok else "0",
            ],
        )
        return int(new_ms) / 1000.0

    def clear(self, host: str) -> None:
        self.client.delete(*budget_keys(host, self.prefix))

    def _now_ms(self) -> int:
        sec, usec = self.client.time()
        return int(sec) * 1000 + int(usec) // 1000


class SharedPolitenessMiddleware:
    """Downloader middleware: no request leaves this worker before the portal's shared budget
    (in Redis) grants it a slot; see the module documentation."""

    def __init__(self, crawler: Crawler, budget: SharedBudget) -> None:
        s = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.budget = budget
        self.delay = max(0.0, s.getfloat("DOWNLOAD_DELAY"))
        self.concurrency = max(1, s.getint("CONCURRENT_REQUESTS_PER_DOMAIN") or 1)
        self.slots_settings: dict[str, dict[str, Any]] = dict(s.getdict("DOWNLOAD_SLOTS"))
        self.poll = max(0.01, s.getfloat("NEWSCRAWL_POLITE_POLL", 0.05))
        self.autothrottle = s.getbool("AUTOTHROTTLE_ENABLED")
        self.at_target = s.getfloat("AUTOTHROTTLE_TARGET_CONCURRENCY", 1.0)
        self.at_start = s.getfloat("AUTOTHROTTLE_START_DELAY", 5.0)
        self.at_max = s.getfloat("AUTOTHROTTLE_MAX_DELAY", 60.0)
        self.worker = uuid.uuid4().hex[:10]
        self._held: dict[str, str] = {}  # lease -> host
        self._down_until = 0.0  # Redis failed: local politeness only until then (monotonic)
        self.retry_redis = max(1.0, s.getfloat("NEWSCRAWL_POLITE_REDIS_RETRY", 30.0))
        self._robots: Any = None
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedPolitenessMiddleware:
        s = crawler.settings
        url = s.get("NEWSCRAWL_REDIS_URL")
        if not url:
            raise NotConfigured("no NEWSCRAWL_REDIS_URL: politeness is per worker")
        if not s.getbool("NEWSCRAWL_POLITE_SHARED", True):
            raise NotConfigured("NEWSCRAWL_POLITE_SHARED is off")
        from newscrawl.distributed import DEFAULT_PREFIX, connect

        prefix = s.get("NEWSCRAWL_REDIS_PREFIX") or DEFAULT_PREFIX
        ttl = s.getfloat("NEWSCRAWL_POLITE_LEASE_TTL", 0.0) or (
            s.getfloat("DOWNLOAD_TIMEOUT", 180.0) + 15.0
        )
        return cls(crawler, SharedBudget(connect(url), prefix, lease_ttl=ttl))

    # --- the portal's budget as this worker's settings describe it ------------------------------
    def _host(self, request: Request) -> str | None:
        parsed = urlparse_cached(request)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            return None
        return parsed.hostname.lower()

    def _slot_settings(self, request: Request) -> dict[str, Any]:
        slot = request.meta.get("download_slot") or self._host(request) or ""
        return self.slots_settings.get(slot) or {}

    def _crawl_delay(self, request: Request) -> float:
        """The robots.txt Crawl-delay the robots middleware found for the host (0 if none)."""
        if self._robots is None:
            self._robots = False
            downloader = getattr(self.crawler.engine, "downloader", None)
            for mw in getattr(getattr(downloader, "middleware", None), "middlewares", ()):
                if hasattr(mw, "_hosts") and hasattr(mw, "_host_key"):
                    self._robots = mw
                    break
        if not self._robots:
            return 0.0
        host = self._robots._hosts.get(self._robots._host_key(request))
        return float(getattr(host, "delay", None) or 0.0)

    def floor_delay(self, request: Request) -> float:
        slot = self._slot_settings(request)
        delay = float(slot.get("delay", self.delay) or 0.0)
        return max(delay, self._crawl_delay(request))

    def concurrency_for(self, request: Request) -> int:
        return max(1, int(self._slot_settings(request).get("concurrency", self.concurrency)))

    # --- the middleware ------------------------------------------------------------------------
    async def process_request(self, request: Request) -> None:
        host = self._host(request)
        if host is None:
            return None
        floor = self.floor_delay(request)
        if self._redis_down:
            self._set_local_slot(request, floor)  # polite on its own meanwhile
            return None
        lease = f"{self.worker}:{uuid.uuid4().hex[:12]}"
        concurrency = self.concurrency_for(request)
        started = time.monotonic()
        waited = False
        while True:
            try:
                wait = self.budget.try_acquire(host, lease, concurrency, floor)
            except Exception as exc:  # noqa: BLE001 - Redis gone: stay polite locally
                self._redis_failed(exc)
                self._set_local_slot(request, floor)
                return None
            if wait == 0.0:
                break
            waited = True
            await sleep(self.poll if wait < 0 else max(wait, 0.001))
        self._held[lease] = host
        request.meta[LEASE_META] = lease
        self._set_local_slot(request, 0.0)
        self.stats.inc_value("newscrawl/polite/granted")
        if waited:
            self.stats.inc_value("newscrawl/polite/waited")
            self.stats.inc_value(
                "newscrawl/polite/wait_seconds", round(time.monotonic() - started, 3)
            )
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        self._release(request)
        if self.autothrottle and not request.meta.get("autothrottle_dont_adjust_delay"):
            latency = request.meta.get("download_latency")
            host = self._host(request)
            if latency is not None and host and not self._redis_down:
                floor = self.floor_delay(request)
                try:
                    self.budget.throttle(
                        host,
                        float(latency),
                        target_concurrency=self.at_target,
                        min_delay=floor,
                        max_delay=self.at_max,
                        start_delay=self.at_start,
                        ok=response.status == 200,
                    )
                except Exception as exc:  # noqa: BLE001
                    self._redis_failed(exc)
        return response

    def process_exception(self, request: Request, exception: BaseException) -> None:
        self._release(request)
        return None

    def _set_local_slot(self, request: Request, delay: float) -> None:
        """Set the worker's own download slot of ``request`` to ``delay``, without jitter.

        Granted by the shared budget, a request must leave at once: a local delay (Scrapy's,
        the robots.txt Crawl-delay the robots middleware puts on the slot, AutoThrottle's,
        jitter) counted from this worker's previous request would send it later than granted,
        closer to another worker's next request than the budget allows. So the slot gets 0
        on each grant, and the floor delay back while Redis is unavailable.
        """
        set_slot_delay(self.crawler, request, delay)

    @property
    def _redis_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _release(self, request: Request) -> None:
        lease = request.meta.pop(LEASE_META, None)
        host = self._held.pop(lease, None) if lease else None
        if host is None:
            return
        try:
            self.budget.release(host, lease)
            self.stats.inc_value("newscrawl/polite/released")
        except Exception as exc:  # noqa: BLE001 - the lease expires on its own
            self._redis_failed(exc)

    def _redis_failed(self, exc: BaseException) -> None:
        self.stats.inc_value("newscrawl/polite/redis_error")
        if not self._redis_down:
            logger.error(
                "shared politeness budget unavailable (Redis: %r): this worker falls back to "
                "its own delay and concurrency for %.0fs",
                exc,
                self.retry_redis,
            )
        self._down_until = time.monotonic() + self.retry_redis

    def spider_closed(self, spider: Any = None) -> None:
        held, self._held = self._held, {}
        for lease, host in held.items():
            with contextlib.suppress(Exception):  # they expire anyway
                self.budget.release(host, lease)


__all__ = [
    "ACQUIRE_LUA",
    "THROTTLE_LUA",
    "SharedBudget",
    "SharedPolitenessMiddleware",
    "budget_keys",
]
