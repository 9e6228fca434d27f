"""A whole session through the pipeline with a fake backend: policy before anything is written."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from recorder.capture.rawinput import RawInput
from recorder.capture.targets import KEY_LAG_S
from recorder.consent.record import ConsentScope, build_cli_consent
from recorder.errors import ConsentRequired, NotReady
from recorder.session import Recorder
from tests.recorder.fakes import FakeBackend, FakeKey, MemorySink, wait_for, window
from tests.recorder.session_driver import Session


@pytest.fixture
def session() -> Iterator[Session]:
    s = Session(ConsentScope(frames=False))
    yield s
    if s.recorder.state != "stopped":
        s.recorder.stop()


def test_nothing_starts_without_consent() -> None:
    with pytest.raises(ConsentRequired):
        Recorder({}, FakeBackend())


def test_unconfirmed_readiness_writes_nothing() -> None:
    backend = FakeBackend(ready=False)
    opened: list[object] = []
    recorder = Recorder(build_cli_consent(ConsentScope(), app_version="t"), backend)
    with pytest.raises(NotReady, match="nothing was recorded"):
        recorder.start(lambda c: opened.append(c) or MemorySink(), ready_timeout=0.2)
    assert opened == []
    assert not backend.input_running


def test_events_before_the_session_began_are_not_recorded() -> None:
    s = Session(ConsentScope(frames=False))
    sink = s.stop()
    assert [e for e in sink.events if e["kind"] == "move"] == []  # the sentinel
    assert sink.markers() == ["stop"]
    assert sink.state == "complete"
    assert sink.stats["events"] == 1


def test_typing_clicks_and_window_context(session: Session) -> None:
    assert session.backend.on_window is not None
    session.backend.on_window(window("gedit", "notes.txt"))
    session.raw.on_move(5, 5)
    session.click(10, 20)
    session.type("hi")
    session.chord("ctrl_l", "s")
    sink = session.stop()
    kinds = [e["kind"] for e in sink.events]
    assert kinds[0] == "window"
    assert sink.events[0]["title"] == "notes.txt"
    assert [a["kind"] for a in sink.actions] == ["click", "type", "hotkey"]
    assert sink.actions[1]["text"] == "hi"
    assert sink.actions[2]["keys"] == ["ctrl", "s"]
    assert all(a["window_seq"] == 0 for a in sink.actions)
    keys = sink.kinds("key")
    assert [k["char"] for k in keys if k["down"]] == ["h", "i", None, None]


def test_denied_window_leaves_only_markers(session: Session) -> None:
    assert session.backend.on_window is not None
    session.backend.on_window(window("gedit", "a"))
    session.type("ok")
    session.settle()
    session.backend.on_window(window("KeePassXC", "Passwords.kdbx"))
    session.settle()
    session.raw.on_move(300, 300)
    session.click(300, 300)
    session.type("secret")
    session.settle()
    session.backend.on_window(window("gedit", "a"))
    time.sleep(KEY_LAG_S)  # keys stamped right after leaving the denied window are dropped
    session.type("b")
    sink = session.stop()
    assert "outside_scope_start" in sink.markers()
    assert "outside_scope_end" in sink.markers()
    text = "".join(k["char"] or "" for k in sink.kinds("key"))
    assert text == "okb"
    assert all("KeePass" not in str(e) and "Passwords" not in str(e) for e in sink.events)
    assert sink.kinds("button") == []
    assert [a["text"] for a in sink.actions if a["kind"] == "type"] == ["ok", "b"]


def test_a_window_change_seen_late_still_comes_before_the_keys_after_it() -> None:
    s = Session(ConsentScope(frames=False), reorder_s=0.3)
    switched = time.monotonic()
    s.type("leak")  # typed into the password manager before its window event was read
    s.raw.on_window(window("KeePassXC", "Passwords.kdbx"), switched)
    sink = s.stop()
    assert sink.kinds("key") == []
    assert sink.markers()[0] == "outside_scope_start"


def test_api_pause_drops_everything_until_resume(session: Session) -> None:
    session.type("a")
    session.settle()
    session.recorder.pause()
    assert session.recorder.paused
    session.type("zzz")
    session.click(1, 1)
    session.settle()
    session.recorder.resume()
    session.settle()
    session.type("b")
    sink = session.stop()
    assert "".join(k["char"] or "" for k in sink.kinds("key")) == "ab"
    markers = sink.markers()
    assert markers.index("pause") < markers.index("resume")
    assert sink.kinds("button") == []


def test_window_changes_while_paused_wait_for_resume(session: Session) -> None:
    assert session.backend.on_window is not None
    session.backend.on_window(window("gedit", "a"))
    session.settle()
    session.recorder.pause()
    session.backend.on_window(window("firefox", "Private thoughts"))
    session.backend.on_window(window("gimp", "photo.png"))
    session.settle()
    session.recorder.resume()
    session.settle()
    sink = session.stop()
    assert "Private thoughts" not in str(sink.events)
    pause = next(e["t"] for e in sink.events if e.get("what") == "pause")
    resume = next(e["t"] for e in sink.events if e.get("what") == "resume")
    assert [e for e in sink.events if pause < e["t"] < resume] == []
    windows = [e["app"] for e in sink.kinds("window")]
    assert windows == ["gedit", "gimp"]


def test_hotkey_pauses_and_resumes_and_is_never_recorded(session: Session) -> None:
    session.type("a")
    session.chord("ctrl_l", "alt_l", "shift", "p")
    session.type("hidden")
    session.chord("ctrl_l", "alt_l", "shift", "p")
    session.type("b")
    sink = session.stop()
    keys = sink.kinds("key")
    assert [k["key"] for k in keys if k["down"]] == ["a", "b"]
    assert not any(k["key"] in ("ctrl_l", "alt_l", "shift", "p") for k in keys)
    pause = [e for e in sink.events if e["kind"] == "marker" and e["what"] == "pause"]
    assert pause[0]["note"] == "hotkey"
    assert "resume" in sink.markers()


def test_pause_takes_effect_within_50_ms(session: Session) -> None:
    session.chord("ctrl_l", "alt_l", "shift", "p")
    wait_for(lambda: session.recorder.paused, timeout=0.05 + 0.5)
    started = time.monotonic()
    session.recorder.resume()
    session.settle()
    session.chord("ctrl_l", "alt_l", "shift", "p")
    wait_for(lambda: session.recorder.paused, timeout=1.0)
    assert time.monotonic() - started < 1.0
    pipeline = session.recorder.pipeline
    assert pipeline is not None
    assert pipeline.stats.hotkeys == 2


def test_sensitive_window_suppresses_text_and_says_so(session: Session) -> None:
    assert session.backend.on_window is not None
    session.backend.on_window(window("xterm", "[sudo] password for ada"))
    session.type("hunter2")
    session.tap("enter")
    session.settle()
    session.backend.on_window(window("xterm", "ada@host: ~"))
    session.type("ls")
    sink = session.stop()
    markers = sink.markers()
    assert markers.index("sensitive_start") < markers.index("sensitive_end")
    keys = [k["key"] for k in sink.kinds("key") if k["down"]]
    assert keys == ["enter", "l", "s"]


@pytest.mark.parametrize(
    ("mode", "chars", "key_events"), [("keys", [None, None], 4), ("none", [], 0)]
)
def test_text_modes(mode: str, chars: list[object], key_events: int) -> None:
    s = Session(ConsentScope(frames=False, text_mode=mode))  # type: ignore[arg-type]
    s.type("hi")
    sink = s.stop()
    keys = sink.kinds("key")
    assert len(keys) == key_events
    assert [k["char"] for k in keys if k["down"]] == chars
    assert all(a.get("text", "") == "" for a in sink.actions)


def test_titles_out_of_scope_are_blank(session: Session) -> None:
    s = Session(ConsentScope(frames=False, window_titles=False))
    assert s.backend.on_window is not None
    s.backend.on_window(window("gedit", "salary.ods"))
    sink = s.stop()
    assert sink.kinds("window")[0]["title"] == ""
    assert sink.kinds("window")[0]["app"] == "gedit"


def test_a_full_queue_drops_and_counts_per_source() -> None:
    raw = RawInput(capacity=10)
    for i in range(12):
        raw.on_move(i, i)
    for _ in range(3):
        raw.on_press(FakeKey("a", "a", 1))
    assert raw.queue.qsize() == 10
    assert raw.dropped == {"mouse": 2, "keyboard": 3, "window": 0}


def test_drops_are_marked_in_the_session_and_its_stats(session: Session) -> None:
    session.raw.dropped["mouse"] += 7  # as if the callbacks had met a full queue
    wait_for(lambda: "drops" in session.sink.markers())
    session.raw.dropped["keyboard"] += 2
    sink = session.stop()
    drops = [e for e in sink.events if e["kind"] == "marker" and e["what"] == "drops"]
    assert [(d["source"], d["count"]) for d in drops] == [("mouse", 7), ("keyboard", 2)]
    assert sink.stats["drops"] == 9


def test_moves_are_thinned_in_the_pipeline(session: Session) -> None:
    for i in range(500):
        session.raw.on_move(i, i)
    session.click(499, 499)
    sink = session.stop()
    moves = sink.kinds("move")
    assert len(moves) < 100
    assert moves[-1]["x"] == 499  # the move before the click is kept
    assert moves[0]["x"] == 0


def test_duration_stops_the_session() -> None:
    s = Session(ConsentScope(frames=False, duration_s=0.2))
    assert s.recorder.wait() == "duration"
    s.stop()


def test_idle_stop() -> None:
    s = Session(ConsentScope(frames=False, idle_stop_s=0.2))
    assert s.recorder.wait() == "idle"
    s.stop()


def test_a_failing_sink_ends_the_session_as_interrupted() -> None:
    class FullDisk(Exception):
        pass

    class BrokenSink(MemorySink):
        def append_event(self, event: dict[str, Any]) -> int:
            if event["kind"] == "key":
                raise FullDisk("The disk is full.")
            return super().append_event(event)

    backend = FakeBackend()
    sinks: list[BrokenSink] = []

    def open_sink(consent: dict[str, Any]) -> BrokenSink:
        sinks.append(BrokenSink(consent))
        return sinks[-1]

    recorder = Recorder(build_cli_consent(ConsentScope(frames=False), app_version="t"), backend)
    recorder.start(open_sink)
    assert backend.raw is not None
    backend.raw.on_press(FakeKey("a", "a", 1))
    assert recorder.wait() == "failed"
    recorder.stop("failed")
    assert isinstance(recorder.failure, FullDisk)
    assert sinks[0].state == "interrupted"
    assert not backend.input_running


def test_a_locked_screen_pauses_capture(session: Session) -> None:
    session.type("a")
    session.raw.on_lock(True)
    session.type("pin1234")
    session.raw.on_move(5, 5)
    session.settle()
    session.raw.on_lock(False)
    session.type("b")
    sink = session.stop()
    assert "".join(k["char"] or "" for k in sink.kinds("key")) == "ab"
    markers = sink.markers()
    assert markers.index("screen_locked") < markers.index("screen_unlocked")
    assert sink.kinds("move") == []


def test_visible_out_of_scope_windows_become_frame_masks() -> None:
    s = Session(ConsentScope())
    s.raw.on_visible(
        [
            window("gedit", "notes", x=0, y=0, w=10, h=10),
            window("KeePassXC", "db", x=20, y=5, w=30, h=40),
            window("firefox", "Private Browsing", x=1, y=2, w=3, h=4),
        ]
    )
    frames = s.recorder.frames
    assert frames is not None
    wait_for(lambda: bool(frames.masks))
    assert frames.masks == [(20, 5, 30, 40), (1, 2, 3, 4)]
    s.stop()
