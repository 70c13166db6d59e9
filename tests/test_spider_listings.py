"""Every saved listing, feed and sitemap: the portal's spider schedules exactly the expected
article URLs and next listing pages (``parse_listing`` on the saved page, no network)."""

from __future__ import annotations

import pytest
import scrapy
from scrapy.http import HtmlResponse, Request, XmlResponse
from scrapy.utils.test import get_crawler

from newscrawl.spiders.portals import spider_class
from tests.fixture_pages import Case, load_cases

LISTINGS = [c for c in load_cases() if c.is_listing]


def make_spider(key: str, **kwargs):
    cls = spider_class(key)
    crawler = get_crawler(cls, {"NEWSCRAWL_DB_URL": ""})
    spider = cls.from_crawler(crawler, **kwargs)
    crawler.spider = spider
    crawler.stats.open_spider()
    return spider


def response_for(case: Case, url: str | None = None):
    url = url or case.meta["url"]
    cls = HtmlResponse if case.page_file.name.endswith(".html") else XmlResponse
    headers = case.meta.get("headers") or {}
    return cls(url=url, body=case.body, headers=headers, request=Request(url))


def scheduled(spider, response) -> tuple[list[str], list[str]]:
    articles, listings = [], []
    for out in spider.parse_listing(response):
        assert isinstance(out, scrapy.Request)
        if out.callback == spider.parse_article:
            articles.append(out.url)
        elif out.callback == spider.parse_listing:
            listings.append(out.url)
    return articles, listings


@pytest.mark.parametrize("case", LISTINGS, ids=lambda c: c.id)
def test_listing_schedules_expected_articles(case: Case) -> None:
    spider = make_spider(case.portal)
    articles, listings = scheduled(spider, response_for(case))
    assert articles == case.expected["article_urls"]
    assert listings == case.expected["next_pages"]


@pytest.mark.parametrize("case", LISTINGS, ids=lambda c: c.id)
def test_listing_on_a_mirror_stays_on_the_mirror(case: Case) -> None:
    base = "http://127.0.0.1:8999"
    spider = make_spider(case.portal, base_url=base)
    mirrored = spider.site_url(case.meta["url"])
    articles, listings = scheduled(spider, response_for(case, mirrored))
    assert articles == [spider.site_url(u) for u in case.expected["article_urls"]]
    assert listings == [spider.site_url(u) for u in case.expected["next_pages"]]
    assert all(u.startswith(base + "/") for u in articles + listings)


@pytest.mark.parametrize("case", LISTINGS, ids=lambda c: c.id)
def test_incremental_crawl_skips_archived_articles(case: Case) -> None:
    spider = make_spider(case.portal)
    spider.known = set(case.expected["article_urls"][:2])
    articles, _ = scheduled(spider, response_for(case))
    assert articles == case.expected["article_urls"][2:]
    assert spider.crawler.stats.get_value("newscrawl/skipped/archived") == min(
        2, len(case.expected["article_urls"])
    )


def test_max_articles_caps_scheduling() -> None:
    case = next(c for c in LISTINGS if len(c.expected["article_urls"]) > 3)
    spider = make_spider(case.portal, max_articles=3)
    articles, _ = scheduled(spider, response_for(case))
    assert articles == case.expected["article_urls"][:3]
