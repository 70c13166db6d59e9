"""Dependencies are loud: --version lists them with versions, a broken one is named in one line."""

from __future__ import annotations

import pytest
from packaging.requirements import Requirement

from newscrawl import cli, deps


def test_version_lists_every_runtime_dependency(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--version"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("newscrawl ")
    for name in ("scrapy", "trafilatura", "lxml_html_clean", "sqlalchemy", "w3lib", "warcio"):
        lines = [line for line in out.splitlines() if line.strip().startswith(name + " ")]
        assert lines, (name, out)
        line = lines[0]
        assert "BROKEN" not in line, line


def test_every_declared_dependency_imports():
    broken = [d for d in deps.dependencies() if not d.ok]
    assert broken == []


def test_missing_distribution_is_named():
    dep = deps.check(Requirement("no-such-newscrawl-dependency>=1"))
    assert (dep.ok, dep.problem) == (False, "not installed")


def test_broken_import_is_named(monkeypatch):
    real = deps.importlib.import_module

    def fake(name, *args):
        if name == "trafilatura":
            raise ModuleNotFoundError("No module named 'lxml.html.clean'")
        return real(name, *args)

    monkeypatch.setattr(deps.importlib, "import_module", fake)
    dep = deps.check(Requirement("trafilatura"))
    assert not dep.ok and "lxml.html.clean" in dep.problem
    assert "trafilatura" in deps.report() and "BROKEN: ModuleNotFoundError" in deps.report()


def test_broken_dependency_is_one_line_not_a_traceback(monkeypatch, capsys):
    monkeypatch.setattr(cli, "_IMPORT_ERRORS", [ModuleNotFoundError("No module named 'x'")])
    assert cli.main(["sites"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "dependency is missing or broken" in err and "Traceback" not in err
