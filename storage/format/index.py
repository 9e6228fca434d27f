"""The session index: one small plaintext summary file per session, holding NO captured content.

It exists so listing a vault needs no passphrase and no decryption. Everything in it can be
rebuilt from the encrypted store (``UnlockedVault.rebuild_index``). FORMAT.md lists its fields.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from storage.format.bounded import loads_json, read_bounded
from storage.format.files import write_atomic

FILE = "summary.json"
FORMAT_NAME = "overt-session-summary"
VERSION = 2
READS = (1, 2)  # version 1 entries have no ``expires``: those sessions never expire
STATES = ("recording", "interrupted", "complete")
REVIEWS = ("unreviewed", "approved")
DAY = 86400


@dataclass
class SessionSummary:
    """What the index knows about a session.

    Attributes:
        id: the session id.
        started: wall-clock start, Unix seconds.
        duration: seconds from start to the last write the index saw.
        state: "recording" | "interrupted" | "complete".
        review: "unreviewed" | "approved".
        events: number of events.
        actions: number of actions.
        frames: number of frames.
        bytes: size on disk of the session's files.
        study_id: the study, read from the (encrypted) consent record; None from the
            plaintext index, which does not hold it.
        expires: Unix time after which the session is deleted by retention expiry
            (``started + retention.local_days * 86400`` from the consent), or None: never.
    """

    id: str
    started: float
    duration: float
    state: str
    review: str
    events: int
    actions: int
    frames: int
    bytes: int
    study_id: str | None = None
    expires: float | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict of every attribute."""
        return asdict(self)


def write_summary(session_dir: Path, s: SessionSummary) -> None:
    """Atomically replace a session's summary file (``bytes`` and ``study_id`` not stored)."""
    doc = {
        "format": FORMAT_NAME,
        "version": VERSION,
        "id": s.id,
        "started": s.started,
        "duration": s.duration,
        "state": s.state,
        "review": s.review,
        "events": s.events,
        "actions": s.actions,
        "frames": s.frames,
        "expires": s.expires,
    }
    write_atomic(session_dir / FILE, json.dumps(doc, sort_keys=True).encode() + b"\n")


def read_summary(session_dir: Path, session_id: str) -> SessionSummary | None:
    """Read a summary file; None if it is missing, damaged or of a newer version.

    The index is a cache: a bad entry is never an error, the session just shows as
    unknown until the index is rebuilt.
    """
    try:
        doc = loads_json(read_bounded(session_dir / FILE))
        if doc["format"] != FORMAT_NAME or doc["version"] not in READS or doc["id"] != session_id:
            return None
        raw_expires = doc.get("expires") if doc["version"] >= 2 else None
        s = SessionSummary(
            id=session_id,
            started=_num(doc["started"]),
            duration=_num(doc["duration"]),
            state=str(doc["state"]),
            review=str(doc["review"]),
            events=_count(doc["events"]),
            actions=_count(doc["actions"]),
            frames=_count(doc["frames"]),
            bytes=0,
            expires=None if raw_expires is None else _num(raw_expires),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if s.state not in STATES or s.review not in REVIEWS:
        return None
    return s


def unknown_summary(session_id: str) -> SessionSummary:
    """The entry shown for a session whose index entry is missing or damaged."""
    return SessionSummary(
        id=session_id,
        started=0.0,
        duration=0.0,
        state="interrupted",
        review="unreviewed",
        events=0,
        actions=0,
        frames=0,
        bytes=0,
    )


def expiry_from_consent(consent: dict[str, Any], started: float) -> float | None:
    """When a session expires: ``started + retention.local_days * 86400``, or None.

    None when the consent names no retention, or ``local_days`` is missing, null or not a
    non-negative integer (anything unexpected keeps the session: deletion must be asked for).
    The writer records this in the index at start; ``SessionReader.summary`` recomputes it
    from the authenticated consent, so a rebuilt index holds the same value.
    """
    retention = consent.get("retention") if isinstance(consent, dict) else None
    days = retention.get("local_days") if isinstance(retention, dict) else None
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        return None
    return float(started) + days * DAY


def _num(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise TypeError("not a number")
    return float(value)


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TypeError("not a count")
    return value
