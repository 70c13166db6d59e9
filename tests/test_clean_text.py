"""html_to_text and normalize_text as input/expected tables."""

from __future__ import annotations

import lxml.html
import pytest

from newscrawl.clean import html_to_text, normalize_text

HTML_TO_TEXT = [
    ("di <a href='/p'>Pasar</a> Besar", "di Pasar Besar"),
    ("di<a> Pasar</a>", "di Pasar"),
    ("di\n<a>Pasar</a>\nBesar", "di Pasar Besar"),
    ("Sura<b>baya</b> <i>kota</i><em>pahlawan</em>", "Surabaya kotapahlawan"),
    ("<p>Satu</p><p>Dua</p>", "Satu\n\nDua"),
    ("Satu<br>Dua", "Satu\nDua"),
    ("Satu<br/><br/>Dua", "Satu\n\nDua"),
    ("Satu<br> \n <br>Dua", "Satu\n\nDua"),
    ("Satu<br><br><br><br>Dua", "Satu\n\nDua"),
    ("<div>a<div>b</div>c</div>", "a\n\nb\n\nc"),
    ("<ul><li>x</li><li>y</li></ul>", "x\n\ny"),
    ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\n\nc"),
    ("<p>  a \n\t b  </p>", "a b"),
    ("<p>a<!-- komentar -->b</p>", "ab"),
    ("<pre>baris 1\nbaris 2</pre>", "baris 1\nbaris 2"),
    ("<p>x</p><script>var a = '<p>';</script><style>p {}</style><p>y</p>", "x\n\ny"),
    ("<h2>Judul</h2>Teks <span>lanjut</span>", "Judul\n\nTeks lanjut"),
    ("a&nbsp;b&#8203;c", "a bc"),
    ("<p>&lt;b&gt; bukan tag</p>", "<b> bukan tag"),
    ("", ""),
    ("   ", ""),
    ("teks saja", "teks saja"),
    ("<html><body><p>dok</p></body></html>", "dok"),
]


@pytest.mark.parametrize(("html", "expected"), HTML_TO_TEXT)
def test_html_to_text(html: str, expected: str) -> None:
    assert html_to_text(html) == expected


def test_html_to_text_element() -> None:
    el = lxml.html.fromstring("<div><p>di <a>Pasar</a></p><p>Dua</p></div>")
    assert html_to_text(el) == "di Pasar\n\nDua"


NORMALIZE = [
    ("a\u00a0b", "a b"),
    ("a\u202fb", "a b"),
    ("a\u200bb\u200c\u200dc\u2060", "abc"),
    ("\ufeffteks", "teks"),
    ("ke\u00adcil", "kecil"),
    ("&amp; &lt;x&gt; &quot;q&quot; &#39;s&#39; &#x41;", "& <x> \"q\" 's' A"),
    ("AT&T &notice", "AT&T &notice"),
    ("Cafe\u0301", "Caf\u00e9"),
    ("a     b\t\tc", "a b c"),
    ("  baris  \n   dua  ", "baris\ndua"),
    ("a\r\nb\rc", "a\nb\nc"),
    ("a\n\n\n\nb", "a\n\nb"),
    ("nul\x00 dan\x01\x1f kontrol\x7f", "nul dan kontrol"),
    ("surrogate \ud800 sendiri", "surrogate sendiri"),
    ("a\u2028b", "a\nb"),
    ("", ""),
]


@pytest.mark.parametrize(("raw", "expected"), NORMALIZE)
def test_normalize_text(raw: str, expected: str) -> None:
    out = normalize_text(raw)
    assert out == expected
    out.encode("utf-8")


def test_normalize_text_non_string() -> None:
    assert normalize_text(None) == ""  # type: ignore[arg-type]


NORMALIZE_LINE = [
    ("a\u00a0b", "a b"),
    ("\u201ca\u201d\u00a0b\u200b", "\u201ca\u201d b"),
    ("a\nb\tc\rd", "a b c d"),
    ("a\x00b\x7fc\x85d", "a bcd"),  # a NUL is a word boundary (issue 12)
    ("Berita\x00Uji", "Berita Uji"),
    ("  \u3000a  \u2009 b ", "a b"),
    ("Cafe\u0301\u00a0baru", "Caf\u00e9 baru"),
    ("&quot;x&quot;&nbsp;y", '"x" y'),
    ("biasa saja", "biasa saja"),
]


@pytest.mark.parametrize(("raw", "expected"), NORMALIZE_LINE)
def test_normalize_line(raw: str, expected: str) -> None:
    from newscrawl.clean.text import normalize_line

    assert normalize_line(raw) == expected
