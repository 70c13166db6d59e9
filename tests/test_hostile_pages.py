"""Issue 12, fault 9 and the NUL join: page shapes that crashed extraction (and lost the article)
or glued two words together. Each page is a real article that must come out whole."""

from __future__ import annotations

import pytest

from newscrawl.extract import extract_page
from newscrawl.pages.jsonld import MAX_DEPTH, json_depth, loads_bounded, parse_jsonld

URL = "https://unknown-portal.example/2024/08/13/warga-gubeng-gotong-royong-bersihkan-saluran"
TITLE = "Warga Gubeng Gotong Royong Bersihkan Saluran"
PARA = (
    "<p>SURABAYA - Ratusan warga Gubeng memadati lokasi sejak pagi untuk membersihkan saluran "
    "air yang tersumbat sampah menjelang musim hujan tahun ini.</p>"
)


def page(body: str, head: str = "") -> bytes:
    return (
        f"<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>{TITLE}</title>"
        f"<meta property='og:type' content='article'>{head}</head><body><article>"
        f"<h1>{TITLE}</h1><time datetime='2024-08-13T18:13:00+07:00'>13 Agustus 2024</time>"
        f"{PARA * 3}{body}</article></body></html>"
    ).encode()


# A control character right after an element the cleaner removes (an embed, a script): its
# text becomes the tail of the element before it, which lxml refused.
CONTROL_AFTER_REMOVED = [
    ("\x0c", "<div class='sosmed'><blockquote class='instagram-media'>x</blockquote></div>"),
    ("\x0b", "<div class='sosmed'><blockquote class='instagram-media'>x</blockquote></div>"),
    ("&#12;", "<div class='sosmed'><blockquote class='instagram-media'>x</blockquote></div>"),
    ("&#x0B;", "<p><script>var a=1;</script></p>"),
    ("\x01\x1f", "<iframe src='https://www.youtube.com/embed/x'></iframe>"),
]


@pytest.mark.parametrize(("control", "removed"), CONTROL_AFTER_REMOVED)
def test_control_character_after_a_removed_element(control: str, removed: str) -> None:
    body = f"<p>Kerja bakti dimulai.{removed}{control}Warga membawa cangkul sendiri.</p>"
    result = extract_page(page(body), URL)
    assert result.invalid_reason is None
    assert result.item.title == TITLE
    assert "Warga membawa cangkul sendiri." in result.item.body


@pytest.mark.parametrize("opening", ["[", '{"a":', '{"@graph": ['])
def test_json_ld_nested_200000_levels(opening: str) -> None:
    closing = {"[": "]", '{"a":': "}", '{"@graph": [': "]}"}[opening]
    block = opening * 200_000 + "1" + closing * 200_000
    head = f"<script type='application/ld+json'>{block}</script>"
    result = extract_page(page("", head), URL)
    assert result.invalid_reason is None
    assert result.item.title == TITLE and "Gubeng" in result.item.body


def test_next_data_nested_deep() -> None:
    head = "<script id='__NEXT_DATA__' type='application/json'>" + "[" * 100_000 + "]" * 100_000
    result = extract_page(page("", head + "</script>"), URL)
    assert result.item.title == TITLE


def test_json_depth_and_bounded_loads() -> None:
    assert json_depth('{"a": "[[[[", "b": [[1]]}') == 3
    assert loads_bounded('{"a": [[1]]}') == {"a": [[1]]}
    with pytest.raises(ValueError):
        loads_bounded("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    # A salvageable article next to the deep part is still read.
    deep = '{"@type": "NewsArticle", "headline": "Judul", "x": ' + "[" * 5000 + "]" * 5000 + "}"
    assert parse_jsonld([deep])[0]["headline"] == "Judul"


def test_nul_between_words_is_a_word_boundary() -> None:
    result = extract_page(
        page("<p>Kegiatan\x00Kerja bakti warga berlangsung hingga siang.</p>"), URL
    )
    assert "Kegiatan Kerja bakti" in result.item.body
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
    head += '"Warga Gubeng\\u0000Gotong Royong Bersihkan Saluran"}</script>'
    result = extract_page(page("", head), URL)
    assert "GubengGotong" not in (result.item.title or "")
