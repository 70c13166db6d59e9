"""Schedules: durations, cron, next runs on a controlled clock, per-portal locks across processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta

import pytest

from newscrawl.schedule import (
    Cron,
    FakeClock,
    PortalLock,
    ScheduleError,
    Scheduler,
    entry_from_dict,
    parse_duration,
    parse_schedules,
)
from tests.archivist_support import ROOT, crawl_env

T0 = datetime(2024, 8, 13, 7, 30, tzinfo=UTC)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("30m", 1800),
        ("6h", 21600),
        ("1h30m", 5400),
        ("3d", 259200),
        ("2w", 1209600),
        ("90s", 90),
        ("1.5h", 5400),
    ],
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "6", "h", "6 jam", "-1h", "0m"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ScheduleError):
        parse_duration(text)


@pytest.mark.parametrize(
    ("expr", "after", "expected"),
    [
        ("0 */6 * * *", "2024-08-13 07:30", "2024-08-13 12:00"),
        ("0 */6 * * *", "2024-08-13 12:00", "2024-08-13 18:00"),
        ("0 */6 * * *", "2024-08-13 23:59", "2024-08-14 00:00"),
        ("*/15 * * * *", "2024-08-13 07:30", "2024-08-13 07:45"),
        ("30 2 * * mon", "2024-08-13 00:00", "2024-08-19 02:30"),
        ("0 0 1 * *", "2024-08-13 00:00", "2024-09-01 00:00"),
        ("0 0 29 2 *", "2024-03-01 00:00", "2028-02-29 00:00"),
        ("0 0 13 * 5", "2024-08-13 00:00", "2024-08-16 00:00"),  # 13th OR Friday
        ("0 9 * * 1-5", "2024-08-16 10:00", "2024-08-19 09:00"),  # weekdays: Fri -> Mon
        ("0 0 * * 7", "2024-08-13 00:00", "2024-08-18 00:00"),  # 7 is Sunday too
        ("15 10 * jan,aug *", "2024-08-31 23:00", "2025-01-01 10:15"),
        ("@hourly", "2024-08-13 07:30", "2024-08-13 08:00"),
        ("@daily", "2024-08-13 07:30", "2024-08-14 00:00"),
    ],
)
def test_cron_next_after(expr: str, after: str, expected: str) -> None:
    got = Cron.parse(expr).next_after(datetime.fromisoformat(after))
    assert got == datetime.fromisoformat(expected)


@pytest.mark.parametrize(
    "expr",
    ["* * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "*/0 * * * *", "a b c d e", "5-1 * * * *"],
)
def test_bad_cron(expr: str) -> None:
    with pytest.raises(ScheduleError):
        Cron.parse(expr)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"every": "6h"}, "site is required"),
        ({"site": "x"}, "either every or cron"),
        ({"site": "x", "every": "6h", "cron": "* * * * *"}, "either every or cron"),
        ({"site": "x", "every": "soon"}, "bad duration"),
        ({"site": "x", "every": "6h", "max_articles": 0}, "max_articles"),
        ({"site": "x", "every": "6h", "revisit": "sometimes"}, "revisit"),
        ({"site": "x", "every": "6h", "lookbak": "3d"}, "unknown key(s) lookbak"),
        ({"site": "x", "cron": "0 0 * * *", "tz": "Mars/Olympus"}, "unknown time zone"),
    ],
)
def test_bad_entries_say_what_is_wrong(entry: dict, message: str) -> None:
    with pytest.raises(ScheduleError, match=message.replace("(", r"\(").replace(")", r"\)")):
        entry_from_dict(entry)


def test_schedule_file_with_defaults_and_duplicate_names() -> None:
    text = textwrap.dedent(
        """
        [defaults]
        db = "sqlite:///a.db"
        lookback = "3d"

        [[crawl]]
        site = "surabayapagi"
        every = "6h"

        [[crawl]]
        site = "surabayapagi"
        cron = "0 3 * * *"
        tz = "Asia/Jakarta"
        lookback = "30d"
        """
    )
    entries = parse_schedules(text, known_sites={"surabayapagi"})
    assert [e.name for e in entries] == ["surabayapagi", "surabayapagi#2"]
    assert entries[0].db == entries[1].db == "sqlite:///a.db"
    assert entries[1].lookback == timedelta(days=30)
    with pytest.raises(ScheduleError, match="unknown portal 'nope'"):
        parse_schedules('[[crawl]]\nsite = "nope"\nevery = "1h"\n', known_sites={"surabayapagi"})


def _quick(entry, now) -> list[str]:
    return [sys.executable, "-c", "pass"]


def _scheduler(tmp_path, entries, clock, command=_quick) -> Scheduler:
    return Scheduler(
        entries, tmp_path / "state", clock=clock, command_for=command, log_output=False
    )


def test_interval_schedule_on_a_controlled_clock(tmp_path) -> None:
    clock = FakeClock(T0)
    entry = entry_from_dict({"site": "surabayapagi", "every": "6h"})
    sched = _scheduler(tmp_path, [entry], clock)
    assert sched.due() == [entry]  # never run: due at once
    assert sched.run_once() == 0
    assert sched.next_run(entry) == T0 + timedelta(hours=6)
    clock.advance(timedelta(hours=5, minutes=59))
    assert sched.due() == []
    assert sched.run_once() == 0 and len(sched.state.runs()) == 1
    clock.advance(timedelta(minutes=1))
    assert sched.due() == [entry]
    sched.run_once()
    runs = sched.state.runs()
    assert [r.started_at for r in runs] == [T0 + timedelta(hours=6), T0]
    assert all(r.exit_code == 0 and r.status == "finished" and r.ended_at for r in runs)
    sched.close()


def test_missed_slots_are_caught_up_by_one_run(tmp_path) -> None:
    clock = FakeClock(T0)
    entry = entry_from_dict({"site": "surabayapagi", "every": "1h"})
    sched = _scheduler(tmp_path, [entry], clock)
    sched.run_once()
    clock.advance(timedelta(hours=10))
    sched.run_once()
    sched.run_once()
    assert len(sched.state.runs()) == 2
    assert sched.next_run(entry) == T0 + timedelta(hours=11)
    sched.close()


def test_cron_schedule_on_a_controlled_clock(tmp_path) -> None:
    clock = FakeClock(T0)
    entry = entry_from_dict({"site": "surabayapagi", "cron": "0 */6 * * *"})
    sched = _scheduler(tmp_path, [entry], clock)
    assert sched.next_run(entry) == T0.replace(hour=12, minute=0)  # first match, not at once
    assert sched.due() == []
    clock.advance(timedelta(hours=4, minutes=30))  # 12:00
    assert sched.due() == [entry]
    sched.run_once()
    assert sched.next_run(entry) == T0.replace(hour=18, minute=0)
    clock.advance(timedelta(hours=13))  # 01:00 next day: the 18:00 slot was missed
    assert sched.due() == [entry]
    sched.close()


def test_cron_in_portal_time(tmp_path) -> None:
    clock = FakeClock(datetime(2024, 8, 13, 19, 30, tzinfo=UTC))  # 02:30 WIB on the 14th
    entry = entry_from_dict({"site": "surabayapagi", "cron": "0 3 * * *", "tz": "Asia/Jakarta"})
    sched = _scheduler(tmp_path, [entry], clock)
    assert sched.next_run(entry) == datetime(2024, 8, 13, 20, 0, tzinfo=UTC)  # 03:00 WIB
    sched.close()


def test_listing_shows_next_runs(tmp_path) -> None:
    clock = FakeClock(T0)
    entries = [
        entry_from_dict({"site": "surabayapagi", "every": "6h", "lookback": "3d"}),
        entry_from_dict({"site": "surabayapagi", "name": "nightly", "cron": "0 3 * * *"}),
    ]
    sched = _scheduler(tmp_path, entries, clock)
    sched.run_once()  # the interval entry was due
    rows = {r["name"]: r for r in sched.listing()}
    assert rows["surabayapagi"]["next_run"] == (T0 + timedelta(hours=6)).isoformat()
    assert rows["surabayapagi"]["last_exit"] == 0 and rows["surabayapagi"]["lookback"] == "3d"
    assert rows["nightly"]["next_run"] == datetime(2024, 8, 14, 3, 0, tzinfo=UTC).isoformat()
    assert rows["nightly"]["last_start"] is None
    sched.close()


def test_failed_crawl_is_recorded_with_its_exit_code(tmp_path) -> None:
    clock = FakeClock(T0)
    entry = entry_from_dict({"site": "surabayapagi", "every": "1h"})
    sched = _scheduler(
        tmp_path,
        [entry],
        clock,
        command=lambda e, now: [sys.executable, "-c", "raise SystemExit(3)"],
    )
    assert sched.run_once() == 1
    (run,) = sched.state.runs()
    assert (run.exit_code, run.status) == (3, "failed")
    sched.close()


# --- locks across processes ---------------------------------------------------------------------
_HOLD = """
import sys, time
from newscrawl.schedule import PortalLock
fd = PortalLock(sys.argv[1]).acquire("surabayapagi")
print("locked" if fd is not None else "refused", flush=True)
time.sleep(60)
"""


def _hold_lock(state_dir) -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(state_dir)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=crawl_env(),
    )
    assert child.stdout.readline().strip() == "locked"
    return child


def test_lock_held_by_another_process_refuses_then_frees_after_sigkill(tmp_path) -> None:
    state = tmp_path / "state"
    child = _hold_lock(state)
    try:
        locks = PortalLock(state)
        assert locks.acquire("surabayapagi") is None
        assert locks.holder("surabayapagi") == child.pid
        fd = locks.acquire("detik")  # other portals are not blocked
        assert fd is not None
        locks.release(fd)
        sched = _scheduler(
            tmp_path, [entry_from_dict({"site": "surabayapagi", "every": "1h"})], FakeClock(T0)
        )
        assert sched.run_once() == 0
        assert sched.state.runs() == []  # refused: nothing started, nothing recorded
        assert sched.listing()[0]["running"] is True
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    fd = PortalLock(state).acquire("surabayapagi")
    assert fd is not None  # the kernel released the lock of the killed process
    PortalLock.release(fd)
    sched.clock.advance(timedelta(minutes=1))  # past the refusal back-off
    assert sched.run_once() == 0
    assert [r.status for r in sched.state.runs()] == ["finished"]
    sched.close()


_SCHEDULER = """
import sys, os
from datetime import datetime, UTC
from newscrawl.schedule import FakeClock, Scheduler, entry_from_dict
entry = entry_from_dict({"site": "surabayapagi", "every": "1h"})
s = Scheduler([entry], sys.argv[1], clock=FakeClock(datetime(2024, 8, 13, tzinfo=UTC)),
              command_for=lambda e, now: [sys.executable, "-c", "import time; time.sleep(60)"],
              log_output=False)
