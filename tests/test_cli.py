"""The CLI: every command is documented with --help and an example."""

from __future__ import annotations

import pytest

from newscrawl.cli import COMMANDS, build_parser, main


def test_there_are_commands() -> None:
    assert {"crawl", "extract", "search", "demo", "sites"} <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_with_example(name: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([name, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "example:" in out
    assert f"newscrawl {name.split()[0]}" in out


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_a_one_line_help(name: str) -> None:
    run, help_text, example, _ = COMMANDS[name]
    assert help_text and "\n" not in help_text
    assert example.startswith("newscrawl ")
    assert run.__doc__ is None or isinstance(run.__doc__, str)


def test_top_level_help_lists_every_command(capsys) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    out = capsys.readouterr().out
    for name in COMMANDS:
        assert name in out


def test_bad_date_is_a_clear_error(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["crawl", "surabayapagi", "--since", "13 Agustus"])
    assert exit_info.value.code == 2
    assert "expected a date like 2024-08-01" in capsys.readouterr().err


def test_unknown_portal_is_a_clear_error(capsys, tmp_path) -> None:
    assert main(["crawl", "no-such-portal", "--db", str(tmp_path / "a.sqlite3")]) == 2
    assert "unknown portal 'no-such-portal'" in capsys.readouterr().err
