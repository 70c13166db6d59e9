"""Crawls as Scrapyd jobs: build the project egg, upload it, schedule crawls, follow them.

Scrapyd (``pip install scrapyd``) runs on each crawl host; ``newscrawl schedule --scrapyd URL``
hands due crawls to those servers instead of starting them itself (see :mod:`newscrawl.schedule`).
The project goes to a server as an egg built from an installed or checked-out newscrawl::

    from newscrawl.scrapyd import ScrapydClient, build_egg
    egg = build_egg("dist/")                          # dist/newscrawl-0.1.0-py3.11.egg
    ScrapydClient("http://crawl1:6800").add_version(egg)

The egg carries what a crawl reads at run time: the portal profiles (``newscrawl/portals/*.toml``),
templates and static files of the web app, and the alembic migrations of the archive
(``archive/migrations``, ``alembic.ini``); :func:`egg_problems` checks that. Its ``scrapy``
entry point names the settings module, as Scrapyd requires.

Only the standard library talks to Scrapyd (its JSON API over HTTP: ``addversion.json``,
``schedule.json``, ``listjobs.json``, ``daemonstatus.json``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

PROJECT = "newscrawl"
#: Where the egg's sources are found: the checkout this module belongs to.
ROOT = Path(__file__).resolve().parent.parent
#: What the egg must hold beyond Python modules (glob patterns over the egg's names).
REQUIRED_DATA = (
    "newscrawl/portals/*.toml",
    "newscrawl/web/templates/*.html",
    "archive/alembic.ini",
    "archive/migrations/env.py",
    "archive/migrations/script.py.mako",
    "archive/migrations/versions/0001_*.py",
    "EGG-INFO/entry_points.txt",
)


class ScrapydError(RuntimeError):
    """A Scrapyd server refused a request or could not be reached; the message says which."""


# --- the egg --------------------------------------------------------------------------------------
def build_egg(
    out_dir: str | Path, *, root: str | Path = ROOT, python: str = sys.executable
) -> Path:
    """Build the project egg into ``out_dir`` and return its path.

    The build runs in a temporary copy of the sources (``newscrawl``, ``archive``,
    ``pyproject.toml``, ``README.md``), so the checkout gets no ``build/`` or ``*.egg-info``.
    """
    root = Path(root)
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    with tempfile.TemporaryDirectory(prefix="newscrawl-egg-") as tmp:
        work = Path(tmp)
        for name in ("newscrawl", "archive"):
            shutil.copytree(root / name, work / name, ignore=ignore)
        for name in ("pyproject.toml", "README.md"):
            shutil.copy2(root / name, work / name)
        proc = subprocess.run(
            [
                python,
                "-c",
                "from setuptools import setup; setup()",
                "-q",
                "bdist_egg",
                "-d",
                str(out),
            ],
            cwd=work,
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            raise ScrapydError(f"building the egg failed:\n{proc.stderr[-2000:]}")
    eggs = sorted(out.glob(f"{PROJECT}-*.egg"), key=lambda p: p.stat().st_mtime)
    if not eggs:
        raise ScrapydError(f"building the egg made no {PROJECT}-*.egg in {out}")
    return eggs[-1]


def egg_problems(egg: str | Path) -> list[str]:
    """What the egg lacks of :data:`REQUIRED_DATA` and the ``scrapy`` entry point (empty: fine)."""
    import fnmatch

    with zipfile.ZipFile(egg) as zf:
        names = zf.namelist()
        entry_points = (
            zf.read("EGG-INFO/entry_points.txt").decode()
            if "EGG-INFO/entry_points.txt" in names
            else ""
        )
    problems = [f"no {p}" for p in REQUIRED_DATA if not fnmatch.filter(names, p)]
    if "[scrapy]" not in entry_points or "newscrawl.settings" not in entry_points:
        problems.append("no 'scrapy' entry point naming newscrawl.settings")
    return problems


# --- the API ------------------------------------------------------------------------------------
def _multipart(
    fields: Mapping[str, str], files: Mapping[str, tuple[str, bytes]]
) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, data) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def check_scrapyd_url(url: str) -> str:
    """``url`` without a trailing slash if it is an http(s) URL, else ValueError.

    >>> check_scrapyd_url("http://crawl1:6800/")
    'http://crawl1:6800'
    >>> check_scrapyd_url("crawl1:6800")
    Traceback (most recent call last):
    ...
    ValueError: expected a Scrapyd URL like http://host:6800, got 'crawl1:6800'
    """
    parsed = urllib.parse.urlsplit((url or "").strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValueError(f"expected a Scrapyd URL like http://host:6800, got {url!r}")
    return url.strip().rstrip("/")


class ScrapydClient:
    """One Scrapyd server's JSON API."""

    def __init__(self, url: str, *, project: str = PROJECT, timeout: float = 30.0) -> None:
        self.url = check_scrapyd_url(url)
        self.project = project
        self.timeout = timeout

    def _call(
        self,
        endpoint: str,
        *,
        query: Mapping[str, str] | None = None,
        form: Iterable[tuple[str, str]] | None = None,
        body: tuple[bytes, str] | None = None,
    ) -> dict[str, Any]:
        url = f"{self.url}/{endpoint}"
        if query:
            url += "?" + urllib.parse.urlencode(query)
        data, headers = None, {}
        if form is not None:
            data = urllib.parse.urlencode(list(form)).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data, headers["Content-Type"] = body
        request = urllib.request.Request(url, data=data, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise ScrapydError(f"{url}: HTTP {exc.code}") from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise ScrapydError(f"{url}: {exc}") from exc
        if answer.get("status") != "ok":
            raise ScrapydError(f"{url}: {answer.get('message') or answer}")
        return answer

    def daemon_status(self) -> dict[str, Any]:
        return self._call("daemonstatus.json")

    def add_version(self, egg: str | Path, version: str | None = None) -> dict[str, Any]:
        """Upload the egg as ``version`` (default: a time stamp, so the newest wins)."""
        version = version or time.strftime("%Y%m%dT%H%M%S")
        body = _multipart(
            {"project": self.project, "version": version},
            {"egg": (Path(egg).name, Path(egg).read_bytes())},
        )
        return self._call("addversion.json", body=body)

    def list_spiders(self) -> list[str]:
        return list(self._call("listspiders.json", query={"project": self.project})["spiders"])

    def schedule(
        self,
        spider: str,
        *,
        settings: Mapping[str, Any] | None = None,
        args: Mapping[str, Any] | None = None,
        jobid: str | None = None,
    ) -> str:
        """Schedule a crawl of ``spider`` (a portal key); its job id."""
        form: list[tuple[str, str]] = [("project", self.project), ("spider", spider)]
        if jobid:
            form.append(("jobid", jobid))
        for key, value in (settings or {}).items():
            form.append(("setting", f"{key}={value}"))
        for key, value in (args or {}).items():
            if key in ("project", "spider", "setting", "jobid", "priority", "_version"):
                raise ValueError(f"{key!r} cannot be a spider argument on Scrapyd")
            form.append((key, str(value)))
        return str(self._call("schedule.json", form=form)["jobid"])

    def jobs(self) -> dict[str, list[dict[str, Any]]]:
        """``pending``, ``running`` and ``finished`` jobs of the project."""
        answer = self._call("listjobs.json", query={"project": self.project})
        return {k: list(answer.get(k, [])) for k in ("pending", "running", "finished")}

    def job_state(self, jobid: str) -> tuple[str, dict[str, Any] | None]:
        """(``pending``/``running``/``finished``/``unknown``, the job's record)."""
        for state, jobs in self.jobs().items():
            for job in jobs:
                if job.get("id") == jobid:
                    return state, job
        return "unknown", None

    def active(self, spider: str) -> list[dict[str, Any]]:
        """Pending and running jobs of ``spider``."""
        jobs = self.jobs()
        return [j for j in jobs["pending"] + jobs["running"] if j.get("spider") == spider]

    def wait(self, jobid: str, *, timeout: float = 600.0, poll: float = 1.0) -> dict[str, Any]:
        """Wait until the job is finished; its record. ScrapydError on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            state, job = self.job_state(jobid)
            if state == "finished":
                return job or {}
            if time.monotonic() > deadline:
                raise ScrapydError(f"job {jobid} not finished after {timeout:.0f}s ({state})")
            time.sleep(poll)


class ScrapydJob:
    """A crawl handed to Scrapyd, with the part of ``subprocess.Popen`` the scheduler uses.

    ``poll()`` is None while the job is pending or running, 0 once Scrapyd lists it as finished
    (Scrapyd does not report an exit status: the crawl's run record in the archive and the job's
    log say how it went), and 1 when the job vanished from the server (three looks in a row).
    """

    pid = None
    log_url: str | None = None

    def __init__(self, client: ScrapydClient, jobid: str, *, poll_seconds: float = 2.0) -> None:
        self.client = client
        self.jobid = jobid
        self.poll_seconds = poll_seconds
        self.returncode: int | None = None
        self._misses = 0

    def poll(self) -> int | None:
        if self.returncode is not None:
            return self.returncode
        try:
            state, job = self.client.job_state(self.jobid)
        except ScrapydError:
            return None  # the server is unreachable for now: still running as far as we know
        if state == "finished":
            self.returncode = 0
            self.log_url = (job or {}).get("log_url")
        elif state == "unknown":
            self._misses += 1
            if self._misses >= 3:
                self.returncode = 1
        else:
            self._misses = 0
        return self.returncode

    def wait(self) -> int:
        while self.poll() is None:
            time.sleep(self.poll_seconds)
        return int(self.returncode or 0)


class ScrapydPool:
    """The Scrapyd servers crawls are handed to: the least busy one that answers gets each."""

    def __init__(self, urls: Iterable[str], *, project: str = PROJECT) -> None:
        self.clients = [ScrapydClient(u, project=project) for u in urls]
        if not self.clients:
            raise ValueError("no Scrapyd server given")

    def active(self, spider: str) -> list[tuple[str, dict[str, Any]]]:
        """(server, job) of every pending or running job of ``spider`` on any server that
        answers."""
        found = []
        for client in self.clients:
            try:
                found += [(client.url, job) for job in client.active(spider)]
            except ScrapydError:
                continue
        return found

    def _by_load(self) -> list[ScrapydClient]:
        loads = []
        for i, client in enumerate(self.clients):
            try:
                status = client.daemon_status()
                loads.append((int(status.get("running", 0)) + int(status.get("pending", 0)), i))
            except ScrapydError:
                continue
        return [self.clients[i] for _, i in sorted(loads)]

    def schedule(
        self, spider: str, *, settings: Mapping[str, Any], args: Mapping[str, Any]
    ) -> ScrapydJob:
        errors = []
        for client in self._by_load() or self.clients:
            try:
                jobid = client.schedule(spider, settings=settings, args=args)
            except ScrapydError as exc:
                errors.append(str(exc))
                continue
            return ScrapydJob(client, jobid)
        raise ScrapydError("no Scrapyd server took the crawl: " + "; ".join(errors))


__all__ = [
    "REQUIRED_DATA",
    "ScrapydClient",
    "ScrapydError",
    "ScrapydJob",
    "ScrapydPool",
    "build_egg",
    "check_scrapyd_url",
    "egg_problems",
]
