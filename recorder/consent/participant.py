"""Pseudonymous participant ids: one per study (and one for personal use), stable per vault.

A researcher sees the same id for every session a volunteer contributes to their study, and a
different id in every other study, so studies cannot link a person by it. The ids come from a
random per-vault secret (not captured content, so it sits beside the vault, 0600) and are
readable without the passphrase, because recording never asks for one.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from recorder.errors import ConsentRequired

IDS_FILE = "participant.secret"


def _read(path: Path) -> bytes:
    """The secret in ``path``; ConsentRequired when it is not 32 bytes in hex (never replaced:
    a new secret would silently give the person new participant ids in every study)."""
    with path.open("rb") as f:
        raw = f.read(1024)
    try:
        value = bytes.fromhex(raw.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        value = b""
    if len(value) != 32:
        raise ConsentRequired(
            f"The participant id file {path} is damaged; restore it from a backup, or delete "
            "it to get new participant ids."
        )
    return value


def _secret(home: Path) -> bytes:
    path = home / IDS_FILE
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    value = secrets.token_bytes(32)
    tmp = path.with_name(IDS_FILE + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value.hex() + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.link(tmp, path)  # never replace a secret another process wrote first
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return _read(path)


def participant_id(home: Path, study_id: str | None) -> str:
    """The participant id for ``study_id`` (None: personal use) in the vault at ``home``."""
    label = b"study:" + study_id.encode("utf-8") if study_id else b"personal"
    digest = hmac.new(_secret(home), label, hashlib.sha256).hexdigest()
    return "p-" + digest[:20]
