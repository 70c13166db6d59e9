"""Item pipelines, in order, each one job, each counting what it did in the crawl stats.

clean (100) -> dates (200) -> validate (300) -> archive (800). The stages themselves live in
:mod:`newscrawl.process` so that ``newscrawl extract`` and reprocessing run exactly the same code.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from newscrawl.clean import find_promo
from newscrawl.health import Drift, check_run, count_coverage, count_fields
from newscrawl.items import ArticleItem, RawArticle
from newscrawl.portals import Profile, get_profile
from newscrawl.process import clean_stage, date_stage, finalize, validate_stage

logger = logging.getLogger(__name__)


class _StatsPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        return cls(crawler)

    def profile_for(self, source: str) -> Profile | None:
        spider = self.crawler.spider
        profile = getattr(spider, "profile", None)
        if profile is not None and profile.key == source:
            return profile
        try:
            return get_profile(source)
        except KeyError:
            return None


class CleanPipeline(_StatsPipeline):
    """Raw article -> clean item: boilerplate rules, related links, editor, dateline, captions.

    It also counts items lost to an unexpected exception in any pipeline
    (``newscrawl/error/item``): Scrapy only logs those.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler):

        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.item_error, signal=signals.item_error)
        return pipeline

    def item_error(self, item: Any = None, response: Any = None, failure: Any = None, **_: Any):
        self.stats.inc_value("newscrawl/error/item")

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, RawArticle):
            return item
        article, result = clean_stage(item, self.profile_for(item.source))
        for rule, count in result.rule_counts.items():
            self.stats.inc_value(f"newscrawl/clean/removed/{rule}", count)
        if result.related_links:
            self.stats.inc_value("newscrawl/clean/related_links", len(result.related_links))
        if not item.body_html:
            self.stats.inc_value("newscrawl/extract/no_body_element")
        left = find_promo(article.body or "")
        if left:
            self.stats.inc_value("newscrawl/clean/promo_left")
            logger.warning("promo text left in %s: %r", article.url, left[:3])
        self.stats.inc_value("newscrawl/clean/items")
        return article


class DatePipeline(_StatsPipeline):
    """Date candidates -> aware ``published_at``; unparsed dates counted, never guessed."""

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleItem):
            return item
        choice = date_stage(item, self.profile_for(item.source))
        if choice is None:
            self.stats.inc_value("newscrawl/date/unparsed")
            logger.warning(
                "no parseable date in %s (candidates: %r)", item.url, item.date_candidates[:4]
            )
        else:
            self.stats.inc_value(f"newscrawl/date/source/{choice.source}")
            for flag in choice.flags:
                self.stats.inc_value(f"newscrawl/date/{flag}")
        return item


