"""Commands for whoever runs the crawlers: the archive schema and distributed crawls.

``newscrawl db upgrade|current|stamp`` migrate the archive with alembic (:mod:`archive.migrate`);
``newscrawl redis-status`` and ``newscrawl redis-clear`` look after the Redis queue of a
distributed crawl (:mod:`newscrawl.distributed`).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from newscrawl.cli import _db_arg, _db_url, command, fail


# --- db ---------------------------------------------------------------------------------------
def _db_args(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    for name, text in (
        ("upgrade", "migrate the archive to the newest schema (creates it when empty)"),
        ("current", "print the archive's schema revision and whether it is the newest"),
        ("stamp", "record the newest revision without migrating (schema made by init_db)"),
    ):
        action = sub.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        _db_arg(action)
        if name == "upgrade":
            action.add_argument("--to", default="head", metavar="REVISION", help="target revision")
        if name == "current":
            action.add_argument("--json", action="store_true", help="print as JSON")


@command(
    "db",
    "manage the archive schema: upgrade, current, stamp",
    "newscrawl db upgrade --db postgresql://crawler@db.internal/news",
    _db_args,
)
def cmd_db(args: argparse.Namespace) -> int:
    import sqlalchemy as sa

    from archive.migrate import MigrationError, current, stamp_head, status, upgrade

    url = _db_url(args)
    try:
        if args.db_command == "upgrade":
            try:
                before = current(url)
            except sa.exc.OperationalError:  # a SQLite file that does not exist yet
                before = None
            rev = upgrade(url, args.to)
            moved = f" (was {before})" if before and before != rev else ""
            print(f"archive at revision {rev}{moved}")
            return 0
        if args.db_command == "stamp":
            print(f"archive stamped with revision {stamp_head(url)}")
            return 0
        info = status(url)
    except MigrationError as exc:
        return fail(str(exc))
    except sa.exc.OperationalError as exc:
        return fail(f"cannot open the archive at {url}: {exc.orig or exc}")
    if args.json:
        print(json.dumps(info))
    elif info["current"] is None:
        print(f"no revision (empty, or made before migrations); newest is {info['head']}")
    else:
        note = "up to date" if info["up_to_date"] else "run `newscrawl db upgrade`"
        print(f"{info['current']} (newest {info['head']}: {note})")
    return 0 if info["up_to_date"] else 1


# --- redis ------------------------------------------------------------------------------------
def _redis_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("site", help="portal key of the distributed crawl")
    p.add_argument(
        "--redis",
        metavar="URL",
        help="Redis URL (default: $NEWSCRAWL_REDIS_URL or redis://127.0.0.1:6379/0)",
    )
    p.add_argument("--prefix", default="newscrawl", help="first part of the Redis keys")


def _redis_status_args(p: argparse.ArgumentParser) -> None:
    _redis_common(p)
    p.add_argument("--json", action="store_true", help="print as JSON")


def _client(args: argparse.Namespace) -> Any:
    from newscrawl.distributed import connect

    return connect(args.redis)


@command(
    "redis-status",
    "show the Redis queue of a distributed crawl: queued requests, dupefilter size, workers",
    "newscrawl redis-status surabayapagi --redis redis://10.0.0.5:6379/0",
    _redis_status_args,
)
def cmd_redis_status(args: argparse.Namespace) -> int:
    import redis

    from newscrawl.distributed import queue_status

    try:
        info = queue_status(_client(args), args.site, args.prefix)
    except ValueError as exc:
        return fail(str(exc))
    except redis.RedisError as exc:
        return fail(f"cannot reach Redis: {exc}")
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    print(f"distributed crawl of {args.site}")
    print(f"  queued requests: {info['queue']}  ({info['keys']['queue']})")
    print(f"  dupefilter:      {info['dupefilter']}  ({info['keys']['dupefilter']})")
    workers = info["workers"]
    print(f"  live workers:    {len(workers)}")
    for wid, w in sorted(workers.items()):
        print(f"    {wid}  {w.get('state', '?')}  (heard {w.get('age')} s ago)")
    return 0


def _redis_clear_args(p: argparse.ArgumentParser) -> None:
    _redis_common(p)
    p.add_argument(
        "--dupefilter-only",
        action="store_true",
        help="clear only the dupefilter; keep queued requests",
    )
    p.add_argument("--force", action="store_true", help="clear even while workers are live")


@command(
    "redis-clear",
    "clear the Redis queue and dupefilter of a distributed crawl (the archive is untouched)",
    "newscrawl redis-clear surabayapagi --redis redis://10.0.0.5:6379/0 --dupefilter-only",
    _redis_clear_args,
)
def cmd_redis_clear(args: argparse.Namespace) -> int:
    import redis

    from newscrawl.distributed import clear_crawl, queue_status

    try:
        client = _client(args)
        workers = queue_status(client, args.site, args.prefix)["workers"]
        if workers and not args.force:
            return fail(
                f"{len(workers)} worker(s) still crawling {args.site}: stop them first, or use "
                "--force (they may then fetch some pages twice)"
            )
        cleared = clear_crawl(client, args.site, args.prefix, dupefilter_only=args.dupefilter_only)
    except ValueError as exc:
        return fail(str(exc))
    except redis.RedisError as exc:
        return fail(f"cannot reach Redis: {exc}")
    print(
        f"cleared the distributed crawl of {args.site}: "
        + ", ".join(f"{k} {v}" for k, v in cleared.items())
    )
    return 0
