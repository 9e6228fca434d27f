"""Recording defaults: the JSON file, the dialog, and the consent draft they shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.settings import FILE, Settings, SettingsError, load, save
from app.settings_dialog import SettingsDialog
from recorder.consent import DEFAULT_DENY_APPS
from tests.app.sessions import OFFSCREEN_LIMITS

pytestmark = OFFSCREEN_LIMITS


def test_defaults_when_there_is_no_file(tmp_path: Path) -> None:
    assert load(tmp_path) == Settings()


def test_round_trip_and_scope(tmp_path: Path) -> None:
    save(tmp_path, Settings(text_mode="keys", fps=2.5, deny_apps=["signal"]))
    loaded = load(tmp_path)
    assert loaded.text_mode == "keys"
    scope = loaded.scope()
    assert scope.fps == 2.5
    assert scope.apps_deny == (*DEFAULT_DENY_APPS, "signal")
    assert json.loads((tmp_path / FILE).read_text())["version"] == 1


@pytest.mark.parametrize("doc", ['{"version": 99}', "not json", '{"version": 1, "fps": 0}'])
def test_bad_files_are_refused_in_one_sentence(tmp_path: Path, doc: str) -> None:
    (tmp_path / FILE).write_text(doc)
    with pytest.raises(SettingsError):
        load(tmp_path)


def test_dialog_saves_and_refuses_a_bad_hotkey(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = SettingsDialog(tmp_path)
    qtbot.add_widget(dialog)
    dialog.show()
    dialog.hotkey.setText("ctrl+")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.click()
    assert "hotkey" in dialog.error.text()
    assert not (tmp_path / FILE).exists()
    dialog.hotkey.setText("ctrl+alt+p")
    dialog.text_mode.setCurrentText("none")
    dialog.deny.setText("signal, thunderbird")
    with qtbot.wait_signal(dialog.accepted):
        ok.click()
    saved = load(tmp_path)
    assert saved.pause_hotkey == "ctrl+alt+p"
    assert saved.deny_apps == ["signal", "thunderbird"]
    assert saved.scope().keys is False


def test_dialog_turns_autostart_on_and_off(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app import autostart

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    dialog = SettingsDialog(tmp_path)
    qtbot.add_widget(dialog)
    assert not dialog.autostart.isChecked()
    dialog.autostart.setChecked(True)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert autostart.is_enabled()
    again = SettingsDialog(tmp_path)
    qtbot.add_widget(again)
    assert again.autostart.isChecked()
    again.autostart.setChecked(False)
    again.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert not autostart.is_enabled()
