"""The pipelines, one job each, as input/expected tables; every problem is counted."""

from __future__ import annotations

from datetime import date

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler
from sqlalchemy import select

from archive.db import open_archive
from archive.models import Article, ArticleVersion, CrawlRun
from newscrawl.items import ArticleItem, RawArticle
from newscrawl.pipelines import (
    ArchivePipeline,
    CleanPipeline,
    DatePipeline,
    ValidatePipeline,
    summarize,
)
from newscrawl.spiders.portals import SurabayapagiSpider

BODY = (
    "<div><p>SURABAYAPAGI.COM, Malang - Polres Malang berkomitmen menjaga netralitas dalam "
    "Pilkada Serentak 2024 di seluruh wilayah setempat.</p>"
    "<p>Baca Juga: <a href='https://surabayapagi.com/news-1-voli'>Turnamen Bola Voli</a></p>"
    "<p>Seluruh jajaran kepolisian kini fokus memastikan keamanan tahapan pilkada. Ml-01/ham</p>"
    "<p>Editor : Moch Ilham</p></div>"
)


def make_crawler(**settings):
    crawler = get_crawler(SurabayapagiSpider, settings_dict=settings or None)
    crawler.spider = crawler._create_spider()
    return crawler


def raw(**overrides) -> RawArticle:
    base = dict(
        url="https://surabayapagi.com/news-2-polres",
        source="surabayapagi",
        canonical_url="https://surabayapagi.com/news-2-polres",
        title="Polres Malang Jaga Netralitas",
        authors=["surabayapagi.com"],
        body_html=BODY,
        date_candidates=[("visible", "Selasa, 13 Agu 2024 18:13 WIB")],
        fetched_at="2024-08-13T12:00:00+00:00",
        http_status=200,
    )
    base.update(overrides)
    return RawArticle(**base)


def run(pipeline_cls, item, crawler=None):
    crawler = crawler or make_crawler()
    return pipeline_cls.from_crawler(crawler).process_item(item), crawler.stats.get_stats()


# --- clean ------------------------------------------------------------------------------------
CLEAN_CASES = [
    ("dateline", lambda i: i.dateline_city, "Malang"),
    ("editor", lambda i: i.editor, "Moch Ilham"),
    (
        "related",
        lambda i: i.related_links,
        [{"title": "Turnamen Bola Voli", "url": "https://surabayapagi.com/news-1-voli"}],
    ),
    ("no site author", lambda i: i.authors, []),
    ("body first", lambda i: i.body.split("\n\n")[0][:26], "Polres Malang berkomitmen "),
    ("no reporter code", lambda i: i.body.endswith("tahapan pilkada."), True),
    ("no read also", lambda i: "Baca Juga" in i.body, False),
]


@pytest.mark.parametrize(("name", "get", "expected"), CLEAN_CASES, ids=[c[0] for c in CLEAN_CASES])
def test_clean(name, get, expected) -> None:
    item, _ = run(CleanPipeline, raw())
    assert isinstance(item, ArticleItem)
    assert get(item) == expected


def test_clean_counts_every_rule() -> None:
    _, stats = run(CleanPipeline, raw())
    assert stats["newscrawl/clean/items"] == 1
    assert stats["newscrawl/clean/related_links"] == 1
    assert stats["newscrawl/clean/removed/read_also"] == 1
    assert stats["newscrawl/clean/removed/editor"] == 1
    assert stats["newscrawl/clean/removed/dateline"] == 1


def test_clean_passes_other_items_through() -> None:
    item, _ = run(CleanPipeline, {"not": "an article"})
    assert item == {"not": "an article"}


# --- dates ------------------------------------------------------------------------------------
DATE_CASES = [
    ([("visible", "Selasa, 13 Agu 2024 18:13 WIB")], "2024-08-13T18:13:00+07:00", "visible", []),
    (
        [("meta", "2024-08-13T11:13:00+00:00"), ("visible", "Selasa, 13 Agu 2024 18:13 WIB")],
        "2024-08-13T18:13:00+07:00",
        "meta",
        [],
    ),
    (
        [("visible", "Rabu, 13 Agu 2024 18:13 WIB")],
        "2024-08-13T18:13:00+07:00",
        "visible",
        ["weekday_mismatch"],
    ),
    ([("visible", "beberapa waktu lalu")], None, None, ["date_unparsed"]),
    ([], None, None, ["date_unparsed"]),
]


