"""Scheduled and incremental crawls: ``schedules.toml``, a small cron, per-portal locks.

A schedule file lists crawls::

    [defaults]                      # optional; any entry key
    db = "sqlite:///archive.sqlite3"

    [[crawl]]
    site = "surabayapagi"
    every = "6h"                    # or: cron = "0 */6 * * *" (5 fields, tz = "Asia/Jakarta")
    lookback = "3d"                 # passed as --since (today minus 3 days, portal time)
    max_articles = 200
    # name, db, base_url, revisit, settings = { DOWNLOAD_DELAY = "2" } are optional

``newscrawl schedule run`` loops: it starts every due crawl as its own process
(``python -m newscrawl.cli crawl SITE ...``) and records each run (start, end, exit code) in a
small SQLite file in the state directory. ``schedule once`` runs what is due and exits (for
cron users); ``schedule list`` shows each entry's next run.

Two crawls of one portal never overlap: before starting one, the scheduler takes an exclusive
``fcntl.flock`` on ``STATE/locks/<site>.lock`` and hands the locked descriptor to the crawl
process, so the lock is held while either lives and the kernel drops it when both are gone
(a crawl killed with SIGKILL cannot leave it stuck). A crawl that finds the lock taken is refused.

A new entry is due at once (``every``) or at its first cron match from when it was first seen
(``cron``); after that, ``every`` after the last start, or the next cron match after it. Missed
slots are caught up by one run, not one per slot. The clock is injectable (tests use a fake one).
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import sqlite3
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any, Protocol

logger = logging.getLogger(__name__)

DEFAULT_FILE = "schedules.toml"
DEFAULT_STATE_DIR = ".newscrawl"
#: Longest the loop sleeps between looks at the schedule and its running crawls.
POLL_SECONDS = 30.0

#: A duration: one or more number-unit pairs ("6h", "1h30m", "3d", "90s", "2w").
_DURATION_RE = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])", re.I)
#: A whole duration string made only of such pairs.
_DURATION_FULL_RE = re.compile(r"^\s*(\d+(?:\.\d+)?\s*[smhdw]\s*)+$", re.I)
#: One cron list element: "*", "N", "N-M", each with an optional "/STEP".
_CRON_PART_RE = re.compile(r"^(\*|\w+(?:-\w+)?)(?:/(\d+))?$")
#: Characters not allowed in a lock or log file name.
_UNSAFE_RE = re.compile(r"[^A-Za-z0-9_.-]+")

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
_FIXED_ZONES = {"UTC": 0, "WIB": 7, "WITA": 8, "WIT": 9}


class ScheduleError(ValueError):
    """A schedule file or entry is malformed; the message says where and what."""


# --- durations -------------------------------------------------------------------------------
def parse_duration(text: str | int | float) -> timedelta:
    """A duration from ``"6h"``, ``"1h30m"``, ``"3d"``, ``"90s"``, ``"2w"`` (or seconds).

    >>> parse_duration("6h"), parse_duration("1h30m"), parse_duration("3d")
    (datetime.timedelta(seconds=21600), datetime.timedelta(seconds=5400), datetime.timedelta(days=3))
    >>> parse_duration(90)
    datetime.timedelta(seconds=90)
    >>> parse_duration("soon")
    Traceback (most recent call last):
    ...
    newscrawl.schedule.ScheduleError: bad duration 'soon' (expected e.g. 30m, 6h, 3d, 1h30m)
    """
    if isinstance(text, int | float) and not isinstance(text, bool):
        seconds = float(text)
    elif isinstance(text, str) and _DURATION_FULL_RE.match(text):
        seconds = sum(float(n) * _UNITS[u.lower()] for n, u in _DURATION_RE.findall(text))
    else:
        raise ScheduleError(f"bad duration {text!r} (expected e.g. 30m, 6h, 3d, 1h30m)")
    if seconds <= 0:
        raise ScheduleError(f"duration must be above zero, got {text!r}")
    return timedelta(seconds=seconds)


def parse_zone(name: str | None) -> tzinfo:
    """A time zone: ``UTC``, ``WIB``/``WITA``/``WIT`` or an IANA name.

    >>> parse_zone("WIB").utcoffset(None), parse_zone(None) is UTC
    (datetime.timedelta(seconds=25200), True)
    """
    if not name or name.upper() == "UTC":
        return UTC
    if name.upper() in _FIXED_ZONES:
        return timezone(timedelta(hours=_FIXED_ZONES[name.upper()]), name.upper())
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception as exc:  # noqa: BLE001 - ZoneInfoNotFoundError, ValueError
        raise ScheduleError(f"unknown time zone {name!r}") from exc


# --- cron --------------------------------------------------------------------------------------
def _cron_value(token: str, lo: int, names: Sequence[str]) -> int:
    low = token.lower()
    if low in names:
        return names.index(low) + lo
    if not token.isdigit():
        raise ScheduleError(f"bad cron value {token!r}")
    return int(token)


def parse_cron_field(text: str, lo: int, hi: int, names: Sequence[str] = ()) -> frozenset[int]:
    """The values one cron field allows.

    >>> sorted(parse_cron_field("*/15", 0, 59))
    [0, 15, 30, 45]
    >>> sorted(parse_cron_field("1-5,sat", 0, 7, _DAYS))
    [1, 2, 3, 4, 5, 6]
    >>> sorted(parse_cron_field("10-20/5", 0, 59))
    [10, 15, 20]
    >>> parse_cron_field("61", 0, 59)
    Traceback (most recent call last):
    ...
    newscrawl.schedule.ScheduleError: cron value 61 out of range 0-59
    """
    values: set[int] = set()
    for part in text.split(","):
        m = _CRON_PART_RE.match(part.strip())
        if not m:
            raise ScheduleError(f"bad cron field {text!r}")
        span, step = m[1], int(m[2]) if m[2] else 1
        if step <= 0:
            raise ScheduleError(f"bad cron step in {text!r}")
        if span == "*":
            start, end = lo, hi
        elif "-" in span:
            a, b = span.split("-", 1)
            start, end = _cron_value(a, lo, names), _cron_value(b, lo, names)
        else:
            start = _cron_value(span, lo, names)
            end = hi if m[2] else start
        for v in (start, end):
            if not lo <= v <= hi:
                raise ScheduleError(f"cron value {v} out of range {lo}-{hi}")
        if start > end:
            raise ScheduleError(f"bad cron range {span!r}")
        values.update(range(start, end + 1, step))
    return frozenset(values)


@dataclass(frozen=True)
class Cron:
    """A 5-field cron expression (minute hour day-of-month month day-of-week), Vixie semantics:
    when both day fields are restricted, a day matching either one matches.

    >>> c = Cron.parse("0 */6 * * *")
    >>> c.next_after(datetime(2024, 8, 13, 7, 30))
    datetime.datetime(2024, 8, 13, 12, 0)
    >>> Cron.parse("30 2 * * mon").next_after(datetime(2024, 8, 13, 0, 0))  # a Tuesday
    datetime.datetime(2024, 8, 19, 2, 30)
    >>> Cron.parse("0 0 13 * 5").next_after(datetime(2024, 8, 13, 0, 0))  # the 13th or a Friday
    datetime.datetime(2024, 8, 16, 0, 0)
    >>> Cron.parse("@daily").matches(datetime(2024, 8, 13, 0, 0))
    True
    """

    expr: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    any_day: bool
    any_weekday: bool

    @classmethod
    def parse(cls, expr: str) -> Cron:
        text = _MACROS.get(expr.strip().lower(), expr.strip())
        parts = text.split()
        if len(parts) != 5:
            raise ScheduleError(
                f"cron needs 5 fields (minute hour day month weekday), got {expr!r}"
            )
        weekdays = parse_cron_field(parts[4], 0, 7, _DAYS)
        return cls(
            expr=expr,
            minutes=parse_cron_field(parts[0], 0, 59),
            hours=parse_cron_field(parts[1], 0, 23),
            days=parse_cron_field(parts[2], 1, 31),
            months=parse_cron_field(parts[3], 1, 12, _MONTHS),
            weekdays=frozenset(d % 7 for d in weekdays),
            any_day=parts[2].startswith("*"),
            any_weekday=parts[4].startswith("*"),
        )

    def day_matches(self, when: datetime) -> bool:
        in_days = when.day in self.days
        in_weekdays = (when.weekday() + 1) % 7 in self.weekdays
        if self.any_day or self.any_weekday:
            return in_days and in_weekdays
        return in_days or in_weekdays

    def matches(self, when: datetime) -> bool:
        return (
            when.minute in self.minutes
            and when.hour in self.hours
            and when.month in self.months
            and self.day_matches(when)
        )

    def next_after(self, when: datetime) -> datetime:
        """The first matching minute strictly after ``when``'s minute (same tz as ``when``)."""
        t = when.replace(second=0, microsecond=0) + timedelta(minutes=1)
        limit = t + timedelta(days=366 * 5)
        while t < limit:
            if t.month not in self.months:
                t = (t.replace(day=1, hour=0, minute=0) + timedelta(days=32)).replace(day=1)
            elif not self.day_matches(t):
                t = t.replace(hour=0, minute=0) + timedelta(days=1)
            elif t.hour not in self.hours:
                t = t.replace(minute=0) + timedelta(hours=1)
            elif t.minute not in self.minutes:
                t += timedelta(minutes=1)
            else:
                return t
        raise ScheduleError(f"cron {self.expr!r} never matches")


