"""The archive's storage on SQLite and PostgreSQL: upserts, versions, cleaning, URLs, runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from archive.db import init_db, make_engine, open_archive, resolve_db_url, schema_version
from archive.models import SCHEMA_VERSION, Article, ArticleVersion, CrawlRun
from archive.store import (
    count_articles,
    counts_by_source,
    find_capture,
    finish_run,
    get_article,
    get_or_create_source,
    get_versions,
    insert_articles,
    known_urls,
    list_runs,
    previous_runs,
    recent_urls,
    run_versions_data,
    start_run,
    upsert_article,
    url_is_archived,
    version_item,
    warc_pointers,
)

WIB = timezone(timedelta(hours=7))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """The URL of an empty archive database, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def archive(db_url):
    engine, session_factory = open_archive(db_url)
    yield session_factory
    engine.dispose()


def make_item(n: int = 1, **overrides):
    slug = f"news-{n}-banjir-rendam-jalan-ahmad-yani"
    item = {
        "url": f"https://surabayapagi.com/{slug}?utm_source=feed",
        "canonical_url": f"https://surabayapagi.com/{slug}",
        "source": "surabayapagi",
        "title": "Banjir Rendam Jalan Ahmad Yani Surabaya",
        "body": "Hujan deras sejak sore membuat banjir merendam kawasan Jalan Ahmad Yani.\n\n"
        "Warga Surabaya mengeluhkan genangan setinggi lutut.",
        "description": "Banjir merendam Jalan Ahmad Yani.",
        "authors": ["Moch Ilham"],
        "editor": "Moch Ilham",
        "reporter": None,
        "section": "Peristiwa",
        "tags": ["banjir", "surabaya"],
        "dateline_city": "Surabaya",
        "published_at": "2024-08-13T18:13:00+07:00",
        "published_raw": "Selasa, 13 Agu 2024 18:13 WIB",
        "published_source": "visible",
        "modified_at": None,
        "related_links": [{"title": "Pemkot Siapkan Pompa", "url": "https://surabayapagi.com/x"}],
        "captions": ["Genangan di Jalan Ahmad Yani. (Foto: SP)"],
        "syndicated_from": None,
        "language": "id",
        "fetched_at": "2024-08-14T01:00:00+00:00",
        "http_status": 200,
        "content_sha256": f"{n:064x}",
        "raw_sha256": "ab" * 32,
        "flags": [],
        "raw_html": "<html><body><h1>Banjir</h1></body></html>",
    }
    item.update(overrides)
    return item


def upsert(session_factory, item, **kwargs):
    with session_factory.begin() as session:
        return upsert_article(session, item, **kwargs)


def test_new_article_gets_version_one(archive):
    result = upsert(archive, make_item(), extractor_version="ext-1")
    assert (result.status, result.version_no) == ("new", 1)
    with archive.begin() as session:
        article = get_article(session, result.article_id)
        assert (
            article.canonical_url
            == "https://surabayapagi.com/news-1-banjir-rendam-jalan-ahmad-yani"
        )
        assert article.source_key == "surabayapagi"
        assert article.authors == ["Moch Ilham"]
        assert article.related_links[0]["title"] == "Pemkot Siapkan Pompa"
        assert (article.version_count, article.current_version_no) == (1, 1)
        [version] = get_versions(session, article.id)
        assert version.extractor_version == "ext-1"
        assert version.data["published_raw"] == "Selasa, 13 Agu 2024 18:13 WIB"
        assert "raw_html" not in version.data


def test_raw_html_is_never_stored(archive, db_url):
    upsert(archive, make_item())
    engine = make_engine(db_url)
    with engine.connect() as conn:
        for table in ("articles", "article_versions"):
            rows = conn.execute(sa.text(f"SELECT * FROM {table}")).all()
            assert rows and not any("<html>" in str(value) for row in rows for value in row)
    engine.dispose()


