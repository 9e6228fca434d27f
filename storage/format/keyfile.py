"""The vault key file: the vault's X25519 key pair, private half wrapped by the passphrase.

The file is small JSON (it holds no captured content) and is always replaced atomically.
See FORMAT.md, "Key file".
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from storage.errors import CorruptData, VersionTooNew, WrongPassphrase
from storage.format import crypto
from storage.format.bounded import loads_json

FORMAT_NAME = "overt-vault-key"
VERSION = 1
DEFAULT_LOG_N = 16  # 64 MiB, ~0.15 s on the reference machine
DEFAULT_R = 8
DEFAULT_P = 1
SALT_LEN = 16
VAULT_ID_LEN = 16
_WRAP_AD = b"overt key file v1\x00"


@dataclass(frozen=True)
class KeyFile:
    """The parsed key file.

    Attributes:
        vault_id: 16 random bytes naming this vault; bound into every chunk.
        public_key: the raw X25519 public key sessions are sealed to.
        log_n, r, p: scrypt parameters.
        salt: scrypt salt.
        nonce: AES-GCM nonce of the wrapped private key.
        wrapped: the private key encrypted under the scrypt key (48 bytes).
    """

    vault_id: bytes
    public_key: bytes
    log_n: int
    r: int
    p: int
    salt: bytes
    nonce: bytes
    wrapped: bytes

    def _header(self) -> dict[str, Any]:
        return {
            "format": FORMAT_NAME,
            "version": VERSION,
            "vault_id": self.vault_id.hex(),
            "public_key": _b64(self.public_key),
            "kdf": {
                "name": "scrypt",
                "log_n": self.log_n,
                "r": self.r,
                "p": self.p,
                "salt": _b64(self.salt),
            },
        }

    def associated_data(self) -> bytes:
        """Everything but the ciphertext, canonically encoded: tampering with it fails unlock."""
        return _WRAP_AD + _canonical(self._header())

    def to_bytes(self) -> bytes:
        """Serialise to the on-disk JSON form."""
        doc = self._header()
        doc["nonce"] = _b64(self.nonce)
        doc["wrapped"] = _b64(self.wrapped)
        return json.dumps(doc, indent=1, sort_keys=True).encode() + b"\n"

    @classmethod
    def create(
        cls,
        passphrase: bytes,
        *,
        log_n: int = DEFAULT_LOG_N,
        r: int = DEFAULT_R,
        p: int = DEFAULT_P,
        rng: crypto.Rng = os.urandom,
    ) -> tuple[KeyFile, X25519PrivateKey]:
        """Make a new vault key pair and wrap it.

        Args:
            passphrase: the new vault's passphrase.
            log_n: scrypt cost (log2 N).
            r: scrypt block size.
            p: scrypt parallelism.
            rng: randomness (injectable for known-answer tests).

        Returns:
            The key file and the unwrapped private key.
        """
        vault_id = rng(VAULT_ID_LEN)
        private = crypto.new_private_key(rng)
        return cls.wrap(private, vault_id, passphrase, log_n=log_n, r=r, p=p, rng=rng), private

    @classmethod
    def wrap(
        cls,
        private: X25519PrivateKey,
        vault_id: bytes,
        passphrase: bytes,
        *,
        log_n: int = DEFAULT_LOG_N,
        r: int = DEFAULT_R,
        p: int = DEFAULT_P,
        rng: crypto.Rng = os.urandom,
    ) -> KeyFile:
        """Wrap an existing private key under a (new) passphrase."""
        salt = rng(SALT_LEN)
        nonce = rng(crypto.NONCE_LEN)
        partial = cls(vault_id, crypto.public_bytes(private), log_n, r, p, salt, nonce, b"")
        kek = crypto.scrypt_key(passphrase, salt, log_n, r, p)
        wrapped = AESGCM(kek).encrypt(
            nonce, crypto.private_bytes(private), partial.associated_data()
        )
        return cls(vault_id, partial.public_key, log_n, r, p, salt, nonce, wrapped)

    def unwrap(self, passphrase: bytes) -> X25519PrivateKey:
        """Recover the private key.

        Raises:
            WrongPassphrase: if the passphrase (or the file's parameters) do not authenticate.
            CorruptData: if the unwrapped key does not match the public key.
        """
        kek = crypto.scrypt_key(passphrase, self.salt, self.log_n, self.r, self.p)
        try:
            raw = AESGCM(kek).decrypt(self.nonce, self.wrapped, self.associated_data())
        except InvalidTag:
            raise WrongPassphrase("That passphrase does not unlock this vault.") from None
        private = X25519PrivateKey.from_private_bytes(raw)
        if crypto.public_bytes(private) != self.public_key:
            raise CorruptData("The vault key file is inconsistent: its key pair does not match.")
        return private

    @classmethod
    def from_bytes(cls, data: bytes) -> KeyFile:
        """Parse and check the key file, version first, lengths before any crypto.

        Raises:
            VersionTooNew: written by a newer format version.
            CorruptData: anything malformed.
        """
        try:
            doc = loads_json(data)
        except (ValueError, UnicodeDecodeError):
            raise CorruptData("The vault key file is damaged (not valid JSON).") from None
        if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
            raise CorruptData("The vault key file is damaged (not an Overt key file).")
        version = doc.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise CorruptData("The vault key file is damaged (bad version).")
        if version > VERSION:
            raise VersionTooNew(
                f"The vault key file has format version {version}; this Overt reads up to "
                f"{VERSION}: upgrade Overt."
            )
        try:
            kdf = doc["kdf"]
            if kdf["name"] != "scrypt":
                raise CorruptData("The vault key file names an unknown key-derivation function.")
            kf = cls(
                vault_id=bytes.fromhex(_str(doc["vault_id"])),
                public_key=_unb64(doc["public_key"]),
                log_n=_int(kdf["log_n"]),
                r=_int(kdf["r"]),
                p=_int(kdf["p"]),
                salt=_unb64(kdf["salt"]),
                nonce=_unb64(doc["nonce"]),
                wrapped=_unb64(doc["wrapped"]),
            )
        except (KeyError, TypeError, ValueError):
            raise CorruptData(
                "The vault key file is damaged (missing or malformed fields)."
            ) from None
        if (
            len(kf.vault_id) != VAULT_ID_LEN
            or len(kf.public_key) != crypto.X25519_LEN
            or not 8 <= len(kf.salt) <= 64
            or len(kf.nonce) != crypto.NONCE_LEN
            or len(kf.wrapped) != crypto.X25519_LEN + crypto.TAG_LEN
        ):
            raise CorruptData("The vault key file is damaged (a field has the wrong length).")
        crypto.check_scrypt_params(kf.log_n, kf.r, kf.p)
        return kf


def _canonical(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(value: object) -> bytes:
    try:
        return base64.b64decode(_str(value), validate=True)
    except binascii.Error:
        raise ValueError("bad base64") from None


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("expected an integer")
    return value
