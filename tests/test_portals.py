"""Portal profiles: every bundled profile loads, classifies its own URLs, and picks its domains."""

from __future__ import annotations

from datetime import date

import pytest

from newscrawl.clean import check_rules
from newscrawl.portals import (
    SELECTOR_NAMES,
    ProfileError,
    all_profiles,
    get_profile,
    profile_for_url,
    profile_from_dict,
)
from tests.fixture_pages import load_cases

EXPECTED_KEYS = {
    "surabayapagi",
    "beritajatim",
    "detik",
    "kompas",
    "tribunnews",
    "radarjawapos",
    "jatimtimes",
    "suarasurabaya",
    "jatimnow",
    "timesindonesia",
    "mediaindonesia",
    "jpnn",
    "cnnindonesia",
    "antaranews",
}


def test_every_portal_has_a_profile() -> None:
    assert set(all_profiles()) == EXPECTED_KEYS


@pytest.mark.parametrize("key", sorted(EXPECTED_KEYS))
def test_profile_is_complete(key: str) -> None:
    p = get_profile(key)
    assert p.domains and p.base_url.startswith("https://")
    assert p.owns(p.base_url)
    assert p.article_patterns and p.listing_patterns
    assert p.entry_points()
    assert {"title", "body"} <= set(p.selectors) <= set(SELECTOR_NAMES)
    assert check_rules(p.rules) == []
    assert p.timezone == "WIB"


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://www.detik.com/jatim/berita/d-7011234/x", "detik"),
        ("https://news.detik.com/berita/d-7011567/x", "detik"),
        ("https://regional.kompas.com/read/2023/11/02/21341911/x", "kompas"),
        ("https://indeks.kompas.com/?site=all", "kompas"),
        ("https://surabaya.kompas.com/read/2023/11/03/091500578/x", "kompas"),
        ("https://jatim.tribunnews.com/2023/11/03/x", "tribunnews"),
        ("https://suryamalang.tribunnews.com/2023/11/03/x", "tribunnews"),
        ("https://www.surya.co.id/2023/11/03/x", "tribunnews"),
        ("https://radarmalang.jawapos.com/kota-malang/774915678/x", "radarjawapos"),
        ("https://www.malangtimes.com/baca/318102/20240812/093005/x", "jatimtimes"),
        ("https://jatim.antaranews.com/berita/812390/x", "antaranews"),
        ("https://www.jawapos.com/nasional/123/x", None),
        ("https://www.antaranews.com/berita/1/x", None),
        ("https://example.com/", None),
    ],
)
def test_profile_for_url(url: str, key: str | None) -> None:
    found = profile_for_url(url)
    assert (found.key if found else None) == key


def _fixture_urls(kind: str) -> list[tuple[str, str]]:
    out = []
    for case in load_cases():
        if kind == "article" and case.is_article:
            out.append((case.portal, case.meta["url"]))
        elif kind == "listing" and case.is_listing:
            out.append((case.portal, case.meta["url"]))
            out += [(case.portal, u) for u in case.expected.get("next_pages", [])]
    return out


@pytest.mark.parametrize(("key", "url"), _fixture_urls("article"))
def test_fixture_articles_classify_as_articles(key: str, url: str) -> None:
    assert get_profile(key).classify(url) == "article"


@pytest.mark.parametrize(("key", "url"), _fixture_urls("listing"))
def test_fixture_listings_classify_as_listings(key: str, url: str) -> None:
    assert get_profile(key).classify(url) == "listing"


