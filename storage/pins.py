"""Each vault's identity (id, public key) pinned outside the vault, so the writer sees a swap.

The writer records with the public key alone, so nothing inside the vault folder can prove to
it that ``vault.key``'s public key is the owner's: whoever can write the folder could put their
own key there and have new sessions sealed to it. So the vault's id and a fingerprint of its
public key are also kept in the user's config folder, one small file per vault (keyed by the
vault folder's resolved path), written at init, passphrase change and unlock (where the
passphrase authenticates the key file) and on the first recording of a vault never pinned
(trust on first use). FORMAT.md section 9 says what this protects against and what not.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from storage.errors import StorageError, VaultKeyChanged
from storage.format.files import disk_errors, make_private_dir, write_json_atomic
from storage.format.keyfile import KeyFile

FORMAT_NAME = "overt-vault-pin"
VERSION = 1
FOLDER = "vaults"
_MAX_BYTES = 4096


def default_folder() -> Path:
    """Where pins live: the platform's config folder for Overt (e.g. ~/.config/overt/vaults)."""
    return Path(platformdirs.user_config_dir("overt", appauthor=False)) / FOLDER


def fingerprint(public_key: bytes) -> str:
    """The SHA-256 of a raw public key, in hex: what a pin remembers of it."""
    return hashlib.sha256(public_key).hexdigest()


@dataclass(frozen=True)
class PinStore:
    """The folder of pinned vault identities.

    Attributes:
        folder: where the pin files are (``default_folder()`` unless a caller chose one).
    """

    folder: Path

    @classmethod
    def default(cls) -> PinStore:
        """The pins in the platform's config folder (tests isolate it with XDG_CONFIG_HOME)."""
        return cls(default_folder())

    def path_for(self, home: Path) -> Path:
        """The pin file of the vault at ``home`` (named by a hash of its resolved path)."""
        key = os.fsencode(str(Path(home).resolve()))
        return self.folder / f"{hashlib.sha256(key).hexdigest()[:32]}.json"

    def pin(self, home: Path, key_file: KeyFile) -> None:
        """Remember ``key_file``'s identity as the vault at ``home``'s (replacing any pin).

        Raises:
            StorageError: the pin cannot be written (one sentence).
        """
        with disk_errors("remembering the vault's key"):
            make_private_dir(self.folder)
        doc = {
            "format": FORMAT_NAME,
            "version": VERSION,
            "home": str(Path(home).resolve()),
            "vault_id": key_file.vault_id.hex(),
            "public_key_sha256": fingerprint(key_file.public_key),
        }
        write_json_atomic(self.path_for(home), doc)

    def pin_quietly(self, home: Path, key_file: KeyFile) -> None:
        """``pin``, when failing to pin must not fail the caller (the first recording pins)."""
        with contextlib.suppress(StorageError, OSError):
            self.pin(home, key_file)

    def check(self, home: Path, key_file: KeyFile) -> None:
        """Refuse a key file that is not the one pinned for ``home``; pin it if none is.

        Raises:
            VaultKeyChanged: the key file's id or public key differ from the pinned ones, or
                the pin is damaged (fail closed: unlocking with the passphrase pins again).
            StorageError: there was no pin and it cannot be written.
        """
        pinned = self._read(home)
        if pinned is None:
            self.pin(home, key_file)
            return
        if pinned != (key_file.vault_id.hex(), fingerprint(key_file.public_key)):
            raise VaultKeyChanged(
                f"The key in {Path(home) / 'vault.key'} is not the one this vault had, so "
                "Overt will not record into it: someone may have replaced it to read your "
                "future recordings; unlock the vault with your passphrase to trust it again."
            )

    def _read(self, home: Path) -> tuple[str, str] | None:
        path = self.path_for(home)
        damaged = VaultKeyChanged(
            f"Overt's record of this vault's key ({path}) is damaged, so Overt will not record "
            "into it; unlock the vault with your passphrase to trust it again."
        )
        try:
            with open(path, "rb") as f:
                data = f.read(_MAX_BYTES + 1)
        except FileNotFoundError:
            return None
        except OSError:
            raise damaged from None
        try:
            doc = json.loads(data) if len(data) <= _MAX_BYTES else None
        except (ValueError, RecursionError):
            doc = None
        if (
            not isinstance(doc, dict)
            or doc.get("format") != FORMAT_NAME
            or doc.get("version") != VERSION
            or not isinstance(doc.get("vault_id"), str)
            or not isinstance(doc.get("public_key_sha256"), str)
        ):
            raise damaged
        return doc["vault_id"], doc["public_key_sha256"]
