"""Commands for media monitors: search, export, trend, stats, watch and serve."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from newscrawl.cli import (
    _count,
    _day,
    _db_arg,
    _db_url,
    _positive,
    command,
    fail,
    missing_sqlite_file,
)
from newscrawl.dates import WIB

ANSI_BOLD, ANSI_RESET = "\033[1m", "\033[0m"


class CommandError(Exception):
    """A problem to report as ``newscrawl: error: ...`` with exit status ``code``."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


@contextmanager
def archive_session(args: argparse.Namespace, *, readonly: bool = True) -> Iterator[Any]:
    """A session on the archive of ``--db``; turns the usual failures into :class:`CommandError`.

    A missing SQLite file, an unreachable server, a file that is no archive and a malformed
    query each become a one-line error instead of a traceback.
    """
    import sqlalchemy as sa

    from archive.db import open_archive
    from archive.search import QueryError

    url = _db_url(args)
    missing = missing_sqlite_file(url)
    if missing:
        raise CommandError(
            f"no archive at {missing}: crawl into it first (newscrawl crawl SITE --db {missing}) "
            "or point --db / $NEWSCRAWL_DB_URL at an existing archive"
        )
    try:
        engine, session_factory = open_archive(url, readonly=readonly)
    except sa.exc.DBAPIError as exc:
        raise CommandError(f"cannot open the archive {url}: {_first_line(exc.orig)}") from None
    try:
        with session_factory() as session:
            yield session
    except QueryError as exc:
        raise CommandError(f"bad query: {exc}") from None
    except sa.exc.OperationalError as exc:
        text = _first_line(exc.orig)
        if "no such table" in text or "does not exist" in text:
            raise CommandError(f"{url} is not a newscrawl archive ({text})") from None
        raise CommandError(f"database error on {url}: {text}") from None
    except sa.exc.ProgrammingError as exc:
        raise CommandError(f"database error on {url}: {_first_line(exc.orig)}") from None
    finally:
        engine.dispose()


def _first_line(exc: BaseException | None) -> str:
    return str(exc or "").strip().splitlines()[0] if str(exc or "").strip() else "unknown error"