class ValidatePipeline(_StatsPipeline):
    """Reject items that are not complete articles, with the reason counted and logged."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.min_body = crawler.settings.getint("NEWSCRAWL_MIN_BODY_CHARS", 80)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleItem):
            return item
        profile = self.profile_for(item.source)
        if profile is not None:
            count_fields(self.stats, item, profile.own_fields())
        reason = validate_stage(item, min_body_chars=self.min_body)
        if reason is None and "truncated" in item.flags:
            reason = "truncated"
        if reason is None:
            reason = self.out_of_range(item)
        if reason == "out_of_range":
            # A date outside the asked window is routine, not a problem.
            self.stats.inc_value("newscrawl/skipped/out_of_range")
            raise DropItem(f"{reason}: {item.url}", log_level="INFO")
        if reason:
            self.stats.inc_value(f"newscrawl/rejected/{reason}")
            raise DropItem(f"{reason}: {item.url}")
        finalize(item)
        self.stats.inc_value("newscrawl/valid")
        count_coverage(self.stats, item)
        return item

    def out_of_range(self, item: ArticleItem) -> str | None:
        spider = self.crawler.spider
        since: date | None = getattr(spider, "since", None)
        until: date | None = getattr(spider, "until", None)
        if not (since or until) or not item.published_at:
            return None
        when = datetime.fromisoformat(item.published_at)
        profile = self.profile_for(item.source)
        hours = profile.utc_offset_hours if profile else 7
        day = (when.astimezone(UTC) + timedelta(hours=hours)).date()
        if (since and day < since) or (until and day > until):
            return "out_of_range"
        return None


class ArchivePipeline(_StatsPipeline):
    """Upsert into the SQL archive keyed on the canonical URL; a crawl run row per crawl.

    ``NEWSCRAWL_DB_URL`` chooses the database; ``NEWSCRAWL_ARCHIVE=False`` turns this off.
    Items are written in transactions of up to ``NEWSCRAWL_ARCHIVE_BATCH_SIZE`` items, at the
    latest ``NEWSCRAWL_ARCHIVE_BATCH_SECONDS`` after the first one came, and at close (a
    SIGTERM closes the spider: the batch is written). A killed crawl loses only its unwritten
    batch, whose URLs the next crawl fetches again: the canonical URL is unique, so no article
    is ever stored twice.

    The run's figures are written with every batch, in the transaction that archives it, not
    only at the end: a killed crawl still shows in ``runs`` exactly what it archived.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWL_ARCHIVE", True):
            raise NotConfigured("NEWSCRAWL_ARCHIVE is off")
        self.db_url = settings.get("NEWSCRAWL_DB_URL")
        if not self.db_url:
            raise NotConfigured("NEWSCRAWL_DB_URL is empty")
        self.engine = None
        self.Session = None
        self.run_id: int | None = None
        self._finished = False
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        self.batch_size = max(1, settings.getint("NEWSCRAWL_ARCHIVE_BATCH_SIZE", 100))
        self.batch_seconds = settings.getfloat("NEWSCRAWL_ARCHIVE_BATCH_SECONDS", 2.0)
        self.pending: list[ArticleItem] = []
        self.pending_since = 0.0
        self.timer: Any = None

    def open_spider(self) -> None:
        from archive.db import open_archive
        from archive.store import start_run

        try:
            self.engine, self.Session = open_archive(self.db_url)
        except Exception as exc:
            # The crawl cannot keep what it fetches: it stops, and says so in its summary and
            # exit status (never "problems: none").
            self.stats.set_value("newscrawl/archive/unavailable", 1)
            self.stats.set_value("newscrawl/archive/unavailable_reason", archive_error(exc))
            logger.error(
                "cannot open the archive at %s: %s", shown_url(self.db_url), archive_error(exc)
            )
            raise
        spider = self.crawler.spider
        with self.Session.begin() as session:
            swept = mark_dead_runs_killed(session)
        if swept:
            self.stats.set_value("newscrawl/runs/marked_killed", swept)
        source = getattr(getattr(spider, "profile", None), "key", spider.name)
        with self.Session.begin() as session:
            run = start_run(
                session,
                source,
                settings={
                    "spider": spider.name,
                    "base_url": getattr(spider, "base_url", None),
                    "since": str(getattr(spider, "since", None) or ""),
                    "until": str(getattr(spider, "until", None) or ""),
                    "max_articles": getattr(spider, "max_articles", None),
                    "pid": os.getpid(),
                    "host": socket.gethostname(),
                },
            )
            session.flush()
            self.run_id = run.id
        self.stats.set_value("newscrawl/run_id", self.run_id)
        self.start_timer()

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleItem):
            return item
        if not self.pending:
            self.pending_since = time.monotonic()
        self.pending.append(item)
        if len(self.pending) >= self.batch_size or self.batch_due():
            self.flush()
        return item

    def batch_due(self) -> bool:
        return bool(self.pending) and time.monotonic() - self.pending_since >= self.batch_seconds

    def start_timer(self) -> None:
        """Write a waiting batch when the crawl is slow to bring the next item."""
        import sys

        if "twisted.internet.reactor" not in sys.modules:  # importing it would install one
            return
        from twisted.internet import reactor, task

        if self.batch_seconds > 0 and reactor.running:
            self.timer = task.LoopingCall(lambda: self.flush() if self.batch_due() else None)
            self.timer.start(self.batch_seconds, now=False)

    def flush(self) -> None:
        """Write the waiting items in one transaction; if that fails, each in its own, so one
        bad item costs only itself (counted ``newscrawl/archive/error``, logged)."""
        items, self.pending = self.pending, []
        if not items:
            return
        try:
            with self.Session.begin() as session:
                results = self.store(session, items)
                self.write_progress(session, _status_counts(results))
        except Exception:
            logger.warning("a batch of %d items failed; writing them one by one", len(items))
            results = []
            for item in items:
                try:
                    with self.Session.begin() as session:
                        stored = self.store(session, [item])
                        self.write_progress(session, _status_counts(results + stored))
                    results += stored
                except Exception:
                    self.stats.inc_value("newscrawl/archive/error")
                    logger.exception("could not archive %s", item.url)
        for result in results:
            self.stats.inc_value(f"newscrawl/archive/{result.status}")

    def store(self, session: Any, items: list[ArticleItem]) -> list[Any]:
        from archive.store import get_or_create_source, insert_articles

        for source in dict.fromkeys(item.source for item in items):
            profile = self.profile_for(source)
            get_or_create_source(
                session,
                source,
                name=profile.name if profile else None,
                base_url=profile.base_url if profile else None,
            )
        rows = []
        for item in items:
            data = item.to_dict()  # shallow: the store cleans (and so copies) every value
            if item.warc is not None:
                data["warc"] = item.warc  # insert_articles takes it out of the data
            rows.append(data)
        return insert_articles(session, rows, crawl_run_id=self.run_id)

    def write_progress(self, session: Any, pending: dict[str, int] | None = None) -> None:
        """Write the run's figures so far; ``pending`` counts this transaction's items, whose
        stats are only counted once it commits."""
        from archive.store import record_progress

        stats = {k: _jsonable(v) for k, v in self.stats.get_stats().items()}
        for key, n in (pending or {}).items():
            stats[key] = int(stats.get(key) or 0) + n
        record_progress(session, self.run_id, stats=stats, summary=summarize(stats))

    def close_spider(self) -> None:
        # Scrapy closes the pipelines before it says why the crawl ended (``spider_closed``,
        # when ``finish_reason`` enters the stats): the run is finished there. A caller that
        # closes the pipeline by hand sets ``finish_reason`` first.
        reason = self.stats.get_value("finish_reason")
        if reason is not None:
            self.finish(str(reason))

    def spider_closed(self, spider: Any = None, reason: str = "finished") -> None:
        self.finish(reason)

    def finish(self, reason: str) -> None:
        """Record the end of the run: its status for Scrapy's ``reason``, stats and summary;
        then saved searches and, for a finished run, the health check."""
        if self.Session is None or self._finished:
            return
        self._finished = True
        if self.timer is not None and self.timer.running:
            self.timer.stop()
        self.flush()
        from sqlalchemy.exc import IntegrityError

        from archive.store import finish_run

        stats = {k: _jsonable(v) for k, v in self.stats.get_stats().items()}
        stats["finish_reason"] = reason
        status = run_status(reason)
        try:
            with self.Session.begin() as session:
                finish_run(
                    session, self.run_id, status=status, stats=stats, summary=summarize(stats)
                )
        except IntegrityError:
            if status != "interrupted":
                raise
            logger.warning(
                "the archive's schema predates status 'interrupted'; run #%s recorded as "
                "'killed' (run `newscrawl db upgrade`)",
                self.run_id,
            )
            status = "killed"
            with self.Session.begin() as session:
                finish_run(
                    session, self.run_id, status=status, stats=stats, summary=summarize(stats)
                )
        if self.crawler.settings.getbool("NEWSCRAWL_RUN_WATCHES", True):
            self.run_watches()
        if status == "finished":
            settings = self.crawler.settings
            check_run(
                self.Session,
                self.run_id,
                stats,
                alerts=settings.getlist("NEWSCRAWL_ALERTS"),
                history=settings.getint("NEWSCRAWL_HEALTH_HISTORY", 5),
                drift=Drift.from_settings(settings),
            )
        self.engine.dispose()
        if self.engine.dialect.name == "sqlite" and self.engine.url.database:
            checkpoint_sqlite(self.engine.url.database)

    def run_watches(self) -> None:
        """Saved searches run after every crawl; each reports its new matches exactly once."""
        from newscrawl.watch import run_watches

        try:
            runs = run_watches(self.Session)
        except Exception:  # a broken watch must not turn a good crawl into a failed one
            self.stats.inc_value("newscrawl/watch/error")
            logger.exception("running saved searches failed")
            return
        for run in runs:
            self.stats.inc_value("newscrawl/watch/runs")
            self.stats.inc_value("newscrawl/watch/articles", len(run.article_ids))
            if not run.ok:
                self.stats.inc_value("newscrawl/watch/failed")
                logger.warning(
                    "watch %s: delivery failed (%s); it will be retried", run.name, run.error
                )


