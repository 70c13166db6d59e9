"""Property tests: random bytes and random markup through the whole extraction never raise,
and every text that comes out is valid UTF-8."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscrawl.extract import extract_page

URLS = st.sampled_from(
    [
        "https://surabayapagi.com/news-241234-polres-malang",
        "https://www.detik.com/jatim/berita/d-7011234/x",
        "https://regional.kompas.com/read/2023/11/02/213419/x",
        "https://unknown-portal.example/2024/08/13/berita",
    ]
)
TAGS = st.sampled_from(
    ["p", "div", "span", "a", "strong", "br", "table", "td", "h1", "script", "article", "figure"]
)
TEXTS = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40),
    st.sampled_from(
        ["Baca Juga: ", "Editor : Moch Ilham", "Selasa, 13 Agu 2024 18:13 WIB", "\x00", "\ufeff"]
    ),
)


@st.composite
def markup(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 30))):
        tag = draw(TAGS)
        close = draw(st.booleans())
        parts.append(f"<{tag}>{draw(TEXTS)}" + (f"</{tag}>" if close else ""))
    return "<html><head><title>" + draw(TEXTS) + "</title></head><body>" + "".join(parts)


def _check(result) -> None:
    for value in result.item.to_dict().values():
        values = value if isinstance(value, list) else [value]
        for v in values:
            if isinstance(v, str):
                v.encode("utf-8")
                assert "\x00" not in v
            elif isinstance(v, dict):
                for s in v.values():
                    s.encode("utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.binary(max_size=3000), url=URLS)
def test_random_bytes_never_raise(body: bytes, url: str) -> None:
    _check(extract_page(body, url))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html=markup(), url=URLS, encoding=st.sampled_from(["utf-8", "cp1252", "latin-1", "utf-16"]))
def test_random_markup_never_raises(html: str, url: str, encoding: str) -> None:
    body = html.encode(encoding, errors="replace")
    _check(extract_page(body, url, headers={"Content-Type": "text/html; charset=utf-8"}))