# --- entries -----------------------------------------------------------------------------------
_ENTRY_KEYS = {
    "site", "name", "every", "cron", "tz", "lookback", "max_articles", "db", "base_url",
    "revisit", "settings",
}  # fmt: skip


@dataclass(frozen=True)
class Entry:
    """One scheduled crawl."""

    name: str
    site: str
    every: timedelta | None = None
    cron: Cron | None = None
    tz: tzinfo = UTC
    lookback: timedelta | None = None
    max_articles: int | None = None
    db: str | None = None
    base_url: str | None = None
    revisit: str | None = None
    settings: dict[str, str] = field(default_factory=dict)

    @property
    def rule(self) -> str:
        if self.cron is not None:
            return f"cron {self.cron.expr}"
        return f"every {_human(self.every)}" if self.every else "?"


def _human(delta: timedelta | None) -> str:
    """``6h``, ``1h30m``, ``3d`` for a duration.

    >>> _human(timedelta(hours=1, minutes=30)), _human(timedelta(days=3)), _human(None)
    ('1h30m', '3d', '')
    """
    if delta is None:
        return ""
    seconds = int(delta.total_seconds())
    out = ""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            out += f"{seconds // size}{unit}"
            seconds %= size
    return out or "0s"


def entry_from_dict(data: dict[str, Any], *, where: str = "entry") -> Entry:
    """An :class:`Entry` from one ``[[crawl]]`` table, every key checked.

    >>> e = entry_from_dict({"site": "surabayapagi", "every": "6h", "lookback": "3d"})
    >>> e.name, e.rule, e.lookback
    ('surabayapagi', 'every 6h', datetime.timedelta(days=3))
    >>> entry_from_dict({"site": "x", "every": "1h", "cron": "* * * * *"})
    Traceback (most recent call last):
    ...
    newscrawl.schedule.ScheduleError: entry: give either every or cron, not both
    """
    unknown = set(data) - _ENTRY_KEYS
    if unknown:
        raise ScheduleError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    site = data.get("site")
    if not isinstance(site, str) or not site.strip():
        raise ScheduleError(f"{where}: site is required")
    if ("every" in data) == ("cron" in data):
        raise ScheduleError(f"{where}: give either every or cron, not both")
    try:
        every = parse_duration(data["every"]) if "every" in data else None
        cron = Cron.parse(str(data["cron"])) if "cron" in data else None
        tz = parse_zone(data.get("tz"))
        lookback = parse_duration(data["lookback"]) if data.get("lookback") else None
    except ScheduleError as exc:
        raise ScheduleError(f"{where}: {exc}") from None
    max_articles = data.get("max_articles")
    if max_articles is not None and (
        not isinstance(max_articles, int) or isinstance(max_articles, bool) or max_articles <= 0
    ):
        raise ScheduleError(f"{where}: max_articles must be a whole number above 0")
    revisit = data.get("revisit")
    if revisit is not None and revisit not in ("auto", "none", "all"):
        raise ScheduleError(f"{where}: revisit must be auto, none or all")
    settings = data.get("settings") or {}
    if not isinstance(settings, dict):
        raise ScheduleError(f"{where}: settings must be a table")
    return Entry(
        name=str(data.get("name") or site).strip(),
        site=site.strip(),
        every=every,
        cron=cron,
        tz=tz,
        lookback=lookback,
        max_articles=max_articles,
        db=data.get("db") or None,
        base_url=data.get("base_url") or None,
        revisit=revisit,
        settings={str(k): str(v) for k, v in settings.items()},
    )


