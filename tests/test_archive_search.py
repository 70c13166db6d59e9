"""Full-text search on SQLite (FTS5) and PostgreSQL (tsvector): query language, filters, trend."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from archive.db import open_archive
from archive.models import Article, SavedWatch, WatchArticle
from archive.search import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    QueryError,
    iter_search,
    matching_ids,
    parse_query,
    search,
    trend,
)
from archive.store import count_articles, upsert_article

WIB = timezone(timedelta(hours=7))

# key: (source, section, authors, editor, published_at, title, body)
CORPUS = {
    "banjir_ayani": (
        "surabayapagi",
        "Peristiwa",
        ["Moch Ilham"],
        None,
        "2024-08-13T18:13:00+07:00",
        "Banjir Rendam Jalan Ahmad Yani Surabaya",
        "Hujan deras sejak sore membuat banjir merendam kawasan Jalan Ahmad Yani. "
        "Warga Surabaya mengeluhkan genangan setinggi lutut.",
    ),
    "cabai": (
        "surabayapagi",
        "Ekonomi",
        ["Moch Ilham"],
        None,
        "2024-08-13T23:30:00+07:00",
        "Harga Cabai Naik di Pasar Keputran",
        "Harga cabai rawit di Pasar Keputran naik menjadi Rp80 ribu per kilogram.",
    ),
    "longsor": (
        "detik",
        "jatim",
        ["Erliana Riady"],
        "Ilham Fikriansyah",
        "2024-08-14T00:30:00+07:00",  # 13 August in UTC, 14 August in WIB
        "Longsor Tutup Jalur Malang-Kediri",
        "Tanah longsor menutup jalur penghubung Malang dan Kediri. "
        "Petugas BPBD membersihkan material longsor sejak pagi.",
    ),
    "pompa": (
        "kompas",
        "Regional",
        ["Ghinan Salman"],
        None,
        "2024-08-20T10:00:00+07:00",
        "Pemkot Surabaya Siapkan Pompa Air Hadapi Banjir",
        "Pemerintah Kota Surabaya menyiapkan pompa air di sejumlah titik rawan banjir. "
        "Wali kota meminta warga tidak membuang sampah ke sungai.",
    ),
    "pilkada": (
        "tribunnews",
        "Politik",
        ["Dya Ayu"],
        None,
        "2024-09-02T20:00:00+07:00",
        "Pilkada Kota Batu Memanas",
        "Debat calon wali kota Batu berlangsung panas. Isu banjir dan sampah menjadi sorotan.",
    ),
    "undated": (
        "surabayapagi",
        "Peristiwa",
        [],
        None,
        None,
        "Artikel Tanpa Tanggal",
        "Artikel tentang banjir ini tidak mencantumkan tanggal terbit.",
    ),
}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """The URL of an empty archive database, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def corpus(db_url):
    """A session factory over an archive holding CORPUS, and a map article id -> corpus key."""
    engine, session_factory = open_archive(db_url)
    ids = {}
    with session_factory.begin() as session:
        for n, (key, row) in enumerate(CORPUS.items()):
            source, section, authors, editor, published, title, body = row
            item = {
                "url": f"https://{source}.example/{n}/{key}",
                "canonical_url": f"https://{source}.example/{n}/{key}",
                "source": source,
                "section": section,
                "authors": authors,
                "editor": editor,
                "published_at": published,
                "title": title,
                "body": body,
                "fetched_at": "2024-09-03T00:00:00+00:00",
                "content_sha256": f"{n:064x}",
            }
            ids[upsert_article(session, item).article_id] = key
    yield session_factory, ids
    engine.dispose()


