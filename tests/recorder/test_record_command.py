"""`overt record` refuses, with one sentence and nothing written, whenever it cannot record."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app import cli
from app.cli_support import CliError
from app.commands import record
from tests.conftest import ROOT


def run_record(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "OVERT_HOME": str(tmp_path / "v")}
    return subprocess.run(
        [sys.executable, "-m", "app", "record", *args],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def assert_refused(out: subprocess.CompletedProcess[str], tmp_path: Path, words: str) -> None:
    assert out.returncode == 1, out.stderr
    assert out.stdout == ""
    assert out.stderr.count("\n") == 1, out.stderr
    assert words in out.stderr
    assert "Traceback" not in out.stderr
    assert not (tmp_path / "v").exists()


def test_without_consent(tmp_path: Path) -> None:
    out = run_record(tmp_path, "--duration", "5", DISPLAY=":99")
    assert_refused(out, tmp_path, "needs your consent")


def test_without_a_display(tmp_path: Path) -> None:
    assert_refused(run_record(tmp_path, "--i-consent"), tmp_path, "No display was found")


def test_on_wayland(tmp_path: Path) -> None:
    out = run_record(tmp_path, "--i-consent", DISPLAY=":0", XDG_SESSION_TYPE="wayland")
    assert_refused(out, tmp_path, "X11 session")


def test_without_a_vault(tmp_path: Path) -> None:
    out = run_record(tmp_path, "--i-consent", DISPLAY=":99")
    assert_refused(out, tmp_path, "There is no vault")
    assert "overt init" in out.stderr


def test_study_files_are_not_there_yet(tmp_path: Path) -> None:
    out = run_record(tmp_path, "--i-consent", "--study", "s.toml", DISPLAY=":99")
    assert_refused(out, tmp_path, "Study files arrive with the consent feature")


def test_bad_text_mode_is_a_usage_error(tmp_path: Path) -> None:
    out = run_record(tmp_path, "--i-consent", "--text", "all")
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1


def parse(*args: str) -> object:
    return cli.build_parser().parse_args(["record", *args])


def test_flags_become_the_consent_scope() -> None:
    args = parse(
        "--i-consent",
        "--apps",
        "gedit, firefox",
        "--deny",
        "slack",
        "--duration",
        "90",
        "--text",
        "keys",
        "--fps",
        "2",
        "--no-titles",
        "--raw-moves",
        "--idle-stop",
        "30",
    )
    scope = record.scope_from_args(args)  # type: ignore[arg-type]
    assert scope.apps_allow == ("gedit", "firefox")
    assert "slack" in scope.apps_deny
    assert "keepassxc" in scope.apps_deny
    assert (scope.duration_s, scope.text_mode, scope.fps) == (90, "keys", 2)
    assert not scope.window_titles
    assert scope.move_hz is None
    assert scope.idle_stop_s == 30


@pytest.mark.parametrize(
    ("flags", "words"),
    [
        (["--fps", "0"], "frame rate"),
        (["--duration", "-1"], "duration"),
        (["--pause-hotkey", "ctrl+alt"], "pause hotkey"),
        (["--idle-stop", "0"], "idle stop"),
    ],
)
def test_bad_values_are_one_sentence(flags: list[str], words: str) -> None:
    with pytest.raises(CliError, match=words):
        record.scope_from_args(parse("--i-consent", *flags))  # type: ignore[arg-type]


def test_an_empty_vault_folder_is_no_vault(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(CliError, match="There is no vault"):
        record.vault_sink_factory(tmp_path / "empty")
