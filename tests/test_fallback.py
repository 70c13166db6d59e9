"""Field-level fallback: a profile selector that finds nothing valid gives way to the generic
extractor for that field alone, and the item says which fields fell back (issue 11, part 2)."""

from __future__ import annotations

import dataclasses

import pytest
from scrapy.http import HtmlResponse

from newscrawl.extract import make_response
from newscrawl.pages import page_for
from newscrawl.portals import Profile, all_profiles, profile_from_dict
from newscrawl.process import MIN_BODY_CHARS, process_raw
from tests.fixture_pages import load_cases

ARTICLES = [c for c in load_cases() if c.is_article]


def broken(profile: Profile) -> Profile:
    """A copy of ``profile`` whose every selector and ``[next_data]`` path matches nothing."""
    selectors = {
        name: tuple(f"#nc-wrong-{name}-{i}" for i, _ in enumerate(values))
        for name, values in profile.selectors.items()
    }
    next_data = {key: f"nc_wrong.{key}" for key in profile.next_data}
    return dataclasses.replace(profile, selectors=selectors, next_data=next_data)


def test_every_portal_has_article_fixtures_to_break() -> None:
    portals = {c.portal for c in ARTICLES}
    assert portals >= {p.key for p in all_profiles().values() if p.policy.allowed} - {"generic"}


@pytest.mark.parametrize("case", ARTICLES, ids=lambda c: c.id)
def test_all_wrong_selectors_still_give_title_date_and_body(case) -> None:
    profile = broken(all_profiles()[case.portal])
    response = make_response(case.body, case.meta["url"], headers=case.meta.get("headers"))
    raw = page_for(response, profile, fetched_at=case.meta.get("fetched_at")).to_raw()
    item = process_raw(raw, profile).item
    assert item.title, "title"
    assert item.published_at, "date"
    assert item.body and len(item.body) >= MIN_BODY_CHARS, "body"
    if profile.page_class:  # a portal's page class reads data of its own (Radar's data-page)
        assert set(item.fallback_fields) <= set(profile.own_fields())
    else:
        assert item.fallback_fields == list(profile.own_fields())


# --- one field at a time, each kind of invalid value ------------------------------------------
URL = "https://www.contoh-berita.id/berita/123/judul"
PROSE = " ".join(
    f"Kalimat berita nomor {i} tentang banjir di Gresik, kata warga." for i in range(8)
)
PAGE = (
    "<html><head><title>Banjir Rendam Gresik - Contoh Berita</title>"
    "<meta property='og:site_name' content='Contoh Berita'>"
    "<meta property='article:published_time' content='2024-08-13T18:13:00+07:00'></head>"
    "<body><div class='logo'>Contoh Berita</div><h1>Banjir Rendam Gresik</h1>"
    "<span class='tgl'>Selasa, 13 Agu 2099 18:13 WIB</span>"
    "<div class='penulis'>Oleh: Budi Santoso</div><div class='lead'>Singkat.</div>"
    "<span class='tgl-ok'>Selasa, 13 Agu 2024 18:13 WIB</span>"
    f"<div class='isi'><p>{PROSE}</p><p>{PROSE}</p></div></body></html>"
)


def extract(selectors: dict) -> tuple:
    profile = profile_from_dict(
        {"key": "contoh", "base_url": "https://www.contoh-berita.id", "selectors": selectors}
    )
    response = HtmlResponse(url=URL, body=PAGE.encode(), encoding="utf-8")
    page = page_for(response, profile, fetched_at="2024-08-14T00:00:00+00:00")
    return process_raw(page.to_raw(), profile).item


@pytest.mark.parametrize(
    ("selectors", "fallback"),
    [
        pytest.param(
            {"title": "h1", "date": "span.tgl", "body": "div.isi", "author": "div.penulis"},
            ["date"],
            id="date_in_the_future",
        ),
        pytest.param({"date": ["span.tgl", "span.tgl-ok"]}, [], id="second_date_selector_gives_it"),
        pytest.param({"title": "div.logo"}, ["title"], id="title_is_the_site_name"),
        pytest.param({"title": "h2.judul"}, ["title"], id="title_finds_nothing"),
        pytest.param({"body": "div.lead"}, ["body"], id="body_under_the_minimum"),
        pytest.param({"author": "span.nobody"}, ["authors"], id="author_finds_nothing"),
        pytest.param({"title": "h1", "body": "div.isi"}, [], id="profile_selectors_work"),
    ],
)
def test_invalid_profile_value_falls_back_for_that_field(selectors, fallback) -> None:
    item = extract(selectors)
    assert item.fallback_fields == fallback
    assert item.title == "Banjir Rendam Gresik"
    assert item.published_at == "2024-08-13T18:13:00+07:00"
    assert item.body and PROSE[:40] in item.body
    if "author" in selectors:
        assert item.authors == ["Budi Santoso"]


def test_no_profile_no_fallback_fields() -> None:
    response = HtmlResponse(url=URL, body=PAGE.encode(), encoding="utf-8")
    assert page_for(response, None).to_raw().fallback_fields == []