def run_search(corpus, query, **kwargs):
    session_factory, ids = corpus
    with session_factory.begin() as session:
        page = search(session, query, **kwargs)
    return page, [ids[hit.article_id] for hit in page.hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("banjir surabaya", {"banjir_ayani", "pompa"}),
        ("BANJIR", {"banjir_ayani", "pompa", "pilkada", "undated"}),
        ('"jalan ahmad yani"', {"banjir_ayani"}),
        ('"kota surabaya"', {"pompa"}),
        ('"surabaya kota"', set()),
        ("longsor OR cabai", {"longsor", "cabai"}),
        ("sampah (banjir OR longsor)", {"pompa", "pilkada"}),
        ("banjir -surabaya", {"pilkada", "undated"}),
        ('banjir -"kota batu"', {"banjir_ayani", "pompa", "undated"}),
        ("banjir -(surabaya OR batu)", {"undated"}),
        ("pilka*", {"pilkada"}),
        ("longs* malang", {"longsor"}),
        ("banjir source:kompas", {"pompa"}),
        ("banjir source:kompas source:tribunnews", {"pompa", "pilkada"}),
        ("section:peristiwa", {"banjir_ayani", "undated"}),
        ('section:"Ekonomi" harga', {"cabai"}),
        ('author:"moch ilham"', {"banjir_ayani", "cabai"}),
        ("author:Fikriansyah", {"longsor"}),
        ('banjir author:"Moch Ilham"', {"banjir_ayani"}),
        ("gempa", set()),
        ("banjir AND surabaya", {"banjir_ayani", "pompa"}),
    ],
)
def test_query_language(corpus, query, expected):
    page, keys = run_search(corpus, query, limit=50)
    assert set(keys) == expected
    assert page.total == len(expected)


def test_title_matches_rank_first(corpus):
    _, keys = run_search(corpus, "banjir")
    assert set(keys[:2]) == {"banjir_ayani", "pompa"}


def test_sort_newest_puts_undated_last(corpus):
    _, keys = run_search(corpus, "banjir", sort="newest")
    assert keys == ["pilkada", "pompa", "banjir_ayani", "undated"]


def test_empty_query_lists_newest(corpus):
    page, keys = run_search(corpus, "", limit=3)
    assert page.total == len(CORPUS)
    assert keys == ["pilkada", "pompa", "longsor"]
    assert all(hit.score == 0.0 and hit.snippet for hit in page.hits)
    _, keys = run_search(corpus, None, source="surabayapagi")
    assert keys == ["cabai", "banjir_ayani", "undated"]


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        (date(2024, 8, 14), date(2024, 8, 20), ["pompa", "longsor"]),
        (date(2024, 8, 13), date(2024, 8, 13), ["cabai", "banjir_ayani"]),
        ("2024-08-14", None, ["pilkada", "pompa", "longsor"]),
        (None, date(2024, 8, 13), ["cabai", "banjir_ayani"]),
        (datetime(2024, 8, 13, 20, 0), datetime(2024, 8, 20, 10, 0), ["pompa", "longsor", "cabai"]),
        (datetime(2024, 8, 13, 17, 0, tzinfo=UTC), None, ["pilkada", "pompa", "longsor"]),
    ],
)
def test_date_range_in_wib_days(corpus, since, until, expected):
    _, keys = run_search(corpus, "", since=since, until=until, sort="newest")
    assert keys == expected


def test_source_argument_and_date_range_with_words(corpus):
    _, keys = run_search(corpus, "banjir", source=["kompas", "surabayapagi"], since="2024-08-01")
    assert set(keys) == {"banjir_ayani", "pompa"}


def test_hits_carry_fields_and_highlighted_snippets(corpus):
    page, keys = run_search(corpus, "genangan")
    assert keys == ["banjir_ayani"]
    hit = page.hits[0]
    assert hit.source == "surabayapagi"
    assert hit.title == "Banjir Rendam Jalan Ahmad Yani Surabaya"
    assert hit.url.endswith("/banjir_ayani")
    assert hit.published_at == datetime(2024, 8, 13, 18, 13, tzinfo=WIB)
    assert f"{HIGHLIGHT_START}genangan{HIGHLIGHT_END}" in hit.snippet
    assert hit.score > 0


