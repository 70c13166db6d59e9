"""The spider on article responses: challenges and listings rejected and counted, split articles
fetched whole or part by part into one item, the AMP copy used when the body is too short."""

from __future__ import annotations

import pytest
import scrapy
from scrapy.http import HtmlResponse, Request

from newscrawl.items import RawArticle
from newscrawl.spiders.base import body_text_length, forward_pages, page_position, with_param
from tests.fixture_pages import load_cases
from tests.test_spider_listings import make_spider

PROSE = "Warga Surabaya mengantre air bersih dari truk tangki sejak pagi, kata petugas. "


def response(url: str, body: str, status: int = 200, meta: dict | None = None) -> HtmlResponse:
    request = Request(url, meta=dict(meta or {}))
    return HtmlResponse(url=url, body=body.encode("utf-8"), status=status, request=request)


def article_html(paragraphs: int, extra: str = "", head: str = "") -> str:
    paras = "".join(f"<p>{PROSE * 3}</p>" for _ in range(paragraphs))
    return (
        f"<html><head><meta property='og:type' content='article'>{head}</head><body>"
        f"<h1>Judul Berita Air Bersih</h1><div class='entry-content'>{paras}</div>{extra}"
        "</body></html>"
    )


def run(spider, gen) -> tuple[list[scrapy.Request], list[RawArticle]]:
    requests, items = [], []
    for out in gen:
        (requests if isinstance(out, scrapy.Request) else items).append(out)
    return requests, items


def test_challenge_with_403_is_counted_and_yields_nothing() -> None:
    case = next(c for c in load_cases("beritajatim") if c.name == "challenge")
    spider = make_spider("beritajatim")
    resp = HtmlResponse(
        url=case.meta["url"],
        body=case.body,
        status=case.meta["status"],
        request=Request(case.meta["url"]),
    )
    assert run(spider, spider.parse_article(resp)) == ([], [])
    assert spider.crawler.stats.get_value("newscrawl/rejected/bot_challenge") == 1


def test_listing_served_as_article_is_rejected() -> None:
    case = next(c for c in load_cases("beritajatim") if c.name == "not-article-listing")
    spider = make_spider("beritajatim")
    resp = HtmlResponse(url=case.meta["url"], body=case.body, request=Request(case.meta["url"]))
    assert run(spider, spider.parse_article(resp)) == ([], [])
    assert spider.crawler.stats.get_value("newscrawl/rejected/listing") == 1


def test_http_error_page_is_not_archived() -> None:
    spider = make_spider("jatimnow")
    url = "https://jatimnow.com/baca-1-tidak-ada-lagi-di-sini"
    assert run(spider, spider.parse_article(response(url, article_html(3), 404))) == ([], [])
    assert spider.crawler.stats.get_value("newscrawl/rejected/http_404") == 1


def test_article_requests_read_challenge_statuses() -> None:
    spider = make_spider("detik")
    request = spider.article_request("https://www.detik.com/jatim/berita/d-1/x", None)
    assert 403 in request.meta["handle_httpstatus_list"]


def test_split_article_is_fetched_whole_with_the_split_param() -> None:
    spider = make_spider("kompas")
    url = "https://regional.kompas.com/read/2023/11/02/21341911/judul"
    paging = f"<div class='paging'><a href='{url}?page=2'>2</a><a href='{url}?page=3'>3</a></div>"
    requests, items = run(spider, spider.parse_article(response(url, article_html(2, paging))))
    assert items == [] and [r.url for r in requests] == [url + "?page=all"]
    assert requests[0].meta["newscrawl_whole"] is True
    # The whole page does not split again.
    whole = response(url + "?page=all", article_html(4, paging), meta=requests[0].meta)
    requests, items = run(spider, spider.parse_article(whole))
    assert requests == [] and len(items) == 1


def test_split_article_without_param_joins_its_parts() -> None:
    spider = make_spider("jatimnow")
    url = "https://jatimnow.com/baca-71234-polisi-tangkap-pelaku"
    paging = f"<div class='paging'><a href='{url}?page=2'>Selanjutnya</a></div>"
    requests, items = run(spider, spider.parse_article(response(url, article_html(2, paging))))
    assert items == [] and [r.url for r in requests] == [url + "?page=2"]
    part = response(
        url + "?page=2",
        article_html(1).replace(PROSE, "Bagian kedua berita ini menutup laporan petugas. "),
        meta=requests[0].meta,
    )
    requests, items = run(spider, spider.parse_part(part))
    assert requests == [] and len(items) == 1
    assert PROSE.strip() in items[0].body_html and "Bagian kedua" in items[0].body_html


