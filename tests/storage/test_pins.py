"""A replaced vault.key never gets sessions sealed to it: the writer checks a pin kept outside."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from storage import CorruptData, Vault, VaultKeyChanged, WrongPassphrase
from storage.pins import PinStore, default_folder
from tests.storage.helpers import PASS, TEST_LOG_N, consent, make_vault


def swap_public_key(home: Path, other: Path) -> None:
    """What a folder writer can do: put another vault's public key into vault.key."""
    doc = json.loads((home / "vault.key").read_text())
    doc["public_key"] = json.loads((other / "vault.key").read_text())["public_key"]
    (home / "vault.key").write_text(json.dumps(doc))


def record_one(vault: Vault) -> str:
    writer = vault.begin_session(consent())
    writer.close()
    return writer.session_id


def test_a_swapped_public_key_is_refused_before_anything_is_recorded(tmp_path: Path) -> None:
    home, attacker = tmp_path / "v", tmp_path / "attacker"
    record_one(make_vault(home))
    make_vault(attacker)
    swap_public_key(home, attacker)
    vault = Vault.open(home)
    with pytest.raises(VaultKeyChanged, match="will not record into it") as caught:
        vault.begin_session(consent())
    assert str(caught.value).count(".") <= 2  # one sentence (the path has one dot)
    assert len(vault.session_ids()) == 1  # no session folder was made
    with pytest.raises(WrongPassphrase):  # the owner's passphrase still says it was changed
        vault.unlock(PASS)


def test_a_whole_other_key_file_is_refused(tmp_path: Path) -> None:
    home, attacker = tmp_path / "v", tmp_path / "attacker"
    make_vault(home)
    make_vault(attacker)
    (home / "vault.key").write_bytes((attacker / "vault.key").read_bytes())
    with pytest.raises(VaultKeyChanged):
        Vault.open(home).begin_session(consent())


def test_init_pins_and_the_pin_lives_in_the_config_folder(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "v")
    pin = json.loads(vault.pins.path_for(vault.home).read_text())
    assert vault.pins.folder == default_folder()
    assert default_folder().is_relative_to(os.environ["XDG_CONFIG_HOME"])  # tests/conftest.py
    assert pin["vault_id"] == vault.vault_id.hex()
    assert pin["home"] == str((tmp_path / "v").resolve())
    assert not (tmp_path / "v" / "vaults").exists()  # nothing about the pin inside the vault


def test_an_old_vault_is_trusted_on_first_record_then_pinned(tmp_path: Path) -> None:
    home = tmp_path / "v"
    vault = make_vault(home)
    vault.pins.path_for(home).unlink()  # a vault made before pins existed
    record_one(Vault.open(home))
    assert vault.pins.path_for(home).exists()
    make_vault(tmp_path / "attacker")
    swap_public_key(home, tmp_path / "attacker")
    with pytest.raises(VaultKeyChanged):
        Vault.open(home).begin_session(consent())


def test_a_damaged_pin_refuses_until_unlocking_pins_again(tmp_path: Path) -> None:
    home = tmp_path / "v"
    make_vault(home)
    store = PinStore.default()
    store.path_for(home).write_text("[" * 100000)
    with pytest.raises(VaultKeyChanged, match="damaged"):
        Vault.open(home).begin_session(consent())
    Vault.open(home).unlock(PASS)  # the passphrase authenticates vault.key
    record_one(Vault.open(home))


def test_unlocking_repins_a_vault_recreated_elsewhere(tmp_path: Path) -> None:
    """The pin of a vault replaced by its owner (a restore) follows the passphrase."""
    home = tmp_path / "v"
    make_vault(home)
    other = Vault.create(tmp_path / "restored", PASS, log_n=TEST_LOG_N)
    (home / "vault.key").write_bytes((other.home / "vault.key").read_bytes())
    with pytest.raises(VaultKeyChanged):
        Vault.open(home).begin_session(consent())
    Vault.open(home).unlock(PASS)
    record_one(Vault.open(home))


def test_a_passphrase_change_keeps_recording(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "v")
    vault.change_passphrase(PASS, b"new one")
    sid = record_one(Vault.open(tmp_path / "v"))
    assert Vault.open(tmp_path / "v").unlock(b"new one").open_session(sid).consent == consent()


def test_unlock_refuses_a_key_file_whose_pair_does_not_match(tmp_path: Path) -> None:
    """The private key unwrapped must yield public_key (else nothing is pinned)."""
    home = tmp_path / "v"
    vault = make_vault(home)
    vault.pins.path_for(home).unlink()
    other = make_vault(tmp_path / "o")
    forged = vault.key_file.__class__(
        vault.vault_id, other.key_file.public_key, *_kdf_and_wrap(vault)
    )
    with pytest.raises((CorruptData, WrongPassphrase)):
        Vault(home, forged).unlock(PASS)
    assert not vault.pins.path_for(home).exists()


def _kdf_and_wrap(vault: Vault) -> tuple[int, int, int, bytes, bytes, bytes]:
    kf = vault.key_file
    return kf.log_n, kf.r, kf.p, kf.salt, kf.nonce, kf.wrapped


def test_a_vault_at_another_path_has_its_own_pin(tmp_path: Path) -> None:
    a, b = make_vault(tmp_path / "a"), make_vault(tmp_path / "b")
    assert a.pins.path_for(a.home) != b.pins.path_for(b.home)
    record_one(a)
    record_one(b)
