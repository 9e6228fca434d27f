"""Frame triggers and capture: a ring of recent grabs while input is active, pre/post-action
frames, typing-pause and window frames, and periodic frames only when the screen changed.

Grabbing runs in its own thread and writing (encoding, encryption) in another, both off the
input path; everything is bounded: a ring of a few grabs, a short write queue, and a cap on
pending requests. Anything dropped is counted.
"""

from __future__ import annotations

import collections
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from recorder.capture.session_sink import SessionSink

Monitor = dict[str, Any]
GAP_LAG_S = 0.1  # how late the pipeline may hear of a change that stops frames
WARM_START_S = 1.0  # the pre-action ring is kept warm this long after the first frame


@dataclass
class Grab:
    """One screen grab: BGRX pixels, their size, the monitor, and when it finished."""

    t: float
    monitor: Monitor
    pixels: bytes | bytearray
    size: tuple[int, int]


def apply_masks(
    pixels: bytes | bytearray,
    size: tuple[int, int],
    monitor: Monitor,
    rects: list[tuple[int, int, int, int]],
) -> bytearray:
    """Blank (zero) the parts of ``rects`` (global coordinates) that fall on this monitor.

    Args:
        pixels: BGRX rows of the monitor's grab, ``size`` device pixels.
        monitor: the monitor's place in the global space (its scale maps points to pixels).
        rects: (x, y, w, h) rectangles to blank.
    """
    out = pixels if isinstance(pixels, bytearray) else bytearray(pixels)
    width, height = size
    sx = width / monitor["w"] if monitor["w"] else 1.0
    sy = height / monitor["h"] if monitor["h"] else 1.0
    for x, y, w, h in rects:
        x0 = max(0, int((x - monitor["x"]) * sx))
        y0 = max(0, int((y - monitor["y"]) * sy))
        x1 = min(width, int((x + w - monitor["x"]) * sx + 0.999))
        y1 = min(height, int((y + h - monitor["y"]) * sy + 0.999))
        if x0 >= x1 or y0 >= y1:
            continue
        blank = bytes((x1 - x0) * 4)
        for row in range(y0, y1):
            start = (row * width + x0) * 4
            out[start : start + len(blank)] = blank
    return out


def fresh_t(fresh: dict[int, Grab]) -> float:
    """The time of the newest grab in this loop iteration."""
    return max((g.t for g in fresh.values()), default=0.0)


class ScreenSource(Protocol):
    """Grabs monitors; created and used in the frame thread only (mss is not thread-safe)."""

    def monitors(self) -> list[Monitor]: ...

    def grab(self, monitor: Monitor) -> tuple[bytes | bytearray, tuple[int, int]]: ...

    def close(self) -> None: ...


class FrameTicket:
    """A frame that was asked for; ``index`` is set once written (None if it never was)."""

    __slots__ = ("_done", "index")

    def __init__(self) -> None:
        self.index: int | None = None
        self._done = threading.Event()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def resolve(self, index: int | None) -> None:
        self.index = index
        self._done.set()

    def wait(self, timeout: float) -> bool:
        return self._done.wait(timeout)


@dataclass
class _Settle:
    reason: str
    due: float
    deadline: float
    ticket: FrameTicket
    last: bytes | bytearray | None = None


@dataclass
class FrameStats:
    written: int = 0
    dropped: int = 0  # frames lost to a full write queue, a failed write or too many requests
    missed: int = 0  # pre-action frames with no recent grab to use (input right after idle)
    grabs: int = 0
    gated: int = 0  # grabs that fell in a pause or out-of-scope span and were not written
    pre_ages: collections.deque[float] = field(
        default_factory=lambda: collections.deque(maxlen=10_000)
    )


