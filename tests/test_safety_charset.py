"""Malformed input: decode_html, soft 404s and bot challenges."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newscrawl.safety.charset import decode_html, is_bot_challenge, looks_like_soft_404

TEXT = "Kafé “Kopi” – Rp 5.000 • naïve"
UTF8 = TEXT.encode("utf-8")
CP1252 = TEXT.encode("cp1252")


def _meta(charset: str, body: str = TEXT) -> str:
    return f'<html><head><meta charset="{charset}"></head><body>{body}</body></html>'


def _http_equiv(charset: str, body: str = TEXT) -> str:
    return (
        '<html><head><meta http-equiv="Content-Type" content="text/html; '
        f'charset={charset}"></head><body>{body}</body></html>'
    )


@pytest.mark.parametrize(
    ("body", "header", "text", "encoding"),
    [
        # honest labels
        (UTF8, "text/html; charset=utf-8", TEXT, "utf-8"),
        (CP1252, "text/html; charset=windows-1252", TEXT, "cp1252"),
        (UTF8, None, TEXT, "utf-8"),
        (b"plain ascii", "text/html", "plain ascii", "utf-8"),
        # cp1252 bytes labelled UTF-8, in the header or nowhere
        (CP1252, "text/html; charset=utf-8", TEXT, "cp1252"),
        (CP1252, "text/html; charset=UTF8", TEXT, "cp1252"),
        (CP1252, None, TEXT, "cp1252"),
        # latin-1 labels mean windows-1252 (WHATWG)
        (CP1252, "text/html; charset=iso-8859-1", TEXT, "cp1252"),
        # BOM beats the header
        (b"\xef\xbb\xbf" + UTF8, "text/html; charset=windows-1252", TEXT, "utf-8"),
        (b"\xff\xfe" + TEXT.encode("utf-16-le"), "text/html; charset=utf-8", TEXT, "utf-16-le"),
        # unknown header charset: ignored
        (UTF8, "text/html; charset=x-no-such-thing", TEXT, "utf-8"),
        # empty
        (b"", "text/html; charset=utf-8", "", "utf-8"),
    ],
)
def test_decode_html_labels(body, header, text, encoding):
    assert decode_html(body, header) == (text, encoding)


@pytest.mark.parametrize(
    ("page", "page_encoding", "header", "expected_encoding"),
    [
        # header and meta disagree: the one under which the bytes are valid wins
        (_meta("windows-1252"), "cp1252", "text/html; charset=utf-8", "cp1252"),
        (_http_equiv("windows-1252"), "cp1252", "text/html; charset=utf-8", "cp1252"),
        # both valid: the header wins (the HTML spec), even if the result is mojibake
        (_meta("utf-8", "Café"), "utf-8", "text/html; charset=iso-8859-1", "cp1252"),
        # ... unless a byte is undefined in the header's charset (0x9D of "”" in cp1252)
        (_meta("utf-8"), "utf-8", "text/html; charset=iso-8859-1", "utf-8"),
        # no header: the meta decides
        (_meta("windows-1252"), "cp1252", None, "cp1252"),
        (_meta("utf-8"), "utf-8", None, "utf-8"),
        # a meta lying about UTF-8: bytes are cp1252
        (_meta("utf-8"), "cp1252", None, "cp1252"),
        # meta UTF-16 in an ASCII-compatible page means UTF-8 (HTML spec)
        (_meta("utf-16"), "utf-8", None, "utf-8"),
        # header with a bad charset, meta right
        (_meta("windows-1252"), "cp1252", "text/html; charset=bogus", "cp1252"),
    ],
)
def test_decode_html_header_meta_conflicts(page, page_encoding, header, expected_encoding):
    text, encoding = decode_html(page.encode(page_encoding), header)
    assert encoding == expected_encoding
    if expected_encoding == page_encoding:
        assert TEXT in text


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"Berita\x00Uji", "Berita Uji"),  # a NUL is a word boundary (issue 12)
        (b"\x00\x00", "  "),
        (b"a\x0cb\x0b&#12;c", "a b  c"),  # lxml refuses form feeds and vertical tabs
        (b"pe\xed\xa0\x80kan", "pekan"),  # UTF-8-encoded lone surrogate
        (b"caf\xc3\xa9 \xed\xbf\xbf ok", "café  ok"),
        ("Kafé ".encode() * 20 + b"\xff", "Kafé " * 20 + "\ufffd"),  # mostly UTF-8, one bad byte
        ("é".encode() + b"\xc3", "é\ufffd"),  # cut inside the last character
    ],
)
def test_decode_html_spaces_controls_and_drops_surrogates(body, expected):
    text, encoding = decode_html(body, "text/html; charset=utf-8")
    assert text == expected
    assert encoding == "utf-8"
    text.encode("utf-8")


def test_decode_html_utf16_nul_heavy_body_still_clean():
    body = "Berita".encode("utf-16-le")  # no BOM, labelled UTF-8: NULs everywhere
    text, _ = decode_html(body, "text/html; charset=utf-8")
    assert text == "Berita"


@settings(max_examples=500, deadline=None)
@given(
    st.binary(max_size=2000),
    st.none()
    | st.text(max_size=60)
    | st.sampled_from(
        [
            "text/html; charset=utf-8",
            "text/html; charset=utf-16",
            "text/html; charset=cp1252",
            "text/html; charset=shift_jis",
            "text/html; charset=utf-32",
        ]
    ),
)
def test_decode_html_any_bytes(body, header):
    text, encoding = decode_html(body, header)
    assert isinstance(text, str) and isinstance(encoding, str) and encoding
    assert "\x00" not in text
    text.encode("utf-8")  # never raises: no lone surrogates


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_decode_html_roundtrips_utf8(text):
    decoded, encoding = decode_html(("\u00e9" + text).encode("utf-8"), "text/html; charset=utf-8")
    assert encoding == "utf-8"
    # Control characters (NUL included) become spaces: a word boundary, XML-safe (issue 12).
    expected = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", " ", "\u00e9" + text)
    assert decoded == expected or decoded == expected.replace("\ufeff", "", 1)


@pytest.mark.parametrize(
    ("title", "text", "soft404"),
    [
        ("Halaman tidak ditemukan", "Silakan kembali ke beranda.", True),
        ("Halaman Tidak Ditemukan - Surabaya Pagi", "x" * 2000, True),
        ("Page not found | Kompas.com", "", True),
        ("404", "", True),
        ("404 Not Found", "nginx", True),
        ("Error 404 - detikcom", "Maaf", True),
        ("Not Found", "The requested URL was not found on this server.", True),
        ("Berita tidak ditemukan", "Coba cari berita lain." * 10, True),
        ("Surabaya Pagi", "Maaf, halaman yang Anda cari tidak ditemukan. " * 5, True),
        ("Banjir di Sidoarjo", "", True),  # no body text at all
        ("Banjir di Sidoarjo", "Hujan deras.", True),  # a line is not an article
        ("404 Warga Terdampak Banjir di Sidoarjo", "Banjir merendam rumah warga. " * 20, False),
        ("Pencarian 404 Orang Hilang Dihentikan", "Tim SAR menghentikan pencarian. " * 20, False),
        ("Wali Kota Resmikan Taman", "Taman baru dibuka untuk umum. " * 20, False),
        (
            "Polisi Tangkap Pencuri",
            "Barang bukti tidak ditemukan di lokasi. " + "Polisi terus menyelidiki kasus. " * 60,
            False,
        ),
        (None, None, True),
    ],
)
def test_looks_like_soft_404(title, text, soft404):
    assert looks_like_soft_404(title, text) is soft404


@pytest.mark.parametrize(
    ("title", "html", "challenge"),
    [
        ("Just a moment...", "", True),
        ("Just a moment…", "", True),
        ("Attention Required! | Cloudflare", "", True),
        ("Checking your browser...", "", True),
        ("DDoS-Guard", "", True),
        ("One more step", "", True),
        ("", '<div class="cf-browser-verification cf-im-under-attack">', True),
        ("", "<script>window._cf_chl_opt={cvId: '3'}</script>", True),
        ("", '<form id="challenge-form" action="/?__cf_chl_f_tk=x">', True),
        ("Berita", "Checking your browser before accessing surabayapagi.com.", True),
        ("Berita", "<noscript>Enable JavaScript and cookies to continue</noscript>", True),
        # ordinary pages behind Cloudflare are not challenges
        (
            "Wali Kota Resmikan Taman",
            '<a href="/cdn-cgi/l/email-protection#abc">[email protected]</a>',
            False,
        ),
        (
            "Wali Kota Resmikan Taman",
            '<script src="/cdn-cgi/challenge-platform/scripts/jsd/main.js">',
            False,
        ),
        ("Momen Haru Wisuda: Just a Moment to Remember", "<p>Isi berita</p>", False),
        (None, None, False),
    ],
)
def test_is_bot_challenge(title, html, challenge):
    assert is_bot_challenge(title, html) is challenge


@settings(max_examples=200, deadline=None)
@given(st.none() | st.text(max_size=200), st.none() | st.text(max_size=2000))
def test_detectors_never_raise(title, text):
    assert isinstance(looks_like_soft_404(title, text), bool)
    assert isinstance(is_bot_challenge(title, text), bool)
