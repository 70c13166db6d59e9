"""find_promo, filter_authors, the crawl ban, element classes and datelines as tables."""

from __future__ import annotations

import pytest

from newscrawl.clean import CRAWL_BAN_RE, filter_authors, find_promo, has_crawl_ban, parse_dateline
from newscrawl.clean.metadata import parse_meta_line
from newscrawl.clean.rules import classify_attrs

PROMO_LINES = [
    "Baca juga: Harga Cabai Naik",
    "Baca Juga :\u00a0Harga Cabai Naik".replace("\u00a0", " "),
    "BACA JUGA : Lomba Dimulai",
    "Lihat Juga : Gempa Susulan",
    "Baca: Pelaku Ditangkap",
    "Baca Juga:",
    "ADVERTISEMENT",
    "SCROLL TO CONTINUE WITH CONTENT",
    "Simak Video 'Banjir Rendam Surabaya'",
    "[Gambas:Video 20detik]",
    "Yuk, Simak Juga Video ini!",
    "Dapatkan update berita pilihan dan breaking news setiap hari dari Kompas.com.",
    "Cek Berita dan Artikel lainnya di Google News",
    "Ikuti berita Surabaya Pagi di Google News",
    "Artikel ini telah tayang di Surya.co.id dengan judul Banjir",
    "Copyright © ANTARA 2024",
    "Dilarang keras mengambil konten, melakukan crawling atau pengindeksan otomatis untuk AI di "
    "situs web ini tanpa izin tertulis dari Kantor Berita ANTARA.",
    "BERITA TERBARU",
    "Hubungi [email protected] segera.",
    "Banjir melanda kota. [Gambas:Video CNN]",
    "Tonton juga: Banjir di Surabaya",
    "Saksikan juga: Tanggul Jebol",
    "Halaman: 1 2 3 Selanjutnya",
    "Baca Selengkapnya di halaman berikutnya",
    "Next page",
    "***",
    "---",
    "Ikuti kami di media sosial",
    "Simak berita lainnya di surabayapagi.com",
    "Download aplikasi Surabaya Pagi",
    "Copyright © 2024 Surabaya Pagi. All rights reserved.",
    "DILARANG KERAS MENGAMBIL KONTEN, MELAKUKAN CRAWLING ATAU PENGINDEKSAN OTOMATIS UNTUK AI DI "
    "SITUS WEB INI TANPA IZIN TERTULIS DARI KANTOR BERITA ANTARA.",
]

PROSE_LINES = [
    "Pemerintah Kota Surabaya menyiapkan rekayasa lalu lintas menjelang tahun baru.",
    "Dia meminta warga membaca juga aturan itu, kata Kepala Dinas.",
    "Iklan rokok dilarang tayang di televisi pada siang hari.",
    "Belanja iklan digital (advertising) naik 20 persen tahun ini.",
    "Pelaku menipu korban lewat grup Telegram.",
    '"Kami akan menindak tegas," kata Kapolrestabes Surabaya, Selasa (13/8/2024).',
    "Editor majalah itu hadir bersama para penulis.",
    "Warga antusias menyaksikan video pawai budaya di alun-alun.",
    "Hak cipta lagu itu dipersoalkan oleh pencipta aslinya sejak 2019 di pengadilan niaga.",
    "Halaman rumah warga terendam banjir setinggi lutut.",
    "Skor akhir 3-1 untuk tuan rumah.",
    "Ia lalu menunjukkan sebuah foto: dua orang pria berdiri di depan rumah.",
    "Warga diminta tonton juga siaran ulang rapat itu, kata dia.",
    "Menurut sumber di kepolisian, pelaku sudah ditangkap.",
]


@pytest.mark.parametrize("line", PROMO_LINES)
def test_find_promo_positive(line: str) -> None:
    assert find_promo(f"Isi berita biasa.\n\n{line}\n\nPenutup.") == [line]


@pytest.mark.parametrize("line", PROSE_LINES)
def test_find_promo_negative(line: str) -> None:
    assert find_promo(line) == []


def test_find_promo_on_prose_article() -> None:
    assert find_promo("\n\n".join(PROSE_LINES)) == []


