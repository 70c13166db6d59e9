"""The generic spider: a portal known only by a URL."""

from __future__ import annotations

import asyncio

import pytest
import scrapy
from scrapy.http import HtmlResponse, Request, TextResponse
from scrapy.utils.test import get_crawler

from newscrawl.spiders.generic import GenericSpider, classify_link, generic_profile


def make_generic(url: str = "https://www.contoh-berita.id/", **kwargs) -> GenericSpider:
    crawler = get_crawler(GenericSpider, {"NEWSCRAWL_DB_URL": ""})
    spider = GenericSpider.from_crawler(crawler, url=url, **kwargs)
    crawler.spider = spider
    crawler.stats.open_spider()
    return spider


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://x.id/baca-71234-polisi-tangkap-pelaku-curanmor", "article"),
        ("https://x.id/berita/812390/pemprov-salurkan-air", "article"),
        ("https://x.id/jatim/berita/d-7011234/pemkot-siapkan-tandon", "article"),
        ("https://x.id/read/2023/11/02/21341911/kapal-kandas", "article"),
        ("https://x.id/2023/11/03/dua-pemuda-diamankan", "article"),
        ("https://x.id/baca/318263/20240813/181342/dprd-minta", "article"),
        ("https://x.id/pemkot-malang-gelar-operasi-pasar-cabai/", "article"),
        ("https://x.id/", "listing"),
        ("https://x.id/politik", "listing"),
        ("https://x.id/kanal/hukum-kriminal/page/2/", "listing"),
        ("https://x.id/tag/banjir-rob-di-kenjeran", "listing"),
        ("https://x.id/indeks?page=2", "listing"),
        ("https://x.id/feed/", "listing"),
        ("https://x.id/sitemap_news.xml", "listing"),
        ("https://x.id/uploads/2024/08/foto.jpg", None),
        ("https://x.id/pedoman-media-siber", None),
        ("https://x.id/amp/baca-71234-polisi-tangkap-pelaku", None),
        ("https://x.id/a/b/c", None),
    ],
)
def test_classify_link(url: str, kind: str | None) -> None:
    assert classify_link(url) == kind


def test_generic_profile_refuses_non_http() -> None:
    with pytest.raises(ValueError, match="http"):
        generic_profile("ftp://x.id/")


def test_only_same_site_links_are_followed() -> None:
    spider = make_generic()
    assert (
        spider.classify("https://www.contoh-berita.id/baca-1-polisi-tangkap-pelaku-x") == "article"
    )
    assert spider.classify("https://m.contoh-berita.id/baca-1-polisi-tangkap-pelaku-x") == "article"
    assert spider.classify("https://lain.id/baca-1-polisi-tangkap-pelaku-x") is None


def test_start_discovers_robots_feeds_and_sitemaps() -> None:
    spider = make_generic()

    async def collect():
        return [r.url async for r in spider.start()]

    urls = asyncio.run(collect())
    assert urls[0] == "https://www.contoh-berita.id/robots.txt"
    assert {
        "https://www.contoh-berita.id/",
        "https://www.contoh-berita.id/feed",
        "https://www.contoh-berita.id/rss",
        "https://www.contoh-berita.id/sitemap.xml",
        "https://www.contoh-berita.id/sitemap_news.xml",
    } <= set(urls)


def test_robots_sitemaps_are_followed() -> None:
    spider = make_generic()
    body = (
        b"User-agent: *\nDisallow: /cari\nSitemap: https://www.contoh-berita.id/news-sitemap.xml\n"
    )
    url = "https://www.contoh-berita.id/robots.txt"
    resp = TextResponse(url=url, body=body, encoding="utf-8", request=Request(url))
    out = list(spider.parse_robots(resp))
    assert [r.url for r in out] == ["https://www.contoh-berita.id/news-sitemap.xml"]


def test_hub_page_schedules_articles_sections_and_feeds() -> None:
    spider = make_generic()
    html = (
        "<html><head><link rel='alternate' type='application/rss+xml' href='/rss.xml'></head>"
        "<body><nav><a href='/politik'>Politik</a></nav>"
        "<h2><a href='/berita/812390/pemprov-salurkan-air-bersih'>Air</a></h2>"
        "<a href='https://lain.id/berita/1/x-y-z-w'>Lain</a></body></html>"
    )
    url = "https://www.contoh-berita.id/"
    resp = HtmlResponse(
        url=url, body=html.encode(), request=Request(url, meta={"newscrawl_hub": True})
    )
    got = {
        (r.url, r.callback.__name__)
        for r in spider.parse_listing(resp)
        if isinstance(r, scrapy.Request)
    }
    assert got == {
        ("https://www.contoh-berita.id/berita/812390/pemprov-salurkan-air-bersih", "parse_article"),
        ("https://www.contoh-berita.id/politik", "parse_listing"),
        ("https://www.contoh-berita.id/rss.xml", "parse_listing"),
    }
