"""Advisory locks (fcntl.flock): one writer per vault, one mutator per session.

flock locks belong to an open file description, so two handles in one process exclude
each other just as two processes do, and the kernel drops them when a process dies
(kill -9 included), so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from storage.format.files import FILE_MODE, disk_errors


class Lock:
    """A held exclusive flock; release() (or process death) frees it.

    Attributes:
        path: the locked file or folder.
    """

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    def release(self) -> None:
        """Unlock and close (idempotent)."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def try_lock(path: Path, *, directory: bool = False) -> Lock | None:
    """Take an exclusive lock without waiting.

    Args:
        path: a file (created 0600 if missing) or, with ``directory``, a folder.
        directory: lock a folder instead of a file.

    Returns:
        The held Lock, or None if someone else holds it.
    """
    with disk_errors(f"locking {path.name}"):
        if directory:
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        else:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    return Lock(path, fd)


def is_locked(path: Path, *, directory: bool = False) -> bool:
    """True if someone holds the lock on ``path`` right now (False if it is missing)."""
    try:
        lock = try_lock(path, directory=directory)
    except Exception:  # noqa: BLE001 - a missing or unreadable path is simply not locked
        return False
    if lock is None:
        return True
    lock.release()
    return False
