"""Generic extraction on small pages: each generic fallback, one table per field."""

from __future__ import annotations

import json

import pytest
from scrapy.http import HtmlResponse

from newscrawl.extract import extract_page
from newscrawl.pages import page_for
from newscrawl.pages.credits import parse_credits
from newscrawl.pages.generic import GenericPage, dig
from newscrawl.portals import profile_from_dict

URL = "https://www.contoh-berita.id/berita/123456/polisi-tangkap-pelaku-curanmor"
PROSE = " ".join(
    f"Kalimat berita nomor {i} tentang peristiwa di Surabaya, kata petugas kepada wartawan."
    for i in range(6)
)


def page(body: str, head: str = "", url: str = URL, profile=None) -> GenericPage:
    html = f"<html lang='id'><head>{head}</head><body>{body}</body></html>"
    response = HtmlResponse(url=url, body=html.encode("utf-8"), encoding="utf-8")
    return page_for(response, profile)


def article(extra: str = "", before: str = "", after: str = "") -> str:
    return (
        "<header class='site-header'><h1 class='logo'>CONTOH-BERITA.ID</h1></header>"
        f"<main><article><h1>Polisi Tangkap Pelaku Curanmor</h1>{before}"
        f"<div class='entry-content'><p>{PROSE}</p><p>{PROSE}</p>{extra}</div>{after}"
        "</article><aside class='sidebar'><div class='tags'><a href='/tag/x'>Hot Topik</a></div>"
        "<figure><figcaption>Foto sidebar yang bukan bagian artikel ini.</figcaption></figure>"
        "<div class='author'>Editor : Orang Sidebar</div></aside></main>"
    )


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        ("", article(), "Polisi Tangkap Pelaku Curanmor"),
        (
            "<meta property='og:title' content='Judul OG - contoh-berita.id'>",
            "<p>x</p>",
            "Judul OG",
        ),
        (
            "<title>Judul Title | Contoh-Berita.id</title>",
            "<h1>CONTOH-BERITA.ID</h1>",
            "Judul Title",
        ),
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
            '"Kata "Netral" di Malang"}</script>',
            "<h1>SURABAYAPAGI.COM</h1>",
            'Kata "Netral" di Malang',
        ),
    ],
)
def test_title_skips_site_names(head: str, body: str, title: str) -> None:
    assert page(body, head).title() == title


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Reporter : A Satu | Editor : B Dua"], {"reporter": "A Satu", "editor": "B Dua"}),
        (["Penulis: C Tiga", "Editor: D Empat"], {"writer": "C Tiga", "editor": "D Empat"}),
        (["Redaktur & Reporter : E Lima"], {"editor": "E Lima", "reporter": "E Lima"}),
        (["Penulis", "Kontributor Malang, F Enam"], {"writer": "F Enam"}),
        (["Laporan oleh G Tujuh"], {"reporter": "G Tujuh"}),
        (["H Delapan - Pewarta"], {"reporter": "H Delapan"}),
        (["Oleh: I Sembilan"], {"writer": "I Sembilan"}),
        (["Selasa, 13 Agu 2024 18:13 WIB"], {}),
        (["author - Pewarta"], {}),
    ],
)
def test_parse_credits(lines: list[str], expected: dict) -> None:
    assert parse_credits(lines) == expected


def test_credit_block_outside_body_and_not_in_sidebar() -> None:
    p = page(article(before="<div class='post-author'>Reporter : Ana Sari<br>Editor : Budi</div>"))
    assert (p.authors(), p.reporter(), p.editor()) == (["Ana Sari"], "Ana Sari", "Budi")


def test_jsonld_author_that_is_the_editor_is_not_the_author() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": '
        '{"@type": "Person", "name": "Dimas Editor"}}</script>'
        '<meta name="content_author" content="Bagus Prasetyo">'
        '<meta name="content_editor" content="Dimas Editor">'
    )
    p = page(article(), head)
    assert (p.authors(), p.editor()) == (["Bagus Prasetyo"], "Dimas Editor")