AUTHORS = [
    (["Luhur Pambudi"], (), ["Luhur Pambudi"]),
    ("Luhur Pambudi", (), ["Luhur Pambudi"]),
    (["Kompas Cyber Media"], (), []),
    (["mediaindonesia.com developer"], (), []),
    (["Redaksi"], (), []),
    (["Admin"], (), []),
    (["Tim Redaksi"], (), []),
    (["https://surabayapagi.com/author/a"], (), []),
    (["redaksi@surabayapagi.com"], (), []),
    (["Surabaya Pagi"], ("surabayapagi.com", "Surabaya Pagi"), []),
    (["SURABAYAPAGI.COM"], ("surabayapagi.com",), []),
    (["surabayapagi"], ("surabayapagi.com",), []),
    (["Kompas.com"], (), []),
    (["A dan B"], (), []),
    (["Andi Wijaya dan Budi Santoso"], (), ["Andi Wijaya", "Budi Santoso"]),
    (["Andi Wijaya, Budi Santoso"], (), ["Andi Wijaya", "Budi Santoso"]),
    (["Andi Wijaya & Budi Santoso"], (), ["Andi Wijaya", "Budi Santoso"]),
    (["Andi Wijaya", "andi wijaya", "Andi  Wijaya"], (), ["Andi Wijaya"]),
    (["Oleh: Andi Wijaya"], (), ["Andi Wijaya"]),
    (["Rifkianto Nugroho - detikJatim"], (), ["Rifkianto Nugroho"]),
    (["Budi Santoso, S.H."], (), ["Budi Santoso"]),
    (["Budi\u00a0Santoso"], (), ["Budi Santoso"]),
    ([None, 3, "", "  "], (), []),
    (None, (), []),
]


@pytest.mark.parametrize(("names", "sites", "expected"), AUTHORS)
def test_filter_authors(names: object, sites: tuple, expected: list) -> None:
    assert filter_authors(names, site_names=sites) == expected


BAN = (
    "Dilarang keras mengambil konten, melakukan crawling atau pengindeksan otomatis untuk AI di "
    "situs web ini tanpa izin tertulis dari Kantor Berita ANTARA."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (BAN, True),
        (f"<p>Copyright © ANTARA 2024</p><p>{BAN}</p>", True),
        (BAN.replace(" ", "\u00a0"), True),
        (BAN.upper(), True),
        ("Polisi melarang keras warga mengambil konten di lokasi.", False),
        ("", False),
        (None, False),
    ],
)
def test_has_crawl_ban(text: object, expected: bool) -> None:
    assert has_crawl_ban(text) is expected  # type: ignore[arg-type]


def test_crawl_ban_re_spans_the_sentence() -> None:
    m = CRAWL_BAN_RE.search(f"Isi. {BAN} Lain.")
    assert m is not None and m.group(0) == BAN


ATTRS = [
    ("linksisip", "", "read_also"),
    ("lihatjg", "", "read_also"),
    ("baca-juga", "", "read_also"),
    ("baca", "", "read_also"),
    ("related-news", "", "read_also"),
    ("inner-link-baca-juga", "", None),
    ("parallaxindetail scrollpage", "", "ad_slot"),
    ("paradetail", "", "ad_slot"),
    ("adsbygoogle", "", "ad_slot"),
    ("", "div-gpt-ad-1234-0", "ad_slot"),
    ("iklan_tengah", "", "ad_slot"),
    ("banner-top", "", "ad_slot"),
    ("leads uploads threads loading heading", "", None),
    ("share-box", "", "share_bar"),
    ("sosmed", "", "share_bar"),
    ("wp-caption-text", "", "caption"),
    ("detail__body-tag", "", "tags"),
    ("box-terpopuler", "", "latest_list"),
    ("", "penulis", "meta"),
    ("", "editor", "meta"),
    ("detail__body-text itp_bodycontent", "", None),
    ("read__content", "", None),
    ("baca-juga-box", "", "read_also"),
    ("bacajuga_wrapper", "", "read_also"),
    ("related-post-list", "", "read_also"),
    ("keterangan", "", "caption"),
    ("keterangan-foto", "", "caption"),
    ("photo-credit", "", "caption"),
    ("foto_credit", "", "caption"),
    ("credit", "", None),
    ("read__credit clearfix", "", None),
    ("detail-credit", "", None),
    ("incredible", "", None),
]


@pytest.mark.parametrize(("cls", "ident", "expected"), ATTRS)
def test_classify_attrs(cls: str, ident: str, expected: str | None) -> None:
    assert classify_attrs(cls, ident) == expected


DATELINES = [
    ("SURABAYAPAGI.COM, Malang - Pemkot", None, "Malang"),
    ("Surabaya (beritajatim.com) – Polisi", None, "Surabaya"),
    ("SURABAYA, KOMPAS.com – Polisi", None, "Surabaya"),
    ("Jakarta, CNN Indonesia -- Harga", None, "Jakarta"),
    ("Jakarta (ANTARA) - Harga", None, "Jakarta"),
    ("TRIBUNNEWS.COM, JAKARTA - Harga", None, "Jakarta"),
    ("jpnn.com, JAKARTA - Harga", None, "Jakarta"),
    ("TIMESINDONESIA, MALANG – Harga", None, "Malang"),
    ("Mojokerto (beritajatim.com) – Harga", None, "Mojokerto"),
    ("Jakarta - Harga", "Jakarta", "Jakarta"),
    ("KOTA BATU - Harga", None, "Kota Batu"),
]


