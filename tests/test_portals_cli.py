"""``newscrawl sites`` and ``newscrawl sites check SITE`` (run in-process)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from newscrawl.cli import main
from tests.fixture_pages import FIXTURES


def test_sites_lists_every_portal_with_policy(capsys) -> None:
    assert main(["sites", "--json"]) == 0
    rows = {r["key"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["antaranews"]["allowed"] is False
    assert rows["detik"]["date_index"].startswith("/jatim/indeks?page={page}&date=")
    assert rows["kompas"]["split_param"] == "page=all"
    assert main(["sites"]) == 0
    assert "excluded: ANTARA prints" in capsys.readouterr().out


def test_sites_check_passes_on_a_portal(capsys) -> None:
    assert main(["sites", "check", "kompas", "--fixtures", str(FIXTURES)]) == 0
    out = capsys.readouterr().out
    assert "✓ published_at" in out and "✗" not in out
    assert "token F1 1.000" in out


def test_sites_check_fails_and_shows_the_difference(tmp_path: Path, capsys) -> None:
    shutil.copytree(FIXTURES / "jpnn", tmp_path / "jpnn")
    expected = tmp_path / "jpnn" / "news-tabung-oksigen" / "expected.json"
    data = json.loads(expected.read_text(encoding="utf-8"))
    data["editor"] = "Someone Else"
    expected.write_text(json.dumps(data), encoding="utf-8")
    assert main(["sites", "check", "jpnn", "--fixtures", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "✗ editor" in out and "'Someone Else'" in out and "'Boy Irawan'" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["sites", "check"], "needs a portal key"),
        (["sites", "check", "nope"], "unknown portal"),
        (["crawl"], "portal key"),
        (["crawl", "detik", "--url", "https://x.id/"], "not both"),
        (["crawl", "--url", "ftp://x.id/"], "http"),
    ],
)
def test_usage_errors(argv: list[str], message: str, capsys) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err