def test_unchanged_capture_only_moves_last_seen(archive):
    first = upsert(archive, make_item())
    again = upsert(archive, make_item(fetched_at="2024-08-15T01:00:00+00:00"))
    assert (again.status, again.article_id, again.version_no) == ("unchanged", first.article_id, 1)
    with archive.begin() as session:
        article = get_article(session, first.article_id)
        assert article.last_seen_at == datetime(2024, 8, 15, 1, tzinfo=UTC)
        assert article.first_seen_at == datetime(2024, 8, 14, 1, tzinfo=UTC)
        assert len(get_versions(session, article.id)) == 1


def test_changed_content_adds_a_version_and_keeps_the_old(archive):
    first = upsert(archive, make_item())
    changed = upsert(
        archive,
        make_item(
            body="Banjir surut pada malam hari.",
            content_sha256="f" * 64,
            fetched_at="2024-08-15T01:00:00+00:00",
        ),
    )
    assert (changed.status, changed.article_id, changed.version_no) == (
        "changed",
        first.article_id,
        2,
    )
    with archive.begin() as session:
        article = get_article(session, first.article_id)
        assert article.body == "Banjir surut pada malam hari."
        assert (article.version_count, article.current_version_no) == (2, 2)
        v1, v2 = get_versions(session, article.id)
        assert v1.body.startswith("Hujan deras")
        assert v2.body == "Banjir surut pada malam hari."
        assert not v2.headline_changed and not v2.is_correction


@pytest.mark.parametrize(
    ("title", "body", "headline_changed", "is_correction"),
    [
        ("Banjir Rendam Jalan Ahmad Yani Surabaya", "Isi baru.", False, False),
        ("Banjir Setinggi Lutut di Surabaya", "Isi baru.", True, False),
        ("Ralat: Banjir Rendam Jalan Ahmad Yani", "Isi baru.", True, True),
        ("Banjir Rendam Jalan Ahmad Yani Surabaya", "Koreksi: genangan 30 cm.", False, True),
    ],
)
def test_version_flags(archive, title, body, headline_changed, is_correction):
    upsert(archive, make_item())
    result = upsert(archive, make_item(title=title, body=body, content_sha256="e" * 64))
    with archive.begin() as session:
        version = get_versions(session, result.article_id)[-1]
        assert (version.headline_changed, version.is_correction) == (
            headline_changed,
            is_correction,
        )


def test_correction_word_already_present_is_not_new(archive):
    upsert(archive, make_item(title="Ralat: Banjir", content_sha256="1" * 64))
    result = upsert(
        archive, make_item(title="Ralat: Banjir", body="Isi lain.", content_sha256="2" * 64)
    )
    with archive.begin() as session:
        assert not get_versions(session, result.article_id)[-1].is_correction


def test_same_content_as_an_older_version_is_still_a_change(archive):
    upsert(archive, make_item(content_sha256="1" * 64))
    upsert(archive, make_item(content_sha256="2" * 64, body="B"))
    result = upsert(archive, make_item(content_sha256="1" * 64))
    assert (result.status, result.version_no) == ("changed", 3)


def test_missing_content_hash_is_computed(archive):
    first = upsert(archive, make_item(content_sha256=None))
    assert upsert(archive, make_item(content_sha256=None)).status == "unchanged"
    assert upsert(archive, make_item(content_sha256=None, body="Lain.")).version_no == 2
    assert first.status == "new"


def test_nul_and_lone_surrogates_are_cleaned(archive):
    item = make_item(
        title="Banjir\x00 Surabaya \udc80",
        body="Isi\x00 berita",
        authors=["Moch\x00 Ilham"],
        related_links=[{"title\x00": "Baca\x00 juga", "url": "https://x/\x00"}],
        published_raw="Selasa\x00, 13 Agu 2024",
    )
    result = upsert(archive, item)
    with archive.begin() as session:
        article = get_article(session, result.article_id)
        assert article.title == "Banjir Surabaya \ufffd"
        assert article.body == "Isi berita"
        assert article.authors == ["Moch Ilham"]
        assert article.related_links == [{"title": "Baca juga", "url": "https://x/"}]
        version = get_versions(session, article.id)[0]
        assert version.data["published_raw"] == "Selasa, 13 Agu 2024"
        assert "title" not in version.data and "body" not in version.data  # stored once
        assert version_item(version)["title"] == "Banjir Surabaya \ufffd"


