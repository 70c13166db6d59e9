"""The examples the docs point at still load."""

from __future__ import annotations

import tomllib
from pathlib import Path

from newscrawl.portals import profile_from_dict
from newscrawl.schedule import load_schedules

EXAMPLES = Path(__file__).parent.parent / "examples"


def test_example_profile_loads_and_classifies() -> None:
    path = EXAMPLES / "profiles" / "example-portal.toml"
    profile = profile_from_dict(tomllib.loads(path.read_text(encoding="utf-8")), origin=path.name)
    assert profile.key
    assert profile.base_url.startswith("https://")


def test_example_schedules_parse() -> None:
    entries = load_schedules(EXAMPLES / "schedules.toml")
    assert entries
