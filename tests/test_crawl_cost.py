"""No wasted work per response (issue 13): the revisit look-up only for archived URLs, no page
text travelling in crawled items."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newscrawl.spiders.portals import spider_class
from newscrawl.warc import ARCHIVED_META, WarcMiddleware


def _middleware(tmp_path):
    crawler = get_crawler(
        settings_dict={"NEWSCRAWL_WARC_DIR": str(tmp_path), "NEWSCRAWL_DB_URL": "sqlite://"}
    )
    mw = WarcMiddleware.from_crawler(crawler)
    looked_up: list[str] = []
    mw.original_for = lambda url, content: looked_up.append(url)  # type: ignore[method-assign]
    return mw, looked_up


def _fetch(mw, url: str, meta: dict) -> None:
    request = Request(url, meta=meta)
    response = HtmlResponse(url, body=b"<html>Halo</html>", request=request)
    mw.process_response(request, response)


def test_revisit_lookup_only_for_archived_urls(tmp_path) -> None:
    mw, looked_up = _middleware(tmp_path)
    _fetch(mw, "http://127.0.0.1/news-1-new", {ARCHIVED_META: False})
    _fetch(mw, "http://127.0.0.1/news-2-old", {ARCHIVED_META: True})
    _fetch(mw, "http://127.0.0.1/other", {})  # a spider that does not say: looked up as before
    mw.spider_closed()
    assert looked_up == ["http://127.0.0.1/news-2-old", "http://127.0.0.1/other"]


def _spider(**kwargs):
    cls = spider_class("surabayapagi")
    crawler = get_crawler(cls, {"NEWSCRAWL_DB_URL": ""})
    spider = cls.from_crawler(crawler, **kwargs)
    crawler.spider = spider
    return spider


def test_requests_say_whether_their_url_is_archived() -> None:
    spider = _spider(revisit="all")
    spider.archived = {spider.url_key("https://surabayapagi.com/news-1-lama")}
    old = spider.article_request("https://surabayapagi.com/news-1-lama", None)
    new = spider.article_request("https://surabayapagi.com/news-2-baru", None)
    listing = spider.listing_request("https://surabayapagi.com/indeks")
    assert old.meta[ARCHIVED_META] is True
    assert new.meta[ARCHIVED_META] is False
    assert listing.meta[ARCHIVED_META] is False


def test_archive_not_read_leaves_the_lookup_on() -> None:
    spider = _spider()
    assert spider.archived is None
    request = spider.article_request("https://surabayapagi.com/news-2-baru", None)
    assert ARCHIVED_META not in request.meta


def test_load_known_reads_archived_urls_even_when_revisiting_all(tmp_path) -> None:
    from archive.db import open_archive
    from archive.store import upsert_article

    db_url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    engine, Session = open_archive(db_url)
    with Session.begin() as session:
        upsert_article(
            session,
            {"url": "https://surabayapagi.com/news-1-lama", "source": "surabayapagi", "title": "x"},
        )
    engine.dispose()
    for revisit, known in (("all", 0), ("none", 1)):
        cls = spider_class("surabayapagi")
        crawler = get_crawler(cls, {"NEWSCRAWL_DB_URL": db_url})
        spider = cls.from_crawler(crawler, revisit=revisit)
        crawler.spider = spider
        spider.load_known()
        assert spider.archived == {"https://surabayapagi.com/news-1-lama"}
        assert len(spider.known) == known


# --- batched archive writes -------------------------------------------------------------------
def _archived(db_url: str) -> list[tuple[str, int]]:
    import sqlalchemy as sa

    from archive.db import open_archive
    from archive.models import Article

    engine, Session = open_archive(db_url, readonly=True)
    try:
        with Session() as session:
            rows = session.execute(
                sa.select(Article.canonical_url, Article.version_count).order_by(Article.id)
            )
            return [tuple(r) for r in rows]
    finally:
        engine.dispose()


def _items(crawler, n: int, **overrides):
    from tests.test_pipelines import _through_all, raw

    return [
        _through_all(
            crawler,
            raw(
                url=f"https://surabayapagi.com/news-{i}-polres",
                canonical_url=f"https://surabayapagi.com/news-{i}-polres",
                **overrides,
            ),
        )
        for i in range(n)
    ]


def test_archive_writes_in_batches_and_flushes_at_close(tmp_path) -> None:
    from newscrawl.pipelines import ArchivePipeline
    from tests.test_pipelines import make_crawler

    db_url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    crawler = make_crawler(NEWSCRAWL_DB_URL=db_url, NEWSCRAWL_ARCHIVE_BATCH_SIZE=2)
    pipeline = ArchivePipeline.from_crawler(crawler)
    pipeline.open_spider()
    items = _items(crawler, 5)
    for item in items[:3]:
        assert pipeline.process_item(item) is item
    assert len(_archived(db_url)) == 2  # one batch written, one item waiting
    for item in items[3:]:
        pipeline.process_item(item)
    assert len(_archived(db_url)) == 4
    crawler.stats.set_value("finish_reason", "finished")
    pipeline.close_spider()
    assert [url for url, _ in _archived(db_url)] == [i.canonical_url for i in items]
    assert crawler.stats.get_value("newscrawl/archive/new") == 5


def test_a_batch_is_written_when_its_time_is_up(tmp_path) -> None:
    from newscrawl.pipelines import ArchivePipeline
    from tests.test_pipelines import make_crawler

    db_url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    crawler = make_crawler(NEWSCRAWL_DB_URL=db_url, NEWSCRAWL_ARCHIVE_BATCH_SECONDS=0)
    pipeline = ArchivePipeline.from_crawler(crawler)
    pipeline.open_spider()
    pipeline.process_item(_items(crawler, 1)[0])
    assert len(_archived(db_url)) == 1
    pipeline.close_spider()


def test_a_failing_item_costs_only_itself(tmp_path) -> None:
    from newscrawl.pipelines import ArchivePipeline
    from tests.test_pipelines import make_crawler

    db_url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    crawler = make_crawler(NEWSCRAWL_DB_URL=db_url, NEWSCRAWL_ARCHIVE_BATCH_SIZE=10)
    pipeline = ArchivePipeline.from_crawler(crawler)
    pipeline.open_spider()
    store = pipeline.store

    def fragile(session, items):
        if any(i.url.endswith("news-1-polres") for i in items):
            raise RuntimeError("disk on fire")
        return store(session, items)

    pipeline.store = fragile
    for item in _items(crawler, 3):
        pipeline.process_item(item)
    crawler.stats.set_value("finish_reason", "finished")
    pipeline.close_spider()
    assert [url for url, _ in _archived(db_url)] == [
        "https://surabayapagi.com/news-0-polres",
        "https://surabayapagi.com/news-2-polres",
    ]
    assert crawler.stats.get_value("newscrawl/archive/error") == 1
    assert crawler.stats.get_value("newscrawl/archive/new") == 2


# --- a benchmark crawl, killed and resumed: every page archived once, same content -----------
def _crawl(base_url: str, workdir, db: str, *settings: str, wait: bool = True):
    import os
    import subprocess
    import sys

    cmd = [
        sys.executable, "-m", "newscrawl", "crawl", "surabayapagi", "--base-url", base_url,
        "--db", db, "-q", "--json",
        "-s", "NEWSCRAWL_SSRF_ALLOW=127.0.0.1", "-s", "DOWNLOAD_DELAY=0",
        "-s", "DOWNLOAD_DELAY_JITTER=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4", "-s", f"NEWSCRAWL_WARC_DIR={workdir}/warcs",
    ]  # fmt: skip
    for s in settings:
        cmd += ["-s", s]
    env = {**os.environ, "PYTHONPATH": str(__import__("pathlib").Path(__file__).parent.parent)}
    proc = subprocess.Popen(
        cmd, cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    if wait:
        out, _ = proc.communicate(timeout=600)
        return proc.returncode, out.decode(errors="replace")
    return proc


def _hashes(db_url: str) -> dict[str, str]:
    import sqlalchemy as sa

    from archive.db import open_archive
    from archive.models import Article

    engine, Session = open_archive(db_url, readonly=True)
    try:
        with Session() as session:
            rows = session.execute(sa.select(Article.url, Article.content_sha256)).all()
    finally:
        engine.dispose()
    out = {url: sha for url, sha in rows}
    assert len(out) == len(rows)
    return out


@pytest.mark.e2e
def test_benchmark_crawl_killed_and_resumed_archives_every_page_once(tmp_path) -> None:
    import signal
    import time

    from newscrawl.demo.bench import BenchServer
    from newscrawl.extract import extract_page

    n = 40
    with BenchServer(n) as server:
        killed = tmp_path / "killed"
        killed.mkdir()
        db = f"sqlite:///{killed / 'a.sqlite3'}"
        proc = _crawl(
            server.base_url, killed, db, "NEWSCRAWL_ARCHIVE_BATCH_SIZE=4", "CONCURRENT_REQUESTS=2",
            "CONCURRENT_REQUESTS_PER_DOMAIN=2", wait=False,
        )  # fmt: skip
        deadline = time.monotonic() + 300
        while sum(p.startswith("/news-") for p, _ in server.requests) < n // 2:
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        code, out = _crawl(server.base_url, killed, db)
        assert code == 0, out[-3000:]
        resumed = _hashes(db)

        plain = tmp_path / "plain"
        plain.mkdir()
        db_plain = f"sqlite:///{plain / 'a.sqlite3'}"
        code, out = _crawl(server.base_url, plain, db_plain, "NEWSCRAWL_ARCHIVE_BATCH_SIZE=1")
        assert code == 0, out[-3000:]
        unbatched = _hashes(db_plain)

        offline = {}
        for url in server.article_urls:
            body = server.pages[url[len(server.base_url) :]][2]
            offline[url] = extract_page(body, url, site="surabayapagi").item.content_sha256

    assert len(resumed) == n
    assert resumed == unbatched == offline