@pytest.mark.parametrize(
    ("key", "url", "kind"),
    [
        ("beritajatim", "https://beritajatim.com/kanal/hukum-kriminal/", "listing"),
        ("beritajatim", "https://beritajatim.com/redaksi/", None),
        ("beritajatim", "https://beritajatim.com/tag/harga-cabai/", "listing"),
        # S1's flat slug without a trailing slash, and the older /{kanal}/{slug}/ (F15153675335)
        (
            "beritajatim",
            "https://beritajatim.com/mahasiswa-unusida-raih-medali-silver-di-wecc-2024",
            "article",
        ),
        (
            "beritajatim",
            "http://beritajatim.com/peristiwa/dua-kecamatan-di-pamekasan-aman-dari-kekeringan/",
            "article",
        ),
        ("beritajatim", "https://beritajatim.com/kanal/ekbis/page/4/", "listing"),
        ("beritajatim", "https://beritajatim.com/tag/persebaya?page=2", "listing"),
        ("beritajatim", "https://beritajatim.com/page/3/", "listing"),
        ("beritajatim", "https://beritajatim.com/wp-content/uploads/2025/11/a-b-c-d.jpg", None),
        ("detik", "https://www.detik.com/jatim/foto-news/d-7011234/x", None),
        ("kompas", "https://regional.kompas.com/read/2023/11/02/21341911/x?page=all", "article"),
        ("kompas", "https://www.kompas.com/tag/banyuwangi", "listing"),
        ("tribunnews", "https://jatim.tribunnews.com/2023/11/03/x?page=2", "article"),
        ("tribunnews", "https://jatim.tribunnews.com/amp/2023/11/03/x", None),
        ("tribunnews", "https://surabaya.tribunnews.com/2022/09/14/x-y?page=all", "article"),
        ("tribunnews", "https://jatim.tribunnews.com/surabaya", "listing"),
        ("tribunnews", "https://surabaya.tribunnews.com/rss", "listing"),
        ("jatimtimes", "https://www.jatimtimes.com/amp/baca/318263/20240813/181342/x", None),
        # 10-digit ids from 2026 and regional subdomains (F62661192131, F71375837211)
        (
            "jatimtimes",
            "https://madura.jatimtimes.com/baca/3331350404/20260914/101500/x",
            "article",
        ),
        ("jatimtimes", "https://www.malangtimes.com/search?keyword=kabupaten+malang", "listing"),
        ("radarjawapos", "https://radarsurabaya.jawapos.com/redaksi", None),
        # a part of a split article is an article page (S8, F35742431028)
        ("radarjawapos", "https://radarsurabaya.jawapos.com/jatim/774032831/x-y?page=2", "article"),
        ("radarjawapos", "https://radarjember.jawapos.com/bondowoso/24/03/2021/x-y", "article"),
        ("radarjawapos", "https://radarkediri.jawapos.com/ekonomi?page=4", "listing"),
        (
            "radarjawapos",
            "https://radarsurabaya.jawapos.com/search?q=ekonomi&sort=latest&page=2",
            "listing",
        ),
        ("radarjawapos", "https://radarmalang.jawapos.com/tag/arema?page=2", "listing"),
        ("suarasurabaya", "https://www.suarasurabaya.net/wp-content/x.jpg", None),
        # jatimnow: tag pages number their pages in the path (stored page /tag/dprd-surabaya/50)
        ("jatimnow", "https://jatimnow.com/tag/dprd-surabaya/50", "listing"),
        ("jatimnow", "https://jatimnow.com/baca-30937-imut-dan-rasa-sedikit-masam", "article"),
        ("jatimnow", "https://jatimnow.com/amp/baca-30937-imut-dan-rasa-sedikit-masam", None),
        ("jatimnow", "https://jatimnow.com/po-content/uploads/202111/a-b-c.jpg", None),
        (
            "suarasurabaya",
            "https://www.suarasurabaya.net/ekonomibisnis/2021/tiga-kawasan-industri-baru-sedang-"
            "dibangun-di-jatim/",
            "article",
        ),
        (
            "suarasurabaya",
            "https://suarasurabaya.net/kelanakota/2025/pengguna-narkoba-x",
            "article",
        ),
        ("suarasurabaya", "https://suarasurabaya.net/feed/", "listing"),
        # TIMES: current and older article URLs (F58369575148, F39135095815); robots.js
        # disallows /search and /tag
        ("timesindonesia", "https://timesindonesia.co.id/kesehatan/601703/kasus-dbd-x", "article"),
        ("timesindonesia", "https://www.timesindonesia.co.id/read/news/280195/x-y", "article"),
        ("timesindonesia", "https://timesindonesia.co.id/search?q=kabupaten%20malang", None),
        ("timesindonesia", "https://timesindonesia.co.id/tag/kota-batu", None),
        ("timesindonesia", "https://www.timesindonesia.co.id/indeks/2019/08/12", "listing"),
    ],
)
def test_classify_edge_cases(key: str, url: str, kind: str | None) -> None:
    assert get_profile(key).classify(url) == kind


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("detik", "/jatim/indeks?page=1&date=08/13/2024"),
        ("kompas", "https://indeks.kompas.com/?site=all&date=2024-08-13&page=1"),
    ],
)
def test_date_index_uses_the_portals_own_date_format(key: str, expected: str) -> None:
    assert get_profile(key).date_index.format(date=date(2024, 8, 13), page=1) == expected