started = s.start(entry)
print(started.process.pid, flush=True)
sys.stdin.read()
"""


def test_crawl_keeps_the_lock_when_the_scheduler_dies(tmp_path) -> None:
    state = tmp_path / "state"
    scheduler = subprocess.Popen(
        [sys.executable, "-c", _SCHEDULER, str(state)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=crawl_env(),
    )
    crawl_pid = int(scheduler.stdout.readline())
    try:
        scheduler.send_signal(signal.SIGKILL)
        scheduler.wait()
        locks = PortalLock(state)
        assert locks.acquire("surabayapagi") is None  # the crawl process still holds it
        sched = _scheduler(
            tmp_path, [entry_from_dict({"site": "surabayapagi", "every": "1h"})], FakeClock(T0)
        )
        assert sched.start(sched.entries[0]) is None
    finally:
        os.kill(crawl_pid, signal.SIGKILL)
    for _ in range(200):  # the crawl is not our child: wait for the kernel to reap it
        fd = locks.acquire("surabayapagi")
        if fd is not None:
            break
        import time

        time.sleep(0.05)
    assert fd is not None
    PortalLock.release(fd)
    sched.close()
    fresh = _scheduler(tmp_path, [], FakeClock(T0))
    (run,) = fresh.state.runs()
    assert run.status == "lost"  # the dead scheduler's run, found and closed
    fresh.close()


def test_two_starts_in_one_scheduler_process_do_not_overlap(tmp_path) -> None:
    clock = FakeClock(T0)
    a = entry_from_dict({"site": "surabayapagi", "every": "1h"})
    b = entry_from_dict(
        {"site": "surabayapagi", "name": "backfill", "every": "1d", "lookback": "30d"}
    )
    sleeper = lambda e, now: [sys.executable, "-c", "import time; time.sleep(60)"]  # noqa: E731
    sched = _scheduler(tmp_path, [a, b], clock, command=sleeper)
    started = sched.tick()
    assert [s.entry.name for s in started] == ["surabayapagi"]  # backfill refused: same portal
    started[0].process.send_signal(signal.SIGKILL)
    started[0].process.wait()
    assert sched.reap() == [(a, -signal.SIGKILL)]
    (run,) = sched.state.runs()
    assert run.status == "failed" and run.exit_code == -signal.SIGKILL
    clock.advance(timedelta(minutes=2))  # past the refusal back-off
    assert [s.entry.name for s in sched.tick()] == ["backfill"]
    for s in list(sched.running.values()):
        s.process.kill()
    sched.close()


# --- the command -------------------------------------------------------------------------------
def test_schedule_list_command(tmp_path, capsys) -> None:
    from newscrawl.cli import main

    path = tmp_path / "schedules.toml"
    path.write_text(
        '[[crawl]]\nsite = "surabayapagi"\nevery = "6h"\nlookback = "3d"\n', encoding="utf-8"
    )
    assert main(["schedule", "list", "--file", str(path), "--state-dir", str(tmp_path / "st")]) == 0
    out = capsys.readouterr().out
    assert "surabayapagi" in out and "every 6h" in out and "never run" in out and "next" in out


def test_schedule_bad_file_is_a_clear_error(tmp_path, capsys) -> None:
    from newscrawl.cli import main

    path = tmp_path / "schedules.toml"
    path.write_text('[[crawl]]\nsite = "surabayapagi"\nevery = "sometimes"\n', encoding="utf-8")
    assert main(["schedule", "list", "--file", str(path), "--state-dir", str(tmp_path / "st")]) == 2
    assert "crawl #1: bad duration 'sometimes'" in capsys.readouterr().err


@pytest.mark.e2e
def test_schedule_once_runs_a_real_crawl_of_the_replica(tmp_path, capsys) -> None:
    from newscrawl.cli import main
    from tests.archivist_support import shared_replica

    served = shared_replica()
    db = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    path = tmp_path / "schedules.toml"
    path.write_text(
        textwrap.dedent(
            f"""
            [[crawl]]
            site = "surabayapagi"
            every = "6h"
            max_articles = 3
            base_url = "{served.base_url}"
            revisit = "all"
            settings = {{ NEWSCRAWL_SSRF_ALLOW = "127.0.0.1", DOWNLOAD_DELAY = "0", NEWSCRAWL_WARC_DIR = "{tmp_path / "warcs"}", LOG_LEVEL = "WARNING" }}
            """
        ),
        encoding="utf-8",
    )
    state = tmp_path / "st"
    assert (
        main(["schedule", "once", "--file", str(path), "--db", db, "--state-dir", str(state)]) == 0
    )
    from archive.db import open_archive
    from archive.store import count_articles

    engine, Session = open_archive(db, readonly=True)
    with Session() as session:
        assert count_articles(session, "surabayapagi") == 3
    engine.dispose()
    logs = list((state / "logs").iterdir())
    assert len(logs) == 1 and "articles: 3 new" in logs[0].read_text()
    # Nothing is due a second time.
    assert (
        main(["schedule", "once", "--file", str(path), "--db", db, "--state-dir", str(state)]) == 0
    )
    assert len(list((state / "logs").iterdir())) == 1
