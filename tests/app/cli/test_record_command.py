"""`overt record` refuses, with one sentence and nothing written, whenever it cannot record."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.cli import main as cli
from app.cli.commands import record
from app.cli.support import CliError
from app.core.settings import FILE, Settings, load, save
from app.tray.app import TrayApp
from recorder.consent.participant import participant_id
from recorder.consent.record import narrow_to_study
from recorder.consent.study import CaptureRequest, Study
from recorder.consent.text import text_sha256
from tests.app.sessions import OFFSCREEN_LIMITS, make_vault
from tests.helpers.overt_cli import run_overt
from tests.recorder.fakes import FakeBackend, MemorySink


def run_record(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "OVERT_HOME": str(tmp_path / "v")}
    return run_overt("record", *args, env=base | env)


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


def test_a_task_instruction_over_the_limit_records_nothing(tmp_path: Path) -> None:
    out = run_record(tmp_path, "--i-consent", "--task", "x" * 2001, DISPLAY=":99")
    assert_refused(out, tmp_path, "the limit is 2000 (nothing was recorded)")


def test_without_a_vault(tmp_path: Path) -> None:
    out = run_record(tmp_path, "--i-consent", DISPLAY=":99")
    assert_refused(out, tmp_path, "There is no vault")
    assert "overt init" in out.stderr


def test_a_missing_study_file_is_refused(tmp_path: Path) -> None:
    out = run_record(tmp_path, "--i-consent", "--study", "s.toml", DISPLAY=":99")
    assert_refused(out, tmp_path, "The study file s.toml does not exist")


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


def _study() -> Study:
    import pyrage

    return Study(
        id="uxlab", title="Forms", researcher="UX Lab", contact="lab@example.org",
        recipient=str(pyrage.x25519.Identity.generate().to_public()), purposes=("agents",),
        capture=CaptureRequest(text_mode="keys", frame_rate=0.5, apps_deny=("thunderbird",)),
    )  # fmt: skip


def test_a_study_is_narrowed_by_the_volunteer_never_widened() -> None:
    chosen = record.scope_from_args(parse("--i-consent", "--fps", "5", "--no-titles"))  # type: ignore[arg-type]
    scope = narrow_to_study(_study().capture, chosen)
    assert scope.text_mode == "keys"  # the study asked for less text than the default "full"
    assert scope.fps == 0.5  # the study's rate, though the volunteer allowed more
    assert scope.window_titles is False  # the volunteer's choice wins when narrower
    assert "thunderbird" in scope.apps_deny
    assert "keepassxc" in scope.apps_deny


def test_typed_yes_affirms_the_record_with_the_shown_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args = parse("--text", "keys")
    scope = record.scope_from_args(args)  # type: ignore[arg-type]
    monkeypatch.setattr("builtins.input", lambda: "yes")
    consent = record.affirmed_consent(args, scope, _study(), tmp_path)  # type: ignore[arg-type]
    shown = capsys.readouterr().out
    assert "UX Lab (lab@example.org)" in shown
    assert consent["affirmed_by"] == "typed 'yes' at the CLI prompt"
    assert consent["text"]["sha256"] == text_sha256(shown.split("Type yes")[0])
    assert consent["participant_id"] == participant_id(tmp_path, "uxlab")
    assert consent["study"]["id"] == "uxlab"


@pytest.mark.parametrize("answer", ["", "y", "no", "YES please"])
def test_anything_but_yes_records_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    args = parse()
    monkeypatch.setattr("builtins.input", lambda: answer)
    with pytest.raises(CliError, match="nothing was recorded"):
        record.affirmed_consent(args, record.scope_from_args(args), None, tmp_path)  # type: ignore[arg-type]


# --- the CLI drafts the consent the tray drafts ----------------------------------------------

SETTINGS = Settings(
    text_mode="keys", fps=2.0, frames=False, window_titles=False, deny_apps=["slack"],
    allow_apps=["firefox"], pause_hotkey="ctrl+alt+shift+o", retention_days=5,
)  # fmt: skip


@pytest.fixture
def x11_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """Say this is an X11 session, with a fake capture backend (no display is opened)."""
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.setenv("XDG_SESSION_TYPE", "x11")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("recorder.platform.backend.default_backend", FakeBackend)


def record_into_memory(home: Path, *flags: str) -> dict[str, Any]:
    """Run `overt record --home HOME FLAGS` into an in-memory sink; the consent it stored."""
    sinks: list[MemorySink] = []

    def open_sink(consent: dict[str, Any]) -> MemorySink:
        sinks.append(MemorySink(consent))
        return sinks[-1]

    args = cli.build_parser().parse_args(["record", "--home", str(home), *flags])
    assert record.run_record(args, sink_factory=open_sink) == 0
    [sink] = sinks
    assert sink.consent is not None
    return sink.consent


def trays_draft(qtbot: QtBot, home: Path) -> dict[str, Any]:
    """The consent the tray's Record… drafts for this vault (before the person affirms it)."""
    tray = TrayApp(home, tray_available=False)
    assert tray.status_window is not None
    qtbot.add_widget(tray.status_window)
    qtbot.add_widget(tray.prompt)
    dialog = tray.record()
    assert dialog is not None
    qtbot.add_widget(dialog)
    draft = dict(dialog.draft)
    dialog.reject()
    tray.timer.stop()
    return draft