def test_short_body_tries_the_amp_copy() -> None:
    spider = make_spider("jatimnow")
    url = "https://jatimnow.com/baca-71234-polisi-tangkap-pelaku"
    amp = "https://jatimnow.com/amp/baca-71234-polisi-tangkap-pelaku"
    head = f"<link rel='amphtml' href='{amp}'>"
    short = article_html(0, head=head).replace(
        "<div class='entry-content'></div>", f"<p>{PROSE}</p>"
    )
    requests, items = run(spider, spider.parse_article(response(url, short)))
    assert items == [] and [r.url for r in requests] == [amp]
    requests, items = run(
        spider, spider.parse_amp(response(amp, article_html(5), meta=requests[0].meta))
    )
    assert requests == [] and len(items) == 1
    assert items[0].body_source.startswith("amp:") and "amp_body" in items[0].flags
    assert items[0].url == url


def test_long_body_does_not_fetch_amp() -> None:
    spider = make_spider("jatimnow")
    url = "https://jatimnow.com/baca-71234-polisi-tangkap-pelaku"
    head = "<link rel='amphtml' href='/amp/baca-71234-polisi-tangkap-pelaku'>"
    requests, items = run(spider, spider.parse_article(response(url, article_html(4, head=head))))
    assert requests == [] and len(items) == 1


@pytest.mark.parametrize(
    ("current", "links", "expected"),
    [
        (
            "https://x.id/kanal/a/page/2/",
            ["https://x.id/kanal/a/", "https://x.id/kanal/a/page/3/"],
            ["https://x.id/kanal/a/page/3/"],
        ),
        (
            "https://x.id/indeks",
            ["https://x.id/indeks?page=2", "https://x.id/kanal/b?page=2"],
            ["https://x.id/indeks?page=2"],
        ),
        (
            "https://x.id/search/banjir/1",
            ["https://x.id/search/banjir/2"],
            ["https://x.id/search/banjir/2"],
        ),
        ("https://x.id/indeks?page=5", ["https://x.id/indeks?page=4"], []),
    ],
)
def test_forward_pages(current: str, links: list[str], expected: list[str]) -> None:
    assert forward_pages(current, links) == expected


def test_page_position_and_with_param() -> None:
    assert page_position("https://x.id/")[1] == 1
    assert with_param("https://x.id/a?b=1", "page=all") == "https://x.id/a?b=1&page=all"
    assert body_text_length("<p>abc</p>") == 3 and body_text_length("  ") == 0


def test_date_index_entry_points() -> None:
    spider = make_spider("detik", since="2023-11-01", until="2023-11-02")
    urls = [u for u, _ in spider.entry_points()]
    assert "https://www.detik.com/jatim/indeks?page=1&date=11/01/2023" in urls
    assert "https://www.detik.com/jatim/indeks?page=1&date=11/02/2023" in urls


def test_hub_follows_sections_and_announced_feeds() -> None:
    spider = make_spider("jatimnow")
    html = (
        "<html><head><link rel='alternate' type='application/rss+xml' href='/rss'></head><body>"
        "<nav><a href='/kanal/peristiwa'>Peristiwa</a></nav>"
        "<a href='/baca-71234-polisi-tangkap-pelaku'>Polisi</a></body></html>"
    )
    resp = response("https://jatimnow.com/", html, meta={"newscrawl_hub": True})
    requests, _ = run(spider, spider.parse_listing(resp))
    got = {(r.url, r.callback.__name__) for r in requests}
    assert got == {
        ("https://jatimnow.com/baca-71234-polisi-tangkap-pelaku", "parse_article"),
        ("https://jatimnow.com/kanal/peristiwa", "parse_listing"),
        ("https://jatimnow.com/rss", "parse_listing"),
    }


def test_excluded_portal_starts_nothing() -> None:
    import asyncio

    spider = make_spider("antaranews")

    async def collect():
        return [r async for r in spider.start()]

    assert asyncio.run(collect()) == []
    assert "Dilarang keras" in spider.crawler.stats.get_value("newscrawl/excluded")
