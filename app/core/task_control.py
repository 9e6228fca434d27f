"""Marking tasks on a running recording from another process (`overt task mark done`).

Local only, and nothing of what is said touches the disk: the recording process makes a named
pipe (FIFO) ``<vault>/control/requests`` in a 0700 folder and reads one JSON line per
request; the asking process makes its own reply FIFO beside it, names it in the request, and
waits for one JSON line back. FIFO data lives in kernel memory, so an instruction sent this
way is never written anywhere unencrypted; no socket of any kind is opened. Requests are
serialised by an flock on the request pipe. POSIX only (the recorder's platforms).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import select
import stat
import threading
import time
from pathlib import Path
from typing import Any, Protocol

CONTROL_DIR = "control"
REQUESTS = "requests"
MAX_LINE = 64 * 1024
_REPLY = re.compile(r"^reply-[0-9]{1,10}-[0-9a-f]{16}$")


class ControlError(Exception):
    """Task control could not reach a recording, or the recording refused; one sentence."""


class TaskTarget(Protocol):
    """What a request acts on (``recorder.session.Recorder`` satisfies it)."""

    def new_task(self, instruction: str, study_task_id: str | None = None) -> str: ...

    def end_task(self, outcome: str) -> Any: ...


def control_dir(home: Path) -> Path:
    return Path(home) / CONTROL_DIR


def _private_dir(path: Path) -> None:
    """Make (or check) the control folder: ours, 0700, not a symlink."""
    with contextlib.suppress(FileExistsError):
        os.mkdir(path, 0o700)
    st = os.lstat(path)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
        raise ControlError(f"The task control folder {path} is not private; remove it.")


def handle(target: TaskTarget, request: dict[str, Any]) -> dict[str, Any]:
    """Carry out one request on the recording: the reply to send back."""
    op = request.get("op")
    try:
        if op == "new":
            instruction = request.get("instruction")
            task = request.get("study_task_id")
            if not isinstance(instruction, str) or not (task is None or isinstance(task, str)):
                return {"ok": False, "message": "The request is malformed."}
            eid = target.new_task(instruction, task)
            return {"ok": True, "message": f"Task {eid} started.", "id": eid}
        if op == "mark":
            closed = target.end_task(str(request.get("outcome")))
            if closed is None:
                return {"ok": False, "message": "No task is open in this recording."}
            return {"ok": True, "message": f"Task {closed['id']} marked {closed['outcome']}."}
    except Exception as error:  # noqa: BLE001 - the asker gets the sentence, capture goes on
        return {"ok": False, "message": str(error) or type(error).__name__}
    return {"ok": False, "message": f"Unknown request {op!r}."}


class TaskControlServer:
    """Reads task requests for one recording until stopped (a daemon thread).

    Only the process holding the vault's writer lock runs one, so a leftover request pipe is
    a dead recorder's and is replaced.
    """

    def __init__(self, home: Path, target: TaskTarget) -> None:
        self._dir = control_dir(home)
        self._target = target
        self._stop = threading.Event()
        _private_dir(self._dir)
        self._path = self._dir / REQUESTS
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._path)
        os.mkfifo(self._path, 0o600)
        # Read-write, so the pipe never reports end-of-file between askers.
        self._fd = os.open(self._path, os.O_RDWR | os.O_NONBLOCK)
        self._thread = threading.Thread(target=self._run, name="overt-task-control", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop reading and remove the request pipe (askers then hear no recording runs)."""
        self._stop.set()
        self._thread.join(2.0)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._path)
        with contextlib.suppress(OSError):
            os.close(self._fd)

    def _run(self) -> None:
        buffer = b""
        while not self._stop.is_set():
            ready, _, _ = select.select([self._fd], [], [], 0.2)
            if not ready:
                continue
            try:
                chunk = os.read(self._fd, 65536)
            except BlockingIOError:
                continue
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                self._answer(line)
            if len(buffer) > MAX_LINE:
                buffer = b""

    def _answer(self, line: bytes) -> None:
        try:
            request = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return
        if not isinstance(request, dict):
            return
        reply = request.get("reply")
        if not isinstance(reply, str) or not _REPLY.match(reply):
            return
        answer = handle(self._target, request)
        try:
            fd = os.open(self._dir / reply, os.O_WRONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
        except OSError:
            return  # the asker gave up
        try:
            if stat.S_ISFIFO(os.fstat(fd).st_mode):
                os.write(fd, json.dumps(answer).encode() + b"\n")
        except OSError:
            pass
        finally:
            os.close(fd)


def send(home: Path, request: dict[str, Any], timeout: float = 5.0) -> dict[str, Any]:
    """Send one request to the recording into this vault and wait for its reply.

    Raises:
        ControlError: no recording takes task requests, or it did not answer in time.
    """
    folder = control_dir(home)
    nobody = ControlError(
        "No recording into this vault takes task commands; start one with overt record."
    )
    try:
        fd = os.open(folder / REQUESTS, os.O_WRONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ENXIO, errno.ENOTDIR, errno.ELOOP):
            raise nobody from None
        raise ControlError(f"The recording cannot be reached: {error.strerror}.") from None
    name = f"reply-{os.getpid()}-{os.urandom(8).hex()}"
    reply_path = folder / name
    try:
        if not stat.S_ISFIFO(os.fstat(fd).st_mode):
            raise nobody
        os.mkfifo(reply_path, 0o600)
        rfd = os.open(reply_path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            line = json.dumps({**request, "reply": name}, ensure_ascii=False).encode() + b"\n"
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.set_blocking(fd, True)
            os.write(fd, line)
            fcntl.flock(fd, fcntl.LOCK_UN)
            return _read_reply(rfd, timeout)
        finally:
            os.close(rfd)
    finally:
        os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(reply_path)


def _read_reply(fd: int, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    data = b""
    while b"\n" not in data:
        left = deadline - time.monotonic()
        if left <= 0:
            raise ControlError("The recording did not answer; the task was not marked.")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            with contextlib.suppress(BlockingIOError):
                data += os.read(fd, 65536)
    try:
        reply = json.loads(data.split(b"\n", 1)[0])
    except ValueError:
        raise ControlError("The recording's answer was malformed.") from None
    if not isinstance(reply, dict):
        raise ControlError("The recording's answer was malformed.")
    return reply