def test_aware_datetimes_round_trip(archive):
    result = upsert(archive, make_item())
    with archive.begin() as session:
        article = get_article(session, result.article_id)
        assert article.published_at == datetime(2024, 8, 13, 18, 13, tzinfo=WIB)
        assert article.published_at.utcoffset() == timedelta(0)
        assert article.fetched_at == datetime(2024, 8, 14, 1, tzinfo=UTC)
        version = get_versions(session, article.id)[0]
        assert version.data["published_at"] == "2024-08-13T18:13:00+07:00"
        assert version.fetched_at.tzinfo is not None


def test_unparseable_date_is_kept_raw(archive):
    result = upsert(archive, make_item(published_at="13 Agu 2024", published_raw="13 Agu 2024"))
    with archive.begin() as session:
        article = get_article(session, result.article_id)
        assert article.published_at is None
        assert article.published_raw == "13 Agu 2024"


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"url": "", "canonical_url": ""}, "no url"),
        ({"url": None, "canonical_url": None}, "no url"),
        ({"canonical_url": "https://x/" + "a" * 2100}, "url longer than 2048"),
    ],
)
def test_unusable_items_are_rejected_not_raised(archive, overrides, reason):
    result = upsert(archive, make_item(**overrides))
    assert (result.status, result.reason, result.article_id) == ("rejected", reason, None)


def test_canonical_url_falls_back_to_url(archive):
    result = upsert(archive, make_item(canonical_url="", url="https://detik.com/d-1/banjir"))
    with archive.begin() as session:
        assert get_article(session, "https://detik.com/d-1/banjir").id == result.article_id


def test_warc_reference_and_run_are_recorded(archive):
    with archive.begin() as session:
        run = start_run(session, "surabayapagi", settings={"DOWNLOAD_DELAY": 1.5})
    warc = {"file": "crawl-1.warc.gz", "offset": 1234, "length": 5678, "record_id": "<urn:uuid:1>"}
    result = upsert(archive, make_item(), crawl_run_id=run.id, warc=warc)
    with archive.begin() as session:
        version = get_versions(session, result.article_id)[0]
        assert (version.warc_file, version.warc_offset, version.warc_length) == (
            "crawl-1.warc.gz",
            1234,
            5678,
        )
        assert version.warc_record_id == "<urn:uuid:1>"
        assert version.crawl_run_id == run.id


def test_extractor_version_defaults_to_the_items_own(archive):
    result = upsert(
        archive, make_item(extractor_version="pages-2.1", date_candidates=[["meta", "x"]])
    )
    with archive.begin() as session:
        [version] = get_versions(session, result.article_id)
        assert version.extractor_version == "pages-2.1"
        assert version.data["date_candidates"] == [["meta", "x"]]


def test_get_article_by_id_or_url(archive):
    result = upsert(archive, make_item())
    item = make_item()
    with archive.begin() as session:
        assert get_article(session, result.article_id).id == result.article_id
        assert get_article(session, str(result.article_id)).id == result.article_id
        assert get_article(session, item["canonical_url"]).id == result.article_id
        assert get_article(session, item["url"]).id == result.article_id
        assert get_article(session, "https://surabayapagi.com/tidak-ada") is None
        assert get_article(session, 999999) is None


def test_known_and_recent_urls(archive):
    upsert(archive, make_item(1))
    upsert(archive, make_item(2, published_at="2024-09-01T08:00:00+07:00"))
    upsert(archive, make_item(3, source="detik", url="https://detik.com/d-3", canonical_url=""))
    with archive.begin() as session:
        urls = known_urls(session, "surabayapagi")
        assert make_item(1)["canonical_url"] in urls and make_item(1)["url"] in urls
        assert len(urls) == 4
        assert known_urls(session, "detik") == {"https://detik.com/d-3"}
        assert known_urls(session, "kompas") == set()
        assert url_is_archived(session, make_item(2)["url"])
        assert url_is_archived(session, "https://detik.com/d-3")
        assert not url_is_archived(session, "https://detik.com/d-4")
        cutoff = datetime(2024, 8, 20, tzinfo=WIB)
        assert recent_urls(session, "surabayapagi", cutoff) == {make_item(2)["canonical_url"]}