def parse_schedules(
    text: str, *, origin: str = DEFAULT_FILE, known_sites: Iterable[str] | None = None
) -> list[Entry]:
    """Entries from the text of a schedule file; names made unique (``site``, ``site#2``)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScheduleError(f"{origin}: {exc}") from None
    defaults = data.get("defaults", {})
    crawls = data.get("crawl", [])
    if not isinstance(crawls, list):
        raise ScheduleError(f"{origin}: use [[crawl]] tables")
    known = set(known_sites) if known_sites is not None else None
    entries: list[Entry] = []
    names: set[str] = set()
    for i, raw in enumerate(crawls, 1):
        entry = entry_from_dict({**defaults, **raw}, where=f"{origin} crawl #{i}")
        if known is not None and entry.site not in known:
            raise ScheduleError(f"{origin} crawl #{i}: unknown portal {entry.site!r}")
        name, n = entry.name, 1
        while name in names:
            n += 1
            name = f"{entry.name}#{n}"
        names.add(name)
        entries.append(entry if name == entry.name else _renamed(entry, name))
    return entries


def _renamed(entry: Entry, name: str) -> Entry:
    from dataclasses import replace

    return replace(entry, name=name)


def load_schedules(path: str | os.PathLike[str], *, check_sites: bool = True) -> list[Entry]:
    """Entries of a schedule file (portal keys checked against the bundled profiles)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScheduleError(f"cannot read {path}: {exc.strerror}") from None
    known = None
    if check_sites:
        from newscrawl.portals import all_profiles

        known = all_profiles()
    return parse_schedules(text, origin=str(path), known_sites=known)


