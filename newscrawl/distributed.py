"""One crawl spread over many machines: scrapy-redis scheduling, one shared archive.

``newscrawl crawl SITE --redis redis://host:6379/0`` merges :func:`redis_settings` into the crawl
settings (or, with :class:`RedisAddon` enabled, any crawl with ``-s NEWSCRAWL_REDIS_URL=...``). Every worker (any number, on any machine, joining and leaving at will) then takes its
requests from one Redis queue per portal and checks new ones against one Redis dupefilter:

* ``newscrawl:<site>:requests``   the request queue (a sorted set by priority)
* ``newscrawl:<site>:dupefilter`` fingerprints of requests already queued in this crawl
* ``newscrawl:<site>:workers``    the workers of the crawl and what they are doing

and every worker writes into the same archive (PostgreSQL; SQLite only works when all workers
run on one machine). The archive, not the dupefilter, decides what is done: each worker loads the
archived URLs at start and skips them, so the dupefilter only keeps workers of *one* crawl from
fetching a page twice. Clearing it is always safe (the worst case is a listing fetched twice);
the last worker to finish clears it, and a worker that finds an empty queue and no other live
worker clears a stale one left by a killed crawl.

Compatibility with Scrapy 2.19 (scrapy-redis 0.9.1): the scheduler and dupefilter work, but pass
``spider=`` to the stats collector (deprecated, one warning per call), pickle requests into Redis
(anyone who can write to Redis could run code on every worker), and the dupefilter ignores
``REQUEST_FINGERPRINTER_CLASS``. :class:`RedisScheduler` and :class:`RedisDupeFilter` are the thin
adapters: stats without ``spider``, JSON requests (:func:`dumps` / :func:`loads`), the crawler's
request fingerprinter, and the coordination of workers described above.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import socket
import time
import uuid
from datetime import datetime
from typing import Any

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.misc import load_object
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

logger = logging.getLogger(__name__)

#: First part of every Redis key we make.
DEFAULT_PREFIX = "newscrawl"
#: Where ``newscrawl redis-status`` and friends connect without ``--redis``.
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
ENV_REDIS_URL = "NEWSCRAWL_REDIS_URL"

#: Redis URLs redis-py understands: TCP, TLS, Unix socket.
_REDIS_URL_RE = re.compile(r"^(redis|rediss|unix)://", re.I)
#: A portal key or key prefix: letters, digits, ``_``, ``-``, ``.`` (no ``:``, ``%`` or spaces).
_KEY_PART_RE = re.compile(r"^[A-Za-z0-9_.-]+$")

#: The shared politeness budget (newscrawl.politeness): closest to the download itself, after
#: the robots.txt middleware (100), whose robots.txt requests it must not wait behind.
POLITENESS_MIDDLEWARE = "newscrawl.politeness.SharedPolitenessMiddleware"
POLITENESS_ORDER = 960

#: Defaults of our settings (``settings.py`` may set them too).
IDLE_CLOSE_SECONDS = 10.0
WORKER_TTL_SECONDS = 60.0
HEARTBEAT_SECONDS = 15.0


# --- keys and settings --------------------------------------------------------------------------
def redis_keys(site: str, prefix: str = DEFAULT_PREFIX) -> dict[str, str]:
    """The Redis keys of a distributed crawl of ``site``.

    >>> redis_keys("surabayapagi")
    {'queue': 'newscrawl:surabayapagi:requests', 'dupefilter': 'newscrawl:surabayapagi:dupefilter', 'workers': 'newscrawl:surabayapagi:workers'}
    >>> redis_keys("detik", prefix="test-1")["queue"]
    'test-1:detik:requests'
    >>> redis_keys("a b")
    Traceback (most recent call last):
    ...
    ValueError: site must be letters, digits, '_', '-' or '.', got 'a b'
    """
    for name, value in (("site", site), ("prefix", prefix)):
        if not _KEY_PART_RE.match(value or ""):
            raise ValueError(f"{name} must be letters, digits, '_', '-' or '.', got {value!r}")
    base = f"{prefix}:{site}"
    return {
        "queue": f"{base}:requests",
        "dupefilter": f"{base}:dupefilter",
        "workers": f"{base}:workers",
    }


def check_redis_url(url: str | None) -> str:
    """``url`` if it is a Redis URL, else ValueError.

    >>> check_redis_url("redis://127.0.0.1:6379/0")
    'redis://127.0.0.1:6379/0'
    >>> check_redis_url("127.0.0.1:6379")
    Traceback (most recent call last):
    ...
    ValueError: expected a Redis URL like redis://host:6379/0, got '127.0.0.1:6379'
    """
    url = (url or "").strip()
    if not _REDIS_URL_RE.match(url):
        raise ValueError(f"expected a Redis URL like redis://host:6379/0, got {url!r}")
    return url


def redis_settings(
    url: str, site: str, *, prefix: str = DEFAULT_PREFIX, idle_close: float | None = None
) -> dict[str, Any]:
    """Scrapy settings that make a crawl of ``site`` one worker of a distributed crawl.

    ``idle_close``: seconds a worker waits, once the queue is empty and no other worker is busy,
    before it stops (default :data:`IDLE_CLOSE_SECONDS`).

    >>> s = redis_settings("redis://10.0.0.5:6379/0", "surabayapagi")
    >>> s["SCHEDULER"], s["SCHEDULER_PERSIST"]
    ('newscrawl.distributed.RedisScheduler', True)
    >>> s["SCHEDULER_QUEUE_KEY"], s["SCHEDULER_DUPEFILTER_KEY"]
    ('newscrawl:surabayapagi:requests', 'newscrawl:surabayapagi:dupefilter')
    >>> s["REDIS_URL"]
    'redis://10.0.0.5:6379/0'
    """
    keys = redis_keys(site, prefix)
    settings: dict[str, Any] = {
        "SCHEDULER": "newscrawl.distributed.RedisScheduler",
        "DUPEFILTER_CLASS": "newscrawl.distributed.RedisDupeFilter",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        # scrapy-redis formats these with ``% {"spider": name}``; our parts never hold a '%'.
        "SCHEDULER_QUEUE_KEY": keys["queue"],
        "SCHEDULER_DUPEFILTER_KEY": keys["dupefilter"],
        # Workers join and leave: one leaving must not wipe the queue of the others.
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_FLUSH_ON_START": False,
        "SCHEDULER_IDLE_BEFORE_CLOSE": 0,  # never block the reactor on an empty queue
        "SCHEDULER_SERIALIZER": "newscrawl.distributed",  # the module: dumps() and loads()
        "REDIS_URL": check_redis_url(url),
        "NEWSCRAWL_REDIS_URL": url,
        "NEWSCRAWL_REDIS_SITE": site,
        "NEWSCRAWL_REDIS_WORKERS_KEY": keys["workers"],
    }
    if idle_close is not None:
        settings["NEWSCRAWL_REDIS_IDLE_CLOSE"] = float(idle_close)
    return settings


def archive_warning(db_url: str | None) -> str | None:
    """Why ``db_url`` is a poor archive for workers on several machines, or None.

    >>> archive_warning("postgresql+psycopg://crawler@db/news") is None
    True
    >>> archive_warning("sqlite:///archive.sqlite3")[:40]
    'a SQLite archive is one file on one mach'
    """
    if (db_url or "").lower().startswith("sqlite"):
        return (
            "a SQLite archive is one file on one machine: workers elsewhere would each write "
            "their own; use PostgreSQL (--db postgresql://...) for a distributed crawl"
        )
    return None


# --- the queue's serializer (this module is SCHEDULER_SERIALIZER) -------------------------------
_BYTES = "__nc_bytes__"
_DICT = "__nc_dict__"
_DATETIME = "__nc_datetime__"


def _encode(obj: Any) -> Any:
    if isinstance(obj, bytes):
        return {_BYTES: base64.b64encode(obj).decode("ascii")}
    if isinstance(obj, dict):
        if all(isinstance(k, str) for k in obj):
            return {k: _encode(v) for k, v in obj.items()}
        return {_DICT: [[_encode(k), _encode(v)] for k, v in obj.items()]}
    if isinstance(obj, (list, tuple)):
        return [_encode(v) for v in obj]
    if isinstance(obj, datetime):
        return {_DATETIME: obj.isoformat()}
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    raise TypeError(f"cannot put a {type(obj).__name__} into the Redis queue")


def _decode_hook(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        if _BYTES in obj:
            return base64.b64decode(obj[_BYTES])
        if _DICT in obj:
            return {_freeze(k): v for k, v in obj[_DICT]}
        if _DATETIME in obj:
            return datetime.fromisoformat(obj[_DATETIME])
    return obj


def _freeze(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


def dumps(obj: Any) -> bytes:
    """A request dict (``Request.to_dict()``) as JSON bytes: bytes, bytes-keyed dicts (headers)
    and datetimes are tagged. Unlike pickle, loading it cannot run code. TypeError for values
    JSON cannot hold.

    >>> dumps({"url": "https://x.id/a", "body": b"", "headers": {b"Accept": [b"*/*"]}})
    b'{"url":"https://x.id/a","body":{"__nc_bytes__":""},"headers":{"__nc_dict__":[[{"__nc_bytes__":"QWNjZXB0"},[{"__nc_bytes__":"Ki8q"}]]]}}'
    """
    return json.dumps(_encode(obj), separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def loads(data: bytes | str) -> Any:
    """The inverse of :func:`dumps`.

    >>> d = {"body": b"q=1", "headers": {b"Accept": [b"*/*"]}, "meta": {"depth": 2}}
    >>> loads(dumps(d)) == d
    True
    """
    return json.loads(data, object_hook=_decode_hook)


# --- the adapters -------------------------------------------------------------------------------
class RedisDupeFilter(RFPDupeFilter):
    """scrapy-redis's dupefilter with the crawler's request fingerprinter, that never deletes its
    fingerprints on its own (the scheduler decides when the crawl is over)."""

    fingerprinter: Any = None

    @classmethod
    def from_spider(cls, spider: Any) -> RedisDupeFilter:
        df = super().from_spider(spider)
        crawler = getattr(spider, "crawler", None)
        df.fingerprinter = getattr(crawler, "request_fingerprinter", None)
        return df

    def request_fingerprint(self, request: Any) -> str:
        if self.fingerprinter is not None:
            return self.fingerprinter.fingerprint(request).hex()
        return super().request_fingerprint(request)

    def close(self, reason: str = "") -> None:
        """Keep the fingerprints: other workers may still be crawling."""

    def size(self) -> int:
        return int(self.server.scard(self.key))


class RedisScheduler(Scheduler):
    """scrapy-redis's scheduler for Scrapy 2.19, with workers that know about each other.

    A worker registers in ``<prefix>:<site>:workers`` (state ``busy`` or ``idle`` and a heartbeat
    time). When its engine runs out of work it does not stop while the queue has requests or
    another live worker is busy (that worker may still find links); it stops once everything
    has been quiet for ``NEWSCRAWL_REDIS_IDLE_CLOSE`` seconds. Workers silent for longer than
    ``NEWSCRAWL_REDIS_WORKER_TTL`` seconds count as gone (killed).
    """

    crawler: Any = None
    workers_key: str = ""
    worker_id: str = ""
    idle_close: float = IDLE_CLOSE_SECONDS
    worker_ttl: float = WORKER_TTL_SECONDS
    heartbeat_seconds: float = HEARTBEAT_SECONDS
    clear_on_finish: bool = True

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedisScheduler:
        scheduler = cls.from_settings(crawler.settings)
        scheduler.stats = crawler.stats
        scheduler.crawler = crawler
        s = crawler.settings
        scheduler.workers_key = s.get("NEWSCRAWL_REDIS_WORKERS_KEY") or (
            str(s.get("SCHEDULER_QUEUE_KEY", "%(spider)s:requests")).rsplit(":", 1)[0] + ":workers"
        )
        scheduler.idle_close = s.getfloat("NEWSCRAWL_REDIS_IDLE_CLOSE", IDLE_CLOSE_SECONDS)
        scheduler.worker_ttl = s.getfloat("NEWSCRAWL_REDIS_WORKER_TTL", WORKER_TTL_SECONDS)
        scheduler.heartbeat_seconds = s.getfloat("NEWSCRAWL_REDIS_HEARTBEAT", HEARTBEAT_SECONDS)
        scheduler.clear_on_finish = s.getbool("NEWSCRAWL_REDIS_CLEAR_ON_FINISH", True)
        scheduler.worker_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        scheduler._state = ""
        scheduler._beat_at = 0.0
        scheduler._quiet_since = None
        scheduler._heartbeat = None
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        return scheduler

    # --- worker registry ------------------------------------------------------------------------
    def _set_state(self, state: str, *, force: bool = False) -> None:
        now = time.time()
        if not force and state == self._state and now - self._beat_at < self.heartbeat_seconds:
            return
        record = {"state": state, "ts": now, "host": socket.gethostname(), "pid": os.getpid()}
        self.server.hset(self.workers_key, self.worker_id, json.dumps(record))
        self._state, self._beat_at = state, now

    def _beat(self) -> None:
        try:
            self._set_state(self._state or "busy", force=True)
        except Exception as exc:  # noqa: BLE001 - a missed heartbeat must not stop the crawl
            logger.warning("redis heartbeat failed: %r", exc)

    def other_workers(self) -> dict[str, dict[str, Any]]:
        """Live workers of this crawl other than this one; forgets the dead ones."""
        return live_workers(self.server, self.workers_key, self.worker_ttl, exclude=self.worker_id)

    # --- Scrapy scheduler interface -------------------------------------------------------------
    def open(self, spider: Any) -> None:
        # scrapy-redis's open() with logging instead of the deprecated ``Spider.log``.
        self.spider = spider
        self.queue = load_object(self.queue_cls)(
            server=self.server,
            spider=spider,
            key=self.queue_key % {"spider": spider.name},
            serializer=self.serializer,
        )
        if not self.df:
            self.df = load_object(self.dupefilter_cls).from_spider(spider)
        if self.flush_on_start:
            self.flush()
        if len(self.queue):
            logger.info("joining a crawl in progress: %d requests queued", len(self.queue))
        self._set_state("busy", force=True)
        # Registered first, then looking: of two workers starting together at least one sees
        # the other, so they never both clear.
        if len(self.queue) == 0 and not self.other_workers():
            stale = self.df.size() if hasattr(self.df, "size") else 0
            if stale:
                logger.info(
                    "empty queue and no other worker: cleared the dupefilter of an earlier "
                    "crawl (%d fingerprints); the archive still skips archived URLs",
                    stale,
                )
                self.df.clear()
        if self.heartbeat_seconds > 0:
            try:
                from scrapy.utils.asyncio import create_looping_call
            except ImportError:  # pragma: no cover - Scrapy < 2.14
                from twisted.internet.task import LoopingCall as create_looping_call
            self._heartbeat = create_looping_call(self._beat)
            self._heartbeat.start(self.heartbeat_seconds, now=False)

    def close(self, reason: str) -> None:
        if self._heartbeat is not None and self._heartbeat.running:
            self._heartbeat.stop()
        self.server.hdel(self.workers_key, self.worker_id)
        if not self.persist:
            self.flush()
            return
        if (
            self.clear_on_finish
            and reason == "finished"
            and len(self.queue) == 0
            and not self.other_workers()
        ):
            logger.info("last worker of the crawl: cleared the dupefilter %s", self.df.key)
            self.df.clear()

    def enqueue_request(self, request: Any) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            if self.stats:
                self.stats.inc_value("dupefilter/filtered")
            return False
        try:
            self.queue.push(request)
        except (TypeError, ValueError) as exc:
            if self.stats:
                self.stats.inc_value("newscrawl/redis/unserializable")
            logger.error("request not queued (cannot serialize it): %s: %s", request, exc)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Any:
        try:
            request = self.queue.pop(0)
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            if self.stats:
                self.stats.inc_value("newscrawl/redis/undecodable")
            logger.error("dropped a queued request this worker cannot decode: %r", exc)
            return None
        if request is None:
            return None
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        self._quiet_since = None
        self._set_state("busy")
        return request

    # --- when to stop ---------------------------------------------------------------------------
    def spider_idle(self, spider: Any = None) -> None:
        """Keep an idle worker alive while the crawl may still produce work for it."""
        self._set_state("idle")
        others = self.other_workers()
        if len(self.queue) > 0 or any(w.get("state") == "busy" for w in others.values()):
            self._quiet_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self._quiet_since is None:
            self._quiet_since = now
        if now - self._quiet_since < self.idle_close:
            raise DontCloseSpider


class RedisAddon:
    """A Scrapy add-on: a crawl whose settings have ``NEWSCRAWL_REDIS_URL`` becomes a worker of
    the distributed crawl of its spider (key prefix ``NEWSCRAWL_REDIS_PREFIX``, default
    ``newscrawl``).

    With ``ADDONS = {"newscrawl.distributed.RedisAddon": 0}`` in the project settings, one
    setting turns any crawl distributed, however it is started: ``newscrawl crawl -s``,
    ``scrapy crawl -s``, a scrapyd job's ``setting=``, a schedule entry's ``settings``. Values
    set explicitly (e.g. by :func:`redis_settings` at command-line priority) win.

    It also adds :class:`newscrawl.politeness.SharedPolitenessMiddleware` (unless
    ``NEWSCRAWL_POLITE_SHARED`` is off), so that all workers keep one politeness budget per portal.
    """

    def __init__(self, crawler: Any = None) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedisAddon:
        return cls(crawler)

    def update_settings(self, settings: Any) -> None:
        url = settings.get("NEWSCRAWL_REDIS_URL")
        if not url:
            return
        site = getattr(getattr(self.crawler, "spidercls", None), "name", "") or ""
        prefix = settings.get("NEWSCRAWL_REDIS_PREFIX") or DEFAULT_PREFIX
        for name, value in redis_settings(url, site, prefix=prefix).items():
            settings.set(name, value, priority="addon")
        if settings.getbool("NEWSCRAWL_POLITE_SHARED", True):
            # One politeness budget per portal for all workers (newscrawl.politeness).
            settings.setdefault_in_component_priority_dict(
                "DOWNLOADER_MIDDLEWARES", load_object(POLITENESS_MIDDLEWARE), POLITENESS_ORDER
            )


# --- status and clearing (the admin commands) ---------------------------------------------------
def connect(url: str | None = None) -> Any:
    """A Redis client for ``url`` (default ``$NEWSCRAWL_REDIS_URL`` or :data:`DEFAULT_REDIS_URL`)."""
    import redis

    url = check_redis_url(url or os.environ.get(ENV_REDIS_URL) or DEFAULT_REDIS_URL)
    return redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30)


def live_workers(
    client: Any, workers_key: str, ttl: float = WORKER_TTL_SECONDS, *, exclude: str = ""
) -> dict[str, dict[str, Any]]:
    """Workers registered under ``workers_key`` whose heartbeat is younger than ``ttl``
    seconds (each with its ``age``); older ones are removed."""
    now = time.time()
    live: dict[str, dict[str, Any]] = {}
    for raw_id, raw in (client.hgetall(workers_key) or {}).items():
        worker = raw_id.decode() if isinstance(raw_id, bytes) else str(raw_id)
        try:
            record = json.loads(raw)
            age = now - float(record.get("ts", 0))
        except (ValueError, TypeError, AttributeError):
            record, age = {}, float("inf")
        if age > ttl:
            client.hdel(workers_key, raw_id)
            continue
        if worker != exclude:
            live[worker] = {**record, "age": round(age, 1)}
    return live


def queue_status(
    client: Any, site: str, prefix: str = DEFAULT_PREFIX, ttl: float = WORKER_TTL_SECONDS
) -> dict[str, Any]:
    """Queue length, dupefilter size and live workers of the distributed crawl of ``site``."""
    keys = redis_keys(site, prefix)
    return {
        "site": site,
        "keys": keys,
        "queue": int(client.zcard(keys["queue"])),
        "dupefilter": int(client.scard(keys["dupefilter"])),
        "workers": live_workers(client, keys["workers"], ttl),
    }


def clear_crawl(
    client: Any, site: str, prefix: str = DEFAULT_PREFIX, *, dupefilter_only: bool = False
) -> dict[str, int]:
    """Delete the dupefilter (and, unless ``dupefilter_only``, the queue and worker list) of
    ``site``; return how many entries each had."""
    keys = redis_keys(site, prefix)
    cleared = {"dupefilter": int(client.scard(keys["dupefilter"]))}
    names = [keys["dupefilter"]]
    if not dupefilter_only:
        cleared["queue"] = int(client.zcard(keys["queue"]))
        cleared["workers"] = int(client.hlen(keys["workers"]))
        names += [keys["queue"], keys["workers"]]
    client.delete(*names)
    return cleared


__all__ = [
    "DEFAULT_PREFIX",
    "DEFAULT_REDIS_URL",
    "RedisAddon",
    "RedisDupeFilter",
    "RedisScheduler",
    "archive_warning",
    "check_redis_url",
    "clear_crawl",
    "connect",
    "dumps",
    "live_workers",
    "loads",
    "queue_status",
    "redis_keys",
    "redis_settings",
]
