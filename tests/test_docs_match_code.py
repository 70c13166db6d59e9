"""The docs say what the code does: the exit-code table against the exit-code constants, and
the settings docs against the settings module and the defaults the code reads settings with."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from newscrawl import cli

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

# --- exit codes -----------------------------------------------------------------------------------
_EXIT_ROW_RE = re.compile(r"^\| (\d+) \| `(EXIT_[A-Z_]+)` \| (.+) \|$", re.MULTILINE)


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n#", start + len(heading))
    return text[start : end if end != -1 else len(text)]


def test_exit_code_table_matches_the_code() -> None:
    table = _section((DOCS / "archivists.md").read_text(encoding="utf-8"), "### Exit codes")
    documented = {name: int(code) for code, name, _ in _EXIT_ROW_RE.findall(table)}
    in_code = {name: getattr(cli, name) for name in dir(cli) if name.startswith("EXIT_")}
    assert documented == in_code
    assert len(set(in_code.values())) == len(in_code)  # every code means one thing


def test_exit_codes_are_stated_once() -> None:
    """Other pages link to the table instead of restating the crawl's exit statuses."""
    for page in ("troubleshooting.md", "archivists.md", "deploy.md", "monitors.md"):
        text = (DOCS / page).read_text(encoding="utf-8")
        if page == "archivists.md":
            text = text.replace(_section(text, "### Exit codes"), "")
        for wrong in ("still exits 0", "still ends with exit status 0", "Exit status: 0 when"):
            assert wrong not in text, f"{page} restates an exit status: {wrong!r}"
    assert "archivists.md#exit-codes" in (DOCS / "troubleshooting.md").read_text(encoding="utf-8")


# --- settings -------------------------------------------------------------------------------------
#: Settings whose documented value is a description, not a value to compare.
DESCRIBED = {
    "USER_AGENT": "built from the version and NEWSCRAWL_CONTACT",
    "TWISTED_REACTOR": "named, not spelled out",
    "DOWNLOADER_MIDDLEWARES": "component lists",
    "EXTENSIONS": "component lists",
    "ITEM_PIPELINES": "component lists",
    "ADDONS": "component lists",
    "NEWSCRAWL_POLITE_LEASE_TTL": "0 in code means DOWNLOAD_TIMEOUT + 15 s, as documented",
}
#: Settings of the settings module that are plumbing, not choices a user makes.
PLUMBING = {
    "BOT_NAME",
    "SPIDER_MODULES",
    "NEWSPIDER_MODULE",
    "FEED_EXPORT_ENCODING",
    "LOG_FORMATTER",
    "TWISTED_DNS_RESOLVER",
    "DOWNLOAD_FAIL_ON_DATALOSS",
    "SAFETY_SETTINGS",
}
_UNITS = {"KiB": 1024, "MiB": 1024**2, "GiB": 1024**3}


