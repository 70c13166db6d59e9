"""Scrapyd for real: a Scrapyd server on 127.0.0.1 with its own directories, the project egg
uploaded through ``addversion.json``, a crawl of the local replica run as a Scrapyd job into a
temporary archive, and ``newscrawl schedule --scrapyd`` handing due crawls to it with the
portal's lock honoured.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from newscrawl.scrapyd import (
    REQUIRED_DATA,
    ScrapydClient,
    ScrapydError,
    build_egg,
    check_scrapyd_url,
    egg_problems,
)

pytestmark = pytest.mark.e2e

SCRAPYD_CONF = """[scrapyd]
bind_address = 127.0.0.1
http_port = {port}
eggs_dir = {tmp}/eggs
logs_dir = {tmp}/logs
dbs_dir = {tmp}/dbs
items_dir =
jobs_dir =
poll_interval = 0.5
max_proc = 2
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _local_settings(tmp, db_url: str) -> dict[str, str]:
    return {
        "NEWSCRAWL_DB_URL": db_url,
        "NEWSCRAWL_SSRF_ALLOW": "127.0.0.1",
        "NEWSCRAWL_WARC_DIR": str(tmp / "warcs"),
        "DOWNLOAD_DELAY": "0",
        "AUTOTHROTTLE_ENABLED": "False",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "4",
        "LOG_LEVEL": "INFO",
    }


@pytest.fixture(scope="module")
def egg(tmp_path_factory):
    return build_egg(tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory, egg):
    """A Scrapyd server of its own (port, eggs, logs, dbs in a temp dir) with the egg deployed."""
    if shutil.which("scrapyd") is None and not _has_module("scrapyd"):
        pytest.skip("scrapyd is not installed (pip install -e '.[dev]')")
    tmp = tmp_path_factory.mktemp("scrapyd")
    port = _free_port()
    (tmp / "scrapyd.conf").write_text(SCRAPYD_CONF.format(port=port, tmp=tmp))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPY")}
    log = open(tmp / "scrapyd.out", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "scrapyd", "--nodaemon"],
        cwd=tmp,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    client = ScrapydClient(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                client.daemon_status()
                break
            except ScrapydError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"scrapyd did not start:\n{(tmp / 'scrapyd.out').read_text()[-3000:]}"
                    )
                time.sleep(0.3)
        client.add_version(egg, "1")
        yield client, tmp
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def _archived(db_url: str) -> int:
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT count(*) FROM articles")).scalar_one())
    finally:
        engine.dispose()


def test_egg_carries_profiles_templates_and_migrations(egg) -> None:
    assert egg_problems(egg) == []
    names = zipfile.ZipFile(egg).namelist()
    from pathlib import Path

    import newscrawl.portals

    profiles = sorted(Path(newscrawl.portals.__file__).parent.glob("*.toml"))
    assert len(profiles) > 10
    for profile in profiles:
        assert f"newscrawl/portals/{profile.name}" in names
    migrations = {n for n in names if n.startswith("archive/migrations/versions/")}
    assert "archive/migrations/versions/0001_initial_schema.py" in migrations
    assert any(n.startswith("newscrawl/web/static/") for n in names)
    assert not any(n.startswith("tests/") for n in names)
    assert REQUIRED_DATA


def test_egg_problems_names_what_is_missing(tmp_path) -> None:
    bare = tmp_path / "bare.egg"
    with zipfile.ZipFile(bare, "w") as zf:
        zf.writestr("newscrawl/__init__.py", "")
    problems = egg_problems(bare)
    assert "no newscrawl/portals/*.toml" in problems
    assert "no archive/migrations/env.py" in problems
    assert problems[-1] == "no 'scrapy' entry point naming newscrawl.settings"


@pytest.mark.parametrize("url", ["crawl1:6800", "ftp://x", ""])
def test_bad_scrapyd_url_is_refused(url) -> None:
    with pytest.raises(ValueError, match="expected a Scrapyd URL"):
        check_scrapyd_url(url)


