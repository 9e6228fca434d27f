"""Cryptographic building blocks: AEAD, passphrase KDF, sealing to the vault's public key.

Only pyca/cryptography primitives are used. Randomness is injectable (``Rng``) so the
known-answer tests can freeze exact bytes; production code always passes ``os.urandom``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from storage.errors import CorruptData

Rng = Callable[[int], bytes]
"""A source of random bytes: ``rng(n)`` returns n bytes. Production: ``os.urandom``."""

KEY_LEN = 32
NONCE_LEN = 12
TAG_LEN = 16
X25519_LEN = 32

#: Upper bounds a reader accepts for scrypt parameters, so a crafted key file cannot make
#: ``unlock`` burn minutes of CPU or gigabytes of memory.
SCRYPT_MAX_LOG_N = 20
SCRYPT_MAX_R = 32
SCRYPT_MAX_P = 16
SCRYPT_MAX_MEMORY = 1 << 30


class Aead(Protocol):
    """What the stream code needs from an AEAD (AESGCM fits; benchmarks swap in a plaintext one)."""

    def encrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes: ...

    def decrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes: ...


AeadFactory = Callable[[bytes], Aead]


def default_aead(key: bytes) -> Aead:
    """AES-256-GCM, the AEAD of every format version 1 file."""
    return AESGCM(key)


def aead_open(aead: Aead, nonce: bytes, data: bytes, ad: bytes, what: str) -> bytes:
    """Decrypt and authenticate, turning any failure into CorruptData.

    Args:
        aead: the cipher holding the key.
        nonce: 12 bytes.
        data: ciphertext followed by the 16-byte tag.
        ad: the associated data the writer bound.
        what: names the thing for the error message.

    Returns:
        The plaintext.
    """
    if len(data) < TAG_LEN:
        raise CorruptData(f"{what} is truncated.")
    try:
        return aead.decrypt(nonce, data, ad)
    except InvalidTag:
        raise CorruptData(
            f"{what} failed authentication: it was tampered with or damaged."
        ) from None


def check_scrypt_params(log_n: int, r: int, p: int) -> None:
    """Refuse scrypt parameters above the caps (a crafted key file could otherwise DoS us)."""
    if not (1 <= log_n <= SCRYPT_MAX_LOG_N and 1 <= r <= SCRYPT_MAX_R and 1 <= p <= SCRYPT_MAX_P):
        raise CorruptData("The key file asks for key-derivation parameters outside safe limits.")
    if 128 * r * (1 << log_n) * p > SCRYPT_MAX_MEMORY:
        raise CorruptData("The key file asks for more key-derivation memory than allowed.")


def scrypt_key(passphrase: bytes, salt: bytes, log_n: int, r: int, p: int) -> bytes:
    """Derive the 32-byte key-wrapping key from the passphrase.

    Args:
        passphrase: the user's passphrase, as bytes.
        salt: random salt from the key file.
        log_n: log2 of scrypt's N.
        r: scrypt block size.
        p: scrypt parallelism.

    Returns:
        32 bytes.
    """
    check_scrypt_params(log_n, r, p)
    return Scrypt(salt=salt, length=KEY_LEN, n=1 << log_n, r=r, p=p).derive(passphrase)


def hkdf(ikm: bytes, salt: bytes, info: bytes) -> bytes:
    """HKDF-SHA256 to 32 bytes."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_LEN, salt=salt, info=info).derive(ikm)


def new_private_key(rng: Rng = os.urandom) -> X25519PrivateKey:
    """A fresh X25519 private key from ``rng`` (injectable for known-answer tests)."""
    return X25519PrivateKey.from_private_bytes(rng(X25519_LEN))


def public_bytes(key: X25519PrivateKey) -> bytes:
    """The raw 32-byte public key of ``key``."""
    return key.public_key().public_bytes_raw()


def private_bytes(key: X25519PrivateKey) -> bytes:
    """The raw 32-byte private key."""
    return key.private_bytes_raw()


_SEAL_INFO = b"overt seal v1"


def seal(recipient: bytes, plaintext: bytes, ad: bytes, rng: Rng = os.urandom) -> bytes:
    """Encrypt to an X25519 public key: ``ephemeral_pub(32) || AES-GCM(ct || tag)``.

    The key is HKDF-SHA256(X25519(eph, recipient), salt = eph_pub || recipient, info =
    "overt seal v1"); the nonce is all zeros because every ephemeral key is used once.

    Args:
        recipient: the vault's raw public key.
        plaintext: what to seal.
        ad: associated data (binds vault and session).
        rng: randomness for the ephemeral key.

    Returns:
        The sealed bytes.
    """
    eph = new_private_key(rng)
    eph_pub = public_bytes(eph)
    shared = eph.exchange(X25519PublicKey.from_public_bytes(recipient))
    key = hkdf(shared, eph_pub + recipient, _SEAL_INFO)
    return eph_pub + AESGCM(key).encrypt(bytes(NONCE_LEN), plaintext, ad)


def open_sealed(private: X25519PrivateKey, sealed: bytes, ad: bytes, what: str) -> bytes:
    """Open what :func:`seal` made; CorruptData if it does not authenticate."""
    if len(sealed) < X25519_LEN + TAG_LEN:
        raise CorruptData(f"{what} is truncated.")
    eph_pub = sealed[:X25519_LEN]
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(eph_pub))
    except ValueError:
        raise CorruptData(f"{what} is damaged.") from None
    key = hkdf(shared, eph_pub + public_bytes(private), _SEAL_INFO)
    return aead_open(AESGCM(key), bytes(NONCE_LEN), sealed[X25519_LEN:], ad, what)