@pytest.mark.parametrize(("text", "bold", "city"), DATELINES)
def test_parse_dateline(text: str, bold: str | None, city: str) -> None:
    found = parse_dateline(text, bold=bold)
    assert found is not None and found[0] == city
    assert text[found[1] :] == "Harga" or text[found[1] :] in ("Pemkot", "Polisi")


@pytest.mark.parametrize(
    "text",
    [
        "Jakarta - Harga",  # a bare city that is neither bold nor in capitals
        "KPK - Penyidik",  # an acronym, not a city
        "Jakarta, Indonesia - Harga",  # no site named
        '"Kami siap," kata dia - lalu pergi.',
        "Harga cabai naik.",
    ],
)
def test_parse_dateline_negative(text: str) -> None:
    assert parse_dateline(text) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Editor : Moch Ilham", [("editor", "Moch Ilham")]),
        ("Editor: Moch Ilham", [("editor", "Moch Ilham")]),
        ("Pewarta: Budi Santoso", [("reporter", "Budi Santoso")]),
        ("Reporter : Anisa", [("reporter", "Anisa")]),
        ("Kontributor: Bayu Aji", [("reporter", "Bayu Aji")]),
        ("Penulis: A | Editor: B", [("writer", "A"), ("editor", "B")]),
        # JatimTIMES / MalangTIMES 2025-26 (F56749301056): "Penulis : X - Editor : Y"
        (
            "Penulis : Ashaq Lupito - Editor : Yunan Helmy",
            [("writer", "Ashaq Lupito"), ("editor", "Yunan Helmy")],
        ),
        ("Editor Moch Ilham", [("editor", "Moch Ilham")]),
        ("Editor majalah itu hadir bersama penulis.", None),
        ("Reporter: Apa yang terjadi?", None),
        (
            "Redaktur & Reporter : Ricky Saputra",
            [("editor", "Ricky Saputra"), ("reporter", "Ricky Saputra")],
        ),
        ("Penulis/Editor: Andi", [("writer", "Andi"), ("editor", "Andi")]),
        ("Reporter dan Fotografer: Bayu", [("reporter", "Bayu"), ("photographer", "Bayu")]),
        ("Publisher : Sholihin Nur", [("publisher", "Sholihin Nur")]),
        ("Reporter: A | Publisher: B", [("reporter", "A"), ("publisher", "B")]),
        ("Redaktur senior dan reporter muda hadir.", None),
    ],
)
def test_parse_meta_line(line: str, expected: list | None) -> None:
    assert parse_meta_line(line) == expected


# --- simple selectors matched in the walk agree with CSSSelector ---------------------------------

SELECTORS = [
    ".detail__body-tag",
    "table.linksisip",
    "div.lihatjg",
    ".sisip_embed_sosmed iframe",
    "a.inner-link-baca-juga",
    "#kompas-comment",
    "p.baca",
    "div > p",
    "DIV P",
    "ul > li a",
    "body p",
    "div.row > div",
    "*",
    "p#x.y",
    ".read__content p > strong",
]


def _fixture_roots() -> list:
    from newscrawl.clean.text import parse_html
    from tests.fixture_pages import load_cases

    roots = []
    for case in load_cases():
        if case.page_file.name != "page.html":
            continue
        html = case.body.decode("utf-8", "replace")
        roots.append(parse_html(html))  # a document: its <body>
        start = html.lower().find("<body")
        if start >= 0:
            roots.append(parse_html(html[html.index(">", start) + 1 :]))  # a fragment
    return [r for r in roots if r is not None]


@pytest.mark.parametrize("sel", SELECTORS)
def test_simple_selectors_match_like_cssselect(sel: str) -> None:
    from lxml.cssselect import CSSSelector

    from newscrawl.clean.css import parse_selector

    quick = parse_selector(sel)
    assert quick is not None
    css = CSSSelector(sel, translator="html")
    for root in _fixture_roots():
        path = root.getroottree().getpath
        want = {path(e) for e in css(root) if e is not root}
        got = {path(e) for e in root.iterdescendants() if quick.match(e, root)}
        assert got == want, sel


@pytest.mark.parametrize(
    "sel", ["a[href]", "p:first-child", "a, b", "div + p", "div ~ p", "> p", "p >", "a\\:b", ""]
)
def test_other_selectors_are_left_to_cssselect(sel: str) -> None:
    from newscrawl.clean.css import parse_selector

    assert parse_selector(sel) is None