def run_command(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Wrap a command so that :class:`CommandError` prints ``newscrawl: error: ...``."""

    def wrapper(args: argparse.Namespace) -> int:
        try:
            return fn(args)
        except CommandError as exc:
            return fail(str(exc), exc.code)

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


def _filter_args(p: argparse.ArgumentParser) -> None:
    _db_arg(p)
    p.add_argument("--source", action="append", help="only this portal (repeat for several)")
    p.add_argument("--since", type=_day, help="published on or after this date (WIB)")
    p.add_argument("--until", type=_day, help="published on or before this date (WIB)")


QUERY_HELP = 'words, "exact phrases", OR, -exclude, prefix*, source:, section:, author:'


def plain_snippet(snippet: str | None) -> str:
    """A snippet without highlight markers, on one line.

    >>> plain_snippet("banjir di \\x02Surabaya\\x03\\nkota")
    'banjir di Surabaya kota'
    """
    from archive.search import HIGHLIGHT_END, HIGHLIGHT_START

    text = (snippet or "").replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")
    return " ".join(text.split())


def terminal_snippet(snippet: str | None, *, tty: bool) -> str:
    """A snippet for the terminal: matches in ANSI bold on a tty, in ``[...]`` otherwise.

    >>> terminal_snippet("di \\x02Surabaya\\x03", tty=False)
    'di [Surabaya]'
    >>> terminal_snippet("di \\x02Surabaya\\x03", tty=True)
    'di \\x1b[1mSurabaya\\x1b[0m'
    """
    from archive.search import render_highlights

    start, end = (ANSI_BOLD, ANSI_RESET) if tty else ("[", "]")
    return " ".join(render_highlights(snippet or "", start, end).split())


# --- search -----------------------------------------------------------------------------------
def _search_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", help=QUERY_HELP)
    _filter_args(p)
    p.add_argument("--sort", choices=("relevance", "newest"), default="relevance")
    p.add_argument("--limit", type=_positive, default=20, help="results to show (default 20)")
    p.add_argument("--offset", type=_count, default=0, help="skip this many results first")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")


@command(
    "search",
    "full-text search of the archive",
    "newscrawl search '\"pilkada malang\" -survei' --source surabayapagi --since 2024-08-01 --format csv",
    _search_args,
)
@run_command
def cmd_search(args: argparse.Namespace) -> int:
    from archive.search import search
    from newscrawl.export import csv_safe

    with archive_session(args) as session:
        page = search(
            session,
            args.query,
            source=args.source,
            since=args.since,
            until=args.until,
            sort=args.sort,
            limit=args.limit,
            offset=max(0, args.offset),
        )
    rows = [
        {
            "id": h.article_id,
            "published_at": h.published_at.astimezone(WIB).isoformat() if h.published_at else "",
            "source": h.source,
            "title": h.title or "",
            "url": h.url,
            "score": round(h.score, 4),
            "snippet": plain_snippet(h.snippet),
        }
        for h in page.hits
    ]
    if args.format == "json":
        json.dump(
            {"total": page.total, "total_is_estimate": page.total_is_estimate, "hits": rows},
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        print()
    elif args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\r\n")
        writer.writerow(["id", "published_at", "source", "title", "url", "score", "snippet"])
        for row in rows:
            writer.writerow([csv_safe(v) for v in row.values()])
    else:
        tty = sys.stdout.isatty()
        shown = f", showing {args.offset + 1}-{args.offset + len(rows)}" if rows else ""
        print(f"{page.total_text} match(es){shown}")
        for h, row in zip(page.hits, rows, strict=True):
            print(f"#{row['id']}  {row['published_at'][:16]}  {row['source']}  {row['title']}")
            print(f"    {row['url']}")
            snippet = terminal_snippet(h.snippet, tty=tty)
            if snippet:
                print(f"    {snippet}")
    return 0


# --- export -----------------------------------------------------------------------------------
def _export_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", help=QUERY_HELP + " ('' for everything)")
    _filter_args(p)
    p.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    p.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    p.add_argument("--bom", action="store_true", help="start the CSV with a UTF-8 BOM (Excel)")
    p.add_argument("--sort", choices=("newest", "relevance"), default="newest")


@command(
    "export",
    "export every article matching a query as CSV or JSON Lines, streamed",
    "newscrawl export 'banjir surabaya' --since 2024-01-01 --format csv --bom --out banjir.csv",
    _export_args,
)
@run_command
def cmd_export(args: argparse.Namespace) -> int:
    from archive.search import QueryError, iter_search, parse_query
    from newscrawl.export import FETCH_BATCH, write_export

    try:
        parsed = parse_query(args.query, allow_empty=True)
    except QueryError as exc:
        raise CommandError(f"bad query: {exc}") from None
    with archive_session(args) as session:
        articles = iter_search(
            session,
            parsed,
            source=args.source,
            since=args.since,
            until=args.until,
            sort=args.sort,
            batch=FETCH_BATCH,
        )
        if not args.out or args.out == "-":
            count = write_export(articles, sys.stdout, format=args.format, bom=args.bom)
            sys.stdout.flush()
        else:
            target = Path(args.out)
            partial = target.with_name(target.name + ".part")
            try:
                with open(partial, "w", encoding="utf-8", newline="") as out:
                    count = write_export(articles, out, format=args.format, bom=args.bom)
            except OSError as exc:
                partial.unlink(missing_ok=True)
                raise CommandError(f"cannot write {args.out}: {exc.strerror}") from None
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
            partial.replace(target)
    where = f" to {args.out}" if args.out and args.out != "-" else ""
    print(f"exported {count} article(s){where}", file=sys.stderr)
    return 0


# --- trend ------------------------------------------------------------------------------------
def _trend_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", help=QUERY_HELP + " ('' for every article)")
    _filter_args(p)
    p.add_argument("--by", choices=("day", "week", "month"), default="day")
    p.add_argument("--png", metavar="FILE", help="also draw the counts into this PNG file")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")


@command(
    "trend",
    "count matching articles per day, week or month and per portal",
    "newscrawl trend 'banjir OR longsor' --by week --since 2024-01-01 --png banjir.png",
    _trend_args,
)
@run_command
def cmd_trend(args: argparse.Namespace) -> int:
    from archive.search import trend
    from newscrawl.trend import build_table, format_table, render_png

    with archive_session(args) as session:
        rows = trend(
            session,
            args.query,
            by=args.by,
            source=args.source,
            since=args.since,
            until=args.until,
        )
    table = build_table(
        rows, args.by, since=args.since, until=args.until, sources=args.source or ()
    )
    if args.format == "json":
        json.dump(table.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        print()
    elif args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\r\n")
        writer.writerow(["period", *table.sources, "total"])
        for row in table.rows():
            writer.writerow([row["label"], *(row[s] for s in table.sources), row["total"]])
        writer.writerow(["total", *(table.source_total(s) for s in table.sources), table.total])
    elif table.periods:
        print(format_table(table))
    else:
        print("no matching articles with a publication date")
    if args.png:
        try:
            render_png(
                table, args.png, title=f"{args.query or 'all articles'} — articles per {args.by}"
            )
        except OSError as exc:
            raise CommandError(f"cannot write {args.png}: {exc.strerror}") from None
        print(f"chart written to {args.png}", file=sys.stderr)
    return 0


# --- stats ------------------------------------------------------------------------------------
def _stats_args(p: argparse.ArgumentParser) -> None:
    _db_arg(p)
    p.add_argument("--since", type=_day, help="first day (default: 30 days before --until)")
    p.add_argument("--until", type=_day, help="last day (default: the newest publication)")
    p.add_argument("--json", action="store_true", help="print as JSON")


@command(
    "stats",
    "articles per portal per day, field coverage per portal and publication gaps",
    "newscrawl stats --since 2024-08-01 --until 2024-08-31",
    _stats_args,
)
@run_command
def cmd_stats(args: argparse.Namespace) -> int:
    from newscrawl.trend import archive_stats, format_stats

    if args.since and args.until and args.since > args.until:
        raise CommandError("--since is after --until")
    with archive_session(args) as session:
        stats = archive_stats(session, since=args.since, until=args.until)
    if args.json:
        json.dump(stats.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(format_stats(stats))
    return 0


# --- watch ------------------------------------------------------------------------------------
def _watch_args(p: argparse.ArgumentParser) -> None:
    _db_arg(p)
    sub = p.add_subparsers(dest="watch_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="save a search that reports new matches")
    add.add_argument("name", help="a name for the watch (letters, digits, . - _)")
    add.add_argument("query", help=QUERY_HELP)
    add.add_argument("--source", help="only this portal")
    add.add_argument("--webhook", action="append", default=[], metavar="URL", help="POST JSON")
    add.add_argument("--email", action="append", default=[], metavar="ADDR", help="send mail")
    add.add_argument(
        "--jsonl", action="append", default=[], metavar="FILE", help="append JSON lines"
    )
    add.add_argument(
        "--backfill", action="store_true", help="also report matches archived before now"
    )
    lst = sub.add_parser("list", help="show the watches")
    lst.add_argument("--json", action="store_true", help="print as JSON")
    rm = sub.add_parser("remove", help="delete a watch")
    rm.add_argument("name")
    run = sub.add_parser("run", help="report new matches of every watch (or those named)")
    run.add_argument("names", nargs="*", metavar="NAME")
    for action in (add, lst, rm, run):  # --db after the action too; SUPPRESS keeps an earlier one
        action.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help="archive URL")


@command(
    "watch",
    "saved searches that report new matching articles once (add, list, remove, run)",
    "newscrawl watch add banjir-sby 'banjir surabaya' --webhook https://hooks.example/x",
    _watch_args,
)
@run_command
def cmd_watch(args: argparse.Namespace) -> int:
    from archive.db import open_archive
    from newscrawl import watch as w

    url = _db_url(args)
    missing = missing_sqlite_file(url)
    if missing:
        raise CommandError(f"no archive at {missing}: crawl into it first or pass --db")
    engine, session_factory = open_archive(url)
    try:
        w.ensure_tables(engine)
        if args.watch_command == "add":
            targets = w.make_targets(webhooks=args.webhook, emails=args.email, jsonl=args.jsonl)
            with session_factory.begin() as session:
                watch = w.add_watch(
                    session,
                    args.name,
                    args.query,
                    source=args.source,
                    targets=targets,
                    backfill=args.backfill,
                )
            print(f"watch {watch.name!r} added: {watch.query!r} -> {', '.join(watch.targets)}")
        elif args.watch_command == "list":
            with session_factory() as session:
                items = w.list_watches(session)
            if args.json:
                rows = [
                    {
                        "name": x.name,
                        "query": x.query,
                        "source": x.source,
                        "targets": x.targets,
                        "last_run_at": x.last_run_at.isoformat() if x.last_run_at else None,
                        "last_error": x.last_error,
                    }
                    for x in items
                ]
                json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
                print()
            elif not items:
                print("no watches; add one with `newscrawl watch add NAME QUERY`")
            for x in [] if args.json else items:
                when = x.last_run_at.isoformat(timespec="seconds") if x.last_run_at else "never"
                src = f" source:{x.source}" if x.source else ""
                print(f"{x.name}: {x.query!r}{src} -> {', '.join(x.targets)} (last run: {when})")
                if x.last_error:
                    print(f"    last error: {x.last_error}")
        elif args.watch_command == "remove":
            with session_factory.begin() as session:
                w.remove_watch(session, args.name)
            print(f"watch {args.name!r} removed")
        else:
            runs = w.run_watches(session_factory, args.names or None)
            for run in runs:
                w.describe_run(run, out=sys.stderr)
            if any(not r.ok for r in runs):
                return 1
    except w.WatchError as exc:
        raise CommandError(str(exc)) from None
    finally:
        engine.dispose()
    return 0


# --- serve ------------------------------------------------------------------------------------
def _serve_args(p: argparse.ArgumentParser) -> None:
    _db_arg(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=_positive, default=8080, help="port (default 8080)")


@command(
    "serve",
    "serve the web app (search, trends, articles, exports) over the archive, read-only",
    "newscrawl serve --host 127.0.0.1 --port 8080 --db sqlite:///archive.sqlite3",
    _serve_args,
)
@run_command
def cmd_serve(args: argparse.Namespace) -> int:
    url = _db_url(args)
    missing = missing_sqlite_file(url)
    if missing:
        raise CommandError(f"no archive at {missing}: crawl into it first or pass --db")
    try:
        import uvicorn

        from newscrawl.web import create_app
    except ModuleNotFoundError as exc:
        raise CommandError(
            f"the web app needs {exc.name} (pip install fastapi uvicorn jinja2)"
        ) from None
    app = create_app(url)
    print(f"serving {url} on http://{args.host}:{args.port}/", file=sys.stderr, flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
