"""Withdrawal without Qt: which sessions and studies can be withdrawn, and withdrawing them.

`overt withdraw` and the tray's Withdraw… dialog both call this, so a receipt is written the
same way whichever door the person used: the receipt file exists before the session is gone,
never the other way round, so a crash in between leaves proof rather than silent loss.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage import SessionBusy, StorageError, UnlockedVault
from storage.export.receipt import make_receipt

RECEIPTS = "receipts"


@dataclass(frozen=True)
class WithdrawableSession:
    """One session as the withdraw list shows it.

    Attributes:
        id: the session id.
        started: wall-clock start (Unix seconds).
        bytes: its size on disk.
        study_id: the study it was recorded for, None for personal use.
        study_title: the study's title as the consent record names it ("" if none).
        consent: its consent record (None when it could not be read).
    """

    id: str
    started: float
    bytes: int
    study_id: str | None
    study_title: str
    consent: dict[str, Any] | None


@dataclass(frozen=True)
class WithdrawableStudy:
    """A study with sessions in this vault."""

    id: str
    title: str
    session_ids: tuple[str, ...]


def study_id(consent: dict[str, Any]) -> str | None:
    """The study a consent record belongs to, or None for personal use."""
    study = consent.get("study")
    if isinstance(study, dict) and isinstance(study.get("id"), str):
        return str(study["id"])
    sid = consent.get("study_id")
    return sid if isinstance(sid, str) else None


def study_title(consent: dict[str, Any]) -> str:
    """The study's title from a consent record ("" when it has none)."""
    study = consent.get("study")
    if isinstance(study, dict) and isinstance(study.get("title"), str):
        return str(study["title"])
    return ""


def list_sessions(unlocked: UnlockedVault, *, strict: bool = False) -> list[WithdrawableSession]:
    """Every session, oldest first, with the study its (encrypted) consent names.

    Args:
        unlocked: the vault.
        strict: raise when a consent cannot be read (the CLI stops); otherwise the session
            is still listed with consent None, so the dialog can still delete it.

    Raises:
        StorageError: only when ``strict``.
    """
    out = []
    for summary in unlocked.vault.sessions():
        consent: dict[str, Any] | None
        try:
            consent = dict(unlocked.open_session(summary.id).consent)
        except StorageError:
            if strict:
                raise
            consent = None
        out.append(
            WithdrawableSession(
                id=summary.id,
                started=summary.started,
                bytes=summary.bytes,
                study_id=study_id(consent) if consent else None,
                study_title=study_title(consent) if consent else "",
                consent=consent,
            )
        )
    return out


def list_studies(sessions: list[WithdrawableSession]) -> list[WithdrawableStudy]:
    """The studies these sessions belong to, in order of their first session."""
    studies: dict[str, WithdrawableStudy] = {}
    for s in sessions:
        if s.study_id is None:
            continue
        known = studies.get(s.study_id)
        ids = (*known.session_ids, s.id) if known else (s.id,)
        title = (known.title if known else "") or s.study_title
        studies[s.study_id] = WithdrawableStudy(s.study_id, title, ids)
    return list(studies.values())


def receipt_dir(home: Path) -> Path:
    """Where receipts go unless the person chose another folder: VAULT/receipts."""
    return Path(home) / RECEIPTS


def withdraw_session(
    unlocked: UnlockedVault,
    session_id: str,
    out_dir: Path,
    *,
    consent: dict[str, Any] | None = None,
    clock: Callable[[], float] = time.time,
) -> Path:
    """Write the withdrawal receipt, then delete the session irrecoverably.

    Args:
        unlocked: the vault (unlocked: the receipt needs the consent's ids).
        session_id: the session to withdraw.
        out_dir: the folder for the receipt (made private if it is new).
        consent: its consent record when already read (else it is read here).
        clock: wall-clock time for the receipt.

    Returns:
        The receipt's path.

    Raises:
        StorageError: no such session, it is being recorded (SessionBusy, before any
            receipt is written), or the disk failed.
        OSError: the receipt could not be written (then nothing was deleted).
    """
    vault = unlocked.vault
    vault.session(session_id)  # SessionNotFound before anything is written
    if vault.is_recording(session_id):  # no receipt for data that would stay
        raise SessionBusy(f"Session {session_id} is being recorded; stop it first.")
    if consent is None:
        consent = unlocked.open_session(session_id).consent
    out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    receipt = make_receipt(
        session_id,
        str(consent.get("consent_id", "")),
        str(consent.get("participant_id", "")),
        clock(),
    )
    path = out_dir / f"withdrawal-{session_id}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(receipt, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    tmp.chmod(0o600)  # as private as the vault, like exports (storage/export/modes.py)
    tmp.replace(path)  # the receipt exists before the data is gone, never the other way
    vault.delete_session(session_id)
    return path
