"""Export staging folders: made beside the target, locked while in use, removed after a crash.

An export is written into a hidden folder next to its target and renamed into place when
complete (storage/export/run.py). A process killed meanwhile (``kill -9``, a power cut)
cannot remove that folder, and a folder or zip export's staging holds plaintext: typed
text, consent, frames. So each staging folder is made provably Overt's and provably idle:

- its name is ``.<target name>.<pid>-<8 hex>.partial``;
- it holds ``.overt-export``, ``flock``'d for as long as the export runs (the kernel drops
  the lock when the process dies, however it dies);
- before the folder exists, a ledger entry ``<vault>/export-staging/<8 hex>`` names it, so
  a later start of Overt finds it wherever the target was.

:func:`remove_stale` (run on ``Vault.open`` and before every export) removes a staging
folder only when its name matches, its lock file is there and free (or, when the lock file
was never made, the folder is empty and the pid in its name is gone), and then its ledger
entry. Anything else (in use, not ours, a symlink) is left alone.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

#: The lock file inside a staging folder; held (flock) by the exporting process.
LOCK_NAME = ".overt-export"
#: The folder in the vault home listing staging folders that may exist.
LEDGER = "export-staging"
_NAME = re.compile(r"^\..*\.(?P<pid>[0-9]{1,10})-(?P<token>[0-9a-f]{8})\.partial$")
#: Characters of the target's name kept in the staging name (file names end at 255 bytes).
_NAME_KEEP = 40


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: someone else's process, alive
        return True
    return True


def _remove_if_idle(path: Path) -> bool:
    """Remove one staging folder if it is ours and idle; True when it is gone."""
    match = _NAME.match(path.name)
    if match is None:
        return False
    try:
        if not os.path.isdir(path) or os.path.islink(path):
            return not os.path.lexists(path)
        fd = os.open(path / LOCK_NAME, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        # Killed between making the folder and its lock file: nothing was written yet.
        if int(match["pid"]) != os.getpid() and not _pid_alive(int(match["pid"])):
            with contextlib.suppress(OSError):
                path.rmdir()
        return not os.path.lexists(path)
    except OSError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # an export is writing it
        _remove_lock_last(path)
    finally:
        os.close(fd)
    return not os.path.lexists(path)


def _remove_lock_last(path: Path) -> None:
    """Remove the folder, its lock file last: a kill midway leaves a folder still known as ours."""
    with contextlib.suppress(OSError):
        for child in path.iterdir():
            if child.name == LOCK_NAME:
                continue
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    child.unlink()
    with contextlib.suppress(OSError):
        (path / LOCK_NAME).unlink()
    with contextlib.suppress(OSError):
        path.rmdir()


def remove_stale(home: Path | None = None, beside: Path | None = None) -> int:
    """Remove idle staging folders a killed export left; never raises.

    Args:
        home: a vault folder whose ledger names staging folders (wherever they are).
        beside: a folder to search for staging folders (the next export's target folder).

    Returns:
        How many staging folders were removed.
    """
    removed = 0
    with contextlib.suppress(OSError):
        if home is not None and (Path(home) / LEDGER).is_dir():
            for entry in (Path(home) / LEDGER).iterdir():
                removed += _settle_entry(entry)
            with contextlib.suppress(OSError):
                (Path(home) / LEDGER).rmdir()  # only when empty
    with contextlib.suppress(OSError):
        if beside is not None:
            for path in Path(beside).iterdir():
                if path.name.endswith(".partial") and _NAME.match(path.name):
                    existed = os.path.lexists(path)
                    removed += int(_remove_if_idle(path) and existed)
    return removed


def _settle_entry(entry: Path) -> int:
    try:
        named = Path(entry.read_text(encoding="utf-8").strip())
    except (OSError, UnicodeDecodeError):
        return 0
    match = _NAME.match(named.name)
    if not named.is_absolute() or match is None or match["token"] != entry.name:
        return 0  # not an entry Overt wrote: leave it (and what it names) alone
    existed = os.path.lexists(named)
    if _remove_if_idle(named):
        with contextlib.suppress(OSError):
            entry.unlink()
        return int(existed)
    return 0


def _write_entry(entry: Path, path: Path) -> None:
    entry.parent.mkdir(mode=0o700, exist_ok=True)
    fd = os.open(entry, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        os.write(fd, f"{path}\n".encode())
    finally:
        os.close(fd)


@contextlib.contextmanager
def staging_folder(out: Path, home: Path | None = None) -> Iterator[Path]:
    """A new, locked, 0700 staging folder beside ``out``; removed (unlocked) on exit.

    Args:
        out: the absolute target path.
        home: the vault folder, whose ledger then names the staging folder until it is gone.

    Raises:
        OSError: the folder cannot be made.
    """
    token = secrets.token_hex(4)
    path = out.parent / f".{out.name[:_NAME_KEEP]}.{os.getpid()}-{token}.partial"
    entry = Path(home) / LEDGER / token if home is not None else None
    if entry is not None:
        try:
            _write_entry(entry, path)
        except OSError:
            entry = None  # a vault folder we cannot write: the next export still looks beside
    lock = -1
    try:
        path.mkdir(mode=0o700)
        lock = os.open(path / LOCK_NAME, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield path
    finally:
        _remove_lock_last(path)
        if lock >= 0:
            os.close(lock)
        if entry is not None and not os.path.lexists(path):
            with contextlib.suppress(OSError):
                entry.unlink()
            with contextlib.suppress(OSError):
                entry.parent.rmdir()  # only when empty: the vault is left as it was
