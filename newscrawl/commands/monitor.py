"""Commands for media monitors: search (and, later, export, trend, stats, watch, serve)."""

from __future__ import annotations

import argparse
import csv
import json
import sys

from newscrawl.cli import _day, _db_arg, _db_url, _positive, command, fail


# --- search -----------------------------------------------------------------------------------
def _search_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "query", help='words, "exact phrases", OR, -exclude, prefix*, source:, section:, author:'
    )
    _db_arg(p)
    p.add_argument("--source", help="only this portal")
    p.add_argument("--since", type=_day, help="published on or after this date")
    p.add_argument("--until", type=_day, help="published on or before this date")
    p.add_argument("--sort", choices=("relevance", "newest"), default="relevance")
    p.add_argument("--limit", type=_positive, default=20)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")


@command(
    "search",
    "full-text search of the archive",
    "newscrawl search '\"pilkada malang\" -survei' --source surabayapagi --since 2024-08-01 --format csv",
    _search_args,
)
def cmd_search(args: argparse.Namespace) -> int:
    from archive.db import open_archive
    from archive.search import HIGHLIGHT_END, HIGHLIGHT_START, QueryError, search

    engine, Session = open_archive(_db_url(args), readonly=True)
    try:
        with Session() as session:
            page = search(
                session,
                args.query,
                source=args.source,
                since=args.since,
                until=args.until,
                sort=args.sort,
                limit=args.limit,
                offset=args.offset,
            )
    except QueryError as exc:
        return fail(f"bad query: {exc}")
    finally:
        engine.dispose()
    rows = [
        {
            "id": h.article_id,
            "published_at": h.published_at.isoformat() if h.published_at else "",
            "source": h.source,
            "title": h.title,
            "url": h.url,
            "snippet": (h.snippet or "").replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, ""),
        }
        for h in page.hits
    ]
    if args.format == "json":
        json.dump({"total": page.total, "hits": rows}, sys.stdout, ensure_ascii=False, indent=2)
        print()
    elif args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["id"])
        writer.writeheader()
        writer.writerows(rows)
    else:
        tty = sys.stdout.isatty()
        print(f"{page.total} match(es)")
        for h, row in zip(page.hits, rows, strict=True):
            snippet = h.snippet or ""
            start, end = ("\033[1;33m", "\033[0m") if tty else ("[", "]")
            snippet = snippet.replace(HIGHLIGHT_START, start).replace(HIGHLIGHT_END, end)
            print(f"#{row['id']}  {row['published_at'][:16]}  {row['source']}  {row['title']}")
            print(f"    {row['url']}")
            if snippet:
                print(f"    {' '.join(snippet.split())}")
    return 0