def _status_counts(results: list[Any]) -> dict[str, int]:
    """``{"newscrawl/archive/<status>": n}`` for archive results not yet in the stats."""
    counts: dict[str, int] = {}
    for result in results:
        key = f"newscrawl/archive/{result.status}"
        counts[key] = counts.get(key, 0) + 1
    return counts


def shown_url(db_url: str) -> str:
    """A database URL fit to print: without its password.

    >>> shown_url("postgresql+psycopg://crawler:s3cret@db/news")
    'postgresql+psycopg://crawler:***@db/news'
    """
    from sqlalchemy.engine import make_url

    try:
        return make_url(db_url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - not a URL: show it as given
        return db_url


def archive_error(exc: BaseException) -> str:
    """One line saying why the archive failed (a database error's first line).

    >>> archive_error(ValueError("bad\\nmore"))
    'ValueError: bad'
    """
    cause = getattr(exc, "orig", None) or exc
    text = str(cause).strip().splitlines()
    return f"{cause.__class__.__name__}: {text[0] if text else ''}".rstrip(": ")


def checkpoint_sqlite(path: str) -> None:
    """Fold the write-ahead log back into the SQLite file, so the archive is one file again
    (readers still open elsewhere just make this a no-op)."""
    import sqlite3

    try:
        with closing(sqlite3.connect(path, timeout=5)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error as exc:
        logger.debug("WAL checkpoint of %s skipped: %s", path, exc)


def mark_dead_runs_killed(session: Any) -> int:
    """Runs still "running" whose process on this host is gone (killed with SIGKILL, a power
    cut) are marked "killed"; returns how many."""
    from sqlalchemy import select

    from archive.models import CrawlRun

    host = socket.gethostname()
    swept = 0
    for run in session.scalars(select(CrawlRun).where(CrawlRun.status == "running")):
        settings = run.settings or {}
        pid = settings.get("pid")
        if settings.get("host") != host or not isinstance(pid, int) or _alive(pid):
            continue
        run.status = "killed"
        swept += 1
    return swept


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_status(finish_reason: str) -> str:
    """The crawl run's status for Scrapy's finish reason.

    ``shutdown`` is a crawl stopped by SIGTERM or Ctrl-C (SIGINT), which shut down cleanly.

    >>> run_status("finished"), run_status("closespider_itemcount"), run_status("shutdown")
    ('finished', 'finished', 'interrupted')
    >>> run_status("cancelled")
    'failed'
    """
    if finish_reason == "finished" or finish_reason.startswith(("closespider_", "newscrawl_max")):
        return "finished"
    if finish_reason == "shutdown":
        return "interrupted"
    return "failed"


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


def summarize(stats: dict[str, Any]) -> dict[str, Any]:
    """The crawl summary: pages fetched, articles new / changed / unchanged, problems by kind.

    >>> s = summarize({"newscrawl/pages/article": 3, "newscrawl/archive/new": 2,
    ...                "newscrawl/rejected/no_body": 1, "newscrawl/date/unparsed": 1})
    >>> s["articles"], s["problems"]
    ({'new': 2, 'changed': 0, 'unchanged': 0}, {'date/unparsed': 1, 'rejected/no_body': 1})
    """

    def get(key: str) -> int:
        return int(stats.get(key, 0) or 0)

    problems: dict[str, int] = {}
    for key, value in sorted(stats.items()):
        if not isinstance(value, int):
            continue
        name = key.removeprefix("newscrawl/")
        if key.startswith(
            (
                "newscrawl/rejected/",
                "newscrawl/error/",
                "newscrawl/fault/",
                "newscrawl/ssrf/",
                "newscrawl/robots/unavailable",
                "newscrawl/robots/dropped",
                "newscrawl/robots/error/",
            )
        ) or key in (
            "newscrawl/date/unparsed",
            "newscrawl/date/weekday_mismatch",
            "newscrawl/clean/promo_left",
            "newscrawl/archive/error",
            "newscrawl/archive/unavailable",
            "newscrawl/warc/error",
            "newscrawl/split/failed",
            "newscrawl/listing/not_html",
            "newscrawl/watch/error",
            "newscrawl/watch/failed",
        ):
            problems[name] = value
        elif key.startswith("spider_exceptions/") and key != "spider_exceptions/count":
            problems["spider_exception/" + key.rsplit("/", 1)[-1]] = value
        elif key.startswith("downloader/exception_type_count/"):
            problems["exception/" + key.rsplit("/", 1)[-1].rsplit(".", 1)[-1]] = value
        elif key.startswith("downloader/response_status_count/") and not key.endswith(
            ("/200", "/301", "/302", "/304")
        ):
            problems["http/" + key.rsplit("/", 1)[-1]] = value
    return {
        "pages": {
            "fetched": get("downloader/response_count"),
            "articles": get("newscrawl/pages/article"),
            "listings": get("newscrawl/pages/listing"),
        },
        "articles": {
            "new": get("newscrawl/archive/new"),
            "changed": get("newscrawl/archive/changed"),
            "unchanged": get("newscrawl/archive/unchanged"),
        },
        "skipped": {
            **{
                k.removeprefix("newscrawl/skipped/"): v
                for k, v in stats.items()
                if k.startswith("newscrawl/skipped/")
            },
            **({"offsite": get("offsite/filtered")} if get("offsite/filtered") else {}),
            **(
                {"robots_forbidden": get("newscrawl/robots/forbidden")}
                if get("newscrawl/robots/forbidden")
                else {}
            ),
        },
        "problems": problems,
        "finish_reason": stats.get("finish_reason"),
    }
