"""Benchmark: archive ingest, full-text search and trend on a synthetic archive.

    .venv/bin/python benchmarks/search.py [--n 1000000] [--db URL] [--sample 20000] [--seed 7]

Builds an archive of ``--n`` synthetic Indonesian articles (about 2 KB of text each from a word
bank with a Zipf-like word frequency, 20 portals, publication times spread over three years)
through the archive's own storage API (``archive.store.insert_articles``, 1000 per transaction),
then prints:

- ingest: articles/s of ``insert_articles`` over the first ``--sample`` articles, beside raw
  ``executemany`` of the same article rows into the same ``articles`` table (same indexes and
  full-text triggers / generated tsvector) of a scratch database, and the ratio (target >= 0.5);
  the rate of one ``upsert_article`` call per item (what a crawl does) over ``--item-sample``
  articles in a scratch archive; and the rate over the whole build;
- search: p50/p95 latency of 100 ``archive.search.search`` calls (one to three words, a date
  range of 30-365 days, newest first, 50 results, with the total count: exact up to
  ``archive.search.COUNT_LIMIT``, "10000+" above) beside the same 100 queries as a ``LIKE`` scan
  (``body LIKE %w%`` per word, same range, order, limit and an exact count);
- trend: ``archive.search.trend`` per month over the whole archive, for a common word and for
  every article.

Without ``--db`` a SQLite file in a temporary directory is used and removed afterwards. With
``--db`` pointing at an existing archive that already holds ``--n`` articles the build is skipped
(``--reuse``). On PostgreSQL the raw baseline is ``executemany`` through psycopg into a
``CREATE TABLE ... (LIKE articles INCLUDING ALL)`` copy that is dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

import sqlalchemy as sa  # noqa: E402

from archive.db import open_archive, resolve_db_url  # noqa: E402
from archive.models import Article  # noqa: E402
from archive.search import search, trend  # noqa: E402
from archive.store import (  # noqa: E402
    content_hash,
    count_articles,
    insert_articles,
    upsert_article,
)

PORTALS = [
    "surabayapagi", "detik", "kompas", "tribunnews", "antaranews", "jawapos", "suarasurabaya",
    "beritajatim", "radarsurabaya", "timesindonesia", "kumparan", "liputan6", "okezone",
    "sindonews", "merdeka", "suara", "idntimes", "cnnindonesia", "republika", "tempo",
]  # fmt: skip
START = datetime(2022, 1, 1, tzinfo=UTC)
SPAN_SECONDS = 3 * 365 * 86400
BODY_CHARS = 2000

# Function words first (most frequent), then news vocabulary and places; rank gives frequency.
WORDS = [
    "yang",
    "di",
    "dan",
    "ini",
    "itu",
    "dengan",
    "untuk",
    "dari",
    "dalam",
    "pada",
    "akan",
    "tidak",
    "ke",
    "juga",
    "sudah",
    "oleh",
    "atau",
    "karena",
    "telah",
    "bahwa",
    "saat",
    "ada",
    "para",
    "kata",
    "bisa",
    "lebih",
    "masih",
    "hingga",
    "sebagai",
    "setelah",
    "mereka",
    "kami",
    "kita",
    "tersebut",
    "namun",
    "agar",
    "secara",
    "jika",
    "sejak",
    "hari",
    "tahun",
    "warga",
    "kota",
    "pemerintah",
    "polisi",
    "jalan",
    "kabupaten",
    "provinsi",
    "daerah",
    "masyarakat",
    "petugas",
    "kepala",
    "dinas",
    "wali",
    "bupati",
    "gubernur",
    "presiden",
    "menteri",
    "camat",
    "lurah",
    "desa",
    "kecamatan",
    "kelurahan",
    "rumah",
    "sakit",
    "sekolah",
    "pasar",
    "harga",
    "beras",
    "cabai",
    "minyak",
    "bawang",
    "gula",
    "telur",
    "daging",
    "ayam",
    "sapi",
    "banjir",
    "longsor",
    "kebakaran",
    "gempa",
    "hujan",
    "angin",
    "kemarau",
    "kekeringan",
    "sampah",
    "sungai",
    "laut",
    "pantai",
    "pelabuhan",
    "bandara",
    "kereta",
    "bus",
    "motor",
    "mobil",
    "truk",
    "kecelakaan",
    "lalu",
    "lintas",
    "macet",
    "tol",
    "pembangunan",
    "proyek",
    "anggaran",
    "dana",
    "bantuan",
    "sosial",
    "pendidikan",
    "kesehatan",
    "vaksin",
    "pasien",
    "dokter",
    "perawat",
    "siswa",
    "guru",
    "mahasiswa",
    "kampus",
    "universitas",
    "pilkada",
    "pemilu",
    "calon",
    "partai",
    "suara",
    "debat",
    "kampanye",
    "survei",
    "dukungan",
    "koalisi",
    "dewan",
    "anggota",
    "rapat",
    "sidang",
    "pengadilan",
    "hakim",
    "jaksa",
    "terdakwa",
    "tersangka",
    "korban",
    "saksi",
    "kasus",
    "penipuan",
    "pencurian",
    "narkoba",
    "penangkapan",
    "operasi",
    "razia",
    "patroli",
    "keamanan",
    "ketertiban",
    "festival",
    "budaya",
    "wisata",
    "kuliner",
    "pameran",
    "lomba",
    "juara",
    "sepak",
    "bola",
    "pertandingan",
    "pemain",
    "pelatih",
    "stadion",
    "persebaya",
    "arema",
    "ekonomi",
    "investasi",
    "usaha",
    "pedagang",
    "petani",
    "nelayan",
    "buruh",
    "pekerja",
    "upah",
    "pajak",
    "retribusi",
    "listrik",
    "air",
    "bersih",
    "gas",
    "jaringan",
    "internet",
    "digital",
    "aplikasi",
    "layanan",
    "publik",
    "kantor",
    "gedung",
    "taman",
    "lingkungan",
    "pohon",
    "udara",
    "polusi",
    "tanah",
    "lahan",
    "sawah",
    "panen",
    "pupuk",
    "irigasi",
    "bendungan",
    "waduk",
    "surabaya",
    "malang",
    "sidoarjo",
    "gresik",
    "mojokerto",
    "pasuruan",
    "probolinggo",
    "jember",
    "banyuwangi",
    "kediri",
    "blitar",
    "tulungagung",
    "madiun",
    "ponorogo",
    "lamongan",
    "tuban",
    "bojonegoro",
    "batu",
    "madura",
    "bangkalan",
    "sampang",
    "pamekasan",
    "sumenep",
    "jombang",
    "nganjuk",
    "magetan",
    "ngawi",
    "pacitan",
    "trenggalek",
    "lumajang",
    "situbondo",
    "bondowoso",
    "jakarta",
    "bandung",
    "semarang",
    "yogyakarta",
    "denpasar",
    "makassar",
    "medan",
    "menyampaikan",
    "mengatakan",
    "menjelaskan",
    "menambahkan",
    "meminta",
    "mengimbau",
    "menyiapkan",
    "membangun",
    "memperbaiki",
    "meninjau",
    "meresmikan",
    "menggelar",
    "mengikuti",
    "menerima",
    "memberikan",
    "melaporkan",
    "menangkap",
    "mengamankan",
    "memeriksa",
    "menyelidiki",
    "menutup",
    "membuka",
    "menurun",
    "meningkat",
    "naik",
    "turun",
    "besar",
    "kecil",
    "baru",
    "lama",
    "tinggi",
    "rendah",
    "ramai",
    "sepi",
    "cepat",
    "lambat",
    "penting",
    "utama",
    "khusus",
    "umum",
    "pagi",
    "siang",
    "sore",
    "malam",
    "minggu",
    "bulan",
    "senin",
    "selasa",
    "rabu",
    "kamis",
    "jumat",
    "sabtu",
]
FUNCTION_WORDS = WORDS[: WORDS.index("hari")]
NEWS_WORDS = WORDS[len(FUNCTION_WORDS) :]
SYLLABLES = [
    "ba",
    "be",
    "bi",
    "bo",
    "bu",
    "ka",
    "ke",
    "ki",
    "ko",
    "ku",
    "la",
    "li",
    "lu",
    "ma",
    "mi",
    "mu",
    "na",
    "ni",
    "nu",
    "pa",
    "pe",
    "pi",
    "ra",
    "ri",
    "ru",
    "sa",
    "se",
    "si",
    "su",
    "ta",
    "te",
    "ti",
    "tu",
    "wa",
    "wi",
    "ya",
    "ng",
    "an",
    "in",
    "un",
    "ar",
    "ir",
    "ur",
    "at",
    "it",
]
TOPICS, TOPIC_WORDS, SENTENCES_PER_TOPIC = 100, 20, 500


def rare_words(rng: random.Random, count: int) -> list[str]:
    """Made-up words of two to four syllables: the long tail of a real vocabulary."""
    out: set[str] = set()
    while len(out) < count:
        out.add("".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))))
    return sorted(out)


def make_topics(rng: random.Random) -> list[list[str]]:
    """Topics: sets of news words that occur together (a word belongs to a few topics)."""
    return [rng.sample(NEWS_WORDS, TOPIC_WORDS) for _ in range(TOPICS)]


def make_sentences(
    rng: random.Random, topic: list[str], tail: list[str], tail_weights: list[float], count: int
) -> list[str]:
    """Sentences of 8-18 words: half function words, a third the topic's words, the rest from
    the whole vocabulary with a Zipf-like frequency."""
    func_weights = [1.0 / (r + 2) for r in range(len(FUNCTION_WORDS))]
    out = []
    for _ in range(count):
        words = []
        for _ in range(rng.randint(8, 18)):
            roll = rng.random()
            if roll < 0.5:
                words.append(rng.choices(FUNCTION_WORDS, func_weights)[0])
            elif roll < 0.85:
                words.append(rng.choice(topic))
            else:
                words.append(rng.choices(tail, tail_weights)[0])
        text = " ".join(words)
        out.append(text[0].upper() + text[1:] + ".")
    return out


def make_items(n: int, seed: int):
    """``n`` article items (dicts as the crawler stores them), in publication-time order."""
    rng = random.Random(seed)
    tail = NEWS_WORDS + rare_words(rng, 5000)
    tail_weights = [1.0 / (r + 10) for r in range(len(tail))]
    topics = make_topics(rng)
    pools = [make_sentences(rng, t, tail, tail_weights, SENTENCES_PER_TOPIC) for t in topics]
    offsets = sorted(rng.randrange(SPAN_SECONDS) for _ in range(n))
    for i, offset in enumerate(offsets):
        portal = PORTALS[rng.randrange(len(PORTALS))]
        topic = rng.randrange(TOPICS)
        pool = pools[topic]
        published = START + timedelta(seconds=offset)
        paragraphs, size = [], 0
        while size < BODY_CHARS:
            para = " ".join(rng.choices(pool, k=rng.randint(2, 4)))
            paragraphs.append(para)
            size += len(para) + 2
        title_words = rng.choices(topics[topic], k=rng.randint(5, 9))
        url = f"https://{portal}.example/{published:%Y/%m/%d}/{i}-{'-'.join(title_words[:4])}"
        yield {
            "url": url,
            "canonical_url": url,
            "source": portal,
            "title": " ".join(w.capitalize() for w in title_words),
            "body": "\n\n".join(paragraphs),
            "description": paragraphs[0][:200],
            "authors": [f"Penulis {rng.randrange(200)}"],
            "editor": f"Editor {rng.randrange(30)}",
            "section": rng.choice(["Peristiwa", "Ekonomi", "Politik", "Olahraga", "Hukum"]),
            "tags": rng.sample(topics[topic], 3),
            "published_at": published.isoformat(),
            "published_raw": published.strftime("%d/%m/%Y %H:%M"),
            "published_source": "meta",
            "language": "id",
            "fetched_at": (published + timedelta(hours=1)).isoformat(),
            "http_status": 200,
        }


def _batches(iterable, size: int):
    batch = []
    for value in iterable:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def ingest(session_factory, items, *, batch: int = 1000, bulk: bool = True) -> tuple[int, float]:
    """Store ``items``, ``batch`` per transaction, with ``insert_articles`` (``bulk``) or one
    ``upsert_article`` call per item (what a crawl does); (count, seconds).

    Only the storing is timed, not the making of the items."""
    count, seconds = 0, 0.0
    for chunk in _batches(items, batch):
        start = time.perf_counter()
        with session_factory.begin() as session:
            if bulk:
                insert_articles(session, chunk)
            else:
                for item in chunk:
                    upsert_article(session, item)
        seconds += time.perf_counter() - start
        count += len(chunk)
    return count, seconds


RAW_COLUMNS = (
    "source_id", "canonical_url", "url", "title", "body", "description", "authors", "editor",
    "section", "tags", "published_at", "published_raw", "published_source", "language",
    "content_sha256", "http_status", "first_seen_at", "last_seen_at", "fetched_at",
    "version_count", "current_version_no", "related_links", "captions", "flags",
)  # fmt: skip


def raw_rows(items, source_ids: dict[str, int], *, sqlite: bool) -> list[tuple]:
    """The article rows of ``items`` as plain tuples (timestamps as the backend stores them)."""
    import json

    def ts(text: str):
        value = datetime.fromisoformat(text).astimezone(UTC)
        return value.replace(tzinfo=None).isoformat(sep=" ") if sqlite else value

    rows = []
    for it in items:
        fetched = ts(it["fetched_at"])
        rows.append(
            (
                source_ids[it["source"]], it["canonical_url"] + "#raw", it["url"], it["title"],
                it["body"], it["description"], json.dumps(it["authors"]), it["editor"],
                it["section"], json.dumps(it["tags"]), ts(it["published_at"]),
                it["published_raw"], it["published_source"], it["language"], content_hash(it),
                it["http_status"], fetched, fetched, fetched, 1, 1, "[]", "[]", "[]",
            )
        )  # fmt: skip
    return rows


def raw_ingest(url: str, items: list[dict], batch: int = 1000) -> float:
    """Seconds to ``executemany`` the article rows of ``items`` into a fresh ``articles`` table
    with the archive's indexes and full-text machinery."""
    if url.startswith("sqlite"):
        scratch = tempfile.mkdtemp(prefix="nc-raw-")
        path = os.path.join(scratch, "raw.sqlite3")
        engine, session_factory = open_archive(path)
        with session_factory.begin() as session:
            source_ids = {p: _source_id(session, p) for p in PORTALS}
        engine.dispose()
        rows = raw_rows(items, source_ids, sqlite=True)
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        sql = (
            f"INSERT INTO articles ({', '.join(RAW_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(RAW_COLUMNS))})"
        )
        start = time.perf_counter()
        for chunk in _batches(rows, batch):
            conn.execute("BEGIN")
            conn.executemany(sql, chunk)
            conn.execute("COMMIT")
        seconds = time.perf_counter() - start
        conn.close()
        for name in os.listdir(scratch):
            os.remove(os.path.join(scratch, name))
        os.rmdir(scratch)
        return seconds
    engine, session_factory = open_archive(url)
    with session_factory.begin() as session:
        source_ids = {p: _source_id(session, p) for p in PORTALS}
    rows = raw_rows(items, source_ids, sqlite=False)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("DROP TABLE IF EXISTS bench_raw_articles")
        cur.execute("CREATE TABLE bench_raw_articles (LIKE articles INCLUDING ALL)")
        raw.commit()
        sql = (
            f"INSERT INTO bench_raw_articles ({', '.join(RAW_COLUMNS)}) "
            f"VALUES ({', '.join(['%s'] * len(RAW_COLUMNS))})"
        )
        start = time.perf_counter()
        for chunk in _batches(rows, batch):
            cur.executemany(sql, chunk)
            raw.commit()
        seconds = time.perf_counter() - start
        cur.execute("DROP TABLE bench_raw_articles")
        raw.commit()
    finally:
        raw.close()
        engine.dispose()
    return seconds


