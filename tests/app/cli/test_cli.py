"""The CLI contract: version, help, one-sentence errors, never a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.cli import main as cli
from app.cli.support import CliError, read_passphrase, vault_home
from tests.helpers.overt_cli import run_overt


def test_version_prints_the_package_version() -> None:
    out = run_overt("--version")
    assert out.returncode == 0
    assert out.stdout.startswith("overt ")
    assert cli.overt_version() in out.stdout


def test_help_lists_the_commands() -> None:
    out = run_overt("--help")
    assert out.returncode == 0
    assert "doctor" in out.stdout


def test_unknown_command_is_one_sentence_and_exit_2() -> None:
    out = run_overt("fly")
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1
    assert "Traceback" not in out.stderr


def test_global_flags_work_after_the_command(tmp_path: Path) -> None:
    args = cli.build_parser().parse_args(["doctor", "--home", str(tmp_path)])
    assert vault_home(args) == tmp_path


def test_home_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OVERT_HOME", str(tmp_path))
    args = cli.build_parser().parse_args(["doctor"])
    assert vault_home(args) == tmp_path


def test_passphrase_file_strips_one_newline(tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_bytes(b"correct horse \n")
    args = cli.build_parser().parse_args(["doctor", "--passphrase-file", str(secret)])
    assert read_passphrase(args) == b"correct horse "


def test_missing_passphrase_file_is_a_clear_error(tmp_path: Path) -> None:
    args = cli.build_parser().parse_args(["doctor", "--passphrase-file", str(tmp_path / "no")])
    with pytest.raises(CliError, match="does not exist"):
        read_passphrase(args)


def test_no_passphrase_and_no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OVERT_PASSPHRASE_FILE", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    args = cli.build_parser().parse_args(["doctor"])
    with pytest.raises(CliError, match="passphrase is needed"):
        read_passphrase(args)


def test_unexpected_error_is_one_sentence(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom(_args: object) -> int:
        raise ZeroDivisionError("x")

    parser = cli.build_parser()
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    parser.set_defaults(func=boom)
    assert cli.main([]) == cli.EXIT_ERROR
    err = capsys.readouterr().err
    assert "Unexpected internal error (ZeroDivisionError)" in err
    assert "Traceback" not in err


def test_run_without_display_says_what_is_missing(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "OVERT_HOME": str(tmp_path / "v")}
    out = run_overt(env=env)
    assert out.returncode == 1
    assert "No display" in out.stderr
    assert "make demo" in out.stderr