def test_site_name_author_falls_through_to_the_credit_line() -> None:
    head = '<meta name="author" content="contoh-berita.id developer">'
    p = page(article(before="<div class='byline'>Pewarta : Citra Dewi</div>"), head)
    assert p.authors() == ["Citra Dewi"]


def test_hero_caption_before_the_body_goes_to_captions() -> None:
    hero = "<figure><img src='a.jpg'><p>Warga antre air bersih di Kenjeran. Foto: Ana</p></figure>"
    inner = (
        "<figure><img src='b.jpg'><figcaption>Truk tangki di Bulak. Foto: Ana</figcaption></figure>"
    )
    item = extract_page(
        f"<html><body>{article(extra=inner, before=hero)}</body></html>".encode(), URL
    ).item
    assert item.captions == [
        "Warga antre air bersih di Kenjeran. Foto: Ana",
        "Truk tangki di Bulak. Foto: Ana",
    ]
    assert "Kenjeran" not in item.body and "Foto sidebar" not in item.body


def test_tag_box_of_the_article_not_the_sidebar() -> None:
    after = "<footer><div class='tags-links'>Tags: <a href='/tag/a'>banjir</a> <a href='/tag/b'>rob</a></div></footer>"
    assert page(article(after=after)).tags() == ["banjir", "rob"]
    assert page(article()).tags() == []


@pytest.mark.parametrize(
    ("crumbs", "section"),
    [
        (
            "<ol class='breadcrumb'><li><a href='/'>Home</a></li><li><a href='/k'>Politik</a></li></ol>",
            "Politik",
        ),
        (
            "<div class='breadcrumbs'><a href='/'>Beranda</a> » <a href='/j'>Jatim</a></div>",
            "Jatim",
        ),
        ("", None),
    ],
)
def test_section_from_breadcrumbs(crumbs: str, section: str | None) -> None:
    assert page(crumbs + article()).section() == section


def test_section_meta_before_breadcrumbs() -> None:
    head = "<meta property='article:section' content='Hukum'>"
    assert (
        page(
            "<ol class='breadcrumb'><li><a>Home</a></li><li><a>X</a></li></ol>" + article(), head
        ).section()
        == "Hukum"
    )


def test_url_timestamp_counts_as_a_machine_date() -> None:
    url = "https://www.jatimtimes.com/baca/318263/20240813/181342/judul-berita"
    p = page(article(before="<span class='post-date'>13 - Aug - 2024, 18:13</span>"), url=url)
    assert ("meta", "2024-08-13T18:13:42") in p.date_candidates()
    item = extract_page(p.response.body, url, generic=True).item
    assert item.published_at == "2024-08-13T18:13:42+07:00"


def test_next_data_fields_by_profile() -> None:
    profile = profile_from_dict(
        {
            "key": "nx",
            "base_url": "https://www.contoh-berita.id",
            "next_data": {
                "path": "props.pageProps.article",
                "title": "title",
                "body": "content",
                "author": "author.name",
                "tags": "tags[].name",
                "published": "published_date",
            },
        }
    )
    data = {
        "props": {
            "pageProps": {
                "article": {
                    "title": "Judul dari JSON",
                    "content": f"<p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p>",
                    "author": {"name": "Nanda Prasetya"},
                    "tags": [{"name": "Lari"}, {"name": "Malang"}],
                    "published_date": "2024-08-15 14:05:09",
                }
            }
        }
    }
    script = f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>'
    p = page(f"<div class='read__content'><p>{PROSE}</p></div>{script}", profile=profile)
    raw = p.to_raw()
    assert (raw.title, raw.authors, raw.tags) == (
        "Judul dari JSON",
        ["Nanda Prasetya"],
        ["Lari", "Malang"],
    )
    assert raw.body_source == "next_data"
    assert ("meta", "2024-08-15 14:05:09") in raw.date_candidates


