"""The capture gate on its own: pause, scope, lock and sensitivity, driven step by step."""

from __future__ import annotations

from recorder.capture.gate import (
    END_STRETCH,
    WRITE_HELD_MOVE,
    AllowFrames,
    CaptureGate,
    Effect,
    Mark,
    RequestWindowFrame,
    WriteWindow,
)
from recorder.capture.policy import Policy
from recorder.consent.record import ConsentScope
from tests.recorder.fakes import ManualClock, window

EDITOR = window("gedit", "notes.txt")
VAULT = window("KeePassXC", "Passwords.kdbx")
SUDO = window("xterm", "[sudo] password for ada")


def gate(clock: ManualClock | None = None, **scope: object) -> CaptureGate:
    policy = Policy(ConsentScope(**scope), own_pid=1)  # type: ignore[arg-type]
    return CaptureGate(policy, clock or ManualClock(100.0))


def marks(effects: list[Effect]) -> list[str]:
    return [e.what for e in effects if isinstance(e, Mark)]


def test_a_pause_request_drops_input_from_its_instant_on() -> None:
    clock = ManualClock(100.0)
    g = gate(clock)
    assert not g.suppresses(100.0)
    assert g.request_pause() == 100.0
    assert g.request_pause() is None  # already paused: the first instant holds
    assert g.paused
    assert not g.suppresses(99.9)  # typed before the pause, handled after it: kept
    assert g.suppresses(100.0)
    assert not g.frames_allowed


def test_the_queued_pause_is_marked_once_after_the_input_before_it() -> None:
    g = gate()
    g.request_pause()
    assert g.control("pause", 100.01) == [
        AllowFrames(False, 100.0),
        END_STRETCH,
        Mark("pause", 100.01, note="api"),
    ]
    g.request_pause()
    assert g.control("pause", 100.02) == [AllowFrames(False, 100.0)]  # no second marker


def test_resume_and_stop_without_a_pause_change_nothing() -> None:
    g = gate()
    assert g.control("resume", 100.0) == []
    assert g.control("pause", 100.0) == []  # a pause request is what stamps the pause
    assert g.control("stop", 100.0) == []
    assert not g.paused


def test_the_hotkey_pauses_at_its_own_time_and_resumes() -> None:
    g = gate()
    assert g.hotkey(105.0) == [
        AllowFrames(False, 105.0),
        END_STRETCH,
        Mark("pause", 105.0, note="hotkey"),
    ]
    assert g.suppresses(105.0)
    assert not g.suppresses(104.9)
    assert g.hotkey(107.0) == [Mark("resume", 107.0, note="hotkey"), AllowFrames(True, None)]
    assert not g.paused
    assert not g.suppresses(108.0)


def test_an_out_of_scope_window_stops_capture_until_an_in_scope_one() -> None:
    g = gate()
    assert g.window(VAULT, 101.0) == [
        WRITE_HELD_MOVE,
        END_STRETCH,
        Mark("outside_scope_start", 101.0),
        AllowFrames(False, 101.0),
    ]
    assert g.outside
    assert g.suppresses(101.5)
    assert g.window(VAULT, 102.0) == [WRITE_HELD_MOVE]  # still outside: marked once
    assert g.window(EDITOR, 103.0) == [
        WRITE_HELD_MOVE,
        Mark("outside_scope_end", 103.0),
        AllowFrames(True, None),
        WriteWindow(EDITOR, 103.0),
        RequestWindowFrame(103.0),
    ]
    assert not g.suppresses(103.0)


def test_the_desktop_is_in_scope_unless_an_allow_list_is_set() -> None:
    assert gate().window(None, 101.0) == [WRITE_HELD_MOVE]
    allow = gate(apps_allow=("gedit",))
    assert marks(allow.window(None, 101.0)) == ["outside_scope_start"]
    assert marks(allow.window(EDITOR, 102.0)) == ["outside_scope_end"]


def test_window_changes_while_paused_wait_for_resume_and_only_the_last_counts() -> None:
    g = gate()
    g.window(EDITOR, 100.0)
    g.hotkey(101.0)
    assert g.window(window("firefox", "Private thoughts"), 102.0) == []
    gimp = window("gimp", "photo.png")
    assert g.window(gimp, 103.0) == []
    effects = g.hotkey(104.0)
    assert [e for e in effects if isinstance(e, WriteWindow)] == [WriteWindow(gimp, 104.0)]
    assert RequestWindowFrame(104.0) in effects


def test_a_window_stamped_before_an_api_pause_is_still_written() -> None:
    clock = ManualClock(105.0)
    g = gate(clock)
    g.request_pause()
    effects = g.window(EDITOR, 104.0)  # seen a moment before the pause began
    assert WriteWindow(EDITOR, 104.0) in effects
    assert RequestWindowFrame(104.0) not in effects  # no frame is asked for while paused


def test_a_locked_screen_stops_capture_and_frames() -> None:
    g = gate()
    assert g.lock(True, 101.0) == [
        END_STRETCH,
        Mark("screen_locked", 101.0),
        AllowFrames(False, 101.0),
    ]
    assert g.lock(True, 101.5) == []
    assert g.suppresses(101.5)
    assert g.lock(False, 102.0) == [Mark("screen_unlocked", 102.0), AllowFrames(True, None)]
    assert not g.suppresses(102.0)


def test_unlocking_while_paused_keeps_frames_stopped() -> None:
    g = gate()
    g.hotkey(100.0)
    g.lock(True, 101.0)
    assert g.lock(False, 102.0)[-1] == AllowFrames(False, 102.0)


def test_a_sensitive_title_suppresses_key_text_and_says_so() -> None:
    g = gate()
    assert marks(g.window(SUDO, 101.0)) == ["sensitive_start"]
    assert g.sensitive
    assert g.sensitive_guard == "title"
    assert Mark("sensitive_end", 102.0, guard="title") in g.window(EDITOR, 102.0)
    assert not g.sensitive


def test_the_title_guard_comes_first_then_the_focused_field() -> None:
    g = gate()
    g.window(SUDO, 101.0)
    assert g.guard("atspi_password_role", 101.5) == []  # the title already says so
    assert [e for e in g.window(EDITOR, 102.0) if isinstance(e, Mark)] == [
        Mark("sensitive_end", 102.0, guard="title"),
        Mark("sensitive_start", 102.0, guard="atspi_password_role"),
    ]
    assert g.guard(None, 103.0) == [Mark("sensitive_end", 103.0, guard="atspi_password_role")]


def test_a_guard_that_changes_while_nothing_is_written_applies_when_capture_goes_on() -> None:
    g = gate()
    g.lock(True, 101.0)
    assert g.guard("fake_field", 101.5) == []
    assert not g.sensitive
    assert g.lock(False, 102.0) == [
        Mark("screen_unlocked", 102.0),
        Mark("sensitive_start", 102.0, guard="fake_field"),
        AllowFrames(True, None),
    ]
    g.hotkey(103.0)
    assert g.guard(None, 103.5) == []
    assert Mark("sensitive_end", 104.0, guard="fake_field") in g.hotkey(104.0)


def test_leaving_scope_ends_sensitivity_first() -> None:
    g = gate()
    g.window(SUDO, 101.0)
    assert g.window(VAULT, 102.0) == [
        WRITE_HELD_MOVE,
        Mark("sensitive_end", 102.0, guard="title"),
        END_STRETCH,
        Mark("outside_scope_start", 102.0),
        AllowFrames(False, 102.0),
    ]
    assert not g.sensitive
