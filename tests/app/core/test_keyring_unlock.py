"""Opt-in keyring unlock with a fake keyring (the real package is never imported here)."""

from __future__ import annotations

import builtins
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.core import keyring_unlock
from app.core.settings import Settings, load, save
from app.dialogs.settings_dialog import SettingsDialog
from app.dialogs.vault_dialogs import UnlockDialog
from tests.app.sessions import OFFSCREEN_LIMITS, PASSPHRASE, make_vault

pytestmark = OFFSCREEN_LIMITS


class FakeKeyring:
    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, user: str) -> str | None:
        return self.store.get((service, user))

    def set_password(self, service: str, user: str, value: str) -> None:
        self.store[(service, user)] = value

    def delete_password(self, service: str, user: str) -> None:
        self.store.pop((service, user), None)


def test_save_then_unlock_with_the_remembered_key(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    fake = FakeKeyring()
    assert keyring_unlock.unlock_from_keyring(vault, fake) is None
    assert keyring_unlock.save_key(vault.unlock(PASSPHRASE), fake)
    again = keyring_unlock.unlock_from_keyring(vault, fake)
    assert again is not None
    keyring_unlock.forget(vault, fake)
    assert keyring_unlock.unlock_from_keyring(vault, fake) is None


def test_unlock_dialog_saves_the_key_only_when_opted_in(qtbot: QtBot, tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    fake = FakeKeyring()
    dialog = UnlockDialog(vault, detect_caps=lambda: None, keyring=fake)
    qtbot.add_widget(dialog)
    dialog.passphrase.setText(PASSPHRASE.decode())
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.unlocked is not None
    assert not fake.store
    save(vault.home, Settings(keyring_unlock=True))
    dialog = UnlockDialog(vault, detect_caps=lambda: None, keyring=fake)
    qtbot.add_widget(dialog)
    assert dialog.unlocked is None
    dialog.passphrase.setText(PASSPHRASE.decode())
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert fake.store
    # Next time the keyring unlocks it without asking.
    quiet = UnlockDialog(vault, detect_caps=lambda: None, keyring=fake)
    qtbot.add_widget(quiet)
    assert quiet.unlocked is not None
    with qtbot.wait_signal(quiet.accepted, timeout=5000):
        quiet.show()


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
    assert "keyring" in dialog.remember_reason.text()


def test_setting_is_saved_when_available(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = SettingsDialog(tmp_path, keyring=FakeKeyring())
    qtbot.add_widget(dialog)
    assert dialog.remember.isEnabled()
    assert not dialog.remember.isChecked()
    dialog.remember.setChecked(True)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert load(tmp_path).keyring_unlock
