"""Re-confirmation: asked every interval of recording time; no answer in time pauses."""

from __future__ import annotations

from recorder.consent.reconfirm import ReconfirmSchedule


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make() -> tuple[ReconfirmSchedule, FakeClock]:
    clock = FakeClock()
    schedule = ReconfirmSchedule(interval_s=7200, timeout_s=300, clock=clock)
    schedule.resume()
    return schedule, clock


def test_asks_after_two_hours_of_recording() -> None:
    schedule, clock = make()
    clock.now += 7199
    assert schedule.check() == "recording"
    clock.now += 1
    assert schedule.check() == "ask"
    assert schedule.check() == "waiting"


def test_no_answer_within_five_minutes_pauses() -> None:
    schedule, clock = make()
    clock.now += 7200
    assert schedule.check() == "ask"
    clock.now += 299
    assert schedule.check() == "waiting"
    clock.now += 1
    assert schedule.check() == "pause"


def test_confirming_restarts_the_interval() -> None:
    schedule, clock = make()
    clock.now += 7200
    assert schedule.check() == "ask"
    clock.now += 60
    schedule.confirmed()
    clock.now += 7199
    assert schedule.check() == "recording"
    clock.now += 1
    assert schedule.check() == "ask"


def test_paused_time_does_not_count() -> None:
    schedule, clock = make()
    clock.now += 3600
    schedule.pause()
    clock.now += 10 * 3600
    assert schedule.check() == "recording"
    schedule.resume()
    clock.now += 3599
    assert schedule.check() == "recording"
    clock.now += 1
    assert schedule.check() == "ask"
