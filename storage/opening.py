"""Creating, opening and unlocking a vault: its folder, permissions and key file."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from storage import deletion, sessions
from storage.errors import (
    CorruptData,
    StorageError,
    VaultExists,
    VaultNotFound,
    WrongPassphrase,
)
from storage.format import crypto, keyrecord
from storage.format.bounded import TooLarge, read_bounded
from storage.format.files import check_private, disk_errors, make_private_dir, write_atomic
from storage.format.keyfile import KeyFile
from storage.format.lock import try_lock

KEY_FILE = "vault.key"


def create(
    home: Path, passphrase: bytes, *, log_n: int, r: int, p: int, rng: crypto.Rng
) -> KeyFile:
    """Make a vault in ``home`` (missing or an empty folder); see ``Vault.create``."""
    if (home / KEY_FILE).exists():
        raise VaultExists(f"A vault already exists at {home}.")
    if home.exists() and (not home.is_dir() or any(home.iterdir())):
        raise VaultExists(f"{home} exists and is not an empty folder; choose another place.")
    if not passphrase:
        raise ValueError("the passphrase must not be empty")
    created = not home.exists()
    key_file, _private = KeyFile.create(passphrase, log_n=log_n, r=r, p=p, rng=rng)
    try:
        with disk_errors("creating the vault"):
            make_private_dir(home)
            make_private_dir(home / sessions.SESSIONS)
        write_atomic(home / KEY_FILE, key_file.to_bytes())
    except StorageError:
        # Leave nothing half-made behind, so a retry after freeing space just works.
        with contextlib.suppress(OSError):
            shutil.rmtree(home / sessions.SESSIONS)
            if created:
                home.rmdir()
        raise
    return key_file


def open_key_file(home: Path) -> KeyFile:
    """Check the vault's permissions and read its key file; see ``Vault.open``."""
    path = home / KEY_FILE
    if not path.is_file():
        raise VaultNotFound(f"There is no vault at {home}; create one with 'overt init'.")
    check_private(home)
    check_private(path)
    if (home / sessions.SESSIONS).exists():
        check_private(home / sessions.SESSIONS)
    else:
        with disk_errors("repairing the vault"):
            make_private_dir(home / sessions.SESSIONS)
    try:
        data = read_bounded(path)
    except TooLarge:
        raise CorruptData("The vault key file is damaged (far too large).") from None
    except OSError as exc:
        raise StorageError(f"Could not read the vault key file: {exc.strerror}.") from None
    return KeyFile.from_bytes(data)


def finish_interrupted_changes(home: Path) -> int:
    """Complete the deletions a crash interrupted; see ``Vault.open``.

    Key-record replacements wait for the private key (``finish_replacements``): without it
    a ``keys.next`` cannot be told from a planted one, so ``keys`` is never shredded for it.

    Returns:
        The number of sessions deleted.
    """
    return deletion.finish_deletions(home)


def finish_replacements(home: Path, vault_id: bytes, private: X25519PrivateKey) -> int:
    """Settle every ``keys.next`` whose session lock is free (``keyrecord.settle``).

    A leftover authentic ``keys.next`` means the old ``keys`` may still hold keys that a
    redaction meant to destroy, so this runs at every unlock. Best effort: a session that
    cannot be settled now still reads correctly and is settled when it is next changed.

    Returns:
        The number of sessions settled.
    """
    n = 0
    for sid in sessions.session_ids(home):
        path = home / sessions.SESSIONS / sid
        if not (path / keyrecord.NEXT).exists():
            continue
        lock = try_lock(path, directory=True)
        if lock is None:
            continue  # another process is changing it, and will finish the job itself
        try:
            n += keyrecord.settle(path, vault_id, private, sid)
        except StorageError:
            continue
        finally:
            lock.release()
    return n


def remembered_private_key(raw: bytes, key_file: KeyFile) -> X25519PrivateKey:
    """The private key in ``raw``, if it is this vault's (WrongPassphrase if not)."""
    try:
        private = X25519PrivateKey.from_private_bytes(bytes(raw))
    except ValueError:
        raise WrongPassphrase("The remembered key does not unlock this vault.") from None
    if crypto.public_bytes(private) != key_file.public_key:
        raise WrongPassphrase("The remembered key does not unlock this vault.")
    return private


def change_passphrase(home: Path, key_file: KeyFile, old: bytes, new: bytes) -> KeyFile:
    """Re-wrap the private key under ``new`` and replace the key file; returns the new one."""
    if not new:
        raise ValueError("the new passphrase must not be empty")
    private = key_file.unwrap(old)
    new_kf = KeyFile.wrap(
        private, key_file.vault_id, new, log_n=key_file.log_n, r=key_file.r, p=key_file.p
    )
    write_atomic(home / KEY_FILE, new_kf.to_bytes())
    return new_kf
