"""File-system helpers for the vault: private modes, atomic replace, shredding, full disks.

Kept apart so every write in storage/ goes through the same few audited paths.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storage.errors import DiskFull, StorageError, UnsafePermissions

DIR_MODE = 0o700
FILE_MODE = 0o600
_NO_SPACE = {errno.ENOSPC, errno.EDQUOT}


@contextlib.contextmanager
def disk_errors(what: str) -> Iterator[None]:
    """Turn a full disk into DiskFull and other OS errors into StorageError.

    Args:
        what: a short description of the operation, for the message.
    """
    try:
        yield
    except OSError as exc:
        if exc.errno in _NO_SPACE:
            raise DiskFull(
                f"The disk is full while {what}; nothing already saved was lost."
            ) from exc
        raise StorageError(f"Could not finish {what}: {exc.strerror or exc}.") from exc


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and missing parents inside it) with mode 0700."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    os.chmod(path, DIR_MODE)


def fsync_dir(path: Path) -> None:
    """Make a directory's entries (creations, renames, unlinks) durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, mode: int = FILE_MODE) -> None:
    """Replace ``path`` with ``data`` so readers see the old or the new file, never half.

    The temp file sits in the same folder (same file system), is fsynced before the rename,
    and the folder is fsynced after it.

    Args:
        path: the file to replace.
        data: its complete new content.
        mode: the new file's mode (less the umask); the vault's files are all 0600.

    Raises:
        DiskFull: if the disk fills; the old file is left untouched.
    """
    tmp = path.with_name(f".{path.name}.tmp")
    with disk_errors(f"writing {path.name}"):
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        fsync_dir(path.parent)


def write_json_atomic(path: Path, doc: Any) -> None:
    """Replace ``path`` with ``doc`` as indented JSON, atomically and durably (``write_atomic``).

    For the small JSON files beside the vault (settings, dismissals, the vault's location),
    so that they too are never half-written and are fsynced like the vault's own files.

    Raises:
        DiskFull: if the disk fills; the old file is left untouched.
        StorageError: any other failure to write, in one sentence.
    """
    write_atomic(path, json.dumps(doc, indent=2).encode("utf-8"))


def shred(path: Path) -> None:
    """Overwrite a file with random bytes, fsync, unlink it and fsync its folder.

    Overwriting matters for key records: on most file systems it replaces the blocks that
    held the keys (SSDs and copy-on-write file systems may keep old blocks; FORMAT.md says so).
    """
    try:
        st = path.lstat()
    except FileNotFoundError:
        return
    size = st.st_size
    with disk_errors(f"destroying {path.name}"):
        if stat.S_ISLNK(st.st_mode):  # a planted link: remove it, never overwrite its target
            os.unlink(path)
            return
        fd = os.open(path, os.O_WRONLY | os.O_NOFOLLOW)
        try:
            remaining = size
            while remaining > 0:
                n = min(remaining, 1 << 20)
                os.write(fd, os.urandom(n))
                remaining -= n
            os.fsync(fd)
        finally:
            os.close(fd)
        os.unlink(path)
        fsync_dir(path.parent)


def check_private(path: Path) -> None:
    """Refuse a vault path that other users could read or write.

    Args:
        path: a folder or file of the vault.

    Raises:
        UnsafePermissions: if group/other have any access or another user owns it.
    """
    st = path.lstat()
    if stat.S_ISLNK(st.st_mode):
        raise UnsafePermissions(f"{path} is a symbolic link; the vault must not contain links.")
    if st.st_mode & 0o077:
        want = "0700" if stat.S_ISDIR(st.st_mode) else "0600"
        raise UnsafePermissions(
            f"{path} is accessible to other users (mode {st.st_mode & 0o777:04o}); "
            f"run chmod {want} on it."
        )
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise UnsafePermissions(f"{path} belongs to another user.")


def tree_size(path: Path) -> int:
    """Total size in bytes of the regular files under ``path`` (0 if it is gone)."""
    total = 0
    try:
        entries = list(os.scandir(path))
    except FileNotFoundError:
        return 0
    for entry in entries:
        with contextlib.suppress(FileNotFoundError):
            if entry.is_file(follow_symlinks=False):
                total += entry.stat(follow_symlinks=False).st_size
    return total