def test_generic_next_data_body_when_the_html_is_partial() -> None:
    data = {"props": {"pageProps": {"post": {"html": f"<p>{PROSE}</p>" * 4}}}}
    script = f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>'
    p = page(f"<h1>Judul</h1><div class='entry-content'><p>{PROSE}</p></div>{script}")
    assert p.body_html()[1] == "next_data"


@pytest.mark.parametrize(
    ("links", "parts"),
    [
        (["?page=2", "?page=3", "?page=2", "?page=all"], [URL + "?page=2", URL + "?page=3"]),
        (["/berita/123456/polisi-tangkap-pelaku-curanmor/2"], [URL + "/2"]),
        (["/berita/999/lain?page=2", "https://lain.id/berita/123456/x?page=2"], []),
    ],
)
def test_split_pages(links: list[str], parts: list[str]) -> None:
    anchors = "".join(f"<a href='{h}'>Halaman</a>" for h in links)
    assert page(article(after=f"<div class='paging'>{anchors}</div>")).split_pages() == parts


def test_amp_url() -> None:
    head = "<link rel='amphtml' href='/amp/berita/123456/polisi'>"
    assert (
        page(article(), head).amp_url() == "https://www.contoh-berita.id/amp/berita/123456/polisi"
    )
    assert page(article()).amp_url() is None


def test_dig() -> None:
    assert dig({"a": [{"b": 1}, {"b": 2}, {}]}, "a[].b") == [1, 2]
    assert dig(None, "a.b") == []


@pytest.mark.parametrize("body", [b"", b"<html>", b"\xff\xfe\x00garbage", b"<p>" * 5000])
def test_bad_pages_never_raise(body: bytes) -> None:
    result = extract_page(body, URL)
    assert result.invalid_reason is not None


def test_in_body_pagination_of_a_split_article_is_dropped() -> None:
    paging = (
        f"<p>Halaman: <a href='{URL}?page=1'>1</a> <a href='{URL}?page=2'>2</a> "
        f"<a href='{URL}?page=2'>Selanjutnya</a></p>"
    )
    item = extract_page(f"<html><body>{article(extra=paging)}</body></html>".encode(), URL).item
    assert "Halaman" not in item.body and "Selanjutnya" not in item.body
    assert item.body.count("Kalimat berita nomor 0") == 2


