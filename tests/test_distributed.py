"""Distributed crawls with scrapy-redis: keys and settings, the JSON queue serializer, the
scheduler's coordination of workers, two worker processes sharing one crawl of a local site, and
the ``redis-status`` / ``redis-clear`` commands.

Redis tests use the local server (``redis_url`` fixture) with a key prefix of their own, and
delete their keys afterwards. Workers run as subprocesses: Twisted's reactor cannot restart.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import scrapy
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request
from scrapy.settings import Settings
from scrapy.signalmanager import SignalManager
from scrapy.utils.request import RequestFingerprinter, request_from_dict

from newscrawl.distributed import (
    RedisScheduler,
    archive_warning,
    check_redis_url,
    clear_crawl,
    dumps,
    live_workers,
    loads,
    queue_status,
    redis_keys,
    redis_settings,
)

ROOT = Path(__file__).resolve().parent.parent
SITE = "dtest"
#: Pages of the little site: two hubs (the entry points) and 20 articles.
ARTICLES = [f"/p/{i}" for i in range(1, 21)]
PAGES = ["/a", "/b", *ARTICLES]


# --- keys, settings, serializer (no Redis needed) -----------------------------------------------
@pytest.mark.parametrize(
    ("site", "prefix", "expected"),
    [
        ("surabayapagi", "newscrawl", "newscrawl:surabayapagi:requests"),
        ("detik", "t-1a2b", "t-1a2b:detik:requests"),
        ("kompas.com", "newscrawl", "newscrawl:kompas.com:requests"),
    ],
)
def test_redis_keys(site: str, prefix: str, expected: str) -> None:
    keys = redis_keys(site, prefix)
    assert keys["queue"] == expected
    assert keys["dupefilter"] == expected.replace(":requests", ":dupefilter")
    assert keys["workers"] == expected.replace(":requests", ":workers")


@pytest.mark.parametrize(("site", "prefix"), [("a%b", "newscrawl"), ("", "x"), ("ok", "a:b")])
def test_redis_keys_refuse_parts_that_break_keys(site: str, prefix: str) -> None:
    with pytest.raises(ValueError):
        redis_keys(site, prefix)


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("redis://127.0.0.1:6379/0", True),
        ("rediss://user:pw@redis.internal:6380/2", True),
        ("unix:///run/redis.sock", True),
        ("127.0.0.1:6379", False),
        ("http://127.0.0.1:6379", False),
        ("", False),
    ],
)
def test_check_redis_url(url: str, ok: bool) -> None:
    if ok:
        assert check_redis_url(url) == url
    else:
        with pytest.raises(ValueError, match="expected a Redis URL"):
            check_redis_url(url)


def test_redis_settings() -> None:
    s = redis_settings("redis://10.0.0.5:6379/0", "surabayapagi", idle_close=3)
    assert s["SCHEDULER"] == "newscrawl.distributed.RedisScheduler"
    assert s["DUPEFILTER_CLASS"] == "newscrawl.distributed.RedisDupeFilter"
    assert s["SCHEDULER_PERSIST"] is True
    assert s["SCHEDULER_IDLE_BEFORE_CLOSE"] == 0
    assert s["SCHEDULER_SERIALIZER"] == "newscrawl.distributed"
    assert s["NEWSCRAWL_REDIS_WORKERS_KEY"] == "newscrawl:surabayapagi:workers"
    assert s["NEWSCRAWL_REDIS_IDLE_CLOSE"] == 3.0
    with pytest.raises(ValueError):
        redis_settings("localhost", "surabayapagi")


@pytest.mark.parametrize(
    ("db_url", "warns"),
    [
        ("sqlite:///archive.sqlite3", True),
        ("postgresql+psycopg://crawler@db/news", False),
        (None, False),
    ],
)
def test_archive_warning(db_url: str | None, warns: bool) -> None:
    assert (archive_warning(db_url) is not None) == warns


class _Spider(scrapy.Spider):
    name = SITE

    def parse_article(self, response):  # pragma: no cover - only referenced by name
        return None


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"url": "https://surabayapagi.com/news-1-a"},
        {
            "url": "https://surabayapagi.com/search?q=banjir",
            "method": "POST",
            "body": b"q=banjir&\xff",
            "headers": {"Accept-Language": "id-ID", "X-Bytes": b"\x00\x01"},
            "meta": {"newscrawl_kind": "article", "depth": 2, "redirect_urls": ["https://x"]},
            "priority": -3,
            "dont_filter": True,
            "cb_kwargs": {"page": 2},
            "flags": ["retry"],
        },
    ],
)
def test_queue_serializer_round_trips_requests(request_kwargs: dict[str, Any]) -> None:
    spider = _Spider()
    request = Request(callback=spider.parse_article, **request_kwargs)
    data = dumps(request.to_dict(spider=spider))
    assert isinstance(data, bytes)
    back = request_from_dict(loads(data), spider=spider)
    assert back.url == request.url
    assert back.method == request.method
    assert back.body == request.body
    assert back.headers == request.headers
    assert back.meta == request.meta
    assert back.priority == request.priority
    assert back.dont_filter == request.dont_filter
    assert back.cb_kwargs == request.cb_kwargs
    assert back.callback.__name__ == "parse_article"


def test_queue_serializer_refuses_what_json_cannot_hold() -> None:
    with pytest.raises(TypeError, match="cannot put a object"):
        dumps({"meta": {"thing": object()}})


# --- the scheduler, in this process (no reactor: heartbeats off) --------------------------------
@pytest.fixture
def redis_client(redis_url):
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        client.ping()
    except redis.RedisError as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"Redis at {redis_url} does not answer: {exc}")
    prefix = f"nctest-{uuid.uuid4().hex[:10]}"
    yield client, prefix
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)
    client.close()


class _Stats:
    def __init__(self) -> None:
        self.values: Counter[str] = Counter()

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] += count


class _Crawler:
    """Just what the scheduler and dupefilter use of a crawler."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = Settings(settings)
        self.signals = SignalManager()
        self.stats = _Stats()
        self.request_fingerprinter = RequestFingerprinter()


