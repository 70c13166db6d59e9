"""The ``newscrawl`` command: thin over the library.

Every command has ``--help`` with an example; ``tests/test_cli.py`` checks that they do.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

#: name -> (function, one-line help, example, argument builder)
COMMANDS: dict[
    str,
    tuple[Callable[[argparse.Namespace], int], str, str, Callable[[argparse.ArgumentParser], None]],
] = {}


def command(
    name: str, help: str, example: str, arguments: Callable[[argparse.ArgumentParser], None]
):
    """Register the decorated function as sub-command ``name``; ``arguments`` adds its options."""

    def register(run: Callable[[argparse.Namespace], int]):
        COMMANDS[name] = (run, help, example, arguments)
        return run

    return register


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db",
        metavar="URL",
        help="archive database URL or SQLite file (default: $NEWSCRAWL_DB_URL or sqlite:///archive.sqlite3)",
    )


def _day(value: str) -> date:
    """A date argument, in the range the archive searches (1900-01-01 to 2100-12-31)."""
    from archive.search import FIRST_DAY, LAST_DAY

    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date like 2024-08-01, got {value!r}"
        ) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise argparse.ArgumentTypeError(
            f"date {value} is out of range ({FIRST_DAY} to {LAST_DAY})"
        )
    return day


def _whole(value: str, low: int) -> int:
    from archive.models import ID_MAX

    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if n < low:
        raise argparse.ArgumentTypeError(f"expected a number of {low} or more, got {n}")
    if n > ID_MAX:
        raise argparse.ArgumentTypeError(f"{n} is out of range (at most {ID_MAX})")
    return n


def _positive(value: str) -> int:
    """A whole number from 1 to what an id column holds (archive.models.ID_MAX)."""
    return _whole(value, 1)


def _count(value: str) -> int:
    """A whole number from 0 to what an id column holds (an offset)."""
    return _whole(value, 0)


def _db_url(args: argparse.Namespace) -> str:
    from archive.db import resolve_db_url

    return resolve_db_url(getattr(args, "db", None))


def fail(message: str, code: int = 2) -> int:  # 2: EXIT_USAGE
    print(f"newscrawl: error: {message}", file=sys.stderr)
    return code


# --- crawl ------------------------------------------------------------------------------------
def _crawl_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("site", nargs="?", help="portal key (see `newscrawl sites`)")
    p.add_argument(
        "--url",
        help="crawl a portal without a profile from this start URL (generic spider)",
    )
    _db_arg(p)
    p.add_argument("--since", type=_day, help="only articles published on or after this date")
    p.add_argument("--until", type=_day, help="only articles published on or before this date")
    p.add_argument(
        "--max-articles", type=_positive, help="stop scheduling articles after this many"
    )
    p.add_argument("--base-url", help="crawl a mirror or local replica at this URL instead")
    p.add_argument("--query", help="also crawl the portal's search results for these words")
    p.add_argument(
        "--revisit",
        choices=("auto", "none", "all"),
        default="auto",
        help="re-fetch archived articles: auto (younger than the profile's window), none, all",
    )
    p.add_argument(
        "--allow-excluded", action="store_true", help="crawl a portal its profile excludes"
    )
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("-q", "--quiet", action="store_true", help="log only warnings and errors")
    p.add_argument(
        "--redis",
        metavar="URL",
        help="join a distributed crawl through this Redis (docs/deploy.md)",
    )
    p.add_argument(
        "-s", "--set", action="append", default=[], metavar="NAME=VALUE", help="a Scrapy setting"
    )


@command(
    "crawl",
    "crawl a portal into the archive and print a summary",
    "newscrawl crawl surabayapagi --since 2024-08-01 --until 2024-08-31 --max-articles 200\n"
    "  newscrawl crawl --url https://any-portal.example/ --max-articles 50",
    _crawl_args,
)
def cmd_crawl(args: argparse.Namespace) -> int:
    from newscrawl.pipelines import summarize
    from newscrawl.portals import all_profiles
    from newscrawl.runner import run_crawl

    extra: dict[str, Any] = {}
    if args.url:
        if args.site:
            return fail("give a portal key or --url, not both")
        from newscrawl.spiders.generic import generic_profile

        try:
            generic_profile(args.url)
        except ValueError as exc:
            return fail(str(exc))
        args.site, extra["url"] = "generic", args.url
    elif not args.site:
        return fail("give a portal key (see `newscrawl sites`) or --url")
    elif args.site not in all_profiles():
        return fail(f"unknown portal {args.site!r}; known: {', '.join(all_profiles())}")
    if args.base_url and urlsplit(args.base_url).scheme not in ("http", "https"):
        return fail(f"--base-url needs http:// or https://, got {args.base_url!r}")
    if args.since and args.until and args.since > args.until:
        return fail(f"--since {args.since} is after --until {args.until}")
    settings: dict[str, Any] = {"STATS_DUMP": False}
    problem = archive_problem(_db_url(args), args.set)
    if problem:
        return fail(problem, EXIT_ARCHIVE)
    if args.redis:
        from newscrawl.distributed import archive_warning, redis_settings

        try:
            settings.update(redis_settings(args.redis, args.site or "generic"))
        except ValueError as exc:
            return fail(str(exc))
        warning = archive_warning(_db_url(args))
        if warning:
            print(f"newscrawl: warning: {warning}", file=sys.stderr)
    if args.quiet:
        settings["LOG_LEVEL"] = "WARNING"
    for pair in args.set:
        name, sep, value = pair.partition("=")
        if not sep:
            return fail(f"--set takes NAME=VALUE, got {pair!r}")
        settings[name] = value
    stats = run_crawl(
        args.site,
        db_url=_db_url(args),
        settings=settings,
        base_url=args.base_url,
        since=args.since,
        until=args.until,
        max_articles=args.max_articles,
        query=args.query,
        revisit=args.revisit,
        allow_excluded=args.allow_excluded,
        **extra,
    )
    summary = summarize(stats)
    if args.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
    else:
        print_summary(args.site, summary)
    return crawl_exit_code(args.site, stats, _db_url(args))


#: Exit codes of ``newscrawl crawl``, for cron users; docs/archivists.md#exit-codes is their
#: table (tests/test_docs_match_code.py compares the two).
EXIT_OK, EXIT_USAGE = 0, 2
EXIT_EXCLUDED, EXIT_NOTHING_FETCHED, EXIT_DEGRADED, EXIT_INTERRUPTED = 3, 4, 5, 6
EXIT_ARCHIVE = 7


def archive_problem(db_url: str, set_args: Sequence[str] = ()) -> str | None:
    """Why the crawl could not archive anything (the archive cannot be opened or made), else
    None. Checked before the crawl starts, so nothing is fetched for nothing."""
    if any(
        pair.partition("=")[0] == "NEWSCRAWL_ARCHIVE"
        and pair.partition("=")[2].strip().lower() in ("0", "false", "no", "off")
        for pair in set_args
    ):
        return None
    from archive.db import open_archive
    from newscrawl.pipelines import archive_error, shown_url

    try:
        engine, _ = open_archive(db_url)
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure is reported in one line
        return f"cannot open the archive at {shown_url(db_url)}: {archive_error(exc)}"
    return None


def crawl_exit_code(site: str, stats: dict[str, Any], db_url: str) -> int:
    """0 for a healthy crawl; otherwise a code naming what went wrong (and a message)."""
    if stats.get("newscrawl/archive/unavailable"):
        from newscrawl.pipelines import shown_url

        reason = stats.get("newscrawl/archive/unavailable_reason") or "see the log"
        return fail(f"cannot open the archive at {shown_url(db_url)}: {reason}", EXIT_ARCHIVE)
    excluded = stats.get("newscrawl/excluded")
    if excluded:
        return fail(
            f"{site} is excluded: {excluded} (use --allow-excluded to override)", EXIT_EXCLUDED
        )
    reason = stats.get("finish_reason")
    if reason == "shutdown":
        return fail(
            "crawl interrupted (SIGTERM or Ctrl-C): what it archived is kept; "
            "run it again to go on",
            EXIT_INTERRUPTED,
        )
    if reason not in (None, "finished") and not str(reason).startswith(
        ("closespider_", "newscrawl_max")
    ):
        return fail(f"crawl stopped before its end: {reason}", EXIT_INTERRUPTED)
    if not stats.get("downloader/response_count"):
        return fail(
            "nothing could be fetched (see the problems above: blocked, unreachable, robots.txt)",
            EXIT_NOTHING_FETCHED,
        )
    run_id = stats.get("newscrawl/run_id")
    if run_id:
        from archive.db import open_archive
        from archive.models import CrawlRun

        engine, Session = open_archive(db_url, readonly=True)
        try:
            with Session() as session:
                run = session.get(CrawlRun, run_id)
                status = run.status if run is not None else None
        finally:
            engine.dispose()
        if status == "degraded":
            return fail(f"crawl run #{run_id} is degraded (see `newscrawl runs`)", EXIT_DEGRADED)
    return EXIT_OK


def print_summary(site: str, summary: dict[str, Any], out=None) -> None:
    out = out or sys.stdout
    pages, arts = summary["pages"], summary["articles"]
    problems = summary.get("problems") or {}
    ending = summary.get("finish_reason") or "finished"
    if problems.get("archive/unavailable"):
        ending = "failed: the archive could not be opened, nothing was kept"
    print(f"crawl of {site}: {ending}", file=out)
    print(
        f"  pages fetched: {pages['fetched']} ({pages['articles']} articles, {pages['listings']} listings/feeds)",
        file=out,
    )
    print(
        f"  articles: {arts['new']} new, {arts['changed']} changed, {arts['unchanged']} unchanged",
        file=out,
    )
    if summary.get("skipped"):
        print(
            "  skipped: " + ", ".join(f"{k} {v}" for k, v in sorted(summary["skipped"].items())),
            file=out,
        )
    if problems:
        print("  problems: " + ", ".join(f"{k} {v}" for k, v in sorted(problems.items())), file=out)
    else:
        print("  problems: none", file=out)


# --- extract ----------------------------------------------------------------------------------
def _extract_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="saved page (HTML), or - for standard input")
    p.add_argument(
        "--url", required=True, help="the URL the page was fetched from (picks the profile)"
    )
    p.add_argument(
        "--site", help="use this portal's profile instead of the one the URL's domain picks"
    )
    p.add_argument("--generic", action="store_true", help="ignore profiles; use generic extraction")
    p.add_argument("--explain", action="store_true", help="also print which rule removed what")
    p.add_argument("--fetched-at", help="ISO time the page was fetched (anchors relative dates)")
    p.add_argument("--raw", action="store_true", help="include raw_html in the output")


@command(
    "extract",
    "extract and clean one saved page; print the item as JSON",
    "newscrawl extract page.html --url https://surabayapagi.com/news-241234-polres-malang --explain",
    _extract_args,
)
def cmd_extract(args: argparse.Namespace) -> int:
    from newscrawl.extract import extract_page

    try:
        body = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    except OSError as exc:
        return fail(f"cannot read {args.file}: {exc.strerror}")
    try:
        result = extract_page(
            body, args.url, site=args.site, generic=args.generic, fetched_at=args.fetched_at
        )
    except KeyError as exc:
        return fail(str(exc.args[0]))
    out = result.item.to_dict(include_raw=args.raw)
    if result.invalid_reason:
        out["_invalid"] = result.invalid_reason
    if args.explain:
        out["_explain"] = {
            "profile": result.item.source,
            "body_source": result.body_source,
            "date": {
                "chosen": result.item.published_source,
                "candidates": result.item.date_candidates,
            },
            "removed": [
                {"rule": r.rule, "text": r.text}
                for r in (result.clean.removed if result.clean else [])
            ],
            "promo_left": result.promo_left,
        }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0 if not result.invalid_reason else 1


# --- demo -------------------------------------------------------------------------------------
def _demo_args(p: argparse.ArgumentParser) -> None:
    _db_arg(p)
    p.add_argument("--query", default="pilkada", help="the sample search shown at the end")


@command(
    "demo",
    "serve the bundled Surabaya Pagi replica locally, crawl it into the archive, show the result",
    "newscrawl demo --db sqlite:///archive.sqlite3",
    _demo_args,
)
def cmd_demo(args: argparse.Namespace) -> int:
    from newscrawl.demo import run_demo

    return run_demo(_db_url(args), query=args.query)


# --- main -------------------------------------------------------------------------------------
class _Parser(argparse.ArgumentParser):
    """Usage errors in one line (exit status 2), pointing at ``--help``."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="newscrawl",
        description="Crawler and provable archive for Indonesian regional news portals.",
        epilog="Run `newscrawl COMMAND --help` for a command's options and an example.",
    )
    parser.add_argument(
        "--version",
        action=_VersionAction,
        help="print the version and the versions of the dependencies it runs with, then exit",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (run, help_text, example, build) in COMMANDS.items():
        p = sub.add_parser(
            name,
            help=help_text,
            description=help_text[0].upper() + help_text[1:] + ".",
            epilog=f"example:\n  {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        build(p)
        p.set_defaults(func=run)
    return parser


class _VersionAction(argparse.Action):
    """``--version``: newscrawl's version and every runtime dependency's, broken ones named."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        from newscrawl.deps import report

        print(report())
        parser.exit(0)


def _broken_dependency(exc: ImportError) -> int:
    return fail(
        f"a dependency is missing or broken ({type(exc).__name__}: {exc}); "
        "`newscrawl --version` lists them, `make install` reinstalls the locked set"
    )


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawl.settings")
    parser = build_parser()
    args = parser.parse_args(argv)
    if _IMPORT_ERRORS:
        return _broken_dependency(_IMPORT_ERRORS[0])
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from newscrawl.portals import ProfileError

    try:
        return args.func(args)
    except ImportError as exc:
        return _broken_dependency(exc)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except ProfileError as exc:
        return fail(f"bad portal profile: {exc}")
    except MissingArchive as exc:
        return fail(str(exc))


class MissingArchive(Exception):
    """The archive a read command was pointed at does not exist."""


def missing_sqlite_file(url: str) -> str | None:
    """The path of a SQLite archive file that does not exist, else None.

    >>> missing_sqlite_file("sqlite:///no/such/dir/a.sqlite3")
    'no/such/dir/a.sqlite3'
    >>> missing_sqlite_file("sqlite://") is None, missing_sqlite_file("postgresql+psycopg://h/d")
    (True, None)
    """
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:"):
        return None
    path = database.removeprefix("file:").split("?", 1)[0]
    return None if os.path.exists(path) else path


def require_archive(db_url: str) -> str:
    """``db_url``, or :class:`MissingArchive` when it names a SQLite file that is not there."""
    missing = missing_sqlite_file(db_url)
    if missing:
        raise MissingArchive(f"no archive at {missing}: crawl into it first or pass --db")
    return db_url


# Command groups that live in their own modules register themselves on import. A dependency
# that fails to import is kept and reported by main() as one line (never a traceback, never
# silently: every command refuses to run until it is fixed; --version still names it).
_IMPORT_ERRORS: list[ImportError] = []


def _load_command_modules() -> None:
    from importlib import import_module

    for module in (
        "newscrawl.commands.archivist",
        "newscrawl.commands.monitor",
        "newscrawl.commands.sites",
        "newscrawl.commands.admin",
    ):
        try:
            import_module(module)
        except ImportError as exc:
            _IMPORT_ERRORS.append(exc)


_load_command_modules()


if __name__ == "__main__":
    # Run the registry of the importable module, where command groups registered themselves.
    from newscrawl.cli import main as _main

    sys.exit(_main())
