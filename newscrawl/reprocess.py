"""Reprocessing from WARC: run today's extraction and cleaning on what was captured, offline.

For each article's latest version (or every version), the WARC response record the version points
at is read back, rebuilt into a response (:func:`newscrawl.extract.make_response`), and run
through the same stages as the crawl (:func:`newscrawl.pages.page_for` and
:func:`newscrawl.process.process_raw` with the article's portal profile). No network is used.
Where the cleaned content hash differs from the version's, a new version is recorded with
``archive.store.upsert_article(..., extractor_version=EXTRACTOR_VERSION, warc=<same pointer>)``.

The version's ``fetched_at`` anchors relative dates as it did at crawl time, and a ``feed`` date
candidate the crawl had (from the RSS item) is given again, so unchanged code gives unchanged
output. Captures made of several responses (a split article joined from its pages, a body taken
from the AMP copy: flags in :data:`COMPOSITE_FLAGS`) cannot be rebuilt from one record and are
skipped, counted as ``composite``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from newscrawl.process import EXTRACTOR_VERSION, MIN_BODY_CHARS, ProcessResult
from newscrawl.warc import read_record, resolve_warc_path

logger = logging.getLogger(__name__)

#: Item flags of captures built from more than the one response the version points at.
COMPOSITE_FLAGS = frozenset({"split_joined", "split_incomplete", "amp_body"})


@dataclass
class Change:
    article_id: int
    url: str
    from_version: int
    to_version: int | None  # None in a dry run
    headline_changed: bool


@dataclass
class ReprocessReport:
    examined: int = 0
    unchanged: int = 0
    changed: int = 0
    invalid: int = 0
    no_warc: int = 0
    composite: int = 0
    errors: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "examined": self.examined,
            "unchanged": self.unchanged,
            "changed": self.changed,
            "invalid": self.invalid,
            "no_warc": self.no_warc,
            "composite": self.composite,
            "errors": list(self.errors),
        }


def feed_candidates(data: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The ``feed`` date candidates a crawl added from the feed item (stored in the version).

    >>> feed_candidates({"date_candidates": [["meta", "x"], ["feed", "2024-08-13T18:13:00+07:00"]]})
    [('feed', '2024-08-13T18:13:00+07:00')]
    >>> feed_candidates(None)
    []
    """
    out = []
    for cand in (data or {}).get("date_candidates") or []:
        if isinstance(cand, list | tuple) and len(cand) == 2 and cand[0] == "feed":
            out.append((str(cand[0]), str(cand[1])))
    return out


def _profile_for(source: str) -> Any:
    from newscrawl.portals import get_profile

    try:
        return get_profile(source)
    except KeyError:
        return None


def process_capture(
    body: bytes,
    url: str,
    *,
    status: int,
    headers: list[tuple[str, str]],
    profile: Any,
    fetched_at: str | None,
    extra_dates: list[tuple[str, str]],
    min_body_chars: int = MIN_BODY_CHARS,
) -> ProcessResult:
    """Extraction, cleaning and dates for one captured response (what the crawl runs)."""
    from newscrawl.extract import make_response
    from newscrawl.pages import page_for
    from newscrawl.process import process_raw

    plain = [
        (k, v)
        for k, v in headers
        if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")
    ]
    response = make_response(body, url, status=status, headers=dict(plain))
    page = page_for(response, profile, fetched_at=fetched_at, extra_date_candidates=extra_dates)
    raw = page.to_raw()
    return process_raw(raw, profile, min_body_chars=min_body_chars)


@dataclass
class _Task:
    """One version to re-extract: where its record is and what the stages need (picklable)."""

    label: str
    path: str
    offset: int
    record_id: str | None
    fallback_url: str
    source: str
    fetched_at: str | None
    extra_dates: list[tuple[str, str]]
    min_body_chars: int


def _outcome(task: _Task, process: Callable[..., ProcessResult], profile: Any) -> tuple[str, Any]:
    """``("error", message)`` or ``("done", ProcessResult)`` for one task: read the record,
    check it, run the stages. A pure function of the record: safe in a worker process."""
    try:
        record = read_record(task.path, task.offset)
    except Exception as exc:  # noqa: BLE001 - reported, the rest goes on
        name = Path(task.path).name
        return "error", f"{task.label}: cannot read {name} @ {task.offset}: {exc!r}"
    if record.record_type != "response" or record.content is None:
        return "error", f"{task.label}: {Path(task.path).name} @ {task.offset} holds no payload"
    if task.record_id and record.record_id != task.record_id:
        return "error", f"{task.label}: record id {record.record_id} is not {task.record_id}"
    try:
        result = process(
            record.content,
            record.url or task.fallback_url,
            status=record.status or 200,
            headers=record.headers,
            profile=profile,
            fetched_at=task.fetched_at,
            extra_dates=task.extra_dates,
            min_body_chars=task.min_body_chars,
        )
    except Exception as exc:  # noqa: BLE001 - one broken page must not stop the run
        return "error", f"{task.label}: extraction failed: {exc!r}"
    # Only what the caller reads travels back from a worker.
    result.clean = None
    return "done", result


