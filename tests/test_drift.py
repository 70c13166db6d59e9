"""Selector drift caught on the first crawl (issue 11, part 3): per run and field, how many items
used the profile's own selector; a field that fell back too often marks the run degraded, fires
the alert, and `newscrawl runs` shows the shares."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from newscrawl.demo.fixture_site import FixtureSite
from newscrawl.demo.server import ReplicaServer
from newscrawl.health import Drift, assess, count_fields, drift_reasons, field_counts, figures
from newscrawl.items import ArticleItem
from tests.crawl_helpers import LOCAL


class Stats(dict):
    def inc_value(self, key: str, count: int = 1) -> None:
        self[key] = self.get(key, 0) + count


def test_count_fields_counts_profile_and_fallback_per_field() -> None:
    stats = Stats()
    count_fields(stats, ArticleItem(fallback_fields=["title"]), ("title", "date", "body"))
    count_fields(stats, ArticleItem(), ("title", "date", "body"))
    assert stats == {
        "newscrawl/field/title/fallback": 1,
        "newscrawl/field/title/profile": 1,
        "newscrawl/field/date/profile": 2,
        "newscrawl/field/body/profile": 2,
    }
    assert figures(stats)["fields"]["title"] == {"profile": 1, "fallback": 1, "share": 0.5}


@pytest.mark.parametrize(
    ("profile", "fallback", "drift", "degraded"),
    [
        (0, 40, Drift(), True),
        (20, 20, Drift(), False),  # half: not more than the share
        (19, 21, Drift(), True),
        (0, 4, Drift(), False),  # too few pages to judge
        (0, 4, Drift(min_pages=1), True),
        (10, 30, Drift(max_fallback=0.8), False),
        (0, 40, Drift(fields=("date",)), False),  # title not watched
    ],
)
def test_drift_share_and_minimum(profile: int, fallback: int, drift: Drift, degraded: bool):
    fields = field_counts(
        {"newscrawl/field/title/profile": profile, "newscrawl/field/title/fallback": fallback}
    )
    reasons = drift_reasons(fields, "beritajatim", drift)
    assert bool(reasons) is degraded
    health = assess({"coverage": {}, "fields": fields}, [], source="beritajatim", drift=drift)
    assert health.status == ("degraded" if degraded else "ok")


# --- end to end: a crawl of a local replica with a broken profile ------------------------------
PORTAL = "beritajatim"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(type(value))


def dump_toml(data: dict[str, Any], prefix: str = "") -> str:
    """A small TOML writer for profile data (strings, numbers, booleans, lists, tables)."""
    lines = [f"{k} = {_toml_value(v)}" for k, v in data.items() if not isinstance(v, dict)]
    for key, value in data.items():
        if isinstance(value, dict):
            lines += ["", f"[{prefix}{key}]", dump_toml(value, f"{prefix}{key}.")]
    return "\n".join(lines)


def broken_title_profile(folder: Path) -> Path:
    """A copy of the bundled profile whose title selectors match nothing."""
    text = (resources.files("newscrawl.portals") / f"{PORTAL}.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    data.setdefault("selectors", {})["title"] = ["h1.nc-no-such-title", "div.nc-no-such-title"]
    folder.mkdir()
    path = folder / f"{PORTAL}.toml"
    path.write_text(dump_toml(data) + "\n", encoding="utf-8")
    assert tomllib.loads(path.read_text(encoding="utf-8"))["selectors"]["title"][0].startswith(
        "h1.nc"
    )
    return folder


def newscrawl(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "newscrawl.cli", *args],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )


@pytest.mark.e2e
def test_broken_profile_crawl_is_degraded_with_the_reason(tmp_path) -> None:
    import os

    profiles = broken_title_profile(tmp_path / "profiles")
    alerts = tmp_path / "alerts.jsonl"
    db_url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    env = {**os.environ, "NEWSCRAWL_PROFILE_PATH": str(profiles)}
    settings = {**LOCAL, "NEWSCRAWL_DRIFT_MIN_PAGES": "1", "NEWSCRAWL_ALERTS": f"file:{alerts}"}
    with ReplicaServer(FixtureSite(PORTAL)) as server:
        args = ["crawl", PORTAL, "--base-url", server.base_url, "--db", db_url, "--json"]
        for key, value in settings.items():
            args += ["-s", f"{key}={value}"]
        proc = newscrawl(*args, env=env)
    assert proc.returncode == 5, proc.stderr[-3000:]  # EXIT_DEGRADED
    assert "is degraded" in proc.stderr

    reason = re.compile(rf"^{PORTAL}: title selector matched 0/(\d+) pages; generic used$")
    runs = newscrawl("runs", "--db", db_url, "--json", env=env)
    assert runs.returncode == 0, runs.stderr
    (run,) = json.loads(runs.stdout)
    assert run["status"] == "degraded"
    matched = [m for m in map(reason.match, run["reasons"]) if m]
    assert len(matched) == 1
    pages = int(matched[0][1])
    assert pages >= 1
    assert run["fields"]["title"] == {"profile": 0, "fallback": pages, "share": 0.0}
    assert run["fields"]["body"]["profile"] > 0  # the other selectors still work
    assert len(run["reasons"]) == 1

    text = newscrawl("runs", "--db", db_url, env=env).stdout
    assert f"title 0% (0/{pages})" in text
    assert f"degraded: {PORTAL}: title selector matched 0/{pages} pages; generic used" in text

    (alert,) = [json.loads(line) for line in alerts.read_text(encoding="utf-8").splitlines()]
    assert alert["kind"] == "crawl_degraded"
    assert any(reason.match(r) for r in alert["reasons"])


@pytest.mark.e2e
def test_intact_profile_crawl_is_not_degraded(tmp_path) -> None:
    import os

    db_url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    args = ["crawl", PORTAL, "--db", db_url, "--json"]
    for key, value in {**LOCAL, "NEWSCRAWL_DRIFT_MIN_PAGES": "1"}.items():
        args += ["-s", f"{key}={value}"]
    with ReplicaServer(FixtureSite(PORTAL)) as server:
        proc = newscrawl(*args, "--base-url", server.base_url, env=dict(os.environ))
    assert proc.returncode == 0, proc.stderr[-3000:]
    runs = json.loads(newscrawl("runs", "--db", db_url, "--json", env=dict(os.environ)).stdout)
    assert runs[0]["status"] == "finished"
    assert runs[0]["fields"]["title"]["fallback"] == 0
