"""Dismissed scanner suggestions, remembered beside the vault (suggestion keys only, no Qt).

The review window writes them; `overt export` and the Export dialog read them, so a
suggestion the person dismissed does not come back as an export warning.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from storage.scan import text as scanner

#: Only suggestion keys (kinds and seqs, see ``storage.scan.text.Suggestion.key``), never
#: captured content.
DISMISSALS_FILE = "dismissals.json"
DISMISSALS_VERSION = 1


def load_dismissals(home: Path) -> dict[str, list[str]]:
    """Session id -> dismissed suggestion keys; empty when there is no (readable) file."""
    try:
        doc = json.loads((Path(home) / DISMISSALS_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return {}
    sessions = doc.get("sessions") if isinstance(doc, dict) else None
    if not isinstance(sessions, dict):
        return {}
    return {
        str(sid): [str(k) for k in keys] for sid, keys in sessions.items() if isinstance(keys, list)
    }


def dismissed_keys(home: Path, session_ids: Iterable[str]) -> list[str]:
    """These sessions' dismissals as ``scanner.dismissal_key`` strings (session id included).

    For ``storage.export.preview(dismissed=...)``: a dismissal in one session must not hide
    the same suggestion key (the same seqs, other content) in another session.
    """
    doc = load_dismissals(home)
    return [scanner.dismissal_key(sid, k) for sid in session_ids for k in doc.get(sid, [])]


def save_dismissal(home: Path, session_id: str, key: str) -> None:
    """Remember that ``key`` was dismissed in ``session_id`` (atomic write, mode 0600)."""
    home = Path(home)
    doc = load_dismissals(home)
    keys = doc.setdefault(session_id, [])
    if key not in keys:
        keys.append(key)
    fd, tmp = tempfile.mkstemp(prefix=".dismissals-", dir=home)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"version": DISMISSALS_VERSION, "sessions": doc}, out, indent=2)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, home / DISMISSALS_FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
