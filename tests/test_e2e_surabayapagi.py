"""End to end: the real surabayapagi spider crawls the local replica into a SQLite archive."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from archive.db import open_archive
from archive.models import Article, ArticleVersion
from newscrawl.dates import WIB
from newscrawl.demo.server import ReplicaServer
from newscrawl.demo.surabayapagi import SurabayaPagiReplica
from newscrawl.portals import get_profile
from tests.crawl_helpers import crawl

pytestmark = pytest.mark.e2e

#: Any "read also" label left in a body.
BACA_JUGA_RE = re.compile(r"baca\s+juga", re.I)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """The replica, the archive URL, and the summaries of a first and a second crawl."""
    tmp = tmp_path_factory.mktemp("e2e")
    db_url = f"sqlite:///{tmp / 'archive.sqlite3'}"
    replica = SurabayaPagiReplica(base_url=get_profile("surabayapagi").base_url)
    alerts = tmp / "pilkada.jsonl"
    watch = [
        sys.executable,
        "-m",
        "newscrawl",
        "watch",
        "--db",
        db_url,
        "add",
        "pilkada",
        "pilkada",
    ]
    with ReplicaServer(replica) as server:
        first = crawl("surabayapagi", server.base_url, db_url)
        # A saved search with backfill: the next crawl delivers every match so far, once.
        subprocess.run(
            [*watch, "--jsonl", str(alerts), "--backfill"], check=True, capture_output=True
        )
        second = crawl("surabayapagi", server.base_url, db_url, "--revisit", "all")
        alerted_after_second = _jsonl(alerts)
        third = crawl("surabayapagi", server.base_url, db_url)
        requests_seen = list(server.requests)
    engine, Session = open_archive(db_url, readonly=True)
    with Session() as session:
        articles = {a.canonical_url: a for a in session.scalars(select(Article))}
        versions = session.scalar(select(func.count()).select_from(ArticleVersion))
        session.expunge_all()
    engine.dispose()
    return {
        "replica": replica,
        "first": first,
        "second": second,
        "third": third,
        "articles": articles,
        "versions": versions,
        "requests": requests_seen,
        "alerted_after_second": alerted_after_second,
        "alerted_at_end": _jsonl(alerts),
    }


def _jsonl(path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_first_crawl_archives_every_article(crawled) -> None:
    assert crawled["first"]["articles"] == {"new": 36, "changed": 0, "unchanged": 0}
    assert len(crawled["articles"]) == len(crawled["replica"].articles) == 36
    assert crawled["first"]["problems"] == {}


def test_second_crawl_changes_nothing(crawled) -> None:
    assert crawled["second"]["articles"] == {"new": 0, "changed": 0, "unchanged": 36}
    assert crawled["versions"] == 36


def test_incremental_crawl_fetches_no_archived_article(crawled) -> None:
    third = crawled["third"]
    assert third["articles"] == {"new": 0, "changed": 0, "unchanged": 0}
    assert third["pages"]["articles"] == 0
    assert third["skipped"]["archived"] >= 1


def test_no_read_also_text_in_any_body(crawled) -> None:
    for article in crawled["articles"].values():
        assert not BACA_JUGA_RE.search(article.body), article.canonical_url


@pytest.mark.parametrize("index", range(36))
def test_article_matches_the_replica(crawled, index: int) -> None:
    expected = crawled["replica"].articles[index]
    article = crawled["articles"][expected["canonical_url"]]
    got = {
        "title": article.title,
        "published_at": article.published_at.astimezone(WIB).isoformat(),
        "editor": article.editor,
        "dateline_city": article.dateline_city,
        "related_titles": [link["title"] for link in article.related_links],
        "body": article.body,
        "authors": article.authors,
    }
    want = {
        "title": expected["title"],
        "published_at": expected["published_at"],
        "editor": expected["editor"],
        "dateline_city": expected["dateline_city"],
        "related_titles": expected["related_titles"],
        "body": expected["body"],
        "authors": expected["authors"],
    }
    assert got == want


def test_dates_keep_the_portal_offset(crawled) -> None:
    for article in crawled["articles"].values():
        assert article.published_raw
        assert article.published_source in ("jsonld", "meta", "visible")


def test_crawl_stayed_on_the_replica(crawled) -> None:
    paths = [r.path for r in crawled["requests"]]
    assert "/robots.txt" in paths
    assert all(p.startswith("/") for p in paths)


def test_watches_run_after_every_crawl_and_report_once(crawled) -> None:
    pilkada = [a for a in crawled["articles"].values() if "pilkada" in (a.title + a.body).lower()]
    assert pilkada
    delivered = crawled["alerted_after_second"]
    assert delivered, "the watch delivered nothing after the crawl"
    print(delivered[0])
    reported = [a["url"] for delivery in delivered for a in delivery.get("articles", [])]
    assert len(reported) == len(set(reported)) == len(pilkada)  # each article once
    assert crawled["alerted_at_end"] == delivered  # the next crawl found nothing new to report