def test_sources_and_counts(archive):
    with archive.begin() as session:
        first = get_or_create_source(session, "kompas")
        again = get_or_create_source(
            session, "kompas", name="Kompas.com", base_url="https://kompas.com"
        )
        assert first.id == again.id and again.name == "Kompas.com"
    upsert(archive, make_item(1))
    upsert(archive, make_item(2))
    upsert(archive, make_item(3, source="detik"))
    with archive.begin() as session:
        assert counts_by_source(session) == {"detik": 1, "kompas": 0, "surabayapagi": 2}
        assert count_articles(session) == 3
        assert count_articles(session, "surabayapagi") == 2
        assert count_articles(session, "tempo") == 0


def test_runs(archive):
    with archive.begin() as session:
        run = start_run(session, "surabayapagi", settings={"ROBOTSTXT_OBEY": True})
        other = start_run(session, "detik")
        assert run.status == "running" and run.pid and run.host
    stats = {"start_time": datetime(2024, 8, 14, 1, tzinfo=UTC), "item_scraped_count": 12}
    with archive.begin() as session:
        finished = finish_run(session, run, status="finished", stats=stats, summary={"new": 12})
        assert finished.finished_at is not None
    with archive.begin() as session:
        finish_run(session, other.id, status="degraded", stats={}, summary={})
        runs = list_runs(session)
        assert [r.id for r in runs] == [other.id, run.id]
        [only] = list_runs(session, source="surabayapagi")
        assert only.stats == {"start_time": "2024-08-14T01:00:00+00:00", "item_scraped_count": 12}
        assert only.summary == {"new": 12} and only.settings == {"ROBOTSTXT_OBEY": True}
        assert only.started_at.tzinfo is not None
        with pytest.raises(ValueError, match="unknown run status"):
            finish_run(session, run, status="done", stats={}, summary={})


def test_init_db_is_idempotent(db_url):
    engine = make_engine(db_url)
    init_db(engine)
    init_db(engine)
    assert schema_version(engine) == SCHEMA_VERSION == 4
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(CrawlRun)).scalar_one() == 0
    engine.dispose()


def test_readonly_engine_cannot_write(archive, db_url):
    upsert(archive, make_item())
    engine = make_engine(db_url, readonly=True)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(Article)).scalar_one() == 1
    with pytest.raises(sa.exc.DBAPIError), engine.begin() as conn:
        conn.execute(sa.delete(ArticleVersion))
    with pytest.raises(sa.exc.DBAPIError), engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE intruder (x INTEGER)"))
    engine.dispose()


def test_sqlite_pragmas(tmp_path):
    engine, _ = open_archive(str(tmp_path / "a.sqlite3"))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    engine.dispose()


def test_sqlite_rolls_back_the_whole_transaction(tmp_path):
    _, session_factory = open_archive(str(tmp_path / "a.sqlite3"))
    with pytest.raises(RuntimeError), session_factory.begin() as session:
        upsert_article(session, make_item())
        raise RuntimeError("crawler died")
    with session_factory.begin() as session:
        assert count_articles(session) == 0


@pytest.mark.parametrize(
    ("url", "env", "expected"),
    [
        (None, None, "sqlite:///archive.sqlite3"),
        (None, "postgres://u@db/news", "postgresql+psycopg://u@db/news"),
        ("x.sqlite3", "postgres://u@db/news", "sqlite:///x.sqlite3"),
        ("postgresql://u@db/news", None, "postgresql+psycopg://u@db/news"),
        ("sqlite:////srv/a.db", None, "sqlite:////srv/a.db"),
    ],
)
def test_resolve_db_url(monkeypatch, url, env, expected):
    if env is None:
        monkeypatch.delenv("NEWSCRAWL_DB_URL", raising=False)
    else:
        monkeypatch.setenv("NEWSCRAWL_DB_URL", env)
    assert resolve_db_url(url) == expected


