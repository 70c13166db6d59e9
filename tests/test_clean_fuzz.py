"""Property tests: random markup and random text never make the cleaner raise."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newscrawl.clean import clean_body, filter_authors, find_promo, html_to_text, normalize_text

_TAGS = [
    "p",
    "div",
    "a",
    "b",
    "strong",
    "span",
    "br",
    "table",
    "td",
    "ul",
    "li",
    "figure",
    "figcaption",
    "script",
    "h3",
    "ins",
    "iframe",
]
_ATTRS = [
    "",
    ' class="baca-juga"',
    ' class="ads"',
    ' class="lihatjg"',
    ' id="penulis"',
    ' href="/x"',
    ' class="caption"',
    ' class="share"',
]
_WORDS = [
    "Baca juga:",
    "Editor: Budi",
    "ADVERTISEMENT",
    "(vyp/kna)",
    "SURABAYAPAGI.COM, Malang -",
    "[Gambas:Video 20detik]",
    "&nbsp;",
    "&amp;",
    "\u200b",
    "\x00",
    "\ud800",
    "Jakarta -",
    "Artikel ini telah tayang di",
    "Copyright ©",
    "Ml-01/ham",
    "warga",
    "<",
    ">",
    "&",
]

_fragment = st.recursive(
    st.one_of(st.sampled_from(_WORDS), st.text(max_size=20)),
    lambda inner: st.tuples(
        st.sampled_from(_TAGS), st.sampled_from(_ATTRS), st.lists(inner, max_size=4)
    ).map(lambda t: f"<{t[0]}{t[1]}>{''.join(t[2])}</{t[0]}>"),
    max_leaves=25,
)


def _valid(s: str) -> None:
    assert isinstance(s, str)
    s.encode("utf-8")
    assert "\x00" not in s


@settings(max_examples=300, deadline=None)
@given(st.lists(_fragment, max_size=6).map("".join))
def test_random_markup(html: str) -> None:
    r = clean_body(html, base_url="https://example.com/a")
    _valid(r.body)
    assert not any(x.rule == "error" for x in r.removed), r.removed
    for link in r.related_links:
        _valid(link["title"])
        _valid(link["url"])
    for cap in r.captions:
        _valid(cap)
    _valid(html_to_text(html))
    find_promo(r.body)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_random_text(text: str) -> None:
    _valid(clean_body(text).body)
    _valid(html_to_text(text))
    _valid(normalize_text(text))
    assert isinstance(find_promo(text), list)
    for name in filter_authors([text]):
        _valid(name)
