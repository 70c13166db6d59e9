"""Held-out pages: template variants the extractors were not written against.

The ``tests/fixtures/<portal>/heldout-*/`` cases run in ``test_fixtures.py`` like every case (with
the portal's profile). Here they also run WITHOUT a profile (generic extraction must still get the
title, the exact publication instant and the body), AMP copies are checked (their URLs are never
crawled as articles, so they live in ``tests/data/heldout_amp/``), and the shape rules behind them
(embeds, captions under images, update times, headline badges) are checked on small pages.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from lxml import html as lxml_html

from newscrawl.clean import find_promo
from newscrawl.extract import extract_page
from newscrawl.pages.blocks import (
    drop_embeds,
    drop_title_label,
    mark_image_captions,
    published_part,
    same_title,
    similar_title,
)
from newscrawl.pages.score import token_f1
from tests.fixture_pages import load_cases

HELDOUT = [c for c in load_cases() if c.name.startswith("heldout-") and c.is_article]
AMP_DIR = Path(__file__).parent / "data" / "heldout_amp"
AMP_CASES = sorted(p.stem for p in AMP_DIR.glob("*.json"))
#: Fields a reader checks first; generic extraction must get them right on every held-out page.
CORE_FIELDS = ("title", "published_at")


def test_there_are_heldout_cases() -> None:
    assert len(HELDOUT) >= 12 and {c.portal for c in HELDOUT} >= {"detik", "kompas", "tribunnews"}


@pytest.mark.parametrize("case", HELDOUT, ids=lambda c: c.id)
def test_generic_extraction_of_heldout_page(case) -> None:
    result = extract_page(
        case.body,
        case.meta["url"],
        generic=True,
        fetched_at=case.meta.get("fetched_at"),
        headers=case.meta.get("headers"),
    )
    item = result.item
    for name in CORE_FIELDS:
        assert getattr(item, name) == case.expected[name], name
    assert token_f1(item.body, case.expected["body"]) >= 0.95
    assert find_promo(item.body or "") == []
    assert result.invalid_reason is None


@pytest.mark.parametrize("generic", [False, True], ids=["profile", "generic"])
@pytest.mark.parametrize("name", AMP_CASES)
def test_amp_copy(name: str, generic: bool) -> None:
    data = json.loads((AMP_DIR / f"{name}.json").read_text(encoding="utf-8"))
    page = (AMP_DIR / f"{name}.html").read_bytes()
    meta, expected = data["meta"], data["expected"]
    item = extract_page(page, meta["url"], generic=generic, fetched_at=meta["fetched_at"]).item
    for key, value in expected.items():
        assert getattr(item, key) == value, key


# --- the shape rules, on small pages ------------------------------------------------------------

EMBEDS = [
    (
        '<div class="fb-video" data-href="x"><blockquote cite="https://www.facebook.com/a/videos/1" '
        'class="fb-xfbml-parse-ignore"><p>Teks video</p>Posted by <a>A</a></blockquote></div>',
        1,
    ),
    (
        '<blockquote class="tiktok-embed" cite="https://www.tiktok.com/@a/video/1" data-video-id="1">'
        "<section><a>@a</a> Teks</section></blockquote>",
        1,
    ),
    (
        '<figure class="wp-block-embed is-provider-twitter wp-block-embed-twitter"><div class="'
        'wp-block-embed__wrapper"><blockquote class="twitter-tweet"><p>Cuitan</p></blockquote></div>'
        "</figure>",
        1,
    ),
    ('<amp-twitter data-tweetid="1" width="375" height="472"></amp-twitter>', 1),
    (
        '<blockquote data-instgrm-permalink="https://www.instagram.com/p/x/"><a>A post</a></blockquote>',
        1,
    ),
    ("<blockquote><p>Kutipan pidato wali kota yang panjang.</p></blockquote>", 0),
]


@pytest.mark.parametrize(("embed", "count"), EMBEDS)
def test_drop_embeds(embed: str, count: int) -> None:
    body = lxml_html.fromstring(f"<div><p>Satu.</p>{embed}<p>Dua.</p></div>")
    assert drop_embeds(body) == count
    texts = [t.strip() for t in body.itertext() if t.strip()]
    assert texts[0] == "Satu." and texts[-1] == "Dua."
    assert (len(texts) == 2) == (count == 1)


CAPTIONS = [
    ('<p><img src="a.jpg"></p><p><em>Warga antre air bersih di Blitar. (Foto: Ana)</em></p>', 1),
    ('<p><img src="a.jpg"></p><p><em>Kutipan</em> lalu kalimat biasa yang panjang.</p>', 0),
    ("<p>Paragraf biasa.</p><p><em>Catatan redaksi: artikel ini diperbarui.</em></p>", 0),
    ('<figure><img src="a.jpg"></figure><p><i>Petugas memeriksa tanggul Kali Lamong.</i></p>', 1),
]


@pytest.mark.parametrize(("fragment", "count"), CAPTIONS)
def test_mark_image_captions(fragment: str, count: int) -> None:
    assert mark_image_captions(lxml_html.fromstring(f"<div>{fragment}</div>")) == count


DATE_LINES = [
    (
        "Kompas.com - 05/11/2023, 06:30 WIB | Diperbarui 05/11/2023, 08:12 WIB",
        "Kompas.com - 05/11/2023, 06:30 WIB",
    ),
    (
        "Diperbarui: Senin, 19 Agustus 2024 15:40 WIB | Dipublikasikan: Senin, 19 Agustus 2024 "
        "13:02 WIB",
        "Senin, 19 Agustus 2024 13:02 WIB",
    ),
    (
        "Diterbitkan 13 Agu 2024, 18:13 WIB Diperbarui 13 Agu 2024, 18:20 WIB",
        "13 Agu 2024, 18:13 WIB",
    ),
    ("Tayang: Jumat, 3 November 2023 11:20 WIB", "Tayang: Jumat, 3 November 2023 11:20 WIB"),
    ("Update: 19/08/2024 15:40", None),
    ("Last updated 20 Aug 2024 10:00", None),
    ("Selasa, 13 Agu 2024 18:13 WIB", "Selasa, 13 Agu 2024 18:13 WIB"),
]


@pytest.mark.parametrize(("line", "part"), DATE_LINES)
def test_published_part(line: str, part: str | None) -> None:
    assert published_part(line) == part


TITLES = [
    (
        "VIDEO Detik-detik Truk Tabrak Motor",
        "Detik-detik Truk Tabrak Motor",
        "Detik-detik Truk Tabrak Motor",
    ),
    ("FOTO: Kasada di Bromo", "Kasada di Bromo", "Kasada di Bromo"),
    ("Video: Banjir Rob", "Video: Banjir Rob", "Video: Banjir Rob"),
    ("Banjir Rob di Kenjeran", "Rob di Kenjeran", "Banjir Rob di Kenjeran"),
    ("Geger Warga Kenjeran", "Warga Kenjeran", "Geger Warga Kenjeran"),
]


@pytest.mark.parametrize(("visible", "meta", "title"), TITLES)
def test_drop_title_label(visible: str, meta: str, title: str) -> None:
    assert drop_title_label(visible, meta) == title


def test_title_comparisons() -> None:
    assert same_title("Pungli: “Saya Pecat”", 'pungli: "Saya Pecat" ')
    assert not same_title("Pungli di Surabaya", "Pungli di Sidoarjo")
    assert similar_title(
        "Pemkot Tambah 50 CCTV di Kawasan Rawan Balap Liar Surabaya",
        "Pemkot Tambah 50 CCTV di Kawasan Rawan Balap Liar",
    )
    assert not similar_title("Terpopuler", "Pemkot Tambah 50 CCTV di Kawasan Rawan Balap Liar")


PAGE = """<html><head><title>{meta_title} - Portal Contoh</title>
<meta property="og:title" content="{meta_title}"></head><body>
<header><a class="logo" href="/"><img src="logo.png" alt="Portal Contoh"></a></header>
<article><h1 class="judul">{h1}</h1><div class="tanggal">{date}</div>
<div class="isi"><p>{para}</p><p>{para}</p><p>{para}</p></div></article></body></html>"""
PARA = (
    "Pemerintah kota menambah armada bus untuk melayani warga di kawasan pinggiran, "
    "kata kepala dinas perhubungan kepada wartawan di balai kota."
)


@pytest.mark.parametrize(
    ("h1", "meta_title", "date", "title", "published"),
    [
        (
            "<span class='badge'>LIVE</span> Bus Baru Melayani Warga Pinggiran",
            "Bus Baru Melayani Warga Pinggiran",
            "Senin, 19 Agustus 2024 13:02 WIB",
            "Bus Baru Melayani Warga Pinggiran",
            "2024-08-19T13:02:00+07:00",
        ),
        (
            "Wali Kota: “Bus Gratis untuk Pelajar”&nbsp;",
            'Wali Kota: "Bus Gratis untuk Pelajar"',
            "Diperbarui: Senin, 19 Agustus 2024 15:40 WIB | Dipublikasikan: Senin, 19 Agustus 2024 "
            "13:02 WIB",
            "Wali Kota: “Bus Gratis untuk Pelajar”",
            "2024-08-19T13:02:00+07:00",
        ),
        (
            "Pemkot Tambah 20 Bus Baru untuk Melayani Warga Pinggiran Kota",
            "Pemkot Tambah 20 Bus Baru untuk Warga Pinggiran",
            "19/08/2024 13:02",
            "Pemkot Tambah 20 Bus Baru untuk Melayani Warga Pinggiran Kota",
            "2024-08-19T13:02:00+07:00",
        ),
    ],
    ids=["badge", "curly-quotes-and-update-first", "edited-headline"],
)
def test_generic_title_and_date_traps(
    h1: str, meta_title: str, date: str, title: str, published: str
) -> None:
    page = PAGE.format(h1=h1, meta_title=html.escape(meta_title), date=date, para=PARA)
    item = extract_page(page.encode(), "https://contoh.example/berita/1/bus", generic=True).item
    assert (item.title, item.published_at) == (title, published)