def test_pagination(corpus):
    first, keys1 = run_search(corpus, "banjir", sort="newest", limit=2)
    second, keys2 = run_search(corpus, "banjir", sort="newest", limit=2, offset=2)
    beyond, keys3 = run_search(corpus, "banjir", sort="newest", limit=2, offset=10)
    assert first.total == second.total == beyond.total == 4
    assert keys1 + keys2 == ["pilkada", "pompa", "banjir_ayani", "undated"]
    assert keys3 == []


def test_search_is_updated_when_an_article_changes(corpus):
    session_factory, ids = corpus
    key_by_name = {v: k for k, v in ids.items()}
    with session_factory.begin() as session:
        article = session.get(Article, key_by_name["cabai"])
        item = {
            "url": article.url,
            "canonical_url": article.canonical_url,
            "source": "surabayapagi",
            "title": "Harga Bawang Merah Turun",
            "body": "Harga bawang merah di Pasar Keputran turun.",
            "content_sha256": "c" * 64,
        }
        assert upsert_article(session, item).status == "changed"
    assert run_search(corpus, "cabai")[1] == []
    assert run_search(corpus, "bawang")[1] == ["cabai"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"kota batu', "unbalanced quote"),
        ('banjir "', "unbalanced quote"),
        ("banjir -", "lone '-'"),
        ("- banjir", "lone '-'"),
        ("OR banjir", "OR at the start"),
        ("banjir OR", "OR at the end"),
        ("banjir OR OR longsor", "between two terms"),
        ("(OR banjir)", "OR at the start"),
        ("", "empty query"),
        ("   ", "empty query"),
        ("*", "bare '*'"),
        ("banjir *", "bare '*'"),
        ("foo:bar", "unknown filter 'foo:'"),
        ("title:x", "unknown filter 'title:'"),
        ("x" * 501, "query too long"),
        ("-banjir", "at least one positive term"),
        ('-banjir -"kota batu" source:detik', "at least one positive term"),
        ("(banjir", "unbalanced parenthesis"),
        ("banjir)", "unbalanced parenthesis"),
        ("banjir ()", "empty parentheses"),
        ("source:", "needs a value"),
        ('author:""', "needs a value"),
        ("banjir OR -longsor", "alternative of OR"),
        ("-source:detik banjir", "cannot be excluded"),
        ("banjir OR source:detik", "alternative of OR"),
        ("(banjir source:detik)", "inside parentheses"),
        (";;; ...", "no searchable words"),
        ("(" * 9 + "banjir" + ")" * 9, "nested too deeply"),
    ],
)
def test_malformed_queries_raise_query_error(query, message):
    with pytest.raises(QueryError, match=message.replace("*", r"\*").replace("(", r"\(")):
        parse_query(query)


def test_search_raises_query_error_too(corpus):
    session_factory, _ = corpus
    with session_factory.begin() as session, pytest.raises(QueryError, match="unbalanced quote"):
        search(session, '"banjir')