def test_two_writers_on_one_sqlite_file(tmp_path):
    """Two engines (as two crawler processes would have) writing at once never hit 'locked'."""
    import threading

    path = str(tmp_path / "a.sqlite3")
    open_archive(path)[0].dispose()
    errors = []

    def writer(offset):
        engine, session_factory = open_archive(path)
        try:
            for n in range(offset, offset + 25):
                with session_factory.begin() as session:
                    upsert_article(session, make_item(n, source=f"s{offset}"))
        except Exception as exc:  # pragma: no cover - the failure being tested for
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=writer, args=(k * 100,)) for k in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    _, session_factory = open_archive(path)
    with session_factory.begin() as session:
        assert count_articles(session) == 75


# --- bulk insert --------------------------------------------------------------------------------


def _state(session_factory) -> list[tuple]:
    """Everything stored about articles and versions, without ids and timestamps of the run."""
    with session_factory.begin() as session:
        articles = session.execute(
            sa.select(
                Article.canonical_url,
                Article.url,
                Article.title,
                Article.body,
                Article.content_sha256,
                Article.version_count,
                Article.current_version_no,
                Article.first_seen_at,
                Article.last_seen_at,
                Article.published_at,
            ).order_by(Article.canonical_url)
        ).all()
        versions = session.execute(
            sa.select(
                Article.canonical_url,
                ArticleVersion.version_no,
                ArticleVersion.title,
                ArticleVersion.body,
                ArticleVersion.data,
                ArticleVersion.headline_changed,
                ArticleVersion.is_correction,
                ArticleVersion.extractor_version,
                ArticleVersion.warc_file,
            )
            .join(Article, Article.id == ArticleVersion.article_id)
            .order_by(Article.canonical_url, ArticleVersion.version_no)
        ).all()
    return [tuple(r) for r in articles] + [tuple(r) for r in versions]


def _batch():
    return [
        make_item(1),
        make_item(2, source="detik"),
        make_item(1, title="Ralat: Banjir", content_sha256="c" * 64),  # repeat, changed
        make_item(3, url="", canonical_url=""),  # rejected
        make_item(2, source="detik", fetched_at="2024-08-15T01:00:00+00:00"),  # repeat, same
        make_item(4, warc={"file": "a.warc.gz", "offset": 7, "length": 9, "record_id": "<u:1>"}),
        make_item(5),  # archived before the batch, changed
        make_item(6),  # archived before the batch, same
    ]


def test_insert_articles_is_upsert_article_in_turn(db_url, tmp_path):
    """The same results and the same stored rows as one upsert_article call per item."""
    engine, bulk = open_archive(db_url)
    other = f"sqlite:///{tmp_path / 'one-by-one.sqlite3'}"
    engine2, one_by_one = open_archive(other)
    for factory in (bulk, one_by_one):
        upsert(factory, make_item(5))
        upsert(factory, make_item(6))
    with bulk.begin() as session:
        results = insert_articles(session, _batch(), extractor_version="x-1")
    expected = []
    with one_by_one.begin() as session:
        for item in _batch():
            warc = item.pop("warc", None)
            expected.append(upsert_article(session, item, extractor_version="x-1", warc=warc))
    assert [(r.status, r.version_no, r.reason) for r in results] == [
        (r.status, r.version_no, r.reason) for r in expected
    ]
    assert [r.status for r in results] == [
        "new", "new", "changed", "rejected", "unchanged", "new", "unchanged", "unchanged"
    ]  # fmt: skip
    assert results[0].article_id == results[2].article_id
    assert _state(bulk) == _state(one_by_one)
    engine.dispose()
    engine2.dispose()


