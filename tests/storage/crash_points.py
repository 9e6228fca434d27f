"""Child process for the crash-point test: a recording killed at each of its disk writes.

Usage: ``crash_points.py TEMPLATE OUT [record|delete SESSION]``. TEMPLATE is a vault; for
every call that changes the disk during one session's life (start, appends, a flush, close),
or during ``overt delete SESSION``, a copy of TEMPLATE is made under OUT and a forked process
records into it (or deletes) and dies (``os._exit``, as abruptly as ``kill -9``) right before
that call, or, for a write, after half of its bytes. Each copy is named
``<call>-<before|torn>``; one more, ``whole``, holds the work run to its end.

To make the calls the same on every run the writer's background flush is off, frames are
encoded in the calling thread and ``fsync`` is skipped (a killed process loses nothing
that reached the OS; only power loss needs fsync, and this is not about power loss).
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
import traceback
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from storage import Vault, writer

#: Besides os.open with O_CREAT, the calls that change the disk (fsync only makes it durable).
MUTATING = ("write", "replace", "rename", "unlink", "mkdir", "rmdir")
W, H = 32, 24


class InlineExecutor:
    """Runs each submitted function at once, in the caller's thread."""

    def __init__(self, *_args: Any, **_kwargs: Any) -> None:
        pass

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        done: Future[Any] = Future()
        done.set_result(fn(*args, **kwargs))
        return done

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        del wait, cancel_futures


class NoTicker:
    """Stands in for the writer's background flush thread."""

    def __init__(self, *_args: Any) -> None:
        pass

    def stop(self) -> None:
        pass


def record(home: Path) -> None:
    """One session's whole life: start, events, frames (key, delta, same), flush, close."""
    vault = Vault.open(home)
    px = bytearray(W * H * 4)
    meta = {"t": 0.0, "wall": 0.0, "reason": "periodic", "monitor": {"index": 0, "w": W, "h": H}}
    w = vault.begin_session({"purpose": "crash points"})
    for i in range(3):
        w.append_event({"t": float(i), "wall": 0.0, "kind": "move", "x": i, "y": 0})
    w.append_frame(bytes(px), (W, H), dict(meta))
    w.flush()
    px[100] = 0xFF
    w.append_frame(bytes(px), (W, H), dict(meta))
    w.append_frame(bytes(px), (W, H), dict(meta))
    w.append_event({"t": 3.0, "wall": 0.0, "kind": "move", "x": 3, "y": 0})
    w.append_action({"t": 3.0, "t_end": 3.0, "wall": 0.0, "kind": "click", "events": [3]})
    w.close()


def delete(home: Path, session_id: str) -> None:
    """What ``overt delete`` does: open the vault, delete one session."""
    Vault.open(home).delete_session(session_id)


def instrument(kill_at: int | None, torn: bool, log: list[str]) -> None:
    """Log the mutating os calls; die before call ``kill_at`` (or halfway through it)."""
    writer.ThreadPoolExecutor = InlineExecutor  # type: ignore[assignment,misc]
    writer.Ticker = NoTicker  # type: ignore[assignment,misc]
    os.fsync = lambda fd: None
    names: dict[int, str] = {}
    real_open, exit_now = os.open, os._exit

    def step(what: str) -> bool:
        """Log a call; True if it is the one to die at."""
        log.append(what)
        return len(log) - 1 == kill_at

    def opened(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & os.O_CREAT and step(f"create {Path(path).name}"):
            exit_now(137)
        fd = real_open(path, flags, *args, **kwargs)
        names[fd] = Path(path).name
        return fd

    os.open = opened
    for name in MUTATING:
        real = getattr(os, name)

        def counted(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            where = names.get(args[0], "?") if _name == "write" else Path(str(args[0])).name
            if step(f"{_name} {where}"):
                if torn:
                    data = bytes(args[1])
                    _real(args[0], data[: len(data) // 2])
                exit_now(137)
            return _real(*args, **kwargs)

        setattr(os, name, counted)


def run_child(
    template: Path,
    home: Path,
    kill_at: int | None,
    torn: bool,
    work: Callable[[Path], None] = record,
) -> list[str]:
    """In a forked process: copy the vault, do ``work`` in it, die at ``kill_at``."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        code = 0
        try:
            shutil.copytree(template, home)
            log: list[str] = []
            report = os.write
            instrument(kill_at, torn, log)
            work(home)
            report(write, "\n".join(log).encode())
        except BaseException:
            traceback.print_exc()  # the parent sees it on stderr and fails on the exit code
            code = 1
        os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        calls = pipe.read().decode().splitlines()
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    expected = 0 if kill_at is None else 137
    if code != expected:
        raise SystemExit(f"{home.name}: the recording exited with {code}, not {expected}")
    return calls


def main() -> None:
    template, out = Path(sys.argv[1]), Path(sys.argv[2])
    work: Callable[[Path], None] = record
    if sys.argv[3:4] == ["delete"]:
        work = functools.partial(delete, session_id=sys.argv[4])
    calls = run_child(template, out / "whole", None, False, work)
    print(f"whole {len(calls)}", flush=True)
    for k, call in enumerate(calls):
        run_child(template, out / f"{k:03d}-before", k, False, work)
        print(f"{k:03d}-before {call}", flush=True)
        if call.startswith("write "):
            run_child(template, out / f"{k:03d}-torn", k, True, work)
            print(f"{k:03d}-torn {call}", flush=True)


if __name__ == "__main__":
    main()
