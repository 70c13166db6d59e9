"""Fuzz suite for ``extract``: random bytes, random markup, truncated and mutated real pages,
control characters anywhere, deep nesting and 20 MB pages through the whole extraction never
raise, and every text that comes out is valid UTF-8 without NUL.

The budget is bounded for CI: a fixed number of examples per property (no time limits), real
fixture pages as seeds, the big and deep pages as a few explicit cases.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscrawl.extract import extract_page
from newscrawl.safety.decompress import DEFAULT_MAX_SIZE
from tests.fixture_pages import load_cases

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
    # Control characters and references to them, alone or between words.
    st.builds(
        lambda a, c, b: a + c + b,
        st.sampled_from(["", "Berita", "Rp 404 juta "]),
        st.sampled_from([chr(i) for i in range(32)] + ["&#12;", "&#x0B;", "&#0;", "\ufffe"]),
        st.sampled_from(["", "Uji", " Surabaya"]),
    ),
)
#: Elements the cleaner removes: text right after them becomes the tail of their neighbour.
REMOVED = st.sampled_from(
    [
        "<div class='sosmed'><blockquote class='instagram-media'>x</blockquote></div>",
        "<blockquote class='twitter-tweet'><p>t</p></blockquote>",
        "<iframe src='https://www.youtube.com/embed/x'></iframe>",
        "<script>var a = 1;</script>",
        "<p><strong>Baca Juga:</strong> <a href='/x'>Lain</a></p>",
    ]
)


@st.composite
def markup(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 30))):
        tag = draw(TAGS)
        close = draw(st.booleans())
        parts.append(f"<{tag}>{draw(TEXTS)}" + (f"</{tag}>" if close else ""))
        if draw(st.integers(0, 4)) == 0:
            parts.append(draw(REMOVED) + draw(TEXTS))
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


#: Real pages of several portals and layouts: seeds for truncation and mutation.
SEEDS = [
    c for c in load_cases() if c.is_article and c.portal in ("surabayapagi", "detik", "kompas")
][:12]
SEED_IDS = st.integers(0, max(0, len(SEEDS) - 1))


def _seed(i: int):
    case = SEEDS[i]
    return case.body, case.meta["url"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=SEED_IDS, cut=st.floats(0.0, 1.0))
def test_truncated_real_pages_never_raise(seed: int, cut: float) -> None:
    body, url = _seed(seed)
    _check(extract_page(body[: int(len(body) * cut)], url))


@st.composite
def mutations(draw) -> tuple[int, list[tuple[str, float, bytes]]]:
    seed = draw(SEED_IDS)
    ops = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["flip", "insert", "delete", "duplicate"]),
                st.floats(0.0, 1.0),
                st.sampled_from(
                    [
                        b"\x00",
                        b"\x0c",
                        b"\x0b",
                        b"\xff\xfe",
                        b"<",
                        b">",
                        b"</div>",
                        b"<div>",
                        b"<!--",
                        b"]]>",
                        b'"',
                        b"&#12;",
                        b"\xed\xa0\x80",
                        b"\xc3",
                        b"{[",
                        b"<script type='application/ld+json'>{",
                    ]
                ),
            ),
            min_size=1,
            max_size=12,
        )
    )
    return seed, ops


def _mutate(body: bytes, ops: list[tuple[str, float, bytes]]) -> bytes:
    data = bytearray(body)
    for op, where, piece in ops:
        i = int(len(data) * where)
        if op == "flip" and data:
            data[min(i, len(data) - 1)] ^= 0xFF
        elif op == "insert":
            data[i:i] = piece
        elif op == "delete":
            del data[i : i + len(piece) * 50]
        else:
            data[i:i] = bytes(data[i : i + 2000])
    return bytes(data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutation=mutations())
def test_mutated_real_pages_never_raise(mutation) -> None:
    seed, ops = mutation
    body, url = _seed(seed)
    _check(extract_page(_mutate(body, ops), url))


def _article(body: str, head: str = "") -> bytes:
    para = "<p>SURABAYA - Warga memadati lokasi sejak pagi untuk melihat kondisi terbaru.</p>"
    return (
        "<html><head><title>Berita Uji di Surabaya</title>"
        f"<meta property='og:type' content='article'>{head}</head><body><article>"
        f"<h1>Berita Uji di Surabaya</h1>{para * 3}{body}</article></body></html>"
    ).encode()


DEEP = {
    "divs": _article("<div>" * 200_000 + "isi" + "</div>" * 200_000),
    "unclosed inline": _article("<b><i>" * 100_000 + "isi"),
    "tables": _article("<table><tr><td>" * 20_000 + "isi"),
    "json-ld arrays": _article(
        "", "<script type='application/ld+json'>" + "[" * 200_000 + "]" * 200_000 + "</script>"
    ),
    "json-ld objects": _article(
        "",
        "<script type='application/ld+json'>"
        + '{"a":' * 200_000
        + "1"
        + "}" * 200_000
        + "</script>",
    ),
    "json-ld graph": _article(
        "",
        "<script type='application/ld+json'>"
        + '{"@graph":[' * 50_000
        + "]}" * 50_000
        + "</script>",
    ),
    "next data": _article(
        "", "<script id='__NEXT_DATA__' type='application/json'>" + "[" * 200_000 + "</script>"
    ),
    "comments": _article("<!--" * 50_000 + "isi"),
    "every control": _article(
        "".join(chr(i) for i in range(32)) * 100 + "<p title='\x01\x0c'>x</p>"
    ),
}


@pytest.mark.parametrize("name", sorted(DEEP))
def test_deep_and_odd_pages_never_raise(name: str) -> None:
    result = extract_page(DEEP[name], URLS_LIST[3])
    _check(result)
    assert result.item.title == "Berita Uji di Surabaya"


URLS_LIST = [
    "https://surabayapagi.com/news-241234-polres-malang",
    "https://www.detik.com/jatim/berita/d-7011234/x",
    "https://regional.kompas.com/read/2023/11/02/213419/x",
    "https://unknown-portal.example/2024/08/13/berita",
]


def test_20_mb_page_is_refused_in_one_line_not_extracted() -> None:
    """Bigger than the crawl's download cap: the crawl never receives it; ``extract`` says so."""
    para = "<p>Warga memadati lokasi sejak pagi untuk melihat kondisi terbaru.</p>"
    body = _article(para * (20 * 1024 * 1024 // len(para)))
    assert len(body) > 20 * 1024 * 1024 > DEFAULT_MAX_SIZE
    result = extract_page(body, URLS_LIST[0])
    assert result.invalid_reason == "too_large"
    _check(result)


def test_page_just_under_the_cap_is_extracted() -> None:
    para = "<p>Warga memadati lokasi sejak pagi untuk melihat kondisi terbaru di Surabaya.</p>"
    body = _article(para * (1024 * 1024 // len(para)))  # 1 MiB: the cap's path, CI-sized
    result = extract_page(body, URLS_LIST[3], max_size=len(body))
    assert result.invalid_reason is None and len(result.item.body) > 500_000
    _check(result)
