"""Issue 12, fault 2: a real article is never a soft 404 because of a number in its text, and a
refused page keeps its WARC record and its reason, so ``reprocess --refused`` recovers it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from archive.db import open_archive
from archive.models import Article
from newscrawl.pages.detect import not_article_reason
from newscrawl.reprocess import recover_refused
from newscrawl.verify import verify_archive
from newscrawl.warc import (
    META_KEY,
    Capture,
    WarcFileWriter,
    WarcMiddleware,
    iter_records,
    page_refused,
    refusals,
)
from tests.test_spider_listings import make_spider

URL = "https://unknown-portal.example/2024/08/13/dana-desa-rp-404-juta-cair-di-blitar"


def page(title: str, paragraphs: list[str], *, og_article: bool = True, h1: str | None = None):
    meta = "<meta property='og:type' content='article'>" if og_article else ""
    paras = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>{title}</title>{meta}"
        f"</head><body><article><h1>{h1 or title}</h1>"
        "<time datetime='2024-08-13T18:13:00+07:00'>Selasa, 13 Agustus 2024 18:13 WIB</time>"
        f"{paras}</article></body></html>"
    ).encode()


SHORT_ARTICLE = page(
    "Dana Desa Rp 404 Juta Cair di Blitar",
    [
        "BLITAR - Pemerintah Kabupaten Blitar mencairkan dana desa tahap kedua sebesar Rp 404 "
        "juta untuk Desa Sumberagung, Selasa (13/8/2024).",
        "Kepala desa mengatakan dana itu dipakai untuk memperbaiki jalan dan saluran air.",
    ],
)


def _reason(body: bytes, url: str = URL) -> str | None:
    return not_article_reason(HtmlResponse(url, body=body, encoding="utf-8"))


@pytest.mark.parametrize(
    "body",
    [
        SHORT_ARTICLE,
        page("Pasal 404 KUHP Baru Digugat", ["Gugatan atas pasal 404 diajukan warga Malang. " * 6]),
        page("Artikel Nomor 404", ["Ini artikel nomor 404 di rubrik opini kami. " * 5]),
        # Short, says "tidak ditemukan", and is an article by its shape (og:type article).
        page(
            "Korban Banjir Belum Ditemukan",
            ["Tim SAR menyisir sungai; halaman tidak ditemukan tanda korban hingga sore. " * 3],
        ),
    ],
)
def test_short_articles_with_404_or_wording_are_articles(body: bytes) -> None:
    assert _reason(body) is None


@pytest.mark.parametrize(
    "body",
    [
        page("404 Not Found", ["nginx"], og_article=False),
        page(
            "Portal Uji", ["Maaf, halaman yang Anda cari tidak ditemukan. " * 3], og_article=False
        ),
        page(
            "Portal Uji",
            ["Kembali ke beranda untuk membaca berita terbaru hari ini. " * 3],
            h1="404",
        ),
        page("Halaman Tidak Ditemukan - Portal Uji", ["x" * 3000]),
        page("Portal Uji", ["Singkat."]),
    ],
)
def test_soft_404_pages_by_status_title_and_shape(body: bytes) -> None:
    assert _reason(body) == "soft_404"


def test_refused_page_keeps_its_record_and_reason(tmp_path) -> None:
    """The spider refuses a page: the WARC middleware writes the reason beside the record."""
    spider = make_spider("surabayapagi")
    crawler = get_crawler(
        settings_dict={"NEWSCRAWL_WARC_DIR": str(tmp_path), "NEWSCRAWL_DB_URL": ""}
    )
    mw = WarcMiddleware.from_crawler(crawler)
    spider.crawler.signals.connect(mw.page_refused, signal=page_refused)
    url = "https://surabayapagi.com/read/241234/halaman-hilang"
    request = Request(url)
    body = page("Halaman Tidak Ditemukan", ["Maaf."], og_article=False)
    response = HtmlResponse(url, body=body, request=request, encoding="utf-8")
    mw.process_response(request, response)
    assert list(spider.parse_article(response)) == []
    mw.spider_closed()
    pointer = request.meta[META_KEY]
    path = tmp_path / pointer["warc_file"]
    types = [r.record_type for _, r in iter_records(path)]
    assert types == ["warcinfo", "response", "request", "metadata"]
    [refusal] = list(refusals(tmp_path))
    assert (refusal.url, refusal.reason) == (url, "soft_404")
    assert (refusal.warc_file, refusal.warc_offset) == (
        pointer["warc_file"],
        pointer["warc_offset"],
    )
    assert refusal.response_record_id == pointer["warc_record_id"]


def test_reprocess_recovers_a_page_refused_by_older_code(tmp_path) -> None:
    warcs = tmp_path / "warcs"
    writer = WarcFileWriter(warcs, "generic")
    refused = {}
    not_found_url = "https://unknown-portal.example/2024/08/13/tidak-ada-di-sini-lagi-ya"
    bodies = {URL: SHORT_ARTICLE, not_found_url: page("404 Not Found", ["nginx"], og_article=False)}
    for url, body in bodies.items():
        capture = Capture(
            url=url,
            status=200,
            headers=[("Content-Type", "text/html; charset=utf-8")],
            body=body,
            date=datetime(2024, 8, 13, 12, 0, tzinfo=UTC),
        )
        refused[url] = writer.write(capture)
        writer.write_refusal(url, refused[url], "soft_404")  # what yesterday's code decided
    writer.close()

    db_url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    engine, Session = open_archive(db_url)
    try:
        with Session.begin() as session:
            report = recover_refused(session, warcs)
        assert report.recovered == 1 and report.urls == [URL]
        assert report.still_refused == {"soft_404": 1} and not report.errors
        with Session() as session:
            [article] = session.scalars(sa.select(Article)).all()
            assert article.title == "Dana Desa Rp 404 Juta Cair di Blitar"
            assert "Rp 404 juta" in article.body
        with Session.begin() as session:  # a second run finds it archived
            again = recover_refused(session, warcs)
        assert again.recovered == 0 and again.already_archived == 1
    finally:
        engine.dispose()
    report = verify_archive(db_url, warcs)
    assert report.ok and not report.problems and report.pointers == 1