# --- dates and titles right by design (issue 11) ---------------------------------------------
def _ld(obj: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


@pytest.mark.parametrize(
    ("head", "body", "published_at"),
    [
        pytest.param(
            _ld({"@type": "NewsArticle", "headline": "Judul", "datePublished": "2015-11-04"}),
            "<main><div class='byline'>Rabu, 4 November 2015 | 21:04 WIB</div>"
            f"<div class='isi'><p>{PROSE}</p><p>{PROSE}</p></div></main>",
            "2015-11-04T21:04:00+07:00",
            id="jsonld_date_only_byline_bar_no_h1",
        ),
        pytest.param(
            "<meta property='article:published_time' content='2015-11-04'>",
            "<main><h2>Judul Berita Ini</h2><p class='info'>Oleh Redaksi | "
            "Rabu, 4 November 2015 21:04 wib</p>"
            f"<div class='isi'><p>{PROSE}</p><p>{PROSE}</p></div></main>",
            "2015-11-04T21:04:00+07:00",
            id="meta_date_only_lowercase_wib_byline",
        ),
        pytest.param(
            _ld({"@type": "NewsArticle", "datePublished": "2024-08-13T00:00:00+07:00"}),
            "<main><h1>Judul Berita</h1><div class='meta'><span>Selasa, 13 Agu 2024</span>"
            f" <span>18:13 WIB</span></div><div class='isi'><p>{PROSE}</p><p>{PROSE}</p></div>"
            "</main>",
            "2024-08-13T18:13:00+07:00",
            id="bare_midnight_jsonld_byline_split_over_spans",
        ),
        pytest.param(
            _ld({"@type": "NewsArticle", "datePublished": "2024-08-13T09:05:00+07:00"}),
            "<main><h2>Judul Berita</h2><p class='x'>Selasa, 13 Agu 2024 18:13 WIB</p>"
            f"<div class='isi'><p>{PROSE}</p><p>{PROSE}</p></div></main>",
            "2024-08-13T09:05:00+07:00",
            id="shape_found_line_never_overrules_a_machine_time",
        ),
        pytest.param(
            _ld({"@type": "NewsArticle", "datePublished": "2015-11-04"}),
            "<header class='site-header'>Kamis, 5 November 2015 | 10:00 WIB</header>"
            f"<main><div class='isi'><p>{PROSE}</p><p>{PROSE}</p></div></main>",
            "2015-11-04T00:00:00+07:00",
            id="header_today_date_is_not_the_byline",
        ),
    ],
)
def test_byline_found_by_shape_beats_date_only(head: str, body: str, published_at: str) -> None:
    p = page(body, head)
    item = extract_page(p.response.body, URL, generic=True).item
    assert item.published_at == published_at


@pytest.mark.parametrize(
    ("head", "title"),
    [
        pytest.param(
            "<title>Banjir di Gresik - Ekonomi :: Contoh Berita Ekonomi</title>"
            "<meta property='og:site_name' content='Contoh Berita'>",
            "Banjir di Gresik",
            id="headline_rubrik_portal_rubrik",
        ),
        pytest.param(
            "<title>Contoh Berita - Banjir di Gresik</title>",
            "Banjir di Gresik",
            id="portal_prefix",
        ),
        pytest.param(
            "<title>Banjir di Gresik | contoh-berita.id</title>", "Banjir di Gresik", id="host_tail"
        ),
        pytest.param(
            "<meta property='og:title' content='Contoh-Berita.id | Banjir di Gresik | Jatim'>",
            "Banjir di Gresik | Jatim",
            id="og_prefix_only_site_cut",
        ),
        pytest.param(
            "<title>Jokowi - Prabowo Bertemu di Solo | Contoh Berita</title>",
            "Jokowi - Prabowo Bertemu di Solo",
            id="inner_dash_kept",
        ),
    ],
)
def test_title_site_parts_cut_from_either_end(head: str, title: str) -> None:
    assert page("<p>x</p>", head).title() == title


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        pytest.param(
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
            '"Warga Sebut "Tidak Adil", Kata "Camat" Lain", "datePublished": "2024-08-13"}'
            "</script>",
            '<h1>Warga Sebut "Tidak Adil", Kata "Camat" Lain Soal Bansos di Gresik</h1>',
            'Warga Sebut "Tidak Adil", Kata "Camat" Lain Soal Bansos di Gresik',
            id="repaired_disagrees_h1_wins",
        ),
        pytest.param(
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
            '"Pedagang Pasar Ngoro: "Ya", "Tidak": Warga Bingung Soal Relokasi", '
            '"datePublished": "2024-08-13"}</script>',
            '<h1>Pedagang Pasar Ngoro: "Ya", "Tidak": Warga Bingung Soal Relokasi</h1>',
            'Pedagang Pasar Ngoro: "Ya", "Tidak": Warga Bingung Soal Relokasi',
            id="repair_cut_at_an_inner_quote_h1_wins",
        ),
        pytest.param(
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
            '"Kata "Netral" di Malang", "datePublished": "2024-08-13"}</script>'
            "<meta property='og:title' content='Bupati Malang Minta ASN Netral di Pilkada'>",
            "<p>x</p>",
            "Bupati Malang Minta ASN Netral di Pilkada",
            id="repaired_disagrees_og_wins",
        ),
        pytest.param(
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
            '"Kata "Netral" Bupati di Malang Jelang Pilkada", "datePublished": "2024-08-13"}'
            "</script>",
            '<h1>Kata "Netral" Bupati di Malang Jelang Pilkada</h1>',
            'Kata "Netral" Bupati di Malang Jelang Pilkada',
            id="repaired_agrees_used",
        ),
    ],
)
def test_repaired_jsonld_headline_only_when_it_agrees(head: str, body: str, title: str) -> None:
    assert page(body, head).title() == title