class FrameService:
    """Owns the grab and write threads of one session.

    Args:
        screen_factory: makes the ScreenSource, called in the grab thread.
        sink: where frames are written (from the writer thread).
        t0: the session's monotonic start; wall0 the matching Unix time.
        fps: periodic rate (frames are written only when the screen changed).
        monitors: 1-based monitor indexes in scope; empty means all.
        ring_hz: grab rate while input is active, for pre-action frames.
        active_s: input within this many seconds counts as active.
        max_pre_age: a ring grab older than this is not used as a pre-action frame.
        wait_for_masks: grab nothing until the first ``set_masks`` (the backend reports
            visible windows), so no frame shows an out-of-scope window before it is known.
    """

    def __init__(
        self,
        screen_factory: Callable[[], ScreenSource],
        sink: SessionSink,
        *,
        t0: float,
        wall0: float,
        fps: float = 1.0,
        monitors: tuple[int, ...] = (),
        ring_hz: float = 15.0,
        ring_size: int = 6,
        active_s: float = 2.0,
        max_pre_age: float = 0.5,
        write_queue: int = 6,
        wait_for_masks: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._factory = screen_factory
        self._sink = sink
        self._t0 = t0
        self._wall0 = wall0
        self._period = 1.0 / fps
        self._monitor_filter = monitors
        self._ring_interval = 1.0 / ring_hz
        self._ring: collections.deque[Grab] = collections.deque(maxlen=ring_size)
        self._active_s = active_s
        self._max_pre_age = max_pre_age
        self._clock = clock
        self._requests: queue.SimpleQueue[tuple[str, float, FrameTicket]] = queue.SimpleQueue()
        self._writes: queue.Queue[tuple[Grab, str, FrameTicket | None] | None] = queue.Queue(
            write_queue
        )
        self._settles: list[_Settle] = []
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._started = threading.Event()
        self._first = threading.Event()
        self._first_left = 0  # first frames not yet written (writer thread)
        self.stats = FrameStats()
        self.allowed = True  # False while paused or outside scope: nothing is grabbed
        # [start, end] spans (end None while open) in which no grab may be written, even one
        # taken before the pipeline said so: it learns of a window change a moment late.
        self._gaps: collections.deque[list[float | None]] = collections.deque(maxlen=16)
        self._gaps_lock = threading.Lock()
        self.masks: list[tuple[int, int, int, int]] = []
        self._masks_known = not wait_for_masks
        self.last_input = -1e9
        self.pointer: tuple[int, int] = (0, 0)
        self.monitors: list[Monitor] = []
        self.error: BaseException | None = None
        self._last_written: dict[int, bytes | bytearray] = {}
        self._grab_thread = threading.Thread(target=self._run, name="overt-frames", daemon=True)
        self._write_thread = threading.Thread(
            target=self._write_loop, name="overt-frame-writer", daemon=True
        )

    # --- API for the pipeline (any thread) ----------------------------------------------

    def start(self, timeout: float = 5.0) -> None:
        self._write_thread.start()
        self._grab_thread.start()
        self._started.wait(timeout)
        if self.error is not None:
            raise self.error

    def wait_first(self, timeout: float) -> bool:
        """Wait until the first frame is written (or none may be: paused, out of scope).

        The session says it is recording only after this, so frames are really flowing.
        """
        return self._first.wait(timeout)

    def request(self, reason: str, t: float) -> FrameTicket:
        """Ask for a frame: "pre_action" (before monotonic time t), or one after it settles."""
        ticket = FrameTicket()
        self._requests.put((reason, t, ticket))
        self._wake.set()
        return ticket

    def note_input(self, t: float, x: int | None = None, y: int | None = None) -> None:
        """Input happened at monotonic time t: keep the pre-action ring warm for a while."""
        idle = t - self.last_input > self._active_s
        self.last_input = t
        if x is not None and y is not None:
            self.pointer = (x, y)
        if idle:
            self._wake.set()

    def set_masks(self, rects: list[tuple[int, int, int, int]]) -> None:
        """Screen rectangles (x, y, w, h) to blank in every frame: out-of-scope windows."""
        self.masks = list(rects)
        if not self._masks_known:
            self._masks_known = True
            self._wake.set()

    def set_allowed(self, allowed: bool, since: float | None = None) -> None:
        """Let frames be grabbed, or stop them (paused, outside scope, screen locked).

        Args:
            allowed: whether frames may be grabbed and written.
            since: when stopping, the monotonic time the reason began (the window change or
                the hotkey, seen a moment before this call): a grab finished after it is
                never written, even if it was taken before this call.
        """
        now = self._clock()
        with self._gaps_lock:
            open_gap = bool(self._gaps) and self._gaps[-1][1] is None
            if not allowed and not open_gap:
                self._gaps.append([now if since is None else min(since, now), None])
            elif allowed and open_gap:
                self._gaps[-1][1] = now
        self.allowed = allowed
        self._wake.set()

    def _in_gap(self, t: float) -> bool:
        """Whether a grab finished at ``t`` falls in a span in which frames are not allowed."""
        with self._gaps_lock:
            return any(
                start is not None and start <= t and (end is None or t < end)
                for start, end in self._gaps
            )

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        self._wake.set()
        self._grab_thread.join(timeout)
        self._writes.put(None)
        self._write_thread.join(timeout)

    # --- grab thread ----------------------------------------------------------------------

    def _run(self) -> None:
        try:
            screen = self._factory()
        except BaseException as error:  # noqa: BLE001 - reported to start()
            self.error = error
            self._started.set()
            return
        try:
            every = screen.monitors()
            wanted = set(self._monitor_filter)
            self.monitors = [m for m in every if not wanted or m["index"] in wanted]
            self._started.set()
            self._loop(screen)
        except BaseException as error:  # noqa: BLE001 - kept for the session's stats
            self.error = error
        finally:
            self._first.set()  # nobody waits for a first frame that will not come
            screen.close()
            while True:  # nobody will serve what is left
                try:
                    self._requests.get_nowait()[2].resolve(None)
                except queue.Empty:
                    break
            for settle in self._settles:
                settle.ticket.resolve(None)

    def _loop(self, screen: ScreenSource) -> None:
        next_ring = 0.0
        next_periodic = self._clock()
        first = True
        while not self._stopping.is_set():
            now = self._clock()
            fresh: dict[int, Grab] = {}

            def grab(monitor: Monitor, now: float = now, fresh: dict[int, Grab] = fresh) -> Grab:
                if monitor["index"] not in fresh:
                    pixels, size = screen.grab(monitor)
                    masks = self.masks
                    if masks:
                        pixels = apply_masks(pixels, size, monitor, masks)
                    self.stats.grabs += 1
                    fresh[monitor["index"]] = Grab(self._clock(), monitor, pixels, size)
                return fresh[monitor["index"]]

            if not self.allowed or not self._masks_known:
                self._ring.clear()
                self._refuse_requests()
                if self._masks_known:
                    self._first.set()  # paused or out of scope: no first frame to wait for
            else:
                if first:
                    self._write_first(grab)
                    first = False
                    # A click in the first second after the session is ready finds a warm
                    # ring, as if there had been input just before.
                    self.last_input = max(self.last_input, now + WARM_START_S - self._active_s)
                    next_ring = now + self._ring_interval
                active = now - self.last_input <= self._active_s
                if active and now >= next_ring:
                    self._ring.append(grab(self._pointer_monitor()))
                    next_ring = now + self._ring_interval
                self._serve_requests(now, grab)
                self._serve_settles(now, grab)
                if now >= next_periodic:
                    for monitor in self.monitors:
                        shot = grab(monitor)
                        if self._last_written.get(monitor["index"]) != shot.pixels:
                            self._write(shot, "periodic", None)
                    if not self._ring or self._ring[-1].t < fresh_t(fresh):
                        # a periodic grab is as good as a ring grab for a click that follows
                        self._ring.append(grab(self._pointer_monitor()))
                    next_periodic = max(next_periodic + self._period, now)
            wake_at = [next_periodic]
            if self.allowed and now - self.last_input <= self._active_s:
                wake_at.append(next_ring)
            wake_at.extend(s.due for s in self._settles)
            delay = max(0.0, min(wake_at) - self._clock())
            self._wake.wait(min(delay, 0.25))
            self._wake.clear()

    def _write_first(self, grab: Callable[[Monitor], Grab]) -> None:
        """Write every monitor's first frame; ``wait_first`` returns once they are written."""
        self._first_left = len(self.monitors)
        for monitor in self.monitors:
            shot = grab(monitor)
            self._write(shot, "first", None)
            if monitor is self._pointer_monitor():
                self._ring.append(shot)

    def _first_done(self) -> None:
        self._first_left -= 1
        if self._first_left <= 0:
            self._first.set()

    def _pointer_monitor(self) -> Monitor:
        x, y = self.pointer
        for monitor in self.monitors:
            if monitor["x"] <= x < monitor["x"] + monitor["w"] and (
                monitor["y"] <= y < monitor["y"] + monitor["h"]
            ):
                return monitor
        return self.monitors[0]

    def _refuse_requests(self) -> None:
        while True:
            try:
                self._requests.get_nowait()[2].resolve(None)
            except queue.Empty:
                break
        for settle in self._settles:
            settle.ticket.resolve(None)
        self._settles.clear()

    def _serve_requests(self, now: float, grab: Callable[[Monitor], Grab]) -> None:
        while True:
            try:
                reason, t, ticket = self._requests.get_nowait()
            except queue.Empty:
                return
            if reason == "pre_action":
                best = None
                for shot in self._ring:
                    if shot.t <= t:
                        best = shot
                if best is None or t - best.t > self._max_pre_age:
                    ticket.resolve(None)
                    self.stats.missed += 1
                    continue
                self.stats.pre_ages.append(t - best.t)
                self._write(best, reason, ticket)
            elif reason == "typing_pause":
                self._write(grab(self._pointer_monitor()), reason, ticket)
            elif len(self._settles) >= 32:
                ticket.resolve(None)
                self.stats.dropped += 1
            else:  # post_action / window: once the screen settles
                self._settles.append(_Settle(reason, t + 0.15, t + 0.5, ticket))

    def _serve_settles(self, now: float, grab: Callable[[Monitor], Grab]) -> None:
        keep = []
        for settle in self._settles:
            if now < settle.due:
                keep.append(settle)
                continue
            shot = grab(self._pointer_monitor())
            if shot.pixels == settle.last or now >= settle.deadline:
                self._write(shot, settle.reason, settle.ticket)
            else:
                settle.last = shot.pixels
                settle.due = now + 0.08
                keep.append(settle)
        self._settles = keep

    def _write(self, shot: Grab, reason: str, ticket: FrameTicket | None) -> None:
        if self._in_gap(shot.t):
            self._refuse(reason, ticket)
            return
        try:
            self._writes.put_nowait((shot, reason, ticket))
        except queue.Full:
            self.stats.dropped += 1
            if ticket is not None:
                ticket.resolve(None)
            if reason == "first":
                self._first_done()
            return
        self._last_written[shot.monitor["index"]] = shot.pixels

    def _refuse(self, reason: str, ticket: FrameTicket | None) -> None:
        """A grab that fell in a gap: not written, and not counted as a drop."""
        self.stats.gated += 1
        if ticket is not None:
            ticket.resolve(None)
        if reason == "first":
            self._first_done()

    # --- writer thread ----------------------------------------------------------------------

    def _write_loop(self) -> None:
        while True:
            item = self._writes.get()
            if item is None:
                return
            shot, reason, ticket = item
            # The pipeline hears of a window change or hotkey a moment after it happens: wait
            # that long past the grab, so a grab made after the change is known to be in a gap.
            lag = shot.t + GAP_LAG_S - self._clock()
            if lag > 0 and not self._stopping.is_set():
                time.sleep(lag)
            if self._in_gap(shot.t):
                self._refuse(reason, ticket)
                continue
            meta = {
                "t": shot.t - self._t0,
                "wall": self._wall0 + (shot.t - self._t0),
                "monitor": dict(shot.monitor),
                "reason": reason,
            }
            try:
                index: int | None = self._sink.append_frame(shot.pixels, shot.size, meta)
                self.stats.written += 1
            except Exception as error:  # noqa: BLE001 - a failed write is counted, not fatal
                self.error = error
                self.stats.dropped += 1
                index = None
            if ticket is not None:
                ticket.resolve(index)
            if reason == "first":
                self._first_done()
