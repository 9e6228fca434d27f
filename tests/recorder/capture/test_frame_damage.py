"""Looks that reuse the previous grab: only when the screen says nothing was drawn, no input
came since, and the masks are the same; a screen that cannot tell is grabbed every time."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from recorder.capture.frame_writer import GAP_LAG_S
from recorder.capture.frames import WARM_START_S, FrameService
from tests.recorder.capture.test_frames import step
from tests.recorder.fakes import FakeScreen, ManualClock, MemorySink, wait_for

A = b"\x01\x01\x01\x00"
B = b"\x02\x02\x02\x00"


class DamageScreen(FakeScreen):
    """A fake screen that tells when it was drawn on, as X DAMAGE does."""

    def __init__(self) -> None:
        super().__init__()
        self.color = A
        self.drawn = True

    def draw(self, color: bytes) -> None:
        with self.lock:
            self.color = color
            self.drawn = True

    tells_damage = True

    def damaged(self) -> bool:
        with self.lock:
            drawn, self.drawn = self.drawn, False
            return drawn


@pytest.fixture
def screen() -> DamageScreen:
    return DamageScreen()


@pytest.fixture
def sink() -> MemorySink:
    return MemorySink()


@pytest.fixture
def running(screen: DamageScreen, sink: MemorySink) -> Iterator[tuple[FrameService, ManualClock]]:
    """A 20 frames/s service on a manual clock, past its first frame and warm start."""
    clock = ManualClock()
    frames = FrameService(
        lambda: screen, sink, t0=clock(), wall0=time.time(), clock=clock, fps=20.0
    )  # type: ignore[arg-type]
    frames.start()
    step(frames, clock, GAP_LAG_S)
    wait_for(lambda: len(sink.frames) == 1)
    step(frames, clock, WARM_START_S + 2.0)
    yield frames, clock
    frames.stop()


def looks(frames: FrameService, clock: ManualClock, count: int) -> None:
    for _ in range(count):
        step(frames, clock, 0.05)  # one periodic look each


def test_nothing_drawn_and_no_input_reuses_the_grab(
    running: tuple[FrameService, ManualClock], screen: DamageScreen
) -> None:
    frames, clock = running
    grabs, reused = screen.grabs, frames.stats.reused
    looks(frames, clock, 6)
    assert screen.grabs == grabs
    assert frames.stats.reused - reused >= 5


def test_a_drawing_without_input_is_grabbed_and_written(
    running: tuple[FrameService, ManualClock], screen: DamageScreen, sink: MemorySink
) -> None:
    frames, clock = running
    looks(frames, clock, 3)
    grabs = screen.grabs
    screen.draw(B)
    looks(frames, clock, 1)
    assert screen.grabs == grabs + 1
    clock.advance(GAP_LAG_S)
    wait_for(lambda: len(sink.frames) == 2)
    assert sink.frame_pixels(1)[:4] == B


def test_input_since_the_grab_grabs_again(
    running: tuple[FrameService, ManualClock], screen: DamageScreen
) -> None:
    frames, clock = running
    looks(frames, clock, 2)
    grabs = screen.grabs
    frames.note_input(clock(), 5, 5)
    looks(frames, clock, 1)
    assert screen.grabs > grabs


def test_new_masks_grab_again(
    running: tuple[FrameService, ManualClock], screen: DamageScreen
) -> None:
    frames, clock = running
    looks(frames, clock, 2)
    grabs = screen.grabs
    frames.set_masks([(0, 0, 8, 8)])
    looks(frames, clock, 1)
    assert screen.grabs == grabs + 1


def test_a_screen_that_cannot_tell_is_grabbed_at_every_look(sink: MemorySink) -> None:
    screen = FakeScreen()  # no damaged(): mss on Windows or macOS, or X without DAMAGE
    clock = ManualClock()
    frames = FrameService(
        lambda: screen, sink, t0=clock(), wall0=time.time(), clock=clock, fps=20.0
    )  # type: ignore[arg-type]
    frames.start()
    try:
        step(frames, clock, GAP_LAG_S + WARM_START_S + 2.0)
        grabs = screen.grabs
        looks(frames, clock, 4)
        assert screen.grabs - grabs >= 4
        assert frames.stats.reused == 0
    finally:
        frames.stop()


def test_a_watcher_that_fails_means_grabbing(sink: MemorySink) -> None:
    class Failing(DamageScreen):
        def damaged(self) -> bool:
            raise OSError("connection lost")

    screen = Failing()
    clock = ManualClock()
    frames = FrameService(
        lambda: screen, sink, t0=clock(), wall0=time.time(), clock=clock, fps=20.0
    )  # type: ignore[arg-type]
    frames.start()
    try:
        step(frames, clock, GAP_LAG_S + WARM_START_S + 2.0)
        grabs = screen.grabs
        looks(frames, clock, 4)
        assert screen.grabs - grabs >= 4
    finally:
        frames.stop()


@pytest.fixture
def idle(screen: DamageScreen, sink: MemorySink) -> Iterator[tuple[FrameService, ManualClock]]:
    """A 1 frame/s service on a manual clock, input long ago: the ring is not kept warm."""
    clock = ManualClock()
    frames = FrameService(lambda: screen, sink, t0=clock(), wall0=time.time(), clock=clock, fps=1.0)
    frames.start()
    step(frames, clock, GAP_LAG_S)
    wait_for(lambda: len(sink.frames) == 1)
    for _ in range(16):  # past the warm start and the active time, a look each quarter second
        step(frames, clock, 0.25)
    yield frames, clock
    frames.stop()


def test_a_click_after_a_pause_on_an_unchanged_screen_finds_a_frame_one_look_old(
    idle: tuple[FrameService, ManualClock], screen: DamageScreen, sink: MemorySink
) -> None:
    frames, clock = idle
    grabs = screen.grabs
    for _ in range(3):  # between periodic looks, where the ring used to stay a second old
        step(frames, clock, 0.25)
    click_at = clock() + 0.01
    ticket = frames.request("pre_action", click_at)
    step(frames, clock, 0.02)
    clock.advance(GAP_LAG_S)  # written once the pipeline would have heard of any gap
    assert ticket.wait(2.0)
    assert ticket.index is not None
    age = click_at - (sink.frames[ticket.index]["t"] + frames._t0)
    assert 0 <= age <= 0.25 + 0.01
    assert sink.frame_pixels(ticket.index)[:4] == A
    assert screen.grabs == grabs  # confirmed by DAMAGE, not grabbed


def test_a_screen_drawn_on_while_idle_is_never_dated_after_the_drawing(
    idle: tuple[FrameService, ManualClock], screen: DamageScreen, sink: MemorySink
) -> None:
    frames, clock = idle
    step(frames, clock, 0.25)
    drawn_at = clock()
    screen.draw(B)
    step(frames, clock, 0.25)
    step(frames, clock, 0.2)  # no periodic grab due yet: nothing has looked at B
    click_at = clock()
    ticket = frames.request("pre_action", click_at)
    step(frames, clock, 0.01)
    clock.advance(GAP_LAG_S)
    assert ticket.wait(2.0)
    if ticket.index is not None:  # an A frame is right only if it was seen before the drawing
        meta = sink.frames[ticket.index]
        pixels = sink.frame_pixels(ticket.index)[:4]
        assert pixels == B or meta["t"] + frames._t0 <= drawn_at


def test_a_blinking_cursor_while_idle_still_gives_a_click_a_recent_frame(
    idle: tuple[FrameService, ManualClock], screen: DamageScreen, sink: MemorySink
) -> None:
    frames, clock = idle
    grabs = screen.grabs
    for i in range(3):  # between periodic looks, the cursor blinks between every two looks
        screen.draw(A if i % 2 else B)
        step(frames, clock, 0.25)
    shown = screen.color
    click_at = clock() + 0.01
    ticket = frames.request("pre_action", click_at)
    step(frames, clock, 0.02)
    clock.advance(GAP_LAG_S)
    assert ticket.wait(2.0)
    assert ticket.index is not None
    age = click_at - (sink.frames[ticket.index]["t"] + frames._t0)
    assert 0 <= age <= 0.25 + 0.01
    assert sink.frame_pixels(ticket.index)[:4] == shown
    assert screen.grabs - grabs <= 3  # a grab a look at most
