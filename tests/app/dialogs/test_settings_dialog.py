"""The settings dialog (pytest-qt, offscreen): every field saved and reloaded, the sentences it
shows, the open-windows picker, and changing where the vault lives without losing a vault."""

from __future__ import annotations

import builtins
import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from app.core import keyring_unlock
from app.core.settings import FILE, Settings, load, save
from app.core.vault_location import default_home, load_location
from app.dialogs.settings_dialog import SettingsDialog
from recorder.capture.policy import WindowInfo
from recorder.errors import CaptureUnavailable
from storage import Vault
from tests.app.fakes import FakeKeyring
from tests.app.sessions import OFFSCREEN_LIMITS, PASSPHRASE, TEST_LOG_N, make_vault, write_session

pytestmark = OFFSCREEN_LIMITS


class NoKeyring:
    """A keyring module stand-in: the unlock option's availability is not under test here."""


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("OVERT_HOME", raising=False)


def window(app: str, title: str, pid: int = 4242, instance: str = "") -> WindowInfo:
    return WindowInfo(app=app, title=title, pid=pid, x=0, y=0, w=10, h=10, wid=1,
                      instance=instance)  # fmt: skip


def open_dialog(qtbot: QtBot, home: Path, **kwargs: object) -> SettingsDialog:
    kwargs.setdefault("list_windows", lambda: [])
    dialog = SettingsDialog(home, keyring=NoKeyring(), **kwargs)  # type: ignore[arg-type]
    qtbot.add_widget(dialog)
    dialog.show()
    return dialog