def _worker(redis_url: str, prefix: str, **extra: Any) -> tuple[RedisScheduler, _Spider]:
    settings = {
        **redis_settings(redis_url, SITE, prefix=prefix, idle_close=0),
        "NEWSCRAWL_REDIS_HEARTBEAT": 0,
        **extra,
    }
    crawler = _Crawler(settings)
    spider = _Spider()
    spider.crawler = crawler
    spider.settings = crawler.settings
    scheduler = RedisScheduler.from_crawler(crawler)
    scheduler.open(spider)
    return scheduler, spider


def test_scheduler_shares_queue_and_dupefilter_between_workers(redis_url, redis_client) -> None:
    client, prefix = redis_client
    one, spider = _worker(redis_url, prefix)
    two, _ = _worker(redis_url, prefix)
    url = "http://127.0.0.1/p/1"
    assert one.enqueue_request(Request(url, callback=spider.parse_article)) is True
    assert two.enqueue_request(Request(url, callback=spider.parse_article)) is False
    assert two.enqueue_request(Request(url + "#frag")) is False  # same fingerprint
    assert two.stats.values["dupefilter/filtered"] == 2
    assert len(one) == len(two) == 1
    popped = two.next_request()
    assert popped is not None and popped.url == url
    assert popped.callback.__name__ == "parse_article"
    assert one.next_request() is None
    assert one.stats.values["scheduler/enqueued/redis"] == 1
    assert two.stats.values["scheduler/dequeued/redis"] == 1
    assert set(live_workers(client, redis_keys(SITE, prefix)["workers"])) == {
        one.worker_id,
        two.worker_id,
    }
    one.close("finished")
    two.close("finished")


