"""Child process for the export crash test: an export killed at each of its file-system calls.

Usage: ``export_crash_points.py TEMPLATE OUT FORMAT [RECIPIENT]``. TEMPLATE is a vault
holding one approved session. The export is run once whole (``OUT/whole``), logging every
call that changes the disk; then, for each call ``k``, a copy of TEMPLATE under ``OUT/<k>``
is exported from in a forked process that dies (``os._exit``, as abruptly as ``kill -9``)
right before that call. Each copy holds ``vault/`` and ``exports/`` (the folder of the
target ``exports/export``).

The calls are seen through audit hooks (``sys.addaudithook``), which, unlike patching ``os``,
also see files opened through ``open()``, ``zipfile`` and ``tempfile``: every open for
writing, mkdir, rename, replace, unlink, rmdir, rmtree and flock. A kill between two such
calls leaves what a kill anywhere between them leaves.
"""

from __future__ import annotations

import os
import shutil
import sys
import traceback
from pathlib import Path
from typing import Any

from storage import Vault
from storage.export import export_sessions
from tests.storage.helpers import PASS

_WRITES = os.O_WRONLY | os.O_RDWR | os.O_CREAT
_EVENTS = {
    "os.mkdir",
    "os.rename",
    "os.replace",
    "os.remove",
    "os.rmdir",
    "shutil.rmtree",
    "fcntl.flock",
    "os.truncate",
}


def instrument(kill_at: int | None, log: list[str]) -> None:
    """Log the disk-changing calls; die right before call ``kill_at``."""
    exit_now = os._exit

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "open":
            flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
            mode = args[1] if len(args) > 1 and isinstance(args[1], str) else ""
            if not (flags & _WRITES or any(c in mode for c in "wxa+")):
                return
        elif event not in _EVENTS:
            return
        named = args and isinstance(args[0], str | os.PathLike)
        log.append(f"{event} {Path(str(args[0])).name}" if named else event)
        if len(log) - 1 == kill_at:
            exit_now(137)

    sys.addaudithook(hook)


def export(home: Path, fmt: str, recipient: str | None) -> None:
    vault = Vault.open(home / "vault")
    unlocked = vault.unlock(PASS)
    readers = [unlocked.open_session(sid) for sid in vault.session_ids()]
    export_sessions(
        readers,
        fmt,
        home / "exports" / "export",
        recipient=recipient,
        created=1.0,
        home=vault.home,
    )


def run_child(
    template: Path, home: Path, fmt: str, recipient: str | None, kill_at: int | None
) -> list[str]:
    """In a forked process: copy the vault, export from it, die at ``kill_at``."""
    home.mkdir()
    shutil.copytree(template, home / "vault")
    (home / "exports").mkdir()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        code = 0
        try:
            log: list[str] = []
            Vault.open(home / "vault")  # imports and first-open work before the hook
            instrument(kill_at, log)
            export(home, fmt, recipient)
            os.write(write, "\n".join(log).encode())
        except BaseException:
            traceback.print_exc()
            code = 1
        os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        calls = pipe.read().decode().splitlines()
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    expected = 0 if kill_at is None else 137
    if code != expected:
        raise SystemExit(f"{home.name}: the export exited with {code}, not {expected}")
    return calls


def main() -> None:
    template, out, fmt = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    recipient = sys.argv[4] if len(sys.argv) > 4 else None
    calls = run_child(template, out / "whole", fmt, recipient, None)
    print(f"whole {len(calls)}", flush=True)
    for k, call in enumerate(calls):
        run_child(template, out / f"{k:03d}", fmt, recipient, k)
        print(f"{k:03d} {call}", flush=True)


if __name__ == "__main__":
    main()
