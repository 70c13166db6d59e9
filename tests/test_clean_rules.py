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
        ("Editor Moch Ilham", [("editor", "Moch Ilham")]),
        ("Editor majalah itu hadir bersama penulis.", None),
        ("Reporter: Apa yang terjadi?", None),
    ],
)
def test_parse_meta_line(line: str, expected: list | None) -> None:
    assert parse_meta_line(line) == expected