def test_idle_worker_waits_for_busy_ones_and_the_last_clears_the_dupefilter(
    redis_url, redis_client
) -> None:
    client, prefix = redis_client
    keys = redis_keys(SITE, prefix)
    one, spider = _worker(redis_url, prefix)
    two, _ = _worker(redis_url, prefix)
    one.enqueue_request(Request("http://127.0.0.1/a", callback=spider.parse_article))
    one.enqueue_request(Request("http://127.0.0.1/b", callback=spider.parse_article))
    # Work in the queue: nobody stops.
    with pytest.raises(DontCloseSpider):
        two.spider_idle()
    assert two.next_request() is not None and one.next_request() is not None
    # One is busy with its page: two, idle, waits for whatever it may find.
    with pytest.raises(DontCloseSpider):
        two.spider_idle()
    one.spider_idle()  # one is idle too and two is idle: one may stop ...
    one.close("finished")
    assert client.scard(keys["dupefilter"]) == 2  # ... but two is still live: keep it
    two.spider_idle()
    two.close("finished")
    assert client.exists(keys["dupefilter"]) == 0  # the last worker cleared it
    assert client.hlen(keys["workers"]) == 0


def test_interrupted_crawl_keeps_its_queue_and_resumes(redis_url, redis_client) -> None:
    client, prefix = redis_client
    keys = redis_keys(SITE, prefix)
    one, spider = _worker(redis_url, prefix)
    one.enqueue_request(Request("http://127.0.0.1/p/7", callback=spider.parse_article))
    one.close("shutdown")  # Ctrl-C
    assert client.zcard(keys["queue"]) == 1 and client.scard(keys["dupefilter"]) == 1
    again, _ = _worker(redis_url, prefix)
    assert client.scard(keys["dupefilter"]) == 1  # queue not empty: nothing cleared
    assert again.next_request().url == "http://127.0.0.1/p/7"
    again.close("finished")


def test_stale_dupefilter_is_cleared_by_a_lone_new_worker(redis_url, redis_client) -> None:
    client, prefix = redis_client
    keys = redis_keys(SITE, prefix)
    client.sadd(keys["dupefilter"], "f" * 40, "e" * 40)  # left by a killed crawl
    dead = json.dumps({"state": "busy", "ts": time.time() - 3600})
    client.hset(keys["workers"], "gone:1:abc", dead)  # a killed worker, long silent
    one, spider = _worker(redis_url, prefix)
    assert client.exists(keys["dupefilter"]) == 0
    assert client.hexists(keys["workers"], "gone:1:abc") == 0
    assert one.enqueue_request(Request("http://127.0.0.1/a", callback=spider.parse_article))
    one.close("shutdown")


def test_undecodable_queue_entry_is_dropped_and_counted(redis_url, redis_client) -> None:
    client, prefix = redis_client
    one, _ = _worker(redis_url, prefix)
    client.zadd(redis_keys(SITE, prefix)["queue"], {b"\x80\x04not json": 0})
    assert one.next_request() is None
    assert one.stats.values["newscrawl/redis/undecodable"] == 1
    one.close("finished")


# --- two worker processes, one crawl of a local site --------------------------------------------
def _page(path: str) -> str:
    if path == "/a":
        links = [*ARTICLES[:10], "/b"]
    elif path == "/b":
        links = [*ARTICLES[10:], "/a"]
    else:
        i = int(path.rsplit("/", 1)[1])
        links = [f"/p/{i % 20 + 1}", f"/p/{(i + 6) % 20 + 1}", "/a", "/b"]
    anchors = "".join(f'<a href="{href}">{href}</a>' for href in links)
    return f"<html><head><title>Halaman {path}</title></head><body>{anchors}</body></html>"


