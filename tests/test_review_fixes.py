"""Regressions found reviewing the crawl path: feeds and sitemaps that were silently ignored,
relative links, since/until with modification dates, listing pagination, uncounted losses."""

from __future__ import annotations

import gzip

import pytest
import scrapy
from scrapy import signals
from scrapy.http import HtmlResponse, Request, Response, XmlResponse
from scrapy.utils.test import get_crawler

from newscrawl.pipelines import CleanPipeline, summarize
from newscrawl.spiders.portals import spider_class

BASE = "https://surabayapagi.com"
A1 = f"{BASE}/news-241231-pemkot-surabaya-percepat-normalisasi-saluran-jelang-musim-hujan"
A2 = f"{BASE}/news-241229-harga-cabai-rawit-di-pasar-keputran-mulai-turun"
SITEMAP = f"{BASE}/sitemap.xml"


def make_spider(**kwargs):
    cls = spider_class("surabayapagi")
    crawler = get_crawler(cls, {"NEWSCRAWL_DB_URL": ""})
    spider = cls.from_crawler(crawler, **kwargs)
    crawler.spider = spider
    crawler.stats.open_spider()
    return spider


def scheduled(spider, response) -> tuple[list[scrapy.Request], list[str]]:
    articles, listings = [], []
    for out in spider.parse_listing(response):
        if out.callback == spider.parse_article:
            articles.append(out)
        else:
            listings.append(out.url)
    return articles, listings


def urlset(entry: str) -> bytes:
    return (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"<url>{entry}</url></urlset>"
    ).encode()


PLAIN = urlset(f"<loc>{A1}</loc>")


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<?xml-stylesheet type="text/xsl" href="//surabayapagi.com/main-sitemap.xsl"?>\n' + PLAIN,
        b"\xef\xbb\xbf" + b'<?xml version="1.0" encoding="UTF-8"?>' + PLAIN,
        b'<?xml version="1.0"?><!-- generated --><!-- by yoast -->' + PLAIN,
    ],
    ids=["xml-stylesheet", "utf8-bom", "comments"],
)
def test_sitemap_with_prolog_is_read_as_xml(body: bytes) -> None:
    spider = make_spider()
    articles, _ = scheduled(spider, XmlResponse(SITEMAP, body=body, request=Request(SITEMAP)))
    assert [r.url for r in articles] == [A1]


def test_gzipped_sitemap_is_read() -> None:
    url = f"{BASE}/sitemap-news.xml.gz"
    spider = make_spider()
    response = Response(url, body=gzip.compress(PLAIN), request=Request(url))
    articles, _ = scheduled(spider, response)
    assert [r.url for r in articles] == [A1]
    assert not spider.crawler.stats.get_value("newscrawl/listing/not_html")


def test_broken_gzip_is_counted_not_raised() -> None:
    url = f"{BASE}/sitemap-news.xml.gz"
    spider = make_spider()
    response = Response(url, body=b"\x1f\x8b\x08garbage", request=Request(url))
    assert scheduled(spider, response) == ([], [])
    assert spider.crawler.stats.get_value("newscrawl/error/gzip") == 1


def test_sitemap_loc_beats_hreflang_alternate() -> None:
    body = urlset(
        f'<xhtml:link rel="alternate" hreflang="en" href="{BASE}/en/news-1-x"/><loc>{A1}</loc>'
    )
    articles, _ = scheduled(
        make_spider(), XmlResponse(SITEMAP, body=body, request=Request(SITEMAP))
    )
    assert [r.url for r in articles] == [A1]


def test_relative_links_resolve_against_base_href() -> None:
    url = f"{BASE}/tag/banjir/"
    body = (
        f'<html><head><base href="{BASE}/"></head><body><main>'
        f'<a href="{A1.rsplit("/", 1)[1]}">Banjir</a></main></body></html>'
    ).encode()
    articles, _ = scheduled(make_spider(), HtmlResponse(url, body=body, request=Request(url)))
    assert [r.url for r in articles] == [A1]


