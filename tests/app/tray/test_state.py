"""The tray's state machine: transitions, elapsed time as review counts it, menu, tooltip, icon."""

from __future__ import annotations

import pytest

from app.tray.state import BY_HOTKEY, BY_YOU, NO_ANSWER, TransitionError, TrayState


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_whole_session() -> None:
    clock = FakeClock()
    tray = TrayState(clock=clock)
    assert tray.icon == "idle"
    assert tray.menu()["record"].enabled
    assert not tray.menu()["stop"].enabled
    tray.start_requested()
    assert tray.icon == "recording"  # never show "idle" while capture may be starting
    assert not tray.menu()["record"].enabled
    tray.started("s1")
    clock.now += 65
    tray.counts(120, 7)
    assert tray.tooltip() == "Overt: Recording 1:05 · 120 events, 7 frames"
    assert tray.menu()["pause"].label == "Pause"
    tray.pause(NO_ANSWER)
    clock.now += 20  # paused time counts, as in review's Duration and timeline
    assert tray.icon == "paused"
    assert tray.menu()["pause"].label == "Resume"
    assert tray.status() == (
        "Paused as nobody answered “Keep recording?” · 1:25 · 120 events, 7 frames"
    )
    tray.resume()
    clock.now += 10
    assert tray.elapsed() == 95
    tray.stop_requested()
    clock.now += 5  # saving is not recording
    assert tray.elapsed() == 95
    assert tray.menu()["quit"].enabled is False
    assert not tray.menu()["pause"].enabled
    tray.stopped()
    assert tray.state == "idle"
    assert tray.session_id is None
    assert tray.menu()["record"].enabled


def test_failed_start_returns_to_idle() -> None:
    tray = TrayState(clock=FakeClock())
    tray.start_requested()
    tray.start_failed()
    assert tray.state == "idle"


def test_recorder_stopping_by_itself_returns_to_idle() -> None:
    tray = TrayState(clock=FakeClock())
    tray.start_requested()
    tray.started("s1")
    tray.stopped()  # e.g. the duration ran out
    assert tray.icon == "idle"


@pytest.mark.parametrize("call", ["pause", "resume", "stop_requested", "stopped"])
def test_nonsense_transitions_from_idle_are_refused(call: str) -> None:
    tray = TrayState(clock=FakeClock())
    with pytest.raises(TransitionError):
        getattr(tray, call)()


def test_cannot_record_twice() -> None:
    tray = TrayState(clock=FakeClock())
    tray.start_requested()
    with pytest.raises(TransitionError):
        tray.start_requested()


def test_withdraw_is_one_click_away_except_mid_transition() -> None:
    tray = TrayState(clock=FakeClock())
    enabled = {"idle": tray.menu()["withdraw"].enabled}
    tray.start_requested()
    enabled["starting"] = tray.menu()["withdraw"].enabled
    tray.started("s1")
    enabled["recording"] = tray.menu()["withdraw"].enabled
    tray.pause()
    enabled["paused"] = tray.menu()["withdraw"].enabled
    tray.stop_requested()
    enabled["stopping"] = tray.menu()["withdraw"].enabled
    assert enabled == {
        "idle": True,
        "starting": False,
        "recording": True,
        "paused": True,
        "stopping": False,
    }


def test_the_studies_entry_names_the_joined_study() -> None:
    tray = TrayState(clock=FakeClock())
    assert tray.menu()["studies"].label == "Studies…"
    tray.study = "Filling in forms"
    assert tray.menu()["studies"].label == "Studies… (Filling in forms)"
    tray.study = "A very long study title that would make the menu wide"
    assert tray.menu()["studies"].label == "Studies… (A very long study title that wo…)"


def test_a_pause_says_who_paused_once() -> None:
    clock = FakeClock()
    tray = TrayState(clock=clock)
    tray.start_requested()
    tray.started("s1")
    for reason, said in ((BY_YOU, "Paused by you · "), (BY_HOTKEY, "Paused by the hotkey · ")):
        tray.pause(reason)
        assert tray.status().startswith(said)
        assert tray.status().count("aused") == 1  # never "Paused (paused by the hotkey)"
        tray.resume()


def test_elapsed_time_agrees_with_the_sessions_duration_in_review() -> None:
    """The tray counts from the start, paused time included: the convention of review's
    Duration (the key record's end minus its start) and its timeline's times."""
    clock = FakeClock()
    tray = TrayState(clock=clock)
    tray.start_requested()
    tray.started("s1")
    started = clock.now
    clock.now += 30
    tray.pause()
    clock.now += 45
    tray.resume()
    clock.now += 15
    assert tray.elapsed() == clock.now - started == 90


def test_task_entries_follow_the_open_task() -> None:
    tray = TrayState(clock=FakeClock())
    assert not tray.menu()["new_task"].enabled  # nothing to mark before recording
    tray.start_requested()
    tray.started("s1")
    menu = tray.menu()
    assert menu["new_task"].enabled
    assert not menu["task_done"].enabled
    assert not menu["task_failed"].enabled
    tray.task_started("Book a train to Leeds")
    assert tray.menu()["task_done"].enabled
    assert tray.menu()["task_failed"].enabled
    assert tray.status().endswith("· Task: Book a train to Leeds")
    tray.task_started("Answer the email from Sam")  # replaces the open one
    assert tray.task == "Answer the email from Sam"
    tray.pause()
    assert tray.status().endswith("· Task: Answer the email from Sam")
    assert tray.menu()["task_done"].enabled  # a task can end while paused
    tray.task_ended()
    assert tray.task is None
    tray.task_started("")  # the new-task hotkey opens one before it has words
    assert tray.status().endswith("· Task: (not named yet)")
    assert tray.menu()["task_done"].enabled
    tray.task_named("Pay the bill")
    assert tray.task == "Pay the bill"
    tray.task_ended()
    assert not tray.menu()["task_done"].enabled
    tray.task_started("x" * 80)
    assert "…" in tray.status()  # a long instruction is shortened in the tooltip
    tray.resume()
    tray.stop_requested()
    tray.stopped()
    assert tray.task is None
    assert not tray.menu()["new_task"].enabled
    with pytest.raises(TransitionError):
        tray.task_started("not while idle")


def test_the_tooltip_names_the_active_pause_hotkey() -> None:
    tray = TrayState(clock=FakeClock())
    tray.start_requested()
    tray.hotkey = "ctrl+alt+shift+o"
    tray.started("s1")
    assert tray.tooltip().endswith(" · Ctrl+Alt+Shift+O to pause")
    tray.pause(BY_HOTKEY)
    assert tray.tooltip().endswith(" · Ctrl+Alt+Shift+O to resume")
    tray.resume()
    tray.stop_requested()
    assert "Ctrl+Alt+Shift+O" not in tray.tooltip()