class _Site:
    """A tiny site on 127.0.0.1 that records every hit with the worker (``X-Worker``) that made it.

    Until two different workers have asked for a page, answers wait (at most ``hold`` seconds):
    each worker runs one request at a time, so the second worker is sure to get work of its own.
    """

    def __init__(self, hold: float = 20.0) -> None:
        self.hits: list[tuple[str, str]] = []
        self.lock = threading.Condition()
        self.hold = hold
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                agent = self.headers.get("X-Worker", "")
                with site.lock:
                    site.hits.append((self.path, agent))
                    site.lock.notify_all()
                    site.lock.wait_for(lambda: len({a for _, a in site.hits}) >= 2, site.hold)
                if self.path not in PAGES:
                    self.send_error(404)
                    return
                body = _page(self.path).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> _Site:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


class PagesSpider(scrapy.Spider):
    """The minimal spider of the test: start at the two hubs, follow every link."""

    name = SITE

    def __init__(self, base_url: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url

    async def start(self):
        for path in ("/a", "/b"):
            yield scrapy.Request(self.base_url + path, callback=self.parse)

    def parse(self, response):
        yield {"url": response.url, "title": response.css("title::text").get()}
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, callback=self.parse)


class SharedArchivePipeline:
    """Every worker writes its pages into the one archive (a duplicate would break the unique
    canonical URL)."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings["NEWSCRAWL_DB_URL"])

    def open_spider(self, spider=None) -> None:
        from archive.db import make_engine, make_session_factory

        self.engine = make_engine(self.db_url)
        self.Session = make_session_factory(self.engine)

    def close_spider(self, spider=None) -> None:
        self.engine.dispose()

    def process_item(self, item, spider=None):
        import sqlalchemy as sa

        from archive.models import Article, Source

        with self.Session.begin() as session:
            source_id = session.execute(sa.select(Source.id).where(Source.key == SITE)).scalar_one()
            url = item["url"]
            session.add(
                Article(source_id=source_id, canonical_url=url, url=url, title=item["title"])
            )
        return item


def worker_main(config_json: str) -> int:
    """One worker process: crawl the test site through the shared Redis queue, made distributed
    by :func:`redis_settings` or by :class:`RedisAddon`."""
    from scrapy.crawler import CrawlerProcess

    from newscrawl.runner import local_replica_settings, project_settings

    cfg = json.loads(config_json)
    if cfg["via"] == "addon":  # as `-s NEWSCRAWL_REDIS_URL=...` with the add-on enabled
        distributed = {
            "ADDONS": {"newscrawl.distributed.RedisAddon": 0},
            "NEWSCRAWL_REDIS_URL": cfg["redis"],
            "NEWSCRAWL_REDIS_PREFIX": cfg["prefix"],
            "NEWSCRAWL_REDIS_IDLE_CLOSE": 0,
        }
    else:  # as `newscrawl crawl --redis URL`
        distributed = redis_settings(cfg["redis"], SITE, prefix=cfg["prefix"], idle_close=0)
    overrides = {
        **local_replica_settings(),
        **distributed,
        "NEWSCRAWL_REDIS_HEARTBEAT": 1,
        "NEWSCRAWL_DB_URL": cfg["db"],
        "DEFAULT_REQUEST_HEADERS": {"X-Worker": cfg["name"]},
        "ROBOTSTXT_OBEY": False,
        "CONCURRENT_REQUESTS": 1,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        # The site holds the first answer until both workers have asked: each worker one request
        # at a time, not one for both (the shared budget has tests of its own).
        "NEWSCRAWL_POLITE_SHARED": False,
        "ITEM_PIPELINES": {"tests.test_distributed.SharedArchivePipeline": 100},
        "LOG_LEVEL": "INFO",
    }
    process = CrawlerProcess(project_settings(overrides))
    crawler = process.create_crawler(PagesSpider)
    process.crawl(crawler, base_url=cfg["base_url"])
    process.start()
    stats = crawler.stats.get_stats()
    print("STATS " + json.dumps({k: v for k, v in stats.items() if isinstance(v, int | str)}))
    return 0


def _start_worker(name: str, cfg: dict[str, Any]) -> subprocess.Popen:
    code = "import sys; from tests.test_distributed import worker_main; sys.exit(worker_main(sys.argv[1]))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", code, json.dumps({**cfg, "name": name})],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stats(out: str) -> dict[str, Any]:
    lines = [line for line in out.splitlines() if line.startswith("STATS ")]
    return json.loads(lines[-1][6:]) if lines else {}


@pytest.mark.redis
@pytest.mark.e2e
def test_two_workers_crawl_each_page_exactly_once(redis_url, redis_client, tmp_path) -> None:
    import sqlalchemy as sa

    from archive.db import init_db, make_engine
    from archive.models import Article, Source

    client, prefix = redis_client
    db_url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    engine = make_engine(db_url)
    init_db(engine)
    with engine.begin() as conn:
        conn.execute(sa.insert(Source).values(key=SITE, name="test site"))

    with _Site() as site:
        cfg = {"redis": redis_url, "prefix": prefix, "db": db_url, "base_url": site.url}
        workers = {
            "worker-1": _start_worker("worker-1", {**cfg, "via": "settings"}),
            "worker-2": _start_worker("worker-2", {**cfg, "via": "addon"}),
        }
        outputs = {}
        for name, proc in workers.items():
            try:
                out, err = proc.communicate(timeout=180)
            except subprocess.TimeoutExpired:
                for p in workers.values():
                    p.kill()
                pytest.fail(f"{name} did not finish")
            outputs[name] = (proc.returncode, out, err)
        hits = list(site.hits)

    for name, (code, _out, err) in outputs.items():
        assert code == 0, f"{name} failed:\n{err[-3000:]}"
        assert "ERROR" not in err, f"{name} logged errors:\n{err[-3000:]}"
    paths = Counter(path for path, _ in hits)
    assert set(paths) == set(PAGES)
    assert all(n == 1 for n in paths.values()), {p: n for p, n in paths.items() if n > 1}
    by_worker = Counter(agent for _, agent in hits)
    assert set(by_worker) == {"worker-1", "worker-2"}  # both did part of the crawl
    stats = {name: _stats(out) for name, (_, out, _) in outputs.items()}
    assert sum(s.get("scheduler/dequeued/redis", 0) for s in stats.values()) == len(PAGES)
    assert sum(s.get("item_scraped_count", 0) for s in stats.values()) == len(PAGES)
    assert all(s.get("finish_reason") == "finished" for s in stats.values())

    with engine.connect() as conn:
        urls = conn.execute(sa.select(Article.url)).scalars().all()
    engine.dispose()
    assert sorted(urls) == sorted(site.url + p for p in PAGES)

    # The crawl is over: empty queue, no workers, and the last one cleared the dupefilter.
    status = queue_status(client, SITE, prefix)
    assert (status["queue"], status["dupefilter"], status["workers"]) == (0, 0, {})


_PORTAL_WORKER = """
import json, sys
from newscrawl.distributed import redis_settings
from newscrawl.runner import local_replica_settings, run_crawl
redis, prefix, db, base_url = sys.argv[1:5]
settings = {**local_replica_settings(), **redis_settings(redis, "surabayapagi", prefix=prefix, idle_close=0)}
stats = run_crawl("surabayapagi", db_url=db, settings=settings, base_url=base_url)
print("STATS " + json.dumps({k: v for k, v in stats.items() if isinstance(v, int | str)}))
"""


@pytest.mark.redis
@pytest.mark.e2e
def test_two_workers_crawl_the_replica_portal_with_the_portal_spider(
    redis_url, redis_client, tmp_path
) -> None:
    """The real spider's requests (callbacks, meta) go through the Redis queue, and the two
    workers together fetch no page twice (each reads robots.txt for itself)."""
    import sqlalchemy as sa

    from archive.db import open_archive
    from newscrawl.demo.server import ReplicaServer
    from newscrawl.demo.surabayapagi import SurabayaPagiReplica

    client, prefix = redis_client
    db_url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    engine, _ = open_archive(db_url)
    engine.dispose()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with ReplicaServer(SurabayaPagiReplica()) as server:
        args = [sys.executable, "-c", _PORTAL_WORKER, redis_url, prefix, db_url, server.base_url]
        procs = [
            subprocess.Popen(
                args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for _ in range(2)
        ]
        results = []
        for proc in procs:
            try:
                results.append(proc.communicate(timeout=300))
            except subprocess.TimeoutExpired:
                for p in procs:
                    p.kill()
                pytest.fail("a worker did not finish")
        paths = Counter(server.paths())
    for proc, (_, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err[-3000:]
    twice = {p: n for p, n in paths.items() if n > 1 and p != "/robots.txt"}
    assert twice == {}
    stats = [_stats(out) for out, _ in results]
    assert all(s.get("finish_reason") == "finished" for s in stats)
    assert not any(s.get("newscrawl/redis/unserializable") for s in stats)
    new = sum(s.get("newscrawl/archive/new", 0) for s in stats)
    engine, _ = open_archive(db_url)
    with engine.connect() as conn:
        archived = conn.execute(sa.text("SELECT count(*) FROM articles")).scalar_one()
    engine.dispose()
    assert archived == new > 0
    assert queue_status(client, "surabayapagi", prefix)["queue"] == 0


# --- the admin commands -------------------------------------------------------------------------
@pytest.fixture
def cli():
    import newscrawl.commands.admin  # noqa: F401 - registers the commands
    from newscrawl.cli import main

    return main


def _fill(client, prefix: str, *, worker: bool = False) -> dict[str, str]:
    keys = redis_keys(SITE, prefix)
    client.zadd(keys["queue"], {b"r1": 0, b"r2": 0, b"r3": -1})
    client.sadd(keys["dupefilter"], *(f"{i:040x}" for i in range(5)))
    if worker:
        record = {"state": "busy", "ts": time.time(), "host": "h", "pid": 1}
        client.hset(keys["workers"], "h:1:abcdef", json.dumps(record))
    return keys


def test_cli_redis_status(cli, redis_url, redis_client, capsys) -> None:
    client, prefix = redis_client
    _fill(client, prefix, worker=True)
    assert cli(["redis-status", SITE, "--redis", redis_url, "--prefix", prefix]) == 0
    out = capsys.readouterr().out
    assert "queued requests: 3" in out and "dupefilter:      5" in out
    assert "h:1:abcdef  busy" in out
    assert cli(["redis-status", SITE, "--redis", redis_url, "--prefix", prefix, "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert (info["queue"], info["dupefilter"], list(info["workers"])) == (3, 5, ["h:1:abcdef"])


@pytest.mark.parametrize(
    ("args", "worker", "code", "left"),
    [
        ([], False, 0, (0, 0)),
        (["--dupefilter-only"], False, 0, (3, 0)),
        ([], True, 2, (3, 5)),  # refuses while a worker is live
        (["--force"], True, 0, (0, 0)),
    ],
)
def test_cli_redis_clear(
    cli, redis_url, redis_client, capsys, args: list[str], worker: bool, code: int, left: tuple
) -> None:
    client, prefix = redis_client
    _fill(client, prefix, worker=worker)
    assert cli(["redis-clear", SITE, "--redis", redis_url, "--prefix", prefix, *args]) == code
    status = queue_status(client, SITE, prefix)
    assert (status["queue"], status["dupefilter"]) == left


def test_clear_crawl_reports_counts(redis_client, redis_url) -> None:
    client, prefix = redis_client
    _fill(client, prefix)
    assert clear_crawl(client, SITE, prefix) == {"dupefilter": 5, "queue": 3, "workers": 0}


@pytest.mark.parametrize(
    "argv",
    [
        ["redis-status", "bad site!", "--redis", "redis://127.0.0.1:6379/0"],
        ["redis-status", SITE, "--redis", "localhost:6379"],
    ],
)
def test_cli_redis_bad_input_is_a_clear_error(cli, argv: list[str], capsys) -> None:
    assert cli(argv) == 2
    assert "newscrawl: error:" in capsys.readouterr().err