_PROFILES: dict[str, Any] = {}


def _work(task: _Task) -> tuple[str, Any]:
    """:func:`_outcome` in a worker process, with the portal's profile looked up there once."""
    if task.source not in _PROFILES:
        _PROFILES[task.source] = _profile_for(task.source)
    return _outcome(task, process_capture, _PROFILES[task.source])


def default_jobs() -> int:
    """Worker processes by default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def reprocess(
    session: Any,
    warc_dir: str | Path,
    *,
    source: str | None = None,
    since: date | None = None,
    all_versions: bool = False,
    dry_run: bool = False,
    min_body_chars: int = MIN_BODY_CHARS,
    profile_for: Callable[[str], Any] = _profile_for,
    process: Callable[..., ProcessResult] = process_capture,
    jobs: int = 1,
) -> ReprocessReport:
    """Reprocess the archive's captures (see the module docs); the caller owns the transaction.

    ``since`` keeps articles published on or after that day (UTC). ``all_versions`` replays
    every version oldest first, so the article ends with its latest capture reprocessed.

    ``jobs`` > 1 runs reading and extraction (pure functions of the record) in that many
    worker processes, a window of versions at a time; the archive is read and written here, in
    the same order as with one process, so the outcome is the same. Custom ``process`` or
    ``profile_for`` functions always run here.
    """
    import sqlalchemy as sa

    from archive.models import Article, ArticleVersion, Source

    report = ReprocessReport()
    stmt = sa.select(Article).join(Source, Source.id == Article.source_id).order_by(Article.id)
    if source:
        stmt = stmt.where(Source.key == source)
    if since:
        stmt = stmt.where(Article.published_at >= datetime.combine(since, time(0), tzinfo=UTC))
    article_ids = [a.id for a in session.scalars(stmt)]
    pooled = jobs > 1 and process is process_capture and profile_for is _profile_for
    pool = _pool(jobs) if pooled else None
    window = 32 * jobs if pool else 1
    pending: list[tuple[Any, Any, _Task]] = []
    profiles: dict[str, Any] = {}
    # With a pool, one window is extracted by the workers while the next is read here.
    inflight: list[tuple[list[tuple[Any, Any, _Task]], Any]] = []

    def write(window: list[tuple[Any, Any, _Task]], outcomes: Any) -> None:
        for (article, version, _task), (kind, value) in zip(window, outcomes, strict=True):
            if kind == "error":
                report.errors.append(value)
            else:
                _record(session, report, article, version, value, all_versions, dry_run)

    def run_pending(last: bool = False) -> None:
        window = list(pending)
        pending.clear()
        if pool is None:
            write(window, [_outcome(t, process, profiles[t.source]) for _, _, t in window])
            return
        if window:
            tasks = [task for _, _, task in window]
            chunk = max(1, len(tasks) // (4 * jobs))
            inflight.append((window, pool.map_async(_work, tasks, chunksize=chunk)))
        # Windows are written in the order they were read, while the workers go on.
        while inflight and (last or len(inflight) > 1):
            previous, result = inflight.pop(0)
            write(previous, result.get())

    try:
        for article_id in article_ids:
            article = session.get(Article, article_id)
            versions = list(
                session.scalars(
                    sa.select(ArticleVersion)
                    .where(ArticleVersion.article_id == article_id)
                    .order_by(ArticleVersion.version_no)
                )
            )
            if not versions:
                continue
            chosen = versions if all_versions else [versions[-1]]
            key = article.source.key
            if key not in profiles:
                profiles[key] = profile_for(key)
            for version in chosen:
                report.examined += 1
                path = resolve_warc_path(warc_dir, version.warc_file or "")
                if path is None or version.warc_offset is None:
                    report.no_warc += 1
                    continue
                if COMPOSITE_FLAGS & set((version.data or {}).get("flags") or ()):
                    report.composite += 1
                    continue
                task = _Task(
                    label=f"article {article_id} v{version.version_no}",
                    path=str(path),
                    offset=version.warc_offset,
                    record_id=version.warc_record_id,
                    fallback_url=(version.data or {}).get("url") or article.url,
                    source=key,
                    fetched_at=version.fetched_at.isoformat() if version.fetched_at else None,
                    extra_dates=feed_candidates(version.data),
                    min_body_chars=min_body_chars,
                )
                pending.append((article, version, task))
                if len(pending) >= window:
                    run_pending()
        run_pending(last=True)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return report


def _pool(jobs: int) -> Any:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn").Pool(jobs)


def _record(
    session: Any,
    report: ReprocessReport,
    article: Any,
    version: Any,
    result: ProcessResult,
    all_versions: bool,
    dry_run: bool,
) -> None:
    """Count one outcome and, when the content changed, record the new version."""
    from archive.store import upsert_article

    if result.invalid_reason:
        report.invalid += 1
        return
    item = result.item
    compare_to = version.content_sha256 if all_versions else article.content_sha256
    if item.content_sha256 == compare_to:
        report.unchanged += 1
        return
    report.changed += 1
    new_no = None
    if not dry_run:
        data = item.to_dict()
        data.pop("warc", None)
        # The capture is of this article: keep its key (the crawl may have mapped a
        # mirror's URL onto the portal's, which a page alone does not say).
        data["canonical_url"] = article.canonical_url
        upserted = upsert_article(
            session,
            data,
            extractor_version=item.extractor_version or EXTRACTOR_VERSION,
            crawl_run_id=None,
            warc={
                "file": version.warc_file,
                "offset": version.warc_offset,
                "length": version.warc_length,
                "record_id": version.warc_record_id,
            },
        )
        new_no = upserted.version_no if upserted.status == "changed" else None
    report.changes.append(
        Change(
            article.id,
            article.canonical_url,
            version.version_no,
            new_no,
            item.title != version.title,
        )
    )


def reprocess_archive(db_url: str | None, warc_dir: str | Path, **kwargs: Any) -> ReprocessReport:
    """:func:`reprocess` over the archive at ``db_url`` in one transaction (none for a dry run)."""
    from archive.db import open_archive

    dry_run = kwargs.get("dry_run", False)
    engine, Session = open_archive(db_url, readonly=dry_run)
    try:
        if dry_run:
            with Session() as session:
                return reprocess(session, warc_dir, **kwargs)
        with Session.begin() as session:
            return reprocess(session, warc_dir, **kwargs)
    finally:
        engine.dispose()


# --- pages the crawl refused -----------------------------------------------------------------
@dataclass
class RecoverReport:
    """What :func:`recover_refused` found: refused pages now accepted, and the rest by reason."""

    examined: int = 0
    recovered: int = 0
    already_archived: int = 0
    still_refused: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "examined": self.examined,
            "recovered": self.recovered,
            "already_archived": self.already_archived,
            "still_refused": dict(self.still_refused),
            "errors": list(self.errors),
            "urls": list(self.urls),
        }


def recover_refused(
    session: Any,
    warc_dir: str | Path,
    *,
    dry_run: bool = False,
    min_body_chars: int = MIN_BODY_CHARS,
) -> RecoverReport:
    """Run today's detection and extraction on every page a crawl refused (the WARC metadata
    records of :func:`newscrawl.warc.refusals`: soft 404, listing, extraction error, ...); each
    page now accepted is archived with a pointer to its response record. The caller owns the
    transaction. A URL already archived (by a later crawl) is left alone."""
    from archive.store import upsert_article, url_is_archived
    from newscrawl.extract import extract_page
    from newscrawl.warc import refusals

    report = RecoverReport()
    done: set[str] = set()
    for ref in refusals(warc_dir):
        key = f"{ref.warc_file}@{ref.warc_offset}"
        if key in done:
            continue
        done.add(key)
        report.examined += 1
        label = f"{ref.url} ({ref.reason}, {key})"
        if url_is_archived(session, ref.url):
            report.already_archived += 1
            continue
        path = resolve_warc_path(warc_dir, ref.warc_file)
        if path is None:
            report.errors.append(f"{label}: WARC file missing")
            continue
        try:
            record = read_record(path, ref.warc_offset)
        except Exception as exc:  # noqa: BLE001 - reported, the rest goes on
            report.errors.append(f"{label}: cannot read the response: {exc!r}")
            continue
        if record.record_type != "response" or record.content is None:
            report.errors.append(f"{label}: no response payload there")
            continue
        if ref.response_record_id and record.record_id != ref.response_record_id:
            report.errors.append(f"{label}: record id {record.record_id} is not the refused one")
            continue
        plain = {
            k: v
            for k, v in record.headers
            if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        }
        try:
            result = extract_page(
                record.content,
                record.url or ref.url,
                status=record.status or 200,
                headers=plain,
                fetched_at=record.date,
                min_body_chars=min_body_chars,
            )
        except Exception as exc:  # noqa: BLE001 - one broken page must not stop the run
            report.errors.append(f"{label}: extraction failed: {exc!r}")
            continue
        if (record.status or 200) >= 400 or result.invalid_reason:
            reason = result.invalid_reason or f"http_{record.status}"
            report.still_refused[reason] = report.still_refused.get(reason, 0) + 1
            continue
        report.recovered += 1
        report.urls.append(ref.url)
        if dry_run:
            continue
        data = result.item.to_dict()
        data.pop("warc", None)
        upsert_article(
            session,
            data,
            extractor_version=result.item.extractor_version or EXTRACTOR_VERSION,
            crawl_run_id=None,
            warc={
                "file": ref.warc_file,
                "offset": ref.warc_offset,
                "length": None,
                "record_id": record.record_id,
            },
        )
    return report


def recover_refused_archive(
    db_url: str | None, warc_dir: str | Path, **kwargs: Any
) -> RecoverReport:
    """:func:`recover_refused` over the archive at ``db_url`` in one transaction."""
    from archive.db import open_archive

    dry_run = kwargs.get("dry_run", False)
    engine, Session = open_archive(db_url, readonly=dry_run)
    try:
        if dry_run:
            with Session() as session:
                return recover_refused(session, warc_dir, **kwargs)
        with Session.begin() as session:
            return recover_refused(session, warc_dir, **kwargs)
    finally:
        engine.dispose()