def press_ok(dialog: SettingsDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_every_field_is_saved_and_shown_again(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = open_dialog(qtbot, tmp_path)
    dialog.mouse.setChecked(False)
    dialog.text_mode.setCurrentIndex(dialog.text_mode.findData("keys"))
    dialog.frames.setChecked(False)
    dialog.fps.setValue(2.5)
    dialog.titles.setChecked(False)
    dialog.hotkey.setText(" ctrl+alt+p ")
    dialog.allow.setText("Firefox, gedit")
    dialog.deny.setText("signal,  Thunderbird, signal")
    dialog.retention.setValue(30)
    with qtbot.wait_signal(dialog.accepted):
        press_ok(dialog)
    saved = load(tmp_path)
    assert saved == Settings(
        text_mode="keys", fps=2.5, frames=False, window_titles=False, pause_hotkey="ctrl+alt+p",
        deny_apps=["signal", "thunderbird"], mouse=False, allow_apps=["firefox", "gedit"],
        retention_days=30,
    )  # fmt: skip
    again = open_dialog(qtbot, tmp_path)
    assert not again.mouse.isChecked()
    assert again.keys.isChecked()
    assert again.text_mode.currentData() == "keys"
    assert not again.frames.isChecked()
    assert not again.fps.isEnabled()
    assert again.fps.value() == 2.5
    assert not again.titles.isChecked()
    assert again.hotkey.text() == "ctrl+alt+p"
    assert again.allow.text() == "firefox, gedit"
    assert again.deny.text() == "signal, thunderbird"
    assert again.retention.value() == 30
    assert again.current() == saved


def test_keys_off_saves_no_text_and_disables_the_text_choice(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = open_dialog(qtbot, tmp_path)
    dialog.keys.setChecked(False)
    assert not dialog.text_mode.isEnabled()
    dialog.retention.setValue(0)
    with qtbot.wait_signal(dialog.accepted):
        press_ok(dialog)
    saved = load(tmp_path)
    assert (saved.keys, saved.text_mode, saved.retention_days) == (False, "none", None)
    assert saved.scope().keys is False
    assert dialog.retention.text() == "until I delete them"


def test_bad_values_are_one_sentence_and_nothing_is_written(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = open_dialog(qtbot, tmp_path)
    dialog.hotkey.setText("ctrl+")
    press_ok(dialog)
    assert dialog.error.text().startswith("The pause hotkey 'ctrl+'")
    assert dialog.isVisible()
    dialog.hotkey.setText("ctrl+alt+p")
    dialog.allow.setText("signal")
    dialog.deny.setText("Signal")
    press_ok(dialog)
    assert dialog.error.text() == (
        "signal is both in the only-record list and the never-record list; "
        "remove it from one of them."
    )
    dialog.deny.setText("")
    dialog.allow.setText("keepassxc")
    press_ok(dialog)
    assert dialog.error.text().startswith("keepassxc is never recorded")
    assert not (tmp_path / FILE).exists()


def test_a_broken_file_shows_the_defaults_and_says_why(qtbot: QtBot, tmp_path: Path) -> None:
    (tmp_path / FILE).write_text('{"version": 2, "fps": 99}')
    dialog = open_dialog(qtbot, tmp_path)
    assert "bad value for 'fps'" in dialog.error.text()
    assert dialog.error.text().endswith("Showing the defaults.")
    assert dialog.current() == Settings()


def test_the_picker_adds_ticked_open_apps(qtbot: QtBot, tmp_path: Path) -> None:
    windows = [
        window("Firefox", "Inbox — Mozilla Firefox"),
        window("Firefox", "Docs — Mozilla Firefox"),
        window("", "notes", instance="gedit"),
        window("KeePassXC", "Passwords"),
        window("python3", "Overt: settings", pid=os.getpid()),
    ]
    dialog = open_dialog(qtbot, tmp_path, list_windows=lambda: windows)
    dialog.allow.setText("code")
    dialog.pick_allow.click()
    picker = dialog.picker
    assert picker is not None
    assert list(picker.items) == ["firefox", "gedit", "keepassxc"]  # Overt's own left out
    assert "Inbox — Mozilla Firefox, Docs — Mozilla Firefox" in picker.items["firefox"].text()
    assert picker.items["keepassxc"].text().endswith("(never recorded)")
    assert not picker.items["keepassxc"].flags() & Qt.ItemFlag.ItemIsEnabled
    picker.items["firefox"].setCheckState(Qt.CheckState.Checked)
    picker.items["gedit"].setCheckState(Qt.CheckState.Checked)
    with qtbot.wait_signal(picker.finished):
        picker.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.allow.text() == "code, firefox, gedit"
    dialog.pick_deny.click()
    assert dialog.picker is not None
    dialog.picker.items["firefox"].setCheckState(Qt.CheckState.Checked)
    dialog.picker.accept()
    assert dialog.deny.text() == "firefox"
    assert "firefox is both in the only-record list" in dialog.error.text()


def test_the_picker_says_when_windows_cannot_be_listed(qtbot: QtBot, tmp_path: Path) -> None:
    def unreachable() -> list[WindowInfo]:
        raise CaptureUnavailable("Cannot connect to the X display: refused.")

    dialog = open_dialog(qtbot, tmp_path, list_windows=unreachable)
    dialog.pick_deny.click()
    assert dialog.picker is None
    assert dialog.error.text() == (
        "Cannot connect to the X display: refused. Type the app names instead."
    )
    empty = open_dialog(qtbot, tmp_path)
    empty.pick_deny.click()
    assert "No other app has a window open" in empty.error.text()


def test_without_x11_the_app_names_are_typed(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    dialog = SettingsDialog(tmp_path, keyring=NoKeyring())
    qtbot.add_widget(dialog)
    assert dialog.list_windows is None
    assert not dialog.pick_allow.isEnabled()
    assert not dialog.pick_deny.isEnabled()
    assert "type the app names" in dialog.apps_note.text()


# --- where the vault lives ---------------------------------------------------------------


def test_home_or_overt_home_locks_the_storage_field(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = open_dialog(qtbot, tmp_path / "vault")
    assert dialog.overridden
    assert dialog.location.isReadOnly()
    assert not dialog.choose_location.isEnabled()
    assert "--home or OVERT_HOME" in dialog.location_note.text()


def test_switching_to_a_folder_with_a_vault_keeps_both(qtbot: QtBot, tmp_path: Path) -> None:
    current = default_home()
    write_session(make_vault(current))
    other = tmp_path / "usb" / "vault"
    make_vault(other)
    dialog = open_dialog(qtbot, current)
    assert not dialog.overridden
    dialog.deny.setText("signal")
    dialog.location.setText(str(other))
    assert "That folder holds an Overt vault" in dialog.location_note.text()
    assert f"Your vault in {current} (1 session) stays where it is" in dialog.location_note.text()
    with qtbot.wait_signal(dialog.accepted):
        press_ok(dialog)
    assert load_location() == other
    assert load(other).deny_apps == ["signal"]  # the settings go along
    assert load(current).deny_apps == ["signal"]
    assert len(Vault.open(current).session_ids()) == 1  # the old vault is untouched
    back = open_dialog(qtbot, other)
    assert not back.overridden
    back.location.setText(str(current))
    with qtbot.wait_signal(back.accepted):
        press_ok(back)
    assert load_location() is None  # the default again


def test_an_empty_folder_gets_a_new_vault_first(qtbot: QtBot, tmp_path: Path) -> None:
    current = default_home()
    make_vault(current)
    new = tmp_path / "new-place"
    asked: list[Path] = []

    def create(folder: Path, parent: QWidget) -> bool:
        asked.append(folder)
        Vault.create(folder, PASSPHRASE, log_n=TEST_LOG_N)
        return True

    dialog = open_dialog(qtbot, current, create_vault=create)
    dialog.location.setText(str(new))
    assert "a new, empty vault there" in dialog.location_note.text()
    with qtbot.wait_signal(dialog.accepted):
        press_ok(dialog)
    assert asked == [new]
    assert load_location() == new
    Vault.open(new)
    assert (new / FILE).is_file()


def test_declining_to_create_a_vault_changes_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    current = default_home()
    make_vault(current)
    dialog = open_dialog(qtbot, current, create_vault=lambda folder, parent: False)
    dialog.location.setText(str(tmp_path / "new-place"))
    press_ok(dialog)
    assert dialog.error.text() == (
        f"No vault was created in {tmp_path / 'new-place'}; nothing was changed."
    )
    assert dialog.isVisible()
    assert load_location() is None
    assert not (current / FILE).exists()
    assert not (tmp_path / "new-place").exists()


def test_a_folder_with_other_files_is_refused(qtbot: QtBot, tmp_path: Path) -> None:
    current = default_home()
    make_vault(current)
    save(current, Settings(fps=2.0))
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "cat.jpg").write_bytes(b"\xff\xd8")
    dialog = open_dialog(qtbot, current)
    dialog.location.setText(str(tmp_path / "photos"))
    press_ok(dialog)
    assert "is not empty and holds no Overt vault" in dialog.error.text()
    assert load_location() is None
    assert load(current).fps == 2.0
    assert sorted(p.name for p in (tmp_path / "photos").iterdir()) == ["cat.jpg"]


def test_the_dialog_turns_autostart_on_and_off(qtbot: QtBot, tmp_path: Path) -> None:
    from app.core import autostart

    dialog = open_dialog(qtbot, tmp_path)
    assert not dialog.autostart.isChecked()
    dialog.autostart.setChecked(True)
    press_ok(dialog)
    assert autostart.is_enabled()
    again = open_dialog(qtbot, tmp_path)
    assert again.autostart.isChecked()
    again.autostart.setChecked(False)
    press_ok(again)
    assert not autostart.is_enabled()


def test_setting_is_disabled_without_the_keyring_package(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = builtins.__import__

    def no_keyring(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "keyring" or name.startswith("keyring."):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_keyring)
    monkeypatch.setattr(keyring_unlock.importlib, "import_module", lambda name: no_keyring(name))
    assert keyring_unlock.load_keyring() is None
    assert keyring_unlock.unavailable_reason() is not None
    dialog = SettingsDialog(tmp_path)
    qtbot.add_widget(dialog)
    assert not dialog.remember.isEnabled()
    reason = dialog.remember_reason.text()
    assert "keyring" in reason
    assert "pip" not in reason  # no developer text
    assert "[" not in reason
    assert "you type your passphrase" in reason  # what the person does instead


def test_setting_is_saved_when_available(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = SettingsDialog(tmp_path, keyring=FakeKeyring())
    qtbot.add_widget(dialog)
    assert dialog.remember.isEnabled()
    assert not dialog.remember.isChecked()
    dialog.remember.setChecked(True)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert load(tmp_path).keyring_unlock