def per_item_ingest(url: str, items: list[dict], batch: int = 1000) -> float:
    """Seconds to store ``items`` with one ``upsert_article`` call per item (what a crawl does),
    ``batch`` per transaction, in a scratch archive (SQLite) or under scratch URLs that are
    deleted afterwards (PostgreSQL)."""
    scratch = None
    if url.startswith("sqlite"):
        scratch = tempfile.mkdtemp(prefix="nc-item-")
        target = os.path.join(scratch, "item.sqlite3")
        renamed = items
    else:
        target = url
        renamed = [{**it, "canonical_url": it["canonical_url"] + "#item"} for it in items]
    engine, session_factory = open_archive(target)
    _, seconds = ingest(session_factory, renamed, batch=batch, bulk=False)
    if scratch:
        engine.dispose()
        for name in os.listdir(scratch):
            os.remove(os.path.join(scratch, name))
        os.rmdir(scratch)
    else:
        with session_factory.begin() as session:
            session.execute(sa.delete(Article).where(Article.canonical_url.like("%#item")))
        engine.dispose()
    return seconds


def _source_id(session, key: str) -> int:
    from archive.store import get_or_create_source

    return get_or_create_source(session, key).id


def make_queries(rng: random.Random, count: int, seed: int) -> list[tuple[str, datetime, datetime]]:
    """``count`` queries of one to three news words, each with a 30-365 day date range.

    Like a monitor's queries, the words of a query usually belong to one topic of the corpus
    ("banjir surabaya"); a quarter of the multi-word queries mix topics (few matches)."""
    topics_rng = random.Random(seed)
    rare_words(topics_rng, 5000)
    topics = make_topics(topics_rng)
    out = []
    for _ in range(count):
        size = rng.randint(1, 3)
        if size > 1 and rng.random() < 0.25:
            words = rng.sample(NEWS_WORDS, size)
        else:
            words = rng.sample(rng.choice(topics), size)
        days = rng.randint(30, 365)
        since = START + timedelta(days=rng.randrange(3 * 365 - days))
        out.append((" ".join(words), since, since + timedelta(days=days)))
    return out


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]
    return statistics.median(ordered) * 1000, p95 * 1000