def test_scrapyd_job_archives_the_replica(scrapyd, tmp_path) -> None:
    from newscrawl.demo.server import ReplicaServer
    from newscrawl.demo.surabayapagi import SurabayaPagiReplica

    client, scrapyd_dir = scrapyd
    assert "surabayapagi" in client.list_spiders()
    db_url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    replica = SurabayaPagiReplica()
    with ReplicaServer(replica) as server:
        jobid = client.schedule(
            "surabayapagi",
            settings=_local_settings(tmp_path, db_url),
            args={"base_url": server.base_url},
        )
        job = client.wait(jobid, timeout=300, poll=0.5)
    log = (scrapyd_dir / "logs" / "newscrawl" / "surabayapagi" / f"{jobid}.log").read_text()
    assert "Traceback" not in log, log[-3000:]
    assert "'finish_reason': 'finished'" in log, log[-3000:]
    assert job.get("log_url")
    assert _archived(db_url) == len(replica.articles) == 36
    assert list((tmp_path / "warcs").glob("*.warc.gz"))


def test_schedule_hands_due_crawls_to_scrapyd_with_the_lock_held(scrapyd, tmp_path) -> None:
    from newscrawl.demo.server import ReplicaServer
    from newscrawl.demo.surabayapagi import SurabayaPagiReplica
    from newscrawl.schedule import Scheduler, StateStore, entry_from_dict

    client, _ = scrapyd
    db_url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    with ReplicaServer(SurabayaPagiReplica()) as server:
        entry = entry_from_dict(
            {
                "site": "surabayapagi",
                "every": "6h",
                "base_url": server.base_url,
                "settings": _local_settings(tmp_path, db_url),
            }
        )
        scheduler = Scheduler([entry], tmp_path / "state", scrapyd=[client.url], log_output=False)
        other = Scheduler([entry], tmp_path / "state2", scrapyd=[client.url], log_output=False)
        try:
            started = scheduler.tick()
            assert len(started) == 1
            job = started[0].process
            assert scheduler.locks.holder("surabayapagi") is not None  # held while the job runs
            # Another scheduler (own state, own locks) sees the job on Scrapyd and starts none.
            assert other.start(entry) is None
            assert scheduler.start(entry) is None  # and the lock refuses a second one here
            assert job.wait() == 0
            assert scheduler.reap() == [(entry, 0)]
            assert scheduler.locks.holder("surabayapagi") is None  # released when it ended
        finally:
            scheduler.close()
            other.close()
    store = StateStore(tmp_path / "state")
    try:
        (run,) = store.runs()
    finally:
        store.close()
    assert run.status == "finished"
    assert run.log and client.url in run.log and job.jobid in run.log
    assert _archived(db_url) == 36
    assert datetime.now(UTC) >= run.started_at
    assert other.state_dir != scheduler.state_dir


def test_migrations_come_out_of_a_zipped_egg(egg, tmp_path) -> None:
    """Python 3.11's ``as_file`` cannot copy a directory out of a zip: ours does."""
    from archive.migrate import _copy_tree

    _copy_tree(zipfile.Path(egg, "archive/migrations/"), str(tmp_path / "m"))
    assert (tmp_path / "m" / "env.py").is_file()
    assert (tmp_path / "m" / "versions" / "0001_initial_schema.py").is_file()


def test_schedule_bad_scrapyd_url_is_a_clear_error(tmp_path, capsys) -> None:
    from newscrawl.cli import main

    path = tmp_path / "schedules.toml"
    path.write_text('[[crawl]]\nsite = "surabayapagi"\nevery = "6h"\n', encoding="utf-8")
    argv = ["schedule", "once", "--file", str(path), "--state-dir", str(tmp_path / "st")]
    assert main([*argv, "--scrapyd", "crawl1:6800"]) == 2
    assert "expected a Scrapyd URL like http://host:6800" in capsys.readouterr().err


def test_unreachable_scrapyd_fails_the_run_and_frees_the_lock(tmp_path) -> None:
    from newscrawl.schedule import Scheduler, StateStore, entry_from_dict

    port = _free_port()  # nothing listens there
    entry = entry_from_dict({"site": "surabayapagi", "every": "6h"})
    scheduler = Scheduler([entry], tmp_path / "st", scrapyd=[f"http://127.0.0.1:{port}"])
    try:
        assert scheduler.tick() == []
        assert scheduler.locks.holder("surabayapagi") is None
    finally:
        scheduler.close()
    store = StateStore(tmp_path / "st")
    try:
        (run,) = store.runs()
    finally:
        store.close()
    assert run.status == "failed"
