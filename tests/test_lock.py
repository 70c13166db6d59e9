"""requirements.lock agrees with pyproject.toml, and the running environment is the locked one.

`make lock` writes the lock; CI runs this file, so a dependency added to ``pyproject.toml`` without
refreshing the lock (or a lock edited by hand into disagreement) fails here by name.
``make test-latest`` sets ``NEWSCRAWL_UNLOCKED=1`` to run the suite on the newest releases instead.
"""

from __future__ import annotations

import os
import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
PYPROJECT = ROOT / "pyproject.toml"

_PIN_RE = re.compile(
    r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>[^\s;\\]+)\s*(?:;(?P<marker>[^\\]+))?"
)


def locked() -> dict[str, tuple[str, str | None]]:
    """``{canonical name: (version, marker or None)}`` for every pin of the lock."""
    pins: dict[str, tuple[str, str | None]] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        match = _PIN_RE.match(line)
        if match:
            marker = (match["marker"] or "").strip() or None
            pins[canonicalize_name(match["name"])] = (match["version"], marker)
    return pins


def declared() -> list[Requirement]:
    """Runtime dependencies, every optional extra and the build backend of pyproject.toml."""
    data = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    specs = list(data["project"]["dependencies"])
    for extra in data["project"].get("optional-dependencies", {}).values():
        specs.extend(extra)
    specs.extend(data["build-system"]["requires"])
    return [Requirement(spec) for spec in specs]


def test_every_pin_is_hash_checked():
    text = LOCK.read_text(encoding="utf-8")
    blocks = [b for b in re.split(r"\n(?=[A-Za-z0-9])", text) if _PIN_RE.match(b)]
    assert blocks, "requirements.lock holds no pins"
    unhashed = [b.split()[0] for b in blocks if "--hash=sha256:" not in b]
    assert unhashed == []


@pytest.mark.parametrize("requirement", declared(), ids=str)
def test_pyproject_requirement_is_locked_and_satisfied(requirement):
    pins = locked()
    name = canonicalize_name(requirement.name)
    assert name in pins, (
        f"{requirement} is in pyproject.toml but not in requirements.lock: make lock"
    )
    version = pins[name][0]
    assert requirement.specifier.contains(version, prereleases=True), (
        f"requirements.lock pins {name}=={version}, outside pyproject.toml's {requirement}: make lock"
    )
    for extra in requirement.extras:  # e.g. psycopg[binary] brings psycopg-binary
        dist_requires = metadata.requires(requirement.name) or []
        for spec in dist_requires:
            req = Requirement(spec)
            env = {**default_environment(), "extra": extra}
            if req.marker is not None and "extra" in str(req.marker) and req.marker.evaluate(env):
                assert canonicalize_name(req.name) in pins, f"{req.name} (from {requirement})"


@pytest.mark.skipif(
    os.environ.get("NEWSCRAWL_UNLOCKED") == "1", reason="make test-latest runs unlocked on purpose"
)
def test_installed_versions_are_the_locked_ones():
    env = default_environment()
    wrong = []
    for name, (version, marker) in sorted(locked().items()):
        if marker and not Requirement(f"x; {marker}").marker.evaluate(env):
            continue
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            wrong.append(f"{name}: locked {version}, not installed")
            continue
        if installed != version:
            wrong.append(f"{name}: locked {version}, installed {installed}")
    assert wrong == [], "the environment is not the locked one (run make install): " + "; ".join(
        wrong
    )
