"""Task episodes while recording: the Recorder's task calls and the task hotkeys."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from recorder.consent.record import ConsentScope, build_cli_consent
from recorder.errors import RecorderError
from recorder.session import Recorder
from storage import InvalidEpisodes
from storage import episodes as eps
from tests.recorder.fakes import FakeBackend, FakeScreen
from tests.recorder.session_driver import Session
from tests.storage.helpers import PASS, make_vault


def _fold(sink_episodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return eps.validate(eps.fold(sink_episodes))


@pytest.fixture
def calls() -> list[tuple[str, str | None]]:
    return []


@pytest.fixture
def session(calls: list[tuple[str, str | None]]) -> Iterator[Session]:
    s = Session(ConsentScope(frames=False), on_task_hotkey=lambda n, e: calls.append((n, e)))
    yield s
    if s.recorder.state != "stopped":
        s.recorder.stop()


def test_task_hotkeys_mark_tasks_and_are_never_recorded(
    session: Session, calls: list[tuple[str, str | None]]
) -> None:
    session.type("a")
    session.chord("ctrl_l", "alt_l", "shift", "n")
    session.type("x")
    session.chord("ctrl_l", "alt_l", "shift", "d")
    session.type("b")
    session.chord("ctrl_l", "alt_l", "shift", "n")
    session.chord("ctrl_l", "alt_l", "shift", "f")
    session.chord("ctrl_l", "alt_l", "shift", "d")  # nothing open: nothing happens
    session.type("c")
    sink = session.stop()
    keys = sink.kinds("key")
    assert [k["key"] for k in keys if k["down"]] == ["a", "x", "b", "c"]
    assert not any(k["key"] in ("ctrl_l", "alt_l", "shift", "n", "d", "f") for k in keys)
    got = _fold(sink.episodes)
    assert [(e["id"], e["instruction"], e["outcome"]) for e in got] == [
        ("e1", "", "success"),
        ("e2", "", "failure"),
    ]
    assert calls == [("new", "e1"), ("done", "e1"), ("new", "e2"), ("failed", "e2"), ("done", None)]
    typed = {k["key"]: k["t"] for k in keys if k["down"]}
    assert got[0]["t_start"] <= typed["x"] <= got[0]["t_end"] <= typed["b"]


def test_new_end_and_current_task(session: Session) -> None:
    rec = session.recorder
    assert rec.current_task() is None
    assert rec.new_task("Book a train") == "e1"
    current = rec.current_task()
    assert current is not None
    assert (current["id"], current["instruction"]) == ("e1", "Book a train")
    assert current["t_end"] is None
    assert current["outcome"] is None
    assert rec.new_task("Then a hotel") == "e2"  # closes e1 with no outcome
    rec.set_task_instruction("Then a cheap hotel")
    closed = rec.end_task("abandoned")
    assert closed is not None
    assert closed["outcome"] == "abandoned"
    assert rec.current_task() is None
    assert rec.end_task("success") is None
    got = _fold(session.stop().episodes)
    assert [(e["instruction"], e["outcome"]) for e in got] == [
        ("Book a train", None),
        ("Then a cheap hotel", "abandoned"),
    ]
    assert got[0]["t_end"] <= got[1]["t_start"]


def test_bad_task_input_changes_nothing(session: Session) -> None:
    rec = session.recorder
    rec.new_task("first")
    with pytest.raises(InvalidEpisodes, match="limit is 2000"):
        rec.new_task("x" * 2001)
    with pytest.raises(InvalidEpisodes, match="no task 't1'"):
        rec.new_task("y", study_task_id="t1")
    with pytest.raises(InvalidEpisodes, match="not one of"):
        rec.end_task("maybe")
    current = rec.current_task()
    assert current is not None
    assert current["instruction"] == "first"
    assert len(session.sink.episodes) == 1


def test_an_open_task_ends_with_the_session(session: Session) -> None:
    session.recorder.new_task("left open")
    sink = session.stop()
    (ep,) = _fold(sink.episodes)
    assert ep["t_end"] is not None
    assert ep["outcome"] is None
    with pytest.raises(RecorderError, match="only while recording"):
        session.recorder.new_task("too late")


def test_tasks_from_many_threads_never_overlap(session: Session) -> None:
    rec = session.recorder

    def work(n: int) -> None:
        for i in range(20):
            rec.new_task(f"task {n}.{i}")
            rec.end_task("success" if i % 2 else "failure")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    got = _fold(session.stop().episodes)  # validate raises on an overlap or a repeated id
    assert len(got) == 80


def test_a_task_hotkey_on_the_pause_chord_is_refused() -> None:
    consent = build_cli_consent(ConsentScope(frames=False), app_version="t")
    with pytest.raises(ValueError, match="already the pause hotkey"):
        Recorder(consent, FakeBackend(), task_hotkeys={"done": "ctrl+alt+shift+p"})


def test_tasks_reach_the_vault(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    consent = build_cli_consent(ConsentScope(frames=False), app_version="t")
    rec = Recorder(consent, FakeBackend(FakeScreen()))
    sid = rec.start(vault.begin_session)
    rec.new_task("Write the report")
    rec.end_task("success")
    rec.new_task("Send it")
    rec.stop()
    got = vault.unlock(PASS).open_session(sid).episodes()
    assert [(e["instruction"], e["outcome"]) for e in got] == [
        ("Write the report", "success"),
        ("Send it", None),
    ]
    assert got[1]["t_end"] is not None


class ListSink:
    """Only what TaskLog writes to: the episode records, in order."""

    def __init__(self) -> None:
        self.episodes: list[dict[str, Any]] = []

    def put_episode(self, record: dict[str, Any]) -> None:
        self.episodes.append(dict(record))


def test_a_hotkey_task_named_as_one_of_the_study_tasks_keeps_its_id() -> None:
    from recorder.tasks import TaskLog

    sink = ListSink()
    log = TaskLog(sink, lambda: 1.0, {"t1"})  # type: ignore[arg-type]
    log.new("", at=0.5)  # what the new-task hotkey does
    with pytest.raises(InvalidEpisodes, match="no task 't9'"):
        log.set_instruction("Find a flight", "t9")
    log.set_instruction("Find the cheapest flight", "t1")
    (episode,) = eps.fold(sink.episodes)
    assert (episode["instruction"], episode["study_task_id"]) == ("Find the cheapest flight", "t1")