@pytest.mark.parametrize(
    ("entry", "args", "fetched"),
    [
        # Published 23:30 WIB on the until day, modified the next morning: in range.
        ("<lastmod>2024-08-14T08:00:00+07:00</lastmod>", {"until": "2024-08-13"}, True),
        ("<lastmod>2024-08-14T01:00:00Z</lastmod>", {"until": "2024-08-13"}, True),
        # Last modified before since: published before it too.
        ("<lastmod>2024-08-12T23:00:00+07:00</lastmod>", {"since": "2024-08-13"}, False),
        # A news sitemap's publication date still bounds both ends, in WIB.
        (
            "<news:news><news:publication_date>2024-08-13T16:30:00Z</news:publication_date>"
            "</news:news>",
            {"until": "2024-08-13"},
            True,
        ),
        (
            "<news:news><news:publication_date>2024-08-13T17:30:00Z</news:publication_date>"
            "</news:news>",
            {"until": "2024-08-13"},
            False,
        ),
    ],
    ids=[
        "lastmod-after-until",
        "lastmod-utc-after-until",
        "lastmod-before-since",
        "pub-2330",
        "pub-0030",
    ],
)
def test_sitemap_dates_and_the_crawl_window(entry: str, args: dict, fetched: bool) -> None:
    spider = make_spider(**args)
    articles, _ = scheduled(
        spider,
        XmlResponse(SITEMAP, body=urlset(f"<loc>{A1}</loc>{entry}"), request=Request(SITEMAP)),
    )
    assert bool(articles) is fetched
    skipped = spider.crawler.stats.get_value("newscrawl/skipped/out_of_range")
    assert skipped == (None if fetched else 1)


def test_lastmod_is_not_a_publication_date_candidate() -> None:
    body = urlset(f"<loc>{A1}</loc><lastmod>2024-08-14T08:00:00+07:00</lastmod>")
    (request,), _ = scheduled(
        make_spider(), XmlResponse(SITEMAP, body=body, request=Request(SITEMAP))
    )
    assert "newscrawl_feed_date" not in request.meta


def listing(url: str, links: list[str], *, depth: int, hub: bool = False) -> HtmlResponse:
    anchors = "".join(f'<a href="{u}">x</a>' for u in links)
    meta = {"depth": depth, "newscrawl_hub": hub}
    return HtmlResponse(
        url,
        body=f"<html><body><main>{anchors}</main></body></html>".encode(),
        request=Request(url, meta=meta),
    )


def test_listing_pagination_followed_when_its_articles_came_from_the_hub() -> None:
    spider = make_spider()
    section = f"{BASE}/kanal/politik"
    _, hub_listings = scheduled(spider, listing(f"{BASE}/", [A1, A2, section], depth=0, hub=True))
    assert section in hub_listings
    # Page 1 of the section shows only articles the home page already scheduled.
    _, nxt = scheduled(spider, listing(section, [A1, A2, "?page=2"], depth=1))
    assert nxt == [f"{section}?page=2"]
    # A portal that ignores ?page= serves the same page again: pagination stops there.
    page2 = f"{section}?page=2"
    _, nxt = scheduled(spider, listing(page2, [A1, A2, "?page=3"], depth=2))
    assert nxt == []
    assert spider.crawler.stats.get_value("newscrawl/listing/nothing_new") == 1


def test_exception_in_a_pipeline_is_counted_and_summarized() -> None:
    crawler = get_crawler(settings_dict={"NEWSCRAWL_DB_URL": ""})
    crawler.stats.open_spider()
    pipeline = CleanPipeline.from_crawler(crawler)  # signals hold weak references
    crawler.signals.send_catch_log(
        signals.item_error, item={}, response=None, spider=None, failure=None
    )
    stats = crawler.stats.get_stats()
    assert pipeline is not None
    assert stats["newscrawl/error/item"] == 1
    assert summarize(stats)["problems"]["error/item"] == 1


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("newscrawl/warc/error", "warc/error"),
        ("newscrawl/split/failed", "split/failed"),
        ("newscrawl/listing/not_html", "listing/not_html"),
        ("spider_exceptions/KeyError", "spider_exception/KeyError"),
    ],
)
def test_summary_lists_losses(key: str, problem: str) -> None:
    problems = summarize({key: 2, "spider_exceptions/count": 2})["problems"]
    assert problems == {problem: 2}
