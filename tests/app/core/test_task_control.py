"""Task requests reach a recording through named pipes only, and their answers come back."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path
from typing import Any

import pytest

from app.core import task_control
from app.core.task_control import ControlError, TaskControlServer, send
from storage import InvalidEpisodes


class Target:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.open: str | None = None

    def new_task(self, instruction: str, study_task_id: str | None = None) -> str:
        if len(instruction) > 2000:
            raise InvalidEpisodes("The instruction is too long.")
        self.calls.append(("new", instruction))
        self.open = f"e{len(self.calls)}"
        return self.open

    def end_task(self, outcome: str) -> dict[str, Any] | None:
        self.calls.append(("end", outcome))
        if self.open is None:
            return None
        eid, self.open = self.open, None
        return {"id": eid, "outcome": outcome}


@pytest.fixture
def served(tmp_path: Path) -> Any:
    target = Target()
    server = TaskControlServer(tmp_path, target)
    yield tmp_path, target
    server.stop()


def test_new_and_mark_reach_the_recording(served: Any) -> None:
    home, target = served
    assert send(home, {"op": "new", "instruction": "Réserver un train"})["message"] == (
        "Task e1 started."
    )
    assert send(home, {"op": "mark", "outcome": "success"}) == {
        "ok": True,
        "message": "Task e1 marked success.",
    }
    assert send(home, {"op": "mark", "outcome": "failure"})["ok"] is False
    assert target.calls == [("new", "Réserver un train"), ("end", "success"), ("end", "failure")]


def test_the_recordings_refusal_comes_back_as_its_sentence(served: Any) -> None:
    home, _target = served
    reply = send(home, {"op": "new", "instruction": "x" * 2001})
    assert reply == {"ok": False, "message": "The instruction is too long."}


def test_only_fifos_in_a_private_folder_and_nothing_left_behind(served: Any) -> None:
    home, _target = served
    send(home, {"op": "new", "instruction": "secret words"})
    folder = home / "control"
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    entries = list(folder.iterdir())
    assert [p.name for p in entries] == ["requests"]
    assert stat.S_ISFIFO(os.stat(entries[0]).st_mode)


def test_many_askers_at_once_each_get_their_answer(served: Any) -> None:
    home, target = served
    replies: list[dict[str, Any]] = []

    def ask(n: int) -> None:
        replies.append(send(home, {"op": "new", "instruction": f"task {n} " + "y" * 1500}))

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expected = sorted(f"Task e{i} started." for i in range(1, 9))
    assert sorted(r["message"] for r in replies) == expected
    assert len(target.calls) == 8


def test_no_recording_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(ControlError, match="No recording into this vault takes task commands"):
        send(tmp_path, {"op": "mark", "outcome": "success"})
    server = TaskControlServer(tmp_path, Target())
    server.stop()  # stopped: the pipe is gone
    with pytest.raises(ControlError, match="No recording"):
        send(tmp_path, {"op": "mark", "outcome": "success"})


def test_a_dead_recorders_pipe_is_no_recording(tmp_path: Path) -> None:
    (tmp_path / "control").mkdir(mode=0o700)
    os.mkfifo(tmp_path / "control" / "requests", 0o600)  # nobody reads it
    with pytest.raises(ControlError, match="No recording"):
        send(tmp_path, {"op": "mark", "outcome": "success"})


def test_a_shared_control_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "control").mkdir(mode=0o777)
    os.chmod(tmp_path / "control", 0o777)
    with pytest.raises(ControlError, match="not private"):
        TaskControlServer(tmp_path, Target())


def test_a_reply_name_outside_the_folder_is_ignored(served: Any) -> None:
    home, target = served
    fd = os.open(home / "control" / "requests", os.O_WRONLY)
    os.write(fd, b'{"op": "new", "instruction": "x", "reply": "../../etc/x"}\n')
    os.close(fd)
    assert send(home, {"op": "mark", "outcome": "success"})["ok"] is False  # nothing opened
    assert target.calls == [("end", "success")]


def test_handle_refuses_a_malformed_request() -> None:
    assert task_control.handle(Target(), {"op": "new", "instruction": 3})["ok"] is False
    assert task_control.handle(Target(), {"op": "fly"})["message"] == "Unknown request 'fly'."
