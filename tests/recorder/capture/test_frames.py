"""The frame service with a fake screen: first, pre/post-action, change-only periodic frames."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from recorder.capture.frame_writer import GAP_LAG_S
from recorder.capture.frames import WARM_START_S, FrameService
from tests.recorder.fakes import FakeScreen, ManualClock, MemorySink, wait_for

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


def on_clock(screen: FakeScreen, sink: MemorySink, **kw: float) -> tuple[FrameService, ManualClock]:
    """A service whose time moves only with ``step``, its first frame written."""
    clock = ManualClock()
    frames = FrameService(lambda: screen, sink, t0=clock(), wall0=time.time(), clock=clock, **kw)  # type: ignore[arg-type]
    frames.start()
    step(frames, clock, GAP_LAG_S)  # a grab is written once the pipeline would have heard
    return frames, clock


def step(frames: FrameService, clock: ManualClock, seconds: float) -> None:
    """Move the service's clock on, then wait until its grab loop has looked at the new time."""
    clock.advance(seconds)
    now = clock()
    frames._wake.set()
    wait_for(lambda: frames.looked_at >= now)


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
    frames, clock = on_clock(screen, sink, fps=1.0)
    try:
        wait_for(lambda: len(sink.frames) == 1)
        step(frames, clock, WARM_START_S)  # past the warm start
        grabs = screen.grabs
        for _ in range(10):  # half a second
            step(frames, clock, 0.05)
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
    frames, clock = on_clock(screen, sink, fps=1.0)
    try:
        assert frames.wait_first(2.0)
        for delay in (0.0, 0.4, 0.8):  # no input before: only the warm start helps
            step(frames, clock, delay)
            ticket = frames.request("pre_action", clock())
            clock.advance(GAP_LAG_S)
            assert ticket.wait(2.0)
            assert ticket.index is not None
            assert sink.frames[ticket.index]["reason"] == "pre_action"
    finally:
        frames.stop()


def test_nothing_is_grabbed_while_not_allowed(screen: FakeScreen, sink: MemorySink) -> None:
    frames, clock = on_clock(screen, sink, fps=20.0, ring_hz=50.0)
    try:
        wait_for(lambda: len(sink.frames) == 1)
        frames.set_allowed(False)
        step(frames, clock, 0.05)
        grabs = screen.grabs
        frames.note_input(clock())
        screen.color = B
        ticket = frames.request("pre_action", clock())
        assert ticket.wait(2.0)
        assert ticket.index is None
        for _ in range(4):
            step(frames, clock, 0.05)
        assert screen.grabs == grabs
        assert len(sink.frames) == 1
    finally:
        frames.stop()


def test_a_grab_made_after_a_change_heard_late_is_not_written(
    screen: FakeScreen, sink: MemorySink
) -> None:
    """The pipeline learns of a denied window a moment after it appeared: grabs since then go."""
    frames, clock = on_clock(screen, sink, fps=20.0, ring_hz=50.0)
    try:
        wait_for(lambda: len(sink.frames) == 1)
        changed_at = clock()
        screen.color = B  # the denied window's pixels, on screen from changed_at on
        grabs = screen.grabs
        ticket = frames.request("typing_pause", changed_at)
        wait_for(lambda: screen.grabs > grabs)  # grabbed before the pipeline has heard
        frames.set_allowed(False, since=changed_at)
        clock.advance(GAP_LAG_S)  # the pipeline's news is in before the writer decides
        assert ticket.wait(2.0)
        assert ticket.index is None
        assert frames.stats.gated >= 1
        for _ in range(4):
            step(frames, clock, 0.05)
        assert len(sink.frames) == 1
        frames.set_allowed(True)
        step(frames, clock, 0.05)
        grabs = screen.grabs
        later = frames.request("typing_pause", clock())
        wait_for(lambda: screen.grabs > grabs)
        clock.advance(GAP_LAG_S)
        assert later.wait(2.0)
        assert later.index is not None
    finally:
        frames.stop()


def test_a_slow_sink_drops_frames_instead_of_growing(screen: FakeScreen) -> None:
    class SlowSink(MemorySink):
        def append_frame(self, *args: object, **kw: object) -> int:
            time.sleep(0.2)
            return super().append_frame(*args, **kw)  # type: ignore[arg-type]

    sink = SlowSink()
    frames, clock = on_clock(screen, sink, fps=30.0, write_queue=2)
    try:
        for i in range(40):
            screen.color = bytes([i, i, i, 0])
            step(frames, clock, 1 / 30)
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