HOSTILE = [
    '"',
    "'",
    "''",
    '""',
    '""""',
    "NEAR(",
    "NEAR(banjir longsor)",
    "banjir NEAR longsor",
    "*",
    "**banjir",
    "banjir**",
    ":",
    "::",
    "banjir:",
    ":banjir",
    "'; DROP TABLE articles; --",
    "banjir'); DELETE FROM articles; --",
    "title:x",
    "body:banjir",
    "{title body}: banjir",
    "title : banjir",
    "^banjir",
    "banjir + longsor",
    "banjir & longsor | !cabai",
    "banjir:* & !pompa",
    "!!banjir",
    "banjir <-> surabaya",
    "NOT banjir",
    "banjir NOT",
    "banjir AND",
    "AND",
    "OR",
    "-",
    "--",
    "---banjir",
    "-(",
    "(",
    ")",
    ")(",
    "\\",
    "%",
    "_",
    "%_%",
    "e-ktp*",
    "banjir\x00",
    "\x00",
    "\ud800banjir",
    "ßüñ Ñandú",
    "banjir\tsurabaya\n",
    "https://detik.com/d-1",
    "source:'; DROP TABLE articles; --",
    'author:"x\' OR 1=1 --"',
    "section:%",
    "$1 ? :p %(x)s",
    "a" * 500,
    "(" * 100 + "banjir" + ")" * 100,
    "banjir " * 71,
    " OR ".join(["banjir"] * 50),
    "-ab " * 100 + "banjir",
    "(((((((((banjir)))))))))",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_input_never_reaches_the_database_raw(corpus, query):
    session_factory, _ = corpus
    try:
        with session_factory.begin() as session:
            page = search(session, query, limit=5)
            assert page.total >= 0
    except QueryError as exc:
        assert str(exc)
    with session_factory.begin() as session:
        assert count_articles(session) == len(CORPUS)


def test_iter_search_streams_every_match(corpus):
    session_factory, ids = corpus
    with session_factory.begin() as session:
        keys = [ids[a.id] for a in iter_search(session, "banjir", batch=2)]
        assert keys == ["pilkada", "pompa", "banjir_ayani", "undated"]
        assert len(list(iter_search(session, "", batch=1))) == len(CORPUS)
        ranked = [ids[a.id] for a in iter_search(session, "banjir", sort="relevance")]
        assert set(ranked[:2]) == {"banjir_ayani", "pompa"}


@pytest.mark.parametrize(
    ("by", "query", "expected"),
    [
        (
            "day",
            "",
            [
                (date(2024, 8, 13), "surabayapagi", 2),
                (date(2024, 8, 14), "detik", 1),
                (date(2024, 8, 20), "kompas", 1),
                (date(2024, 9, 2), "tribunnews", 1),
            ],
        ),
        (
            "week",
            "",
            [
                (date(2024, 8, 12), "detik", 1),
                (date(2024, 8, 12), "surabayapagi", 2),
                (date(2024, 8, 19), "kompas", 1),
                (date(2024, 9, 2), "tribunnews", 1),
            ],
        ),
        (
            "month",
            "banjir",
            [
                (date(2024, 8, 1), "kompas", 1),
                (date(2024, 8, 1), "surabayapagi", 1),
                (date(2024, 9, 1), "tribunnews", 1),
            ],
        ),
    ],
)
def test_trend(corpus, by, query, expected):
    session_factory, _ = corpus
    with session_factory.begin() as session:
        rows = trend(session, query, by=by)
    assert [tuple(row) for row in rows] == expected
    assert all(type(row.period_start) is date for row in rows)


def test_trend_filters(corpus):
    session_factory, _ = corpus
    with session_factory.begin() as session:
        rows = trend(session, "banjir OR longsor", by="month", source="detik")
        assert [tuple(r) for r in rows] == [(date(2024, 8, 1), "detik", 1)]
        rows = trend(session, "", by="day", since=date(2024, 8, 14), until=date(2024, 8, 31))
        assert [tuple(r) for r in rows] == [
            (date(2024, 8, 14), "detik", 1),
            (date(2024, 8, 20), "kompas", 1),
        ]
        with pytest.raises(QueryError, match="unknown period"):
            trend(session, "", by="year")


@pytest.mark.parametrize("source", [None, "kompas"])
def test_newest_with_date_range_uses_a_published_at_index(corpus, db_url, source):
    session_factory, _ = corpus
    engine = session_factory.kw["bind"]
    statements = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "LIMIT" in statement and "ORDER BY" in statement:
            statements.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", capture)
    with session_factory.begin() as session:
        search(
            session,
            "",
            source=source,
            since=date(2024, 8, 1),
            until=date(2024, 8, 31),
            sort="newest",
        )
    sa.event.remove(engine, "before_cursor_execute", capture)
    [(statement, parameters)] = statements
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
        else:  # the tables are tiny: make the planner show what it would do on a big one
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            conn.exec_driver_sql("SET LOCAL enable_sort = off")
            plan = conn.exec_driver_sql("EXPLAIN " + statement, parameters).all()
    text = " ".join(str(row[-1]) for row in plan)
    assert "ix_articles_published_at" in text or "ix_articles_source_id_published_at" in text


# --- counting and plans -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "kwargs"),
    [
        ("banjir", {}),
        ("banjir", {"since": date(2024, 8, 1), "until": date(2024, 8, 31)}),
        ("banjir OR longsor", {"source": ["surabayapagi", "detik"]}),
        ("banjir", {"since": date(2024, 8, 14)}),
        ("", {"since": date(2024, 8, 1)}),
        ("surabaya section:peristiwa", {}),
    ],
)
@pytest.mark.parametrize("sort", ["newest", "relevance"])
@pytest.mark.parametrize("offset", [0, 1])
def test_capped_count_gives_the_same_hits(corpus, query, kwargs, sort, offset):
    """Counting only a few matches (another plan on SQLite) changes the total, not the hits."""
    exact, keys = run_search(corpus, query, sort=sort, offset=offset, count_limit=None, **kwargs)
    capped, capped_keys = run_search(
        corpus, query, sort=sort, offset=offset, count_limit=1, **kwargs
    )
    assert capped_keys == keys
    assert (exact.total_is_estimate, capped.total_is_estimate) == (False, exact.total > 1)
    assert capped.total == min(exact.total, 1)
    assert [h.snippet for h in capped.hits] == [h.snippet for h in exact.hits]


