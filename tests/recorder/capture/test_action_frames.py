"""Actions and their frames: each waits for its frames, in order, up to a deadline."""

from __future__ import annotations

import threading
from typing import Any

from recorder.capture.action_frames import ACTION_WAIT_S, ActionFrames
from recorder.capture.frame_writer import FrameTicket
from recorder.capture.records import (
    Span,
    click_action,
    hotkey_action,
    scroll_action,
    type_action,
)
from tests.recorder.fakes import ManualClock, MemorySink


class Frames:
    """Hands out tickets the test resolves itself."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, float, FrameTicket]] = []

    def request(self, reason: str, t: float) -> FrameTicket:
        ticket = FrameTicket()
        self.asked.append((reason, t, ticket))
        return ticket

    def ticket(self, reason: str) -> FrameTicket:
        return next(ticket for r, _, ticket in self.asked if r == reason)


def setup() -> tuple[ActionFrames, Frames, MemorySink, ManualClock]:
    frames, sink, clock = Frames(), MemorySink(), ManualClock(100.0)
    return ActionFrames(sink, frames, clock), frames, sink, clock  # type: ignore[arg-type]


def click(seqs: list[int]) -> Any:
    return click_action("click", Span(1.0, 1001.0, 1.1, seqs, None), 5, 5, "left")


def test_an_action_waits_for_its_frames_and_those_after_it_wait_too() -> None:
    actions, frames, sink, clock = setup()
    actions.event_written(0, 100.0, starts=True, ends=False)
    actions.event_written(1, 100.1, starts=False, ends=True)
    actions.add([click([0, 1])])
    actions.add([hotkey_action(Span(2.0, 1002.0, 2.0, [2], None), ["ctrl", "s"])])
    assert sink.actions == []  # the click's frames are not in: the hotkey waits behind it
    frames.ticket("pre_action").resolve(7)
    actions.write_ready(clock())
    assert sink.actions == []
    frames.ticket("post_action").resolve(8)
    actions.write_ready(clock())
    assert [(a["kind"], a["frame_before"], a["frame_after"]) for a in sink.actions] == [
        ("click", 7, 8),
        ("hotkey", None, None),  # no event of it asked for frames
    ]


def test_an_action_whose_frames_never_come_is_written_after_its_wait() -> None:
    actions, _frames, sink, clock = setup()
    actions.event_written(0, 100.0, starts=True, ends=True)
    actions.add([click([0])])
    clock.advance(ACTION_WAIT_S - 0.01)
    actions.write_ready(clock())
    assert sink.actions == []
    clock.advance(0.01)
    actions.write_ready(clock())
    assert [(a["frame_before"], a["frame_after"]) for a in sink.actions] == [(None, None)]


def test_a_typed_run_asks_for_its_frame_when_it_ends() -> None:
    actions, frames, _, clock = setup()
    clock.advance(2.0)
    actions.add([type_action(Span(1.0, 1001.0, 1.5, [0, 1], None), "hi")])
    assert [(reason, t) for reason, t, _ in frames.asked] == [("typing_pause", 102.0)]


def test_a_scroll_run_claims_its_pre_frame_and_asks_for_its_post_frame_when_it_ends() -> None:
    actions, frames, sink, clock = setup()
    actions.event_written(4, 100.0, starts=True, ends=False)  # the run's first notch
    clock.advance(0.6)  # the run ends after the scroll gap
    span = Span(0.0, 1000.0, 0.2, [4, 5, 6], None)
    actions.add([scroll_action(span, 10, 20, 0, -3)])
    assert [(reason, t) for reason, t, _ in frames.asked] == [
        ("pre_action", 100.0),
        ("post_action", 100.6),
    ]
    frames.ticket("pre_action").resolve(3)
    frames.ticket("post_action").resolve(4)
    actions.write_ready(clock())
    assert [(a["kind"], a["frame_before"], a["frame_after"]) for a in sink.actions] == [
        ("scroll", 3, 4)
    ]


def test_frames_no_action_claimed_are_forgotten() -> None:
    actions, frames, sink, clock = setup()
    actions.event_written(0, 100.0, starts=True, ends=False)  # a press cut short
    clock.advance(5.1)
    actions.forget_unclaimed(clock())
    frames.ticket("pre_action").resolve(3)
    actions.add([click([0])])
    assert sink.actions[0]["frame_before"] is None


def test_finish_waits_until_the_deadline_then_writes_every_action() -> None:
    actions, frames, sink, _clock = setup()
    actions.event_written(0, 100.0, starts=True, ends=False)
    actions.event_written(1, 100.0, starts=True, ends=False)
    actions.add([click([0]), click([1])])
    frames.ticket("pre_action").resolve(4)
    actions.finish(0.05)  # the second click's frame never comes: it waits 0.05 s, no more
    assert [a["frame_before"] for a in sink.actions] == [4, None]


def test_without_frames_actions_are_written_at_once() -> None:
    sink = MemorySink()
    actions = ActionFrames(sink, None, ManualClock())
    actions.event_written(0, 1.0, starts=True, ends=True)
    actions.add([click([0])])
    assert len(sink.actions) == 1


def test_finish_waits_for_a_frame_still_being_written() -> None:
    actions, frames, sink, _clock = setup()
    actions.event_written(0, 100.0, starts=True, ends=False)
    actions.add([click([0])])
    writer = threading.Timer(0.05, frames.ticket("pre_action").resolve, args=(9,))
    writer.start()  # the frame writer finishes it a moment after stop began
    actions.finish(5.0)
    writer.join()
    assert sink.actions[0]["frame_before"] == 9
