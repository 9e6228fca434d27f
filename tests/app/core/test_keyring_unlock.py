"""Opt-in keyring unlock with a fake keyring (the real package is never imported here)."""

from __future__ import annotations

from pathlib import Path

from app.core import keyring_unlock
from tests.app.fakes import FakeKeyring
from tests.app.sessions import PASSPHRASE, make_vault


def test_save_then_unlock_with_the_remembered_key(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    fake = FakeKeyring()
    assert keyring_unlock.unlock_from_keyring(vault, fake) is None
    assert keyring_unlock.save_key(vault.unlock(PASSPHRASE), fake)
    again = keyring_unlock.unlock_from_keyring(vault, fake)
    assert again is not None
    keyring_unlock.forget(vault, fake)
    assert keyring_unlock.unlock_from_keyring(vault, fake) is None