# --- timing ------------------------------------------------------------------------------------
def next_run(entry: Entry, last_start: datetime | None, first_seen: datetime) -> datetime:
    """When ``entry`` is next due (aware UTC), from its last start or when it was first seen.

    >>> t0 = datetime(2024, 8, 13, 7, 30, tzinfo=UTC)
    >>> every = entry_from_dict({"site": "s", "every": "6h"})
    >>> next_run(every, None, t0) == t0, next_run(every, t0, t0) == t0 + timedelta(hours=6)
    (True, True)
    >>> cron = entry_from_dict({"site": "s", "cron": "0 */6 * * *"})
    >>> next_run(cron, None, t0).isoformat()
    '2024-08-13T12:00:00+00:00'
    >>> next_run(cron, None, t0.replace(hour=12, minute=0, second=40)).isoformat()
    '2024-08-13T12:00:00+00:00'
    """
    if entry.every is not None:
        return first_seen if last_start is None else last_start + entry.every
    assert entry.cron is not None
    if last_start is None:
        base = first_seen.astimezone(entry.tz).replace(second=0, microsecond=0) - timedelta(
            minutes=1
        )
    else:
        base = last_start.astimezone(entry.tz)
    local = entry.cron.next_after(base.replace(tzinfo=None))
    return _localize(local, entry.tz).astimezone(UTC)


def _localize(naive: datetime, tz: tzinfo) -> datetime:
    return naive.replace(tzinfo=tz)


def since_date(entry: Entry, now: datetime) -> str | None:
    """The ``--since`` date of a crawl starting ``now``: portal-local today minus the lookback.

    >>> e = entry_from_dict({"site": "surabayapagi", "every": "6h", "lookback": "3d"})
    >>> since_date(e, datetime(2024, 8, 13, 20, 0, tzinfo=UTC))  # 14 Aug 03:00 WIB
    '2024-08-11'
    """
    if entry.lookback is None:
        return None
    hours = 7
    try:
        from newscrawl.portals import get_profile

        hours = get_profile(entry.site).utc_offset_hours
    except Exception:  # noqa: BLE001 - unknown portal: WIB
        pass
    local = now.astimezone(timezone(timedelta(hours=hours))) - entry.lookback
    return local.date().isoformat()