def time_searches(session_factory, queries) -> tuple[list[float], list[int], int]:
    """Latencies and totals of ``queries``, and how many totals were capped ("10000+")."""
    times, totals, capped = [], [], 0
    with session_factory() as session:
        search(session, "banjir", limit=1)  # warm up
        for text, since, until in queries:
            start = time.perf_counter()
            page = search(session, text, since=since, until=until, sort="newest", limit=50)
            times.append(time.perf_counter() - start)
            totals.append(page.total)
            capped += page.total_is_estimate
    return times, totals, capped


def time_like(session_factory, queries) -> tuple[list[float], list[int]]:
    times, totals = [], []
    with session_factory() as session:
        for text, since, until in queries:
            conditions = [Article.published_at >= since, Article.published_at <= until]
            conditions += [Article.body.like(f"%{w}%") for w in text.split()]
            start = time.perf_counter()
            total = session.execute(
                sa.select(sa.func.count()).select_from(Article).where(*conditions)
            ).scalar_one()
            session.execute(
                sa.select(Article.id, Article.title)
                .where(*conditions)
                .order_by(Article.published_at.desc(), Article.id.desc())
                .limit(50)
            ).all()
            times.append(time.perf_counter() - start)
            totals.append(total)
    return times, totals


def explain(engine, session_factory, call) -> None:
    """Run ``call(session)``, then print the plan of every statement it ran (PostgreSQL)."""
    captured: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        captured.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        with session_factory() as session:
            call(session)
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    with engine.connect() as conn, conn.begin():
        for statement, parameters in captured:
            if statement.lstrip().upper().startswith("SET"):
                conn.exec_driver_sql(statement, parameters)
                continue
            print("  " + " ".join(statement.split())[:300])
            plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            for (line,) in plan:
                print("    " + line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="articles in the archive")
    parser.add_argument("--db", help="archive URL (default: a temporary SQLite file)")
    parser.add_argument("--sample", type=int, default=20_000, help="articles for the ingest ratio")
    parser.add_argument(
        "--item-sample", type=int, default=5_000, help="articles for the upsert_article rate"
    )
    parser.add_argument("--searches", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="skip the build if --n are there")
    parser.add_argument(
        "--no-like", action="store_true", help="skip the LIKE baseline (minutes at 1M)"
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print the plans (EXPLAIN ANALYZE, BUFFERS) of the slowest search and the trend",
    )
    args = parser.parse_args(argv)

    tmpdir = None
    if args.db:
        url = resolve_db_url(args.db)
    else:
        tmpdir = tempfile.mkdtemp(prefix="nc-bench-")
        url = resolve_db_url(os.path.join(tmpdir, "archive.sqlite3"))
    backend = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    print(f"archive: {url} ({backend}), n={args.n:,}")
    engine, session_factory = open_archive(url)
    with session_factory() as session:
        existing = count_articles(session)

    if args.reuse and existing >= args.n:
        print(f"reusing {existing:,} archived articles (no ingest measured)")
    else:
        if existing:
            print(f"error: the archive holds {existing:,} articles already; use an empty one")
            return 2
        sample_n = min(args.sample, args.n)
        sample = list(make_items(sample_n, args.seed))
        raw_seconds = raw_ingest(url, sample)
        item_n = min(args.item_sample, sample_n)
        item_seconds = per_item_ingest(url, sample[:item_n])
        count, seconds = ingest(session_factory, sample)
        rest_items = (it for i, it in enumerate(make_items(args.n, args.seed)) if i >= sample_n)
        del sample
        rest, rest_seconds = ingest(session_factory, rest_items)
        bulk_rate, raw_rate = count / seconds, sample_n / raw_seconds
        print(
            f"ingest (first {sample_n:,}): insert_articles {bulk_rate:,.0f}/s, raw executemany "
            f"{raw_rate:,.0f}/s, ratio {bulk_rate / raw_rate:.2f} (target >= 0.5)"
        )
        item_rate = item_n / item_seconds
        print(
            f"ingest (first {item_n:,}): upsert_article one by one {item_rate:,.0f}/s, "
            f"ratio {item_rate / raw_rate:.2f}"
        )
        total_rate = (count + rest) / (seconds + rest_seconds)
        print(f"ingest (all {count + rest:,}): {total_rate:,.0f}/s, {seconds + rest_seconds:.0f} s")
        if engine.dialect.name == "sqlite":
            with engine.begin() as conn:  # what a long crawl's ANALYZE/optimize would give
                conn.exec_driver_sql("INSERT INTO article_fts(article_fts) VALUES ('optimize')")
                conn.exec_driver_sql("ANALYZE")
        else:
            with engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                    "VACUUM ANALYZE articles"
                )

    queries = make_queries(random.Random(args.seed + 1), args.searches, args.seed)
    times, totals, capped = time_searches(session_factory, queries)
    p50, p95 = _percentiles(times)
    print(
        f"search ({len(queries)} queries of 1-3 words, 30-365 day range, newest first, 50 "
        f"results + total): p50 {p50:.1f} ms, p95 {p95:.1f} ms (target p95 < 50 ms on SQLite); "
        f"median total {statistics.median(totals):,.0f} matches, {capped} totals capped"
    )
    if args.explain and engine.dialect.name == "postgresql":
        slowest = max(range(len(queries)), key=lambda i: times[i])
        text, since, until = queries[slowest]
        print(f"plan of the slowest search {text!r} {since:%Y-%m-%d}..{until:%Y-%m-%d}:")
        explain(
            engine,
            session_factory,
            lambda s: search(s, text, since=since, until=until, sort="newest", limit=50),
        )
        print("plan of the trend of 'banjir' by month:")
        explain(engine, session_factory, lambda s: trend(s, "banjir", by="month"))
    if not args.no_like:
        like_times, like_totals = time_like(session_factory, queries)
        lp50, lp95 = _percentiles(like_times)
        print(f"LIKE scan (same queries): p50 {lp50:.1f} ms, p95 {lp95:.1f} ms")

    with session_factory() as session:
        for text in ("banjir", ""):
            start = time.perf_counter()
            rows = trend(session, text, by="month")
            seconds = time.perf_counter() - start
            label = repr(text) if text else "every article"
            print(
                f"trend by month over the whole archive, {label}: {seconds * 1000:.0f} ms "
                f"({len(rows)} rows, {sum(r.count for r in rows):,} articles; target < 1 s)"
            )
    engine.dispose()
    if tmpdir:
        for name in os.listdir(tmpdir):
            os.remove(os.path.join(tmpdir, name))
        os.rmdir(tmpdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