def effective_settings() -> dict:
    """The project's settings as a crawl sees them, without NEWSCRAWL_* environment variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSCRAWL_")}
    env["PYTHONPATH"] = str(ROOT)
    code = (
        "import json\n"
        "from newscrawl.runner import project_settings\n"
        "print(json.dumps(project_settings().copy_to_dict(), default=repr))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def code_defaults() -> dict[str, object]:
    """``settings.getX("NEWSCRAWL_...", literal)`` defaults read by the code."""
    found: dict[str, object] = {}
    for path in (ROOT / "newscrawl").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("get", "getbool", "getint", "getfloat", "getlist")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and str(node.args[0].value).startswith("NEWSCRAWL_")
            ):
                continue
            if len(node.args) > 1:
                try:
                    default = ast.literal_eval(node.args[1])
                except ValueError:
                    continue
            elif node.func.attr == "getbool":
                default = False
            else:
                continue
            found.setdefault(node.args[0].value, default)
    return found


def documented_values() -> dict[str, str]:
    """Setting -> documented value (the 'default' or 'ours' cell, or the prose in brackets)."""
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    values: dict[str, str] = {}
    column = 1
    for line in text.splitlines():
        if line.startswith("| setting |"):
            column = 2 if "| ours |" in line else 1
            continue
        if line.startswith("| variable |"):
            column = 0  # environment only: names, not settings
            continue
        if not line.startswith("| `") or not column:
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        names = re.findall(r"`([A-Z][A-Z0-9_]+)`", cells[0])
        parts = (
            [p.strip() for p in cells[column].split(" / ")] if len(names) > 1 else [cells[column]]
        )
        for name, part in zip(names, parts, strict=False):
            values[name] = part
    prose = _section(text, "### Distributed crawls")
    for name, value in re.findall(r"`(NEWSCRAWL_[A-Z_]+)` \(([^)]*)\)", prose):
        if not value.startswith("make "):
            values[name] = value
    return values


def parse_value(cell: str) -> object:
    """A documented value as a Python value.

    >>> parse_value("`536870912` (512 MiB)"), parse_value("`true`"), parse_value("none")
    (536870912, True, None)
    >>> parse_value("8 MiB"), parse_value("`1.0` s"), parse_value("10 s"), parse_value("`INFO`")
    (8388608, 1.0, 10, 'INFO')
    """
    cell = cell.strip()
    if cell.startswith("none"):
        return None
    m = re.match(r"(\d+) (KiB|MiB|GiB)\b", cell)
    if m:
        return int(m.group(1)) * _UNITS[m.group(2)]
    m = re.match(r"`([^`]*)`", cell) or re.match(r"(\S+)", cell)
    raw = m.group(1)
    if raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    for kind in (int, float):
        try:
            return kind(raw)
        except ValueError:
            pass
    return raw


def _same(documented: object, actual: object) -> bool:
    if documented is None:
        return actual in (None, "", [], {})
    if isinstance(actual, bool) or isinstance(documented, bool):
        return str(actual).lower() == str(documented).lower()
    if isinstance(actual, int | float) and isinstance(documented, int | float):
        return float(actual) == float(documented)
    if isinstance(actual, list | tuple):  # documented as `a,b,c`
        return [str(v) for v in actual] == [v.strip() for v in str(documented).split(",")]
    return str(actual) == str(documented)


@pytest.fixture(scope="module")
def settings() -> dict:
    return effective_settings()


def test_documented_defaults_are_the_real_ones(settings) -> None:
    defaults = {**code_defaults(), **settings}
    wrong = {}
    for name, cell in documented_values().items():
        if name in DESCRIBED or name not in defaults:
            continue
        if not _same(parse_value(cell), defaults[name]):
            wrong[name] = (cell, defaults[name])
    assert not wrong, f"docs/settings.md says (doc, code): {wrong}"


def test_every_setting_is_documented(settings) -> None:
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    # "`NEWSCRAWL_SMTP_HOST`, `_PORT`" names NEWSCRAWL_SMTP_PORT too
    for first, rest in re.findall(r"`(NEWSCRAWL_[A-Z]+)_[A-Z]+`((?:, `_[A-Z]+`)+)", text):
        text += " " + " ".join(f"`{first}{s}`" for s in re.findall(r"`(_[A-Z]+)`", rest))
    module_names = set(vars(__import__("newscrawl.settings", fromlist=["x"])))
    ours = {n for n in module_names if n.isupper()} | set(code_defaults())
    from newscrawl.safety.settings import SAFETY_SETTINGS

    ours |= set(SAFETY_SETTINGS)
    missing = sorted(n for n in ours - PLUMBING if f"`{n}`" not in text)
    assert not missing, f"not in docs/settings.md: {missing}"


def test_remote_control_is_documented_as_it_is(settings) -> None:
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    documented = parse_value(documented_values().get("REMOTE_CONTROL_ENABLED", "missing"))
    assert _same(documented, settings["REMOTE_CONTROL_ENABLED"])
    assert "also starts\na *remote control*" not in text