@pytest.mark.parametrize(("candidates", "published_at", "source", "flags"), DATE_CASES)
def test_dates(candidates, published_at, source, flags) -> None:
    crawler = make_crawler()
    item, _ = run(CleanPipeline, raw(date_candidates=candidates), crawler)
    item, stats = run(DatePipeline, item, crawler)
    assert (item.published_at, item.published_source, item.flags) == (published_at, source, flags)
    if published_at is None:
        assert stats["newscrawl/date/unparsed"] == 1
    else:
        assert stats[f"newscrawl/date/source/{source}"] == 1


# --- validate ---------------------------------------------------------------------------------
VALIDATE_CASES = [
    ({"title": None}, "no_title"),
    ({"body_html": "<p>pendek</p>"}, "no_body"),
    ({"body_html": ""}, "no_body"),
    ({"flags": ["truncated"]}, "truncated"),
]


@pytest.mark.parametrize(("overrides", "reason"), VALIDATE_CASES)
def test_validate_rejects_with_a_reason(overrides, reason) -> None:
    crawler = make_crawler()
    item, _ = run(CleanPipeline, raw(**overrides), crawler)
    item, _ = run(DatePipeline, item, crawler)
    with pytest.raises(DropItem, match=reason):
        ValidatePipeline.from_crawler(crawler).process_item(item)
    assert crawler.stats.get_value(f"newscrawl/rejected/{reason}") == 1


def test_validate_drops_out_of_range_and_counts() -> None:
    crawler = make_crawler()
    crawler.spider.since = date(2024, 8, 14)
    item, _ = run(CleanPipeline, raw(), crawler)
    item, _ = run(DatePipeline, item, crawler)
    with pytest.raises(DropItem, match="out_of_range"):
        ValidatePipeline.from_crawler(crawler).process_item(item)


def test_validate_hashes_a_good_item() -> None:
    crawler = make_crawler()
    item, _ = run(CleanPipeline, raw(), crawler)
    item, _ = run(DatePipeline, item, crawler)
    item, stats = run(ValidatePipeline, item, crawler)
    assert len(item.content_sha256) == 64
    assert stats["newscrawl/valid"] == 1
    assert stats["newscrawl/coverage/with_date"] == 1


# --- archive ----------------------------------------------------------------------------------
def _through_all(crawler, raw_item):
    item = raw_item
    for cls in (CleanPipeline, DatePipeline, ValidatePipeline):
        item = cls.from_crawler(crawler).process_item(item)
    return item


def test_archive_new_unchanged_changed(tmp_path) -> None:
    db_url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    crawler = make_crawler(NEWSCRAWL_DB_URL=db_url)
    pipeline = ArchivePipeline.from_crawler(crawler)
    pipeline.open_spider()
    pipeline.process_item(_through_all(crawler, raw()))
    pipeline.process_item(_through_all(crawler, raw()))
    pipeline.process_item(_through_all(crawler, raw(title="Polres Malang Jaga Netralitas Pilkada")))
    crawler.stats.set_value("finish_reason", "finished")
    pipeline.close_spider()
    stats = crawler.stats.get_stats()
    assert summarize(stats)["articles"] == {"new": 1, "changed": 1, "unchanged": 1}
    engine, Session = open_archive(db_url, readonly=True)
    with Session() as session:
        article = session.scalars(select(Article)).one()
        versions = session.scalars(select(ArticleVersion)).all()
        run_row = session.scalars(select(CrawlRun)).one()
        assert article.title == "Polres Malang Jaga Netralitas Pilkada"
        assert article.published_at.isoformat() == "2024-08-13T11:13:00+00:00"
        assert [v.version_no for v in versions] == [1, 2]
        assert run_row.status == "finished"
        assert run_row.summary["articles"]["new"] == 1
    engine.dispose()


def test_archive_is_off_without_a_database() -> None:
    from scrapy.exceptions import NotConfigured

    with pytest.raises(NotConfigured):
        ArchivePipeline.from_crawler(make_crawler(NEWSCRAWL_ARCHIVE=False))
