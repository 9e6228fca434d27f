"""Deleting sessions irrecoverably: when asked, and once their retention has expired.

No passphrase is needed: deletion destroys the key record, after which the streams are noise.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from storage import sessions
from storage.errors import SessionBusy, SessionNotFound
from storage.format import index, keyrecord
from storage.format.files import disk_errors, fsync_dir, shred
from storage.format.index import SessionSummary


def delete_session(home: Path, session_id: str) -> None:
    """Shred the key record, then remove the index entry, the streams and the folder.

    Raises:
        SessionNotFound: no such session.
        SessionBusy: it is being recorded or changed right now.
    """
    path = sessions.session_dir(home, session_id)
    lock = sessions.lock_session(home, session_id)
    try:
        # The key record first: once it is gone the streams are noise.
        shred(path / keyrecord.NEXT)
        shred(path / keyrecord.FILE)
        with disk_errors("deleting a session"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path / index.FILE)
            fsync_dir(path)
            for name in os.listdir(path):
                os.unlink(path / name)
    finally:
        lock.release()
    with disk_errors("deleting a session"):
        shutil.rmtree(path, ignore_errors=True)
        fsync_dir(home / sessions.SESSIONS)


def expired(home: Path, now: float) -> list[SessionSummary]:
    """Sessions past their retention expiry at ``now``; see ``Vault.expired``."""
    out = []
    for sid in sessions.session_ids(home):
        s = sessions.summary(home, sid)
        if s.expires is not None and now > s.expires and not sessions.is_recording(home, s.id):
            out.append(s)
    return out


def expire(home: Path, now: float) -> list[str]:
    """Delete every expired session; busy or vanished ones wait for the next time.

    Returns:
        The ids of the sessions deleted.
    """
    deleted = []
    for s in expired(home, now):
        try:
            delete_session(home, s.id)
        except (SessionBusy, SessionNotFound):
            continue
        deleted.append(s.id)
    return deleted
