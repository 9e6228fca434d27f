"""A vault's sessions folder: session ids, their folders and locks, their index summaries.

Nothing here needs the passphrase: it reads names, locks and the plaintext index only.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

from storage.errors import SessionBusy, SessionNotFound, VaultExists, VaultLocked
from storage.format import index, keyrecord
from storage.format.files import disk_errors, tree_size
from storage.format.index import SessionSummary
from storage.format.lock import Lock, is_locked, try_lock

SESSIONS = "sessions"
WRITER_LOCK = "writer.lock"
_SESSION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def valid_session_id(session_id: str) -> bool:
    """Session ids are short ASCII names safe as folder names."""
    return isinstance(session_id, str) and bool(_SESSION_ID.match(session_id))


def new_session_id(now: float | None = None) -> str:
    """A sortable, unique id: UTC start time plus 6 random hex digits."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() if now is None else now))
    return f"{stamp}-{secrets.token_hex(3)}"


def _has_key_record(path: Path) -> bool:
    return (path / keyrecord.FILE).exists() or (path / keyrecord.NEXT).exists()


def session_dir(home: Path, session_id: str) -> Path:
    """The folder of a session (SessionNotFound if the id is invalid or unknown)."""
    if not valid_session_id(session_id):
        raise SessionNotFound(f"There is no session {session_id!r} in this vault.")
    path = home / SESSIONS / session_id
    if path.is_symlink():
        # never followed: a link could make a deletion or redaction act outside the vault
        raise SessionNotFound(
            f"The session folder {session_id} is a symbolic link, which Overt never follows."
        )
    if not path.is_dir() or not _has_key_record(path):
        raise SessionNotFound(f"There is no session {session_id} in this vault.")
    return path


def session_ids(home: Path) -> list[str]:
    """Ids of every session folder holding a key record, sorted (= by start time)."""
    try:
        names = os.listdir(home / SESSIONS)
    except FileNotFoundError:
        return []
    folder = home / SESSIONS
    return sorted(
        name
        for name in names
        if valid_session_id(name)
        and not (folder / name).is_symlink()
        and _has_key_record(folder / name)
    )


def is_recording(home: Path, session_id: str) -> bool:
    """True while a writer (in any process) holds the session open."""
    return is_locked(home / SESSIONS / session_id, directory=True)


def summary(home: Path, session_id: str) -> SessionSummary:
    """One session's summary from the index; "recording" only while a writer holds it."""
    path = session_dir(home, session_id)
    s = index.read_summary(path, session_id) or index.unknown_summary(session_id)
    if s.state == "recording" and not is_recording(home, session_id):
        s.state = "interrupted"
    s.bytes = tree_size(path)
    return s


def lock_session(home: Path, session_id: str) -> Lock:
    """Hold a session's folder lock, for a change (SessionBusy if anyone holds it)."""
    lock = try_lock(home / SESSIONS / session_id, directory=True)
    if lock is None:
        raise SessionBusy(f"Session {session_id} is being recorded or changed right now.")
    return lock


def make_session_folder(home: Path, session_id: str) -> tuple[Path, list[Lock]]:
    """Create a new session's folder, holding the vault's writer lock and the folder's.

    Returns:
        The folder and the two locks (the caller releases them when recording ends).

    Raises:
        VaultLocked: another writer holds the vault.
        VaultExists: a session with this id exists.
    """
    vault_lock = try_lock(home / WRITER_LOCK)
    if vault_lock is None:
        raise VaultLocked("Another Overt process is already recording into this vault.")
    locks = [vault_lock]
    try:
        path = home / SESSIONS / session_id
        try:
            with disk_errors("starting a session"):
                os.mkdir(path, 0o700)
                os.chmod(path, 0o700)
        except FileExistsError:
            raise VaultExists(f"A session named {session_id} already exists.") from None
        session_lock = try_lock(path, directory=True)
        if session_lock is None:
            raise SessionBusy(f"Session {session_id} is in use by another process.")
        locks.append(session_lock)
        return path, locks
    except BaseException:
        for lock in locks:
            lock.release()
        raise