def test_insert_articles_stores_the_warc_pointer_and_run(archive):
    with archive.begin() as session:
        run = start_run(session, "surabayapagi")
    warc = {"file": "a.warc.gz", "offset": 7, "length": 9, "record_id": "<urn:uuid:1>"}
    with archive.begin() as session:
        [result] = insert_articles(session, [make_item(warc=warc)], crawl_run_id=run.id)
    with archive.begin() as session:
        [version] = get_versions(session, result.article_id)
        assert (version.warc_file, version.warc_offset, version.crawl_run_id) == (
            "a.warc.gz",
            7,
            run.id,
        )
        assert "warc" not in version.data and "raw_html" not in version.data


def test_insert_articles_of_nothing(archive):
    with archive.begin() as session:
        assert insert_articles(session, []) == []
        assert insert_articles(session, [{"title": "no url"}])[0].reason == "no url"


def test_insert_articles_many(archive):
    items = [make_item(n, source=f"s{n % 3}") for n in range(1, 1201)]
    with archive.begin() as session:
        results = insert_articles(session, items)
    assert {r.status for r in results} == {"new"}
    with archive.begin() as session:
        assert count_articles(session) == 1200
        for n, result in ((1, results[0]), (1200, results[-1])):
            assert (
                get_article(session, result.article_id).canonical_url
                == (make_item(n)["canonical_url"])
            )


# --- look-ups for the WARC writer, the verifier and crawl health -------------------------------


def test_find_capture_and_warc_pointers(archive):
    warc = {"file": "c-1.warc.gz", "offset": 10, "length": 99, "record_id": "<urn:uuid:1>"}
    first = upsert(archive, make_item(1, fetched_at="2024-08-14T01:00:00+00:00"), warc=warc)
    newer = {**warc, "offset": 500, "record_id": "<urn:uuid:2>"}
    upsert(
        archive,
        make_item(1, content_sha256="9" * 64, fetched_at="2024-08-15T01:00:00+00:00"),
        warc=newer,
    )
    upsert(archive, make_item(2))  # no WARC pointer
    item = make_item(1)
    with archive.begin() as session:
        for url in (item["url"], item["canonical_url"]):
            found = find_capture(session, url, "ab" * 32)
            assert (found.warc_file, found.warc_offset, found.warc_record_id) == (
                "c-1.warc.gz",
                500,
                "<urn:uuid:2>",
            )
            assert found.fetched_at == datetime(2024, 8, 15, 1, tzinfo=UTC)
        assert find_capture(session, item["url"], "cd" * 32) is None
        assert find_capture(session, make_item(2)["url"], "ab" * 32) is None
        pointers = warc_pointers(session)
    assert [(p.article_id, p.version_no, p.warc_offset) for p in pointers] == [
        (first.article_id, 1, 10),
        (first.article_id, 2, 500),
    ]
    assert pointers[0].canonical_url == item["canonical_url"]
    assert pointers[0].raw_sha256 == "ab" * 32


def test_previous_runs_and_run_versions_data(archive):
    with archive.begin() as session:
        runs = [start_run(session, key) for key in ("surabayapagi", "detik", "surabayapagi")]
        finish_run(session, runs[0], status="finished", stats={"n": 1})
        finish_run(session, runs[1], status="finished")
        last = start_run(session, "surabayapagi")
    upsert(archive, make_item(1), crawl_run_id=last.id)
    upsert(archive, make_item(2, published_at=None), crawl_run_id=last.id)
    upsert(archive, make_item(3))
    with archive.begin() as session:
        assert [r.id for r in previous_runs(session, "surabayapagi", last.id, 5)] == [runs[0].id]
        assert previous_runs(session, "surabayapagi", last.id, 0) == []
        assert previous_runs(session, "kompas", last.id, 5) == []
        items = list(run_versions_data(session, last.id))
        assert list(run_versions_data(session, 999)) == []
    assert [i["canonical_url"] for i in items] == [
        make_item(1)["canonical_url"],
        make_item(2)["canonical_url"],
    ]
    assert items[0]["body"].startswith("Hujan deras") and items[0]["title"].startswith("Banjir")
    assert items[1]["published_at"] is None
