"""Archivist commands: ``schedule``, ``verify``, ``reprocess``, ``runs``, ``show``."""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from typing import Any

from newscrawl.cli import (
    MissingArchive,
    _day,
    _db_arg,
    _db_url,
    _positive,
    command,
    fail,
    require_archive,
)
from newscrawl.dates import WIB, format_wib


def _warc_dir_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--warc-dir",
        metavar="DIR",
        help="WARC directory (default: $NEWSCRAWL_WARC_DIR or warcs)",
    )


def _warc_dir(args: argparse.Namespace, *, must_exist: bool = False) -> str:
    path = args.warc_dir or os.environ.get("NEWSCRAWL_WARC_DIR") or "warcs"
    if must_exist and not os.path.isdir(path):
        raise MissingArchive(f"no WARC directory at {path}: pass --warc-dir")
    return path


def _iso(value: Any) -> str:
    """An instant for machines (JSON): ISO 8601 in WIB with its offset."""
    return value.astimezone(WIB).isoformat(timespec="seconds") if value is not None else "-"


def _text_time(iso: str | None) -> str:
    """An ISO instant (as :func:`_iso` or the scheduler writes it) for people: WIB, zone written.

    >>> _text_time("2026-11-29T12:53:20+00:00"), _text_time("-"), _text_time(None)
    ('2026-11-29 19:53:20 WIB', '-', '-')
    """
    if not iso or iso == "-":
        return "-"
    from datetime import datetime

    return format_wib(datetime.fromisoformat(iso), seconds=True)


# --- schedule ---------------------------------------------------------------------------------
def _schedule_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "action", choices=("run", "once", "list"), help="run: loop; once: run what is due; list"
    )
    p.add_argument(
        "--file", default="schedules.toml", help="schedule file (default: schedules.toml)"
    )
    _db_arg(p)
    p.add_argument(
        "--state-dir",
        default=os.environ.get("NEWSCRAWL_STATE_DIR", ".newscrawl"),
        help="where run records, locks and crawl logs live (default: $NEWSCRAWL_STATE_DIR or .newscrawl)",
    )
    p.add_argument("--json", action="store_true", help="list as JSON")
    p.add_argument(
        "--scrapyd",
        metavar="URL",
        action="append",
        default=[],
        help="hand due crawls to this Scrapyd server (repeatable; the least busy one gets each) "
        "instead of running them here; the newscrawl egg must be deployed there",
    )


@command(
    "schedule",
    "run scheduled crawls from schedules.toml (loop, once, or list next runs)",
    "newscrawl schedule once --file schedules.toml --db sqlite:///archive.sqlite3",
    _schedule_args,
)
def cmd_schedule(args: argparse.Namespace) -> int:
    import logging

    from newscrawl.schedule import ScheduleError, Scheduler, load_schedules

    try:
        entries = load_schedules(args.file)
    except ScheduleError as exc:
        return fail(str(exc))
    from newscrawl.scrapyd import check_scrapyd_url

    try:
        servers = [check_scrapyd_url(u) for u in args.scrapyd]
    except ValueError as exc:
        return fail(str(exc))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    scheduler = Scheduler(entries, args.state_dir, db=args.db, scrapyd=servers)
    try:
        if args.action == "list":
            rows = scheduler.listing()
            if args.json:
                json.dump(rows, sys.stdout, indent=2)
                print()
                return 0
            for r in rows:
                last = (
                    f"last {_text_time(r['last_start'])} {r['last_status']} (exit {r['last_exit']})"
                    if r["last_start"]
                    else "never run"
                )
                state = "  RUNNING" if r["running"] else ""
                lookback = f", lookback {r['lookback']}" if r["lookback"] else ""
                print(
                    f"{r['name']:<20} {r['rule']}{lookback}; {last}; next {_text_time(r['next_run'])}{state}"
                )
            return 0
        if args.action == "once":
            return scheduler.run_once()
        print(
            f"scheduler: {len(entries)} entr{'y' if len(entries) == 1 else 'ies'}; Ctrl-C to stop",
            file=sys.stderr,
        )
        scheduler.run_forever()
        return 0
    finally:
        scheduler.close()