def crawl_command(
    entry: Entry, now: datetime, *, db: str | None = None, python: str = sys.executable
) -> list[str]:
    """The command line of a scheduled crawl.

    >>> e = entry_from_dict({"site": "surabayapagi", "every": "6h", "lookback": "1d",
    ...                      "max_articles": 50, "settings": {"DOWNLOAD_DELAY": 2}})
    >>> crawl_command(e, datetime(2024, 8, 13, 1, 0, tzinfo=UTC), db="a.db", python="py")[3:]
    ['crawl', 'surabayapagi', '--db', 'a.db', '--since', '2024-08-12', '--max-articles', '50', '-s', 'DOWNLOAD_DELAY=2']
    """
    cmd = [python, "-m", "newscrawl.cli", "crawl", entry.site]
    database = entry.db or db
    if database:
        cmd += ["--db", database]
    since = since_date(entry, now)
    if since:
        cmd += ["--since", since]
    if entry.max_articles:
        cmd += ["--max-articles", str(entry.max_articles)]
    if entry.base_url:
        cmd += ["--base-url", entry.base_url]
    if entry.revisit:
        cmd += ["--revisit", entry.revisit]
    for key, value in entry.settings.items():
        cmd += ["-s", f"{key}={value}"]
    return cmd


def scrapyd_job(
    entry: Entry, now: datetime, *, db: str | None = None
) -> tuple[dict[str, str], dict[str, str]]:
    """(settings, spider arguments) of a scheduled crawl handed to Scrapyd: what
    :func:`crawl_command` passes on the command line.

    >>> e = entry_from_dict({"site": "surabayapagi", "every": "6h", "lookback": "1d",
    ...                      "max_articles": 50, "settings": {"DOWNLOAD_DELAY": 2}})
    >>> scrapyd_job(e, datetime(2024, 8, 13, 1, 0, tzinfo=UTC), db="postgresql://db/news")
    ({'NEWSCRAWL_DB_URL': 'postgresql://db/news', 'DOWNLOAD_DELAY': '2'}, {'since': '2024-08-12', 'max_articles': '50'})
    """
    settings: dict[str, str] = {}
    database = entry.db or db
    if database:
        settings["NEWSCRAWL_DB_URL"] = database
    settings.update({k: str(v) for k, v in entry.settings.items()})
    args: dict[str, str] = {}
    since = since_date(entry, now)
    if since:
        args["since"] = since
    if entry.max_articles:
        args["max_articles"] = str(entry.max_articles)
    if entry.base_url:
        args["base_url"] = entry.base_url
    if entry.revisit:
        args["revisit"] = entry.revisit
    return settings, args


# --- clock -------------------------------------------------------------------------------------
class Clock(Protocol):
    def now(self) -> datetime: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock (aware UTC)."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds))


class FakeClock:
    """A clock that only moves when told (or when slept on): for tests.

    >>> c = FakeClock(datetime(2024, 8, 13, tzinfo=UTC))
    >>> c.sleep(90); c.now().isoformat()
    '2024-08-13T00:01:30+00:00'
    """

    def __init__(self, start: datetime) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def sleep(self, seconds: float) -> None:
        self.current += timedelta(seconds=max(0.0, seconds))

    def advance(self, delta: timedelta) -> None:
        self.current += delta


