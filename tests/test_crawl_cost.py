"""No wasted work per response (issue 13): the revisit look-up only for archived URLs, no page
text travelling in crawled items."""

from __future__ import annotations

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