def test_antara_is_excluded_quoting_its_ban() -> None:
    p = get_profile("antaranews")
    assert not p.policy.allowed
    assert "Dilarang keras mengambil konten" in p.policy.reason


@pytest.mark.parametrize("key", ["kompas", "tribunnews"])
def test_split_articles_are_fetched_whole(key: str) -> None:
    assert get_profile(key).split_param == "page=all"


def test_radar_reads_its_own_data_not_next_data() -> None:
    """No source shows ``__NEXT_DATA__`` on a radar host: the page class reads the ``data-page``
    JSON and the inline analytics block (tests/fixtures/radarjawapos/NOTES.md)."""
    from newscrawl.pages import page_class
    from newscrawl.portals.radarjawapos import RadarJawaPosPage

    p = get_profile("radarjawapos")
    assert p.next_data == {}
    assert page_class(p) is RadarJawaPosPage


RADAR_PAGES = [
    # (html, field, values)
    (
        '<div data-page="{&quot;props&quot;:{&quot;article&quot;:{&quot;editor&quot;:'
        "{&quot;name&quot;:&quot;Fajar&quot;},&quot;category&quot;:{&quot;name&quot;:&quot;Sport"
        '&quot;}}}}"></div>',
        "section",
        ["Sport"],
    ),
    ('<div data-page="{not json"></div>', "title", []),
    (
        '<script>dataLayer.push({"published_date": "2026-02-24 08:50:51"})</script>',
        "published",
        ["2026-02-24 08:50:51"],
    ),
    (
        '<script>x = {"published_date": "2026-02-24", "penulis": "Ana \\"A\\" B"}</script>',
        "author",
        ['Ana "A" B'],
    ),
    ('<script>x = {"published_date": "2026-02-24", "penulis": ""}</script>', "author", []),
    ('<script src="a.js"></script><script>{"editor": "Tidak dibaca"}</script>', "editor", []),
]


@pytest.mark.parametrize(("html", "field", "values"), RADAR_PAGES)
def test_radar_page_data_sources(html: str, field: str, values: list) -> None:
    from scrapy.http import HtmlResponse

    from newscrawl.portals.radarjawapos import RadarJawaPosPage

    response = HtmlResponse(
        "https://radarmalang.jawapos.com/a/815162233/b",
        body=f"<html><body>{html}</body></html>".encode(),
    )
    page = RadarJawaPosPage(response, get_profile("radarjawapos"))
    assert page.next_value(field) == values


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"key": "x"}, "missing required key 'base_url'"),
        (
            {"key": "x", "base_url": "https://x.id", "selectors": {"titel": "h1"}},
            "unknown selector",
        ),
        ({"key": "x", "base_url": "https://x.id", "selectors": {"title": "h1[["}}, "bad CSS"),
        ({"key": "x", "base_url": "https://x.id", "patterns": {"article": "("}}, "bad regex"),
        (
            {"key": "x", "base_url": "https://x.id", "entry": {"date_index": "/i?d={day}"}},
            "bad template",
        ),
        ({"key": "x", "base_url": "https://x.id", "next_data": {"paht": "a"}}, "unknown keys"),
        ({"key": "x", "base_url": "https://x.id", "domains": ["https://x.id"]}, "not a host name"),
    ],
)
def test_malformed_profiles_are_refused(data: dict, message: str) -> None:
    with pytest.raises(ProfileError, match=message.replace("[", r"\[")):
        profile_from_dict(data)