# --- locks -------------------------------------------------------------------------------------
class PortalLock:
    """Exclusive, non-blocking per-portal locks (``fcntl.flock``) in ``STATE/locks``."""

    def __init__(self, state_dir: str | os.PathLike[str]) -> None:
        self.directory = Path(state_dir) / "locks"

    def path(self, site: str) -> Path:
        return self.directory / f"{_UNSAFE_RE.sub('_', site)}.lock"

    def acquire(self, site: str) -> int | None:
        """A locked file descriptor, or None when another process holds the portal's lock."""
        self.directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path(site), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        return fd

    @staticmethod
    def release(fd: int) -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def holder(self, site: str) -> int | None:
        """The pid written by the last holder, when the lock is held now; else None."""
        fd = self.acquire(site)
        if fd is not None:
            self.release(fd)
            return None
        try:
            return int(self.path(site).read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return -1


# --- state -------------------------------------------------------------------------------------
_STATE_DDL = (
    """CREATE TABLE IF NOT EXISTS runs (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL, site TEXT NOT NULL,
        started_at TEXT NOT NULL, ended_at TEXT, exit_code INTEGER, pid INTEGER,
        status TEXT NOT NULL, command TEXT, log TEXT)""",
    "CREATE INDEX IF NOT EXISTS ix_runs_name ON runs (name, started_at)",
    "CREATE TABLE IF NOT EXISTS entries (name TEXT PRIMARY KEY, first_seen TEXT NOT NULL)",
)


@dataclass(frozen=True)
class RunRecord:
    id: int
    name: str
    site: str
    started_at: datetime
    ended_at: datetime | None
    exit_code: int | None
    pid: int | None
    status: str
    log: str | None = None


class StateStore:
    """Scheduled runs and first sightings, in ``STATE/schedule.sqlite3``."""

    def __init__(self, state_dir: str | os.PathLike[str]) -> None:
        self.directory = Path(state_dir)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = self.directory / "schedule.sqlite3"
        self.conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        for ddl in _STATE_DDL:
            self.conn.execute(ddl)

    def close(self) -> None:
        self.conn.close()

    @staticmethod
    def _row(row: tuple[Any, ...]) -> RunRecord:
        rid, name, site, start, end, code, pid, status, log = row
        return RunRecord(
            rid,
            name,
            site,
            datetime.fromisoformat(start),
            datetime.fromisoformat(end) if end else None,
            code,
            pid,
            status,
            log,
        )

    _COLUMNS = "id, name, site, started_at, ended_at, exit_code, pid, status, log"

    def first_seen(self, name: str, now: datetime) -> datetime:
        self.conn.execute(
            "INSERT OR IGNORE INTO entries (name, first_seen) VALUES (?, ?)",
            (name, now.isoformat()),
        )
        (value,) = self.conn.execute(
            "SELECT first_seen FROM entries WHERE name = ?", (name,)
        ).fetchone()
        return datetime.fromisoformat(value)

    def start(
        self, name: str, site: str, now: datetime, pid: int | None, command: str, log: str | None
    ) -> int:
        cur = self.conn.execute(
            "INSERT INTO runs (name, site, started_at, pid, status, command, log) "
            "VALUES (?, ?, ?, ?, 'running', ?, ?)",
            (name, site, now.isoformat(), pid, command, log),
        )
        return int(cur.lastrowid)

    def finish(
        self, run_id: int, now: datetime, exit_code: int | None, status: str | None = None
    ) -> None:
        if status is None:
            status = "finished" if exit_code == 0 else "failed"
        self.conn.execute(
            "UPDATE runs SET ended_at = ?, exit_code = ?, status = ? WHERE id = ?",
            (now.isoformat(), exit_code, status, run_id),
        )

    def last(self, name: str) -> RunRecord | None:
        row = self.conn.execute(
            f"SELECT {self._COLUMNS} FROM runs WHERE name = ? ORDER BY started_at DESC, id DESC LIMIT 1",
            (name,),
        ).fetchone()
        return self._row(row) if row else None

    def runs(self, limit: int = 50, name: str | None = None) -> list[RunRecord]:
        sql = f"SELECT {self._COLUMNS} FROM runs"
        args: tuple[Any, ...] = ()
        if name:
            sql += " WHERE name = ?"
            args = (name,)
        sql += " ORDER BY started_at DESC, id DESC LIMIT ?"
        return [self._row(r) for r in self.conn.execute(sql, (*args, limit))]

    def running(self) -> list[RunRecord]:
        rows = self.conn.execute(f"SELECT {self._COLUMNS} FROM runs WHERE ended_at IS NULL")
        return [self._row(r) for r in rows]


# --- the scheduler -------------------------------------------------------------------------------
@dataclass
class Started:
    entry: Entry
    run_id: int
    process: Any  # subprocess.Popen, or a newscrawl.scrapyd.ScrapydJob (poll, wait, pid)
    lock_fd: int


class Scheduler:
    """Runs due entries as separate processes, one per portal at a time.

    ``command_for(entry, now)`` builds the command (tests pass a fake one); ``clock`` gives the
    time (tests pass a :class:`FakeClock`).

    With ``scrapyd`` (URLs of Scrapyd servers, the newscrawl egg deployed on each) due crawls are
    handed to the least busy server instead of started here. The portal's lock is then held by
    this scheduler until Scrapyd lists the job as finished, and a crawl is not handed over while
    any of the servers has a pending or running job of the same portal (so two schedulers, or
    one restarted, still never overlap two crawls of a portal).
    """

    def __init__(
        self,
        entries: Sequence[Entry],
        state_dir: str | os.PathLike[str] = DEFAULT_STATE_DIR,
        *,
        clock: Clock | None = None,
        db: str | None = None,
        command_for: Callable[[Entry, datetime], list[str]] | None = None,
        poll: float = POLL_SECONDS,
        log_output: bool = True,
        scrapyd: Sequence[str] = (),
    ) -> None:
        self.entries = list(entries)
        self.state_dir = Path(state_dir)
        self.clock = clock or SystemClock()
        self.db = db
        self.command_for = command_for or (lambda e, now: crawl_command(e, now, db=self.db))
        self.poll = poll
        self.log_output = log_output
        self.state = StateStore(self.state_dir)
        self.locks = PortalLock(self.state_dir)
        self.running: dict[str, Started] = {}
        self.refused: dict[str, datetime] = {}
        self.scrapyd = None
        if scrapyd:
            from newscrawl.scrapyd import ScrapydPool

            self.scrapyd = ScrapydPool(scrapyd)
        self._reap_lost()

    def close(self) -> None:
        for started in list(self.running.values()):
            if self.scrapyd is not None and started.process.poll() is None:
                # The job goes on on Scrapyd, whose job list keeps other crawls of the portal
                # off; this scheduler does not wait for it.
                self.locks.release(started.lock_fd)
                self.running.pop(started.entry.name, None)
                continue
            self._finish(started, started.process.wait())
        self.state.close()

    # -- bookkeeping -------------------------------------------------------------------------
    def _reap_lost(self) -> None:
        """Runs recorded as running whose portal lock is free (their crawl is gone, and so is the
        scheduler that started them): mark them lost."""
        now = self.clock.now()
        for run in self.state.running():
            if run.site in {s.entry.site for s in self.running.values()}:
                continue
            fd = self.locks.acquire(run.site)
            if fd is None:
                continue  # still running, under some other scheduler
            try:
                self.state.finish(run.id, now, None, status="lost")
            finally:
                self.locks.release(fd)

    def next_run(self, entry: Entry, now: datetime | None = None) -> datetime:
        now = now or self.clock.now()
        last = self.state.last(entry.name)
        return next_run(
            entry, last.started_at if last else None, self.state.first_seen(entry.name, now)
        )

    def due(self, now: datetime | None = None) -> list[Entry]:
        """Entries due now that this scheduler is not already running."""
        now = now or self.clock.now()
        out = []
        for entry in self.entries:
            if entry.name in self.running:
                continue
            retry = self.refused.get(entry.name)
            if retry is not None and now < retry:
                continue
            if self.next_run(entry, now) <= now:
                out.append(entry)
        return out

    # -- starting and reaping ----------------------------------------------------------------
    def start(self, entry: Entry) -> Started | None:
        """Start ``entry``'s crawl now, or None when its portal is locked (a crawl is running)."""
        now = self.clock.now()
        fd = self.locks.acquire(entry.site)
        if fd is None:
            self.refused[entry.name] = now + timedelta(seconds=min(self.poll, 60))
            logger.warning(
                "%s: a crawl of %s is already running; not starting another", entry.name, entry.site
            )
            return None
        if self.scrapyd is not None:
            return self._hand_to_scrapyd(entry, now, fd)
        self.refused.pop(entry.name, None)
        command = self.command_for(entry, now)
        log_path = None
        out: Any = subprocess.DEVNULL
        if self.log_output:
            logs = self.state_dir / "logs"
            logs.mkdir(parents=True, exist_ok=True)
            stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
            log_path = logs / f"{_UNSAFE_RE.sub('_', entry.name)}-{stamp}.log"
            out = open(log_path, "ab")  # noqa: SIM115 - handed to the child
        try:
            process = subprocess.Popen(
                command,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                pass_fds=(fd,),
            )
        except OSError as exc:
            self.locks.release(fd)
            run_id = self.state.start(entry.name, entry.site, now, None, " ".join(command), None)
            self.state.finish(run_id, now, None, status="failed")
            logger.error("%s: cannot start %s: %s", entry.name, command[0], exc)
            return None
        finally:
            if out is not subprocess.DEVNULL:
                out.close()
        run_id = self.state.start(
            entry.name,
            entry.site,
            now,
            process.pid,
            " ".join(command),
            str(log_path) if log_path else None,
        )
        started = Started(entry, run_id, process, fd)
        self.running[entry.name] = started
        logger.info("%s: started crawl of %s (pid %s)", entry.name, entry.site, process.pid)
        return started

    def _hand_to_scrapyd(self, entry: Entry, now: datetime, fd: int) -> Started | None:
        """Schedule ``entry`` on a Scrapyd server, the portal's lock ``fd`` held till it ends."""
        from newscrawl.scrapyd import ScrapydError

        assert self.scrapyd is not None
        busy = self.scrapyd.active(entry.site)
        if busy:
            self.locks.release(fd)
            self.refused[entry.name] = now + timedelta(seconds=min(self.poll, 60))
            server, job = busy[0]
            logger.warning(
                "%s: a crawl of %s is already on Scrapyd (%s, job %s); not starting another",
                entry.name,
                entry.site,
                server,
                job.get("id"),
            )
            return None
        settings, args = scrapyd_job(entry, now, db=self.db)
        described = f"scrapyd {entry.site} " + " ".join(
            [
                *(f"-s {k}={v}" for k, v in settings.items()),
                *(f"-a {k}={v}" for k, v in args.items()),
            ]
        )
        try:
            job = self.scrapyd.schedule(entry.site, settings=settings, args=args)
        except ScrapydError as exc:
            self.locks.release(fd)
            self.refused[entry.name] = now + timedelta(seconds=min(self.poll, 60))
            run_id = self.state.start(entry.name, entry.site, now, None, described, None)
            self.state.finish(run_id, now, None, status="failed")
            logger.error("%s: cannot hand the crawl to Scrapyd: %s", entry.name, exc)
            return None
        self.refused.pop(entry.name, None)
        where = f"{job.client.url} job {job.jobid}"
        run_id = self.state.start(entry.name, entry.site, now, None, described, where)
        started = Started(entry, run_id, job, fd)
        self.running[entry.name] = started
        logger.info("%s: handed the crawl of %s to %s", entry.name, entry.site, where)
        return started

    def _finish(self, started: Started, code: int | None) -> None:
        self.state.finish(started.run_id, self.clock.now(), code)
        self.locks.release(started.lock_fd)
        self.running.pop(started.entry.name, None)
        logger.info("%s: crawl ended with exit code %s", started.entry.name, code)

    def reap(self) -> list[tuple[Entry, int]]:
        """Record every finished crawl; returns (entry, exit code) for each."""
        done = []
        for started in list(self.running.values()):
            code = started.process.poll()
            if code is not None:
                self._finish(started, code)
                done.append((started.entry, code))
        return done

    def tick(self) -> list[Started]:
        """Reap finished crawls, then start every due one; returns those started."""
        self.reap()
        started = []
        for entry in self.due():
            s = self.start(entry)
            if s is not None:
                started.append(s)
        return started

    def seconds_to_next(self) -> float:
        now = self.clock.now()
        waits = [self.poll]
        for entry in self.entries:
            if entry.name not in self.running:
                waits.append((self.next_run(entry, now) - now).total_seconds())
        return max(1.0, min(waits))

    # -- modes ---------------------------------------------------------------------------------
    def run_once(self) -> int:
        """Start whatever is due, wait for all of it; 0 when every crawl succeeded."""
        started = self.tick()
        worst = 0
        for s in started:
            code = s.process.wait()
            self._finish(s, code)
            worst = worst or (code if code else 0)
        return 1 if worst else 0

    def run_forever(self, *, max_ticks: int | None = None) -> None:
        """The loop of ``schedule run``; ``max_ticks`` bounds it (tests)."""
        ticks = 0
        while max_ticks is None or ticks < max_ticks:
            self.tick()
            ticks += 1
            if max_ticks is not None and ticks >= max_ticks:
                break
            self.clock.sleep(self.seconds_to_next())

    def listing(self) -> list[dict[str, Any]]:
        """One row per entry: rule, last run and next run."""
        now = self.clock.now()
        rows = []
        for entry in self.entries:
            last = self.state.last(entry.name)
            holder = self.locks.holder(entry.site)
            rows.append(
                {
                    "name": entry.name,
                    "site": entry.site,
                    "rule": entry.rule,
                    "lookback": _human(entry.lookback),
                    "last_start": last.started_at.isoformat() if last else None,
                    "last_status": last.status if last else None,
                    "last_exit": last.exit_code if last else None,
                    "next_run": self.next_run(entry, now).isoformat(),
                    "running": holder is not None,
                }
            )
        return rows
