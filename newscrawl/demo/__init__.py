"""The demo: a bundled replica of Surabaya Pagi served on 127.0.0.1, crawled by the real spider.

``make demo`` runs :func:`run_demo`: it serves the replica on a free port, crawls it into the
embedded archive with the real ``surabayapagi`` spider (only the base URL is swapped), and prints
the crawl summary, what the archive holds, and a sample search. A second run re-fetches every
article (``revisit=all``) and reports them unchanged: re-crawling changes nothing.
"""

from __future__ import annotations

import sys
from typing import TextIO

from newscrawl.dates import WIB


def run_demo(db_url: str, *, query: str = "pilkada", out: TextIO | None = None) -> int:
    from newscrawl.cli import print_summary
    from newscrawl.demo.server import ReplicaServer
    from newscrawl.demo.surabayapagi import SurabayaPagiReplica
    from newscrawl.pipelines import summarize
    from newscrawl.portals import get_profile
    from newscrawl.runner import local_replica_settings, run_crawl

    out = out or sys.stdout
    # The replica links to the live portal's URLs, as a saved copy would; the spider, given the
    # replica's address as base URL, maps them onto it and never leaves 127.0.0.1.
    replica = SurabayaPagiReplica(base_url=get_profile("surabayapagi").base_url)
    with ReplicaServer(replica) as server:
        print(
            f"Serving the Surabaya Pagi replica ({len(replica.articles)} articles) at {server.base_url}",
            file=out,
        )
        print(f"Crawling it into {db_url} ...", file=out)
        settings = local_replica_settings()
        settings["LOG_LEVEL"] = "WARNING"
        stats = run_crawl(
            "surabayapagi",
            db_url=db_url,
            settings=settings,
            base_url=server.base_url,
            revisit="all",
        )
    print(file=out)
    print_summary("surabayapagi (local replica)", summarize(stats), out=out)
    show_archive(db_url, query=query, out=out)
    return 0


def show_archive(db_url: str, *, query: str, out: TextIO, latest: int = 5) -> None:
    """Print what the archive holds: counts, the latest articles, and a sample search."""
    from archive.db import open_archive
    from archive.search import HIGHLIGHT_END, HIGHLIGHT_START, search
    from archive.store import counts_by_source

    engine, Session = open_archive(db_url, readonly=True)
    try:
        with Session() as session:
            counts = counts_by_source(session)
            print(file=out)
            print("The archive holds:", file=out)
            for source, n in sorted(counts.items()):
                print(f"  {source}: {n} articles", file=out)
            page = search(session, "", sort="newest", limit=latest)
            print(f"\nLatest {len(page.hits)}:", file=out)
            for h in page.hits:
                when = h.published_at.astimezone(WIB).isoformat() if h.published_at else "(no date)"
                print(f"  {when}  {h.title}", file=out)
            if page.hits:
                show_article(session, page.hits[0].article_id, out=out)
            found = search(session, query, sort="relevance", limit=3)
            print(f'\nSearch "{query}": {found.total_text} match(es)', file=out)
            for h in found.hits:
                snippet = " ".join((h.snippet or "").split())
                snippet = snippet.replace(HIGHLIGHT_START, "[").replace(HIGHLIGHT_END, "]")
                print(f"  #{h.article_id} {h.title}\n      {snippet}", file=out)
    finally:
        engine.dispose()


def show_article(session, article_id: int, *, out: TextIO) -> None:
    """One archived article with the metadata cleaning pulled out of its page."""
    from archive.store import get_article

    article = get_article(session, article_id)
    if article is None:
        return
    when = article.published_at.astimezone(WIB).isoformat() if article.published_at else None
    print(f"\nOne article as archived (#{article.id}):", file=out)
    rows = [
        ("title", article.title),
        ("canonical_url", article.canonical_url),
        ("published_at", f"{when}  (from {article.published_source}: {article.published_raw!r})"),
        ("dateline_city", article.dateline_city),
        ("editor", article.editor),
        ("authors", ", ".join(article.authors or []) or "(none: the page names only the site)"),
        ("tags", ", ".join(article.tags or [])),
        (
            "related_links",
            f"{len(article.related_links or [])} 'Baca Juga' links taken out of the body",
        ),
        ("captions", f"{len(article.captions or [])}"),
        ("body", (article.body or "")[:160].replace("\n\n", " / ") + "…"),
    ]
    for name, value in rows:
        print(f"  {name:<14} {value}", file=out)
