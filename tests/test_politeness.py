"""One politeness budget per portal for all workers (newscrawl.politeness).

The budget's Lua scripts against the local Redis (leases, spacing, expiry of a dead worker's
lease, shared AutoThrottle), then three worker processes crawling one local portal that logs
when each request arrives and leaves: together they keep to the portal's delay, robots.txt
Crawl-delay and concurrency, and archive every page exactly once.
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
from scrapy.settings import Settings

from newscrawl.distributed import POLITENESS_MIDDLEWARE, RedisAddon
from newscrawl.politeness import SharedBudget, SharedPolitenessMiddleware, budget_keys
from tests.test_distributed import PAGES, SITE, _page, _stats

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


@pytest.fixture
def budget(redis_url):
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        client.ping()
    except redis.RedisError as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"Redis at {redis_url} does not answer: {exc}")
    prefix = f"nctest-{uuid.uuid4().hex[:10]}"
    yield SharedBudget(client, prefix, lease_ttl=1.0), client, prefix
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)
    client.close()


# --- the budget itself --------------------------------------------------------------------------
@pytest.mark.redis
def test_concurrency_is_shared_and_released(budget) -> None:
    shared, _, _ = budget
    assert shared.try_acquire(HOST, "w1:a", 2, 0.0) == 0.0
    assert shared.try_acquire(HOST, "w2:a", 2, 0.0) == 0.0
    assert shared.try_acquire(HOST, "w3:a", 2, 0.0) == -1.0  # both slots taken
    assert shared.in_flight(HOST) == 2
    shared.release(HOST, "w1:a")
    assert shared.try_acquire(HOST, "w3:a", 2, 0.0) == 0.0


@pytest.mark.redis
def test_delay_spaces_starts_across_workers(budget) -> None:
    shared, _, _ = budget
    assert shared.try_acquire(HOST, "w1:a", 5, 0.5) == 0.0
    shared.release(HOST, "w1:a")
    wait = shared.try_acquire(HOST, "w2:a", 5, 0.5)
    assert 0.3 < wait <= 0.5
    time.sleep(wait + 0.02)
    assert shared.try_acquire(HOST, "w2:a", 5, 0.5) == 0.0


@pytest.mark.redis
def test_dead_workers_lease_expires(budget) -> None:
    shared, _, _ = budget  # lease_ttl 1 s
    assert shared.try_acquire(HOST, "dead:a", 1, 0.0) == 0.0  # never released: the worker died
    assert shared.try_acquire(HOST, "w2:a", 1, 0.0) == -1.0
    time.sleep(1.1)
    assert shared.try_acquire(HOST, "w2:a", 1, 0.0) == 0.0


@pytest.mark.redis
def test_autothrottle_delay_is_shared(budget) -> None:
    shared, _, _ = budget
    args = {"target_concurrency": 1.0, "min_delay": 0.2, "max_delay": 10.0, "start_delay": 1.0}
    # Scrapy's rule: half way from the start delay (1.0) towards latency/target (3.0), at least
    # the target.
    assert shared.throttle(HOST, 3.0, ok=True, **args) == pytest.approx(3.0, abs=0.002)
    assert shared.shared_delay(HOST) == pytest.approx(3.0, abs=0.002)
    assert shared.throttle(HOST, 0.2, ok=True, **args) == pytest.approx(1.6, abs=0.002)
    assert shared.throttle(HOST, 0.0, ok=False, **args) == pytest.approx(1.6, abs=0.002)  # error
    # Another worker's request now waits the shared delay, not only its own floor.
    assert shared.try_acquire(HOST, "w1:a", 4, 0.2) == 0.0
    assert 1.4 < shared.try_acquire(HOST, "w2:a", 4, 0.2) <= 1.6


@pytest.mark.redis
def test_keys_are_per_host_and_expire(budget) -> None:
    shared, client, prefix = budget
    shared.try_acquire("portal-a.test", "w1:a", 1, 0.1)
    leases, state = budget_keys("portal-a.test", prefix)
    assert client.ttl(state) > 3600 and 0 < client.pttl(leases) <= 2000
    assert shared.try_acquire("portal-b.test", "w1:b", 1, 0.1) == 0.0  # another host: own budget


def test_addon_adds_the_middleware_only_when_distributed() -> None:
    class _Crawler:
        class spidercls:  # noqa: N801 - stands for a spider class
            name = SITE

    settings = Settings({"NEWSCRAWL_REDIS_URL": "redis://127.0.0.1:6379/0"})
    RedisAddon(_Crawler()).update_settings(settings)
    added = settings.getdict("DOWNLOADER_MIDDLEWARES")
    assert added == {SharedPolitenessMiddleware: 960}
    assert POLITENESS_MIDDLEWARE == "newscrawl.politeness.SharedPolitenessMiddleware"
    off = Settings({"NEWSCRAWL_REDIS_URL": "redis://x:6379/0", "NEWSCRAWL_POLITE_SHARED": False})
    RedisAddon(_Crawler()).update_settings(off)
    assert off.getdict("DOWNLOADER_MIDDLEWARES") == {}
    plain = Settings()
    RedisAddon(_Crawler()).update_settings(plain)
    assert plain.getdict("DOWNLOADER_MIDDLEWARES") == {}


# --- three workers, one portal ------------------------------------------------------------------
DELAY = 0.1  # DOWNLOAD_DELAY of every worker
CRAWL_DELAY = 0.25  # the portal's robots.txt asks for more: this is the budget's spacing
CONCURRENCY = 2  # CONCURRENT_REQUESTS_PER_DOMAIN of every worker
SERVE_SECONDS = 0.4  # each page takes this long, so that concurrency shows


class _TimedPortal:
    """A portal on 127.0.0.1 that logs (path, worker, arrival, answer) of every request."""

    def __init__(self) -> None:
        self.log: list[tuple[str, str, float, float]] = []
        self.lock = threading.Lock()
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                arrived = time.monotonic()
                if self.path == "/robots.txt":
                    body = f"User-agent: *\nCrawl-delay: {CRAWL_DELAY}\n".encode()
                    kind = "text/plain"
                elif self.path in PAGES:
                    time.sleep(SERVE_SECONDS)
                    body, kind = _page(self.path).encode(), "text/html; charset=utf-8"
                else:
                    body, kind = b"", ""
                with portal.lock:
                    portal.log.append(
                        (self.path, self.headers.get("X-Worker", ""), arrived, time.monotonic())
                    )
                if not kind:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer((HOST, 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://{HOST}:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> _TimedPortal:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


def worker_main(config_json: str) -> int:
    """One worker: the test site through the shared Redis queue and the shared budget, made
    distributed by ``NEWSCRAWL_REDIS_URL`` alone (the add-on does the rest)."""
    from scrapy.crawler import CrawlerProcess

    from newscrawl.runner import local_replica_settings, project_settings
    from tests.test_distributed import PagesSpider

    cfg = json.loads(config_json)
    overrides = {
        **local_replica_settings(),
        "NEWSCRAWL_REDIS_URL": cfg["redis"],
        "NEWSCRAWL_REDIS_PREFIX": cfg["prefix"],
        "NEWSCRAWL_REDIS_IDLE_CLOSE": 1,
        "NEWSCRAWL_REDIS_HEARTBEAT": 1,
        "NEWSCRAWL_DB_URL": cfg["db"],
        "NEWSCRAWL_WARC_ENABLED": False,
        "DEFAULT_REQUEST_HEADERS": {"X-Worker": cfg["name"]},
        "ROBOTSTXT_OBEY": True,
        "DOWNLOAD_DELAY": DELAY,
        "DOWNLOAD_DELAY_JITTER": 0.5,  # the budget turns local jitter off
        "CONCURRENT_REQUESTS_PER_DOMAIN": CONCURRENCY,
        # A worker takes from the shared queue as many requests as it may have in flight; more
        # than the portal's budget would only wait in this worker while the others idle.
        "CONCURRENT_REQUESTS": CONCURRENCY,
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


def _max_overlap(spans: list[tuple[float, float]]) -> int:
    events = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans])
    current = peak = 0
    for _, step in events:
        current += step
        peak = max(peak, current)
    return peak


@pytest.mark.redis
@pytest.mark.e2e
def test_three_workers_keep_one_budget(redis_url, budget, tmp_path) -> None:
    import sqlalchemy as sa

    from archive.db import init_db, make_engine
    from archive.models import Article, Source

    _, client, prefix = budget
    db_url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    engine = make_engine(db_url)
    init_db(engine)
    with engine.begin() as conn:
        conn.execute(sa.insert(Source).values(key=SITE, name="test site"))

    code = "import sys; from tests.test_politeness import worker_main; sys.exit(worker_main(sys.argv[1]))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with _TimedPortal() as portal:
        cfg = {"redis": redis_url, "prefix": prefix, "db": db_url, "base_url": portal.url}
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", code, json.dumps({**cfg, "name": f"worker-{i}"})],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i in (1, 2, 3)
        ]
        results = []
        for proc in procs:
            try:
                results.append(proc.communicate(timeout=240))
            except subprocess.TimeoutExpired:
                for p in procs:
                    p.kill()
                pytest.fail("a worker did not finish")
        log = sorted(portal.log, key=lambda r: r[2])

    for proc, (_, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err[-3000:]
        assert "ERROR" not in err, err[-3000:]
    stats = [_stats(out) for out, _ in results]
    assert sum(s.get("newscrawl/polite/granted", 0) for s in stats) == len(log)
    assert not any(s.get("newscrawl/polite/redis_error") for s in stats)

    pages = [r for r in log if r[0] != "/robots.txt"]
    assert Counter(r[0] for r in pages) == Counter(PAGES)  # each page fetched once
    span = log[-1][3] - log[0][2]
    print(f"{len(log)} requests in {span:.1f}s, by worker {Counter(r[1] for r in pages)}")
    assert len({r[1] for r in pages}) >= 2  # the crawl really was shared
    # Concurrency: never more than the budget in flight at the portal (3 workers alone: 6).
    assert _max_overlap([(r[2], r[3]) for r in log]) <= CONCURRENCY
    # Spacing: the robots.txt Crawl-delay between request arrivals, over all workers (a little
    # slack for the time a request takes to reach the server).
    arrivals = [r[2] for r in pages]
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:], strict=False)]
    print(f"smallest gaps between page arrivals: {[round(g, 3) for g in sorted(gaps)[:3]]}")
    assert min(gaps) >= CRAWL_DELAY - 0.06, sorted(gaps)[:5]
    rate = (len(arrivals) - 1) / (arrivals[-1] - arrivals[0])
    assert rate <= 1 / CRAWL_DELAY * 1.05

    with engine.connect() as conn:
        urls = conn.execute(sa.select(Article.url)).scalars().all()
    engine.dispose()
    assert sorted(urls) == sorted(portal.url + p for p in PAGES)  # archived exactly once
    # Every lease went back.
    assert client.zcard(budget_keys(HOST, prefix)[0]) == 0
