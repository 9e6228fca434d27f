"""The frame service with a fake screen: first, pre/post-action, change-only periodic frames."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from recorder.capture.frames import WARM_START_S, FrameService
from tests.recorder.fakes import FakeScreen, MemorySink, wait_for

A = b"\x01\x01\x01\x00"
B = b"\x02\x02\x02\x00"


@pytest.fixture
def screen() -> FakeScreen:
    s = FakeScreen()
    s.color = A
    return s


@pytest.fixture
def sink() -> MemorySink:
    return MemorySink()


def service(screen: FakeScreen, sink: MemorySink, **kw: float) -> FrameService:
    now = time.monotonic()
    frames = FrameService(lambda: screen, sink, t0=now, wall0=time.time(), **kw)  # type: ignore[arg-type]
    frames.start()
    return frames


@pytest.fixture
def frames(screen: FakeScreen, sink: MemorySink) -> Iterator[FrameService]:
    f = service(screen, sink, fps=20.0, ring_hz=50.0)
    yield f
    f.stop()


def test_first_frame_then_periodic_only_on_change(
    frames: FrameService, screen: FakeScreen, sink: MemorySink
) -> None:
    wait_for(lambda: len(sink.frames) == 1)
    assert sink.frames[0]["reason"] == "first"
    assert sink.frames[0]["monitor"] == screen.monitors()[0]
    grabs = screen.grabs
    wait_for(lambda: screen.grabs >= grabs + 4)  # several periodic looks at an unchanged screen
    assert len(sink.frames) == 1
    screen.color = B
    wait_for(lambda: len(sink.frames) == 2)
    assert sink.frames[1]["reason"] == "periodic"
    assert sink.frame_pixels(1)[:4] == B


def test_pre_action_frame_shows_the_screen_before_the_click(
    frames: FrameService, screen: FakeScreen, sink: MemorySink
) -> None:
    wait_for(lambda: len(sink.frames) == 1)
    frames.note_input(time.monotonic(), 5, 5)
    grabs = screen.grabs
    wait_for(lambda: screen.grabs >= grabs + 2)
    with screen.lock:
        click_at = time.monotonic()
        screen.color = B  # the click changes the screen at once
    ticket = frames.request("pre_action", click_at)
    assert ticket.wait(2.0)
    assert ticket.index is not None
    meta = sink.frames[ticket.index]
    assert meta["reason"] == "pre_action"
    assert sink.frame_pixels(ticket.index)[:4] == A
    age = click_at - (meta["t"] + frames._t0)
    assert 0 <= age <= 0.1


def test_post_action_frame_waits_for_the_screen_to_settle(
    frames: FrameService, screen: FakeScreen, sink: MemorySink
) -> None:
    wait_for(lambda: len(sink.frames) == 1)
    asked = time.monotonic()
    screen.color = B
    ticket = frames.request("post_action", asked)
    assert ticket.wait(2.0)
    assert ticket.index is not None
    meta = sink.frames[ticket.index]
    assert meta["reason"] == "post_action"
    assert 0.15 <= meta["t"] + frames._t0 - asked <= 0.6
    assert sink.frame_pixels(ticket.index)[:4] == B


def test_an_idle_screen_is_barely_looked_at(screen: FakeScreen, sink: MemorySink) -> None:
    frames = service(screen, sink, fps=1.0)
    try:
        wait_for(lambda: len(sink.frames) == 1)
        time.sleep(WARM_START_S + 0.1)  # past the warm start
        grabs = screen.grabs
        time.sleep(0.5)
        assert screen.grabs - grabs <= 1  # at most one periodic look
    finally:
        frames.stop()


def test_ready_means_the_first_frame_is_written(screen: FakeScreen, sink: MemorySink) -> None:
    frames = service(screen, sink, fps=1.0)
    try:
        assert frames.wait_first(2.0)
        assert [f["reason"] for f in sink.frames] == ["first"]
    finally:
        frames.stop()


def test_a_click_right_after_ready_has_a_pre_action_frame(
    screen: FakeScreen, sink: MemorySink
) -> None:
    frames = service(screen, sink, fps=1.0)
    try:
        assert frames.wait_first(2.0)
        for delay in (0.0, 0.4, 0.8):  # no input before: only the warm start helps
            time.sleep(delay)
            ticket = frames.request("pre_action", time.monotonic())
            assert ticket.wait(2.0)
            assert ticket.index is not None
            assert sink.frames[ticket.index]["reason"] == "pre_action"
    finally:
        frames.stop()


def test_nothing_is_grabbed_while_not_allowed(
    frames: FrameService, screen: FakeScreen, sink: MemorySink
) -> None:
    wait_for(lambda: len(sink.frames) == 1)
    frames.set_allowed(False)
    time.sleep(0.05)
    grabs = screen.grabs
    frames.note_input(time.monotonic())
    screen.color = B
    ticket = frames.request("pre_action", time.monotonic())
    assert ticket.wait(2.0)
    assert ticket.index is None
    time.sleep(0.2)
    assert screen.grabs == grabs
    assert len(sink.frames) == 1


def test_a_grab_made_after_a_change_heard_late_is_not_written(
    frames: FrameService, screen: FakeScreen, sink: MemorySink
) -> None:
    """The pipeline learns of a denied window a moment after it appeared: grabs since then go."""
    wait_for(lambda: len(sink.frames) == 1)
    changed_at = time.monotonic()
    screen.color = B  # the denied window's pixels, on screen from changed_at on
    grabs = screen.grabs
    ticket = frames.request("typing_pause", changed_at)
    wait_for(lambda: screen.grabs > grabs)  # grabbed before the pipeline has heard
    frames.set_allowed(False, since=changed_at)
    assert ticket.wait(2.0)
    assert ticket.index is None
    assert frames.stats.gated >= 1
    time.sleep(0.2)
    assert len(sink.frames) == 1
    frames.set_allowed(True)
    later = frames.request("typing_pause", time.monotonic())
    assert later.wait(2.0)
    assert later.index is not None


def test_a_slow_sink_drops_frames_instead_of_growing(screen: FakeScreen) -> None:
    class SlowSink(MemorySink):
        def append_frame(self, *args: object, **kw: object) -> int:
            time.sleep(0.2)
            return super().append_frame(*args, **kw)  # type: ignore[arg-type]

    sink = SlowSink()
    frames = service(screen, sink, fps=30.0, write_queue=2)
    try:
        for i in range(40):
            screen.color = bytes([i, i, i, 0])
            time.sleep(0.01)
        wait_for(lambda: frames.stats.dropped > 0)
    finally:
        frames.stop()
    assert frames._writer.queued <= 2


def test_apply_masks_blanks_only_the_rectangles_on_this_monitor() -> None:
    from recorder.capture.grabs import apply_masks

    monitor = {"index": 2, "x": 100, "y": 0, "w": 4, "h": 3, "scale": 1.0}
    pixels = bytes([7]) * (4 * 3 * 4)
    out = apply_masks(pixels, (4, 3), monitor, [(101, 1, 2, 5), (0, 0, 50, 50)])
    rows = [out[r * 16 : (r + 1) * 16] for r in range(3)]
    assert rows[0] == bytes([7]) * 16
    assert rows[1] == bytes([7]) * 4 + bytes(8) + bytes([7]) * 4
    assert rows[2] == rows[1]


def test_out_of_scope_windows_are_blanked_in_frames(
    frames: FrameService, screen: FakeScreen, sink: MemorySink
) -> None:
    wait_for(lambda: len(sink.frames) == 1)
    frames.set_masks([(0, 0, 8, 32)])
    screen.color = B
    wait_for(lambda: len(sink.frames) == 2)
    data = sink.frame_pixels(1)
    assert data[:32] == bytes(32)  # the masked window's first row
    assert data[32:36] == B