@OFFSCREEN_LIMITS
def test_the_cli_records_with_the_consent_the_tray_drafts(
    qtbot: QtBot, tmp_path: Path, x11_session: None, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "vault"
    make_vault(home)
    save(home, SETTINGS)
    consent = record_into_memory(home, "--i-consent", "--duration", "0.2")
    assert consent["retention"]["local_days"] == 5  # the Settings' retention, as in the tray
    assert consent["scope"]["duration_s"] == 0.2  # the one thing the flags chose
    draft = trays_draft(qtbot, home)
    assert {**consent["scope"], "duration_s": None} == draft["scope"]
    for field in ("retention", "participant_id", "study", "purposes", "recipients"):
        assert consent[field] == draft[field], field
    assert capsys.readouterr().out.startswith("Recording session ")


def test_flags_change_the_settings_for_one_session(tmp_path: Path, x11_session: None) -> None:
    save(tmp_path, SETTINGS)
    flags = ("--i-consent", "--duration", "0.2", "--text", "full", "--fps", "1", "--deny", "gimp")
    scope = record_into_memory(tmp_path, *flags)["scope"]
    assert (scope["text_mode"], scope["fps"]) == ("full", 1.0)
    assert {"slack", "gimp", "keepassxc"} <= set(scope["apps_deny"])  # every list kept
    assert (scope["apps_allow"], scope["frames"]) == (["firefox"], False)  # the rest as set
    assert load(tmp_path) == SETTINGS  # a flag changes one session, never the Settings


def test_a_broken_settings_file_records_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], x11_session: None
) -> None:
    (tmp_path / FILE).write_text("{", encoding="utf-8")
    code = cli.main(["record", "--i-consent", "--home", str(tmp_path), "--duration", "0.2"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1
    assert "cannot be read" in err
    assert "Nothing was recorded" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == [FILE]  # no session, no secret


def test_a_replaced_vault_key_records_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], x11_session: None
) -> None:
    """Issue 20 item 1: someone who can write vault.key cannot have sessions sealed to them."""
    home = tmp_path / "vault"
    make_vault(home)
    make_vault(tmp_path / "attacker")
    (home / "vault.key").write_bytes((tmp_path / "attacker" / "vault.key").read_bytes())
    code = cli.main(["record", "--i-consent", "--home", str(home), "--duration", "0.2"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1, err
    assert "will not record into it" in err
    assert "Traceback" not in err
    assert list((home / "sessions").iterdir()) == []


@pytest.mark.parametrize(
    ("spec", "words"),
    [("p", "needs ctrl, alt or super"), ("ctrl+banana", "not a key"), ("ctrl+c", "copy")],
)
def test_an_unusable_pause_hotkey_flag_is_one_sentence(spec: str, words: str) -> None:
    with pytest.raises(CliError, match=re.escape(f"The pause hotkey {spec!r} ") + f".*{words}"):
        record.scope_from_args(parse("--i-consent", "--pause-hotkey", spec))  # type: ignore[arg-type]


def test_a_bad_saved_pause_hotkey_records_with_the_default_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / FILE).write_text('{"version": 2, "pause_hotkey": "p"}')
    settings = record.load_settings(tmp_path)
    assert settings.scope().pause_hotkey == "ctrl+alt+shift+p"
    err = capsys.readouterr().err
    assert err.startswith("The saved pause hotkey 'p' needs ctrl, alt or super")
    assert err.count("\n") == 1