# --- verify -----------------------------------------------------------------------------------
def _verify_args(p: argparse.ArgumentParser) -> None:
    _db_arg(p)
    _warc_dir_arg(p)
    p.add_argument(
        "--no-db", action="store_true", help="check the WARC files only, not the archive's pointers"
    )


@command(
    "verify",
    "check WARC digests and that every archived version points at its record",
    "newscrawl verify --db sqlite:///archive.sqlite3 --warc-dir warcs",
    _verify_args,
)
def cmd_verify(args: argparse.Namespace) -> int:
    from newscrawl.verify import verify_archive

    report = verify_archive(
        None if args.no_db else require_archive(_db_url(args)), _warc_dir(args, must_exist=True)
    )
    for problem in report.problems:
        print(problem, file=sys.stderr if problem.severity == "error" else sys.stdout)
    print(
        f"verified {report.files} file(s), {report.records} record(s), {report.pointers} pointer(s): "
        f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)"
    )
    return 0 if report.ok else 1


# --- reprocess --------------------------------------------------------------------------------
def _reprocess_args(p: argparse.ArgumentParser) -> None:
    _db_arg(p)
    _warc_dir_arg(p)
    p.add_argument("--source", help="only this portal")
    p.add_argument("--since", type=_day, help="only articles published on or after this date")
    p.add_argument(
        "--all-versions", action="store_true", help="replay every version, not only the latest"
    )
    p.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    p.add_argument(
        "--jobs",
        type=_positive,
        help="worker processes for extraction (default: the machine's cores)",
    )
    p.add_argument(
        "--refused",
        action="store_true",
        help="instead: recover pages the crawl refused (soft 404, extraction error) from WARC",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")


@command(
    "reprocess",
    "re-extract archived captures from WARC with the current code; record changed versions",
    "newscrawl reprocess --source surabayapagi --since 2024-08-01 --dry-run",
    _reprocess_args,
)
def cmd_reprocess(args: argparse.Namespace) -> int:
    from newscrawl.reprocess import default_jobs, reprocess_archive

    if args.refused:
        return _recover_refused(args)

    report = reprocess_archive(
        require_archive(_db_url(args)),
        _warc_dir(args),
        source=args.source,
        since=args.since,
        all_versions=args.all_versions,
        dry_run=args.dry_run,
        jobs=args.jobs or default_jobs(),
    )
    if args.json:
        out = report.as_dict()
        out["changes"] = [vars(c) for c in report.changes]
        json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        verb = "would change" if args.dry_run else "changed"
        print(
            f"examined {report.examined}: {report.unchanged} unchanged, {report.changed} {verb}, "
            f"{report.invalid} invalid now, {report.no_warc} without WARC, "
            f"{report.composite} built from several pages (skipped)"
        )
        for c in report.changes:
            to = f" -> v{c.to_version}" if c.to_version else ""
            print(
                f"  #{c.article_id} v{c.from_version}{to}{' (headline)' if c.headline_changed else ''}  {c.url}"
            )
        for error in report.errors:
            print(f"  error: {error}", file=sys.stderr)
    return 1 if report.errors else 0


def _recover_refused(args: argparse.Namespace) -> int:
    from newscrawl.reprocess import recover_refused_archive

    report = recover_refused_archive(
        require_archive(_db_url(args)), _warc_dir(args), dry_run=args.dry_run
    )
    if args.json:
        json.dump(report.as_dict(), sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        verb = "would recover" if args.dry_run else "recovered"
        still = ", ".join(f"{k} {v}" for k, v in sorted(report.still_refused.items())) or "none"
        print(
            f"refused pages examined {report.examined}: {report.recovered} {verb}, "
            f"{report.already_archived} archived since, still refused: {still}"
        )
        for url in report.urls:
            print(f"  {url}")
        for error in report.errors:
            print(f"  error: {error}", file=sys.stderr)
    return 1 if report.errors else 0


# --- runs -------------------------------------------------------------------------------------
def _runs_args(p: argparse.ArgumentParser) -> None:
    _db_arg(p)
    p.add_argument("--source", help="only this portal")
    p.add_argument("--limit", type=_positive, default=20)
    p.add_argument("--json", action="store_true", help="print as JSON")


def _pct(value: Any) -> str:
    return f"{value:.0%}" if isinstance(value, int | float) else "-"


def _field_shares(fields: dict[str, Any]) -> str:
    """Per field, the share of items whose profile selector gave the value.

    >>> _field_shares({"title": {"profile": 0, "fallback": 40}, "date": {"profile": 39, "fallback": 1}})
    'title 0% (0/40), date 98% (39/40)'
    """
    parts = []
    for name, entry in fields.items():
        own, total = entry.get("profile", 0), entry.get("profile", 0) + entry.get("fallback", 0)
        parts.append(f"{name} {_pct(own / total if total else None)} ({own}/{total})")
    return ", ".join(parts)


@command(
    "runs",
    "list crawl runs with status and key figures",
    "newscrawl runs --source surabayapagi --limit 10",
    _runs_args,
)
def cmd_runs(args: argparse.Namespace) -> int:
    from archive.db import open_archive
    from archive.store import list_runs
    from newscrawl.health import run_figures

    engine, Session = open_archive(require_archive(_db_url(args)), readonly=True)
    try:
        with Session() as session:
            runs = list_runs(session, source=args.source, limit=args.limit)
            rows = []
            for run in runs:
                f = run_figures(run)
                health = (run.summary or {}).get("health") or {}
                rows.append(
                    {
                        "id": run.id,
                        "source": run.source_key,
                        "status": run.status,
                        "started_at": _iso(run.started_at),
                        "finished_at": _iso(run.finished_at),
                        "pages": f.get("pages"),
                        "articles": f.get("articles"),
                        "coverage": f.get("coverage"),
                        "promo_rate": f.get("promo_rate"),
                        "fields": f.get("fields") or {},
                        "errors": sum((f.get("errors") or {}).values()),
                        "reasons": health.get("reasons", []),
                    }
                )
    finally:
        engine.dispose()
    if args.json:
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    print(
        f"{'id':>5}  {'source':<14} {'status':<11} {'started':<23}  pages  new chg unch  date  auth  body  errors"
    )
    for r in rows:
        a, c = r["articles"] or {}, r["coverage"] or {}
        print(
            f"{r['id']:>5}  {r['source']:<14} {r['status']:<11} {_text_time(r['started_at']):<23}  "
            f"{r['pages'] or 0:>5} {a.get('new', 0):>4} {a.get('changed', 0):>3} {a.get('unchanged', 0):>4}  "
            f"{_pct(c.get('with_date')):>4}  {_pct(c.get('with_author')):>4}  {_pct(c.get('body_normal')):>4}  "
            f"{r['errors']:>6}"
        )
        if r["fields"]:
            print(f"{'':>7}selectors: {_field_shares(r['fields'])}")
        for reason in r["reasons"]:
            print(f"{'':>7}degraded: {reason}")
    return 0


# --- show -------------------------------------------------------------------------------------
def _show_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("article", help="article id or URL")
    _db_arg(p)
    p.add_argument(
        "--diff",
        nargs=2,
        type=_positive,
        metavar=("A", "B"),
        help="diff these two version numbers",
    )
    p.add_argument("--json", action="store_true", help="print as JSON")


def version_diff(old: Any, new: Any) -> str:
    """A unified diff of title and body between two versions (objects with ``title``/``body``)."""
    a = [f"Title: {old.title or ''}", ""] + (old.body or "").splitlines()
    b = [f"Title: {new.title or ''}", ""] + (new.body or "").splitlines()
    return "\n".join(
        difflib.unified_diff(a, b, f"v{old.version_no}", f"v{new.version_no}", lineterm="")
    )


@command(
    "show",
    "show an archived article: metadata, versions, and a diff between versions",
    "newscrawl show https://surabayapagi.com/news-241234-polres-malang --diff 1 2",
    _show_args,
)
def cmd_show(args: argparse.Namespace) -> int:
    from archive.db import open_archive
    from archive.models import ID_MAX
    from archive.store import get_article, get_versions

    if args.article.strip().isdigit() and not 0 < int(args.article) <= ID_MAX:
        return fail(f"article id {args.article.strip()} is out of range (1 to {ID_MAX})")
    engine, Session = open_archive(require_archive(_db_url(args)), readonly=True)
    try:
        with Session() as session:
            article = get_article(session, args.article)
            if article is None:
                return fail(f"no article {args.article!r} in the archive", 1)
            versions = get_versions(session, article.id)
            by_no = {v.version_no: v for v in versions}
            pair = None
            if args.diff:
                missing = [n for n in args.diff if n not in by_no]
                if missing:
                    return fail(
                        f"article {article.id} has no version {missing[0]} (it has 1-{len(versions)})"
                    )
                pair = (by_no[args.diff[0]], by_no[args.diff[1]])
            elif len(versions) >= 2:
                pair = (versions[-2], versions[-1])
            info = {
                "id": article.id,
                "source": article.source.key,
                "url": article.url,
                "canonical_url": article.canonical_url,
                "title": article.title,
                "published_at": _iso(article.published_at),
                "authors": article.authors,
                "editor": article.editor,
                "reporter": article.reporter,
                "section": article.section,
                "tags": article.tags,
                "first_seen_at": _iso(article.first_seen_at),
                "last_seen_at": _iso(article.last_seen_at),
                "flags": article.flags,
                "versions": [
                    {
                        "version_no": v.version_no,
                        "fetched_at": _iso(v.fetched_at),
                        "extractor_version": v.extractor_version,
                        "headline_changed": v.headline_changed,
                        "is_correction": v.is_correction,
                        "content_sha256": v.content_sha256,
                        "raw_sha256": v.raw_sha256,
                        "crawl_run_id": v.crawl_run_id,
                        "warc": {
                            "file": v.warc_file,
                            "offset": v.warc_offset,
                            "length": v.warc_length,
                            "record_id": v.warc_record_id,
                        }
                        if v.warc_file
                        else None,
                    }
                    for v in versions
                ],
                "body": article.body,
            }
            diff = version_diff(*pair) if pair else None
    finally:
        engine.dispose()
    if args.json:
        if diff is not None:
            info["diff"] = diff
        json.dump(info, sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    print(f"#{info['id']}  {info['title']}")
    for key in (
        "source",
        "canonical_url",
        "published_at",
        "authors",
        "editor",
        "reporter",
        "section",
        "tags",
    ):
        value = info[key]
        if key == "published_at":
            value = _text_time(value) if value != "-" else None
        if value:
            print(f"  {key}: {', '.join(value) if isinstance(value, list) else value}")
    print(f"  seen: {_text_time(info['first_seen_at'])} .. {_text_time(info['last_seen_at'])}")
    print(f"  versions ({len(info['versions'])}):")
    for v in info["versions"]:
        marks = [
            m
            for m, on in (
                ("headline changed", v["headline_changed"]),
                ("correction", v["is_correction"]),
            )
            if on
        ]
        warc = f"  warc {v['warc']['file']}@{v['warc']['offset']}" if v["warc"] else ""
        print(
            f"    v{v['version_no']}  {_text_time(v['fetched_at'])}  {v['extractor_version'] or '-'}"
            f"{'  [' + ', '.join(marks) + ']' if marks else ''}{warc}"
        )
    if diff:
        print()
        print(diff)
    elif args.diff:
        print("\n(no difference in title and body)")
    return 0
