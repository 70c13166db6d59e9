"""The runtime dependencies this install runs with, and whether each one really imports.

``newscrawl --version`` prints :func:`report`; an archive kept for years can then name the exact
tool that wrote it (``requirements.lock`` rebuilds it). A dependency that is installed but fails to
import (``trafilatura`` without ``lxml_html_clean``, say) is shown as broken, never hidden.
"""

from __future__ import annotations

import importlib
import platform
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

DIST = "newscrawl"


@dataclass(frozen=True)
class Dependency:
    name: str
    version: str | None  # None: not installed
    problem: str | None = None  # why it does not import, if it does not

    @property
    def ok(self) -> bool:
        return self.version is not None and self.problem is None


def runtime_requirements() -> list[Requirement]:
    """The install's own runtime requirements (extras such as ``dev`` left out)."""
    reqs = [Requirement(spec) for spec in metadata.requires(DIST) or []]
    return [r for r in reqs if r.marker is None or r.marker.evaluate({"extra": ""})]


@lru_cache(maxsize=1)
def _modules_by_distribution() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for module, dists in metadata.packages_distributions().items():
        if not module.startswith("_"):
            for dist in dists:
                found.setdefault(canonicalize_name(dist), []).append(module)
    return found


def _import_names(dist: str) -> list[str]:
    """Top-level modules a distribution provides (``psycopg`` for ``psycopg``, ``yaml`` ...)."""
    return sorted(_modules_by_distribution().get(canonicalize_name(dist), []))


def check(requirement: Requirement) -> Dependency:
    """Installed version of one requirement and whether its modules import."""
    try:
        version = metadata.version(requirement.name)
    except metadata.PackageNotFoundError:
        return Dependency(requirement.name, None, "not installed")
    for module in _import_names(requirement.name)[:3]:
        try:
            importlib.import_module(module)
        except Exception as exc:  # noqa: BLE001 - reported by name, that is the point
            return Dependency(requirement.name, version, f"{type(exc).__name__}: {exc}")
    if not requirement.specifier.contains(version, prereleases=True):
        return Dependency(requirement.name, version, f"outside {requirement.specifier}")
    return Dependency(requirement.name, version)


def dependencies() -> list[Dependency]:
    return [check(r) for r in sorted(runtime_requirements(), key=lambda r: r.name.lower())]


def report() -> str:
    """The lines of ``newscrawl --version``."""
    from newscrawl import __version__

    lines = [f"newscrawl {__version__} (Python {platform.python_version()})"]
    for dep in dependencies():
        status = "" if dep.ok else f"  BROKEN: {dep.problem}"
        lines.append(f"  {dep.name} {dep.version or '-'}{status}")
    return "\n".join(lines)
