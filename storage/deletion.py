"""Deleting sessions irrecoverably: when asked, and once their retention has expired.

No passphrase is needed: deletion destroys the key record, after which the streams are noise.
It begins by renaming the session's folder out of the listing, so that it is atomic in effect.
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
from storage.format.lock import try_lock

DELETING = ".deleting-"
"""Prefix a session folder is renamed to when its deletion begins (never a valid session id)."""


def delete_session(home: Path, session_id: str) -> None:
    """Rename the folder out of the listing, then shred the key record and remove the rest.

    The rename is the deletion in effect: before it the session is whole, after it the session
    is gone from every listing, and whatever a crash left of it is removed the next time the
    vault is opened (``finish_deletions``). So a kill can never leave a damaged session.

    Raises:
        SessionNotFound: no such session.
        SessionBusy: it is being recorded or changed right now.
    """
    path = sessions.session_dir(home, session_id)
    lock = sessions.lock_session(home, session_id)
    doomed = home / sessions.SESSIONS / f"{DELETING}{session_id}"
    try:
        with disk_errors("deleting a session"):
            if os.path.lexists(doomed):  # what a crash left of an earlier one of that name
                _destroy(doomed)
            os.rename(path, doomed)  # the lock is on the folder itself: it moves along
            fsync_dir(home / sessions.SESSIONS)
            if doomed.is_symlink():  # only the link goes, never what it points to
                os.unlink(doomed)
                return
            _destroy_contents(doomed)
    finally:
        lock.release()
    with disk_errors("deleting a session"):
        _remove_folder(doomed)


def finish_deletions(home: Path) -> int:
    """Finish deletions a crash interrupted (folders named ``.deleting-<id>``).

    Folders locked by another process are left to it. Returns the number finished.
    """
    try:
        names = os.listdir(home / sessions.SESSIONS)
    except FileNotFoundError:
        return 0
    n = 0
    for name in names:
        if not name.startswith(DELETING):
            continue
        path = home / sessions.SESSIONS / name
        if path.is_symlink() or not path.is_dir():
            with disk_errors("finishing a deletion"), contextlib.suppress(FileNotFoundError):
                os.unlink(path)  # never followed: only the link itself goes
            continue
        lock = try_lock(path, directory=True)
        if lock is None:
            continue  # being deleted right now
        try:
            with disk_errors("finishing a deletion"):
                _destroy_contents(path)
        finally:
            lock.release()
        with disk_errors("finishing a deletion"):
            _remove_folder(path)
        n += 1
    return n


def _destroy(path: Path) -> None:
    if path.is_symlink() or not path.is_dir():
        os.unlink(path)
        return
    _destroy_contents(path)
    _remove_folder(path)


def _destroy_contents(path: Path) -> None:
    # The key record first: once it is gone the streams are noise.
    for name in (keyrecord.NEXT, keyrecord.FILE):
        if (path / name).is_file() and not (path / name).is_symlink():
            shred(path / name)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path / index.FILE)
    fsync_dir(path)
    for entry in os.scandir(path):
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)


def _remove_folder(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
    fsync_dir(path.parent)


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