@pytest.mark.parametrize(
    ("count_limit", "total", "estimate", "text"),
    [(None, 4, False, "4"), (10, 4, False, "4"), (4, 4, False, "4"), (3, 3, True, "3+")],
)
def test_count_limit(corpus, count_limit, total, estimate, text):
    page, keys = run_search(corpus, "banjir", sort="newest", count_limit=count_limit)
    assert (page.total, page.total_is_estimate, page.total_text) == (total, estimate, text)
    assert keys == ["pilkada", "pompa", "banjir_ayani", "undated"]


def test_capped_pages_go_on_past_the_count(corpus):
    page, keys = run_search(corpus, "banjir", sort="newest", count_limit=1, limit=2, offset=2)
    assert (page.total, page.total_is_estimate) == (1, True)
    assert keys == ["banjir_ayani", "undated"]


def test_scores_when_sorted_by_relevance(corpus):
    page, _ = run_search(corpus, "banjir", sort="relevance")
    assert all(hit.score > 0 for hit in page.hits)


def test_no_match_in_the_date_range(corpus):
    page, keys = run_search(corpus, "banjir", since=date(2030, 1, 1))
    assert (page.total, keys) == (0, [])


# --- ids for watches ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "kwargs", "expected"),
    [
        ("banjir", {}, ["banjir_ayani", "pompa", "pilkada", "undated"]),
        ("banjir", {"limit": 2}, ["banjir_ayani", "pompa"]),
        ("banjir", {"above": "pompa"}, ["pilkada", "undated"]),
        ("banjir", {"source": "surabayapagi"}, ["banjir_ayani", "undated"]),
        ("banjir source:kompas", {}, ["pompa"]),
        ("kebakaran", {}, []),
    ],
)
def test_matching_ids(corpus, query, kwargs, expected):
    session_factory, ids = corpus
    by_key = {key: i for i, key in ids.items()}
    if "above" in kwargs:
        kwargs["above_id"] = by_key[kwargs.pop("above")]
    with session_factory.begin() as session:
        assert [ids[i] for i in matching_ids(session, query, **kwargs)] == expected


def test_matching_ids_unclaimed_by_a_watch(corpus):
    session_factory, ids = corpus
    by_key = {key: i for i, key in ids.items()}
    with session_factory.begin() as session:
        watch = SavedWatch(name="banjir", query="banjir", targets=["-"], baseline_id=0)
        session.add(watch)
        session.flush()
        session.add(WatchArticle(watch_id=watch.id, article_id=by_key["pompa"], delivery_id="d"))
        session.flush()
        found = matching_ids(session, "banjir", unclaimed_by=watch.id)
        assert [ids[i] for i in found] == ["banjir_ayani", "pilkada", "undated"]
        assert len(matching_ids(session, "banjir", unclaimed_by=watch.id + 1)) == 4
