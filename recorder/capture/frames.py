"""Frame triggers and capture: a ring of recent grabs while input is active, pre/post-action
frames, typing-pause and window frames, and periodic frames only when the screen changed.

Grabbing runs in its own thread and writing (encoding, encryption: frame_writer.py) in
another, both off the input path; everything is bounded: a ring of a few grabs, a short
write queue, and a cap on pending requests. Anything dropped is counted.
"""

from __future__ import annotations

import collections
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from recorder.capture.frame_writer import FrameGaps, FrameStats, FrameTicket, FrameWriter
from recorder.capture.grabs import Grab, Monitor, ScreenSource, apply_masks
from recorder.capture.session_sink import SessionSink

WARM_START_S = 1.0  # the pre-action ring is kept warm this long after the first frame
#: Idle, a screen that says it was drawn on is grabbed into the ring at most this often
#: (a blinking text cursor, a clock): a click after a pause still finds a recent frame.
IDLE_REFRESH_S = 0.25


class _Grabs:
    """One loop iteration's grabs: each monitor is grabbed at most once, masks applied.

    A monitor whose previous grab is still current (nothing drawn since, by the screen's
    word, no input since and the same masks) is not grabbed again: that grab's pixels serve,
    stamped with the time of this look.
    """

    def __init__(self, service: FrameService, screen: ScreenSource) -> None:
        self._service = service
        self._screen = screen
        self.fresh: dict[int, Grab] = {}

    def still_current(self, monitor: Monitor) -> Grab | None:
        """The monitor's previous grab if a look would reuse it, else None (a look grabs)."""
        service = self._service
        current = service._current.get(monitor["index"])
        if current is None or service.last_input >= current[0].t or current[1] != service.masks:
            return None
        return current[0]

    def __call__(self, monitor: Monitor) -> Grab:
        index = monitor["index"]
        if index not in self.fresh:
            service = self._service
            kept = self.still_current(monitor)
            if kept is not None:
                service.stats.reused += 1
                self.fresh[index] = Grab(service._clock(), monitor, kept.pixels, kept.size)
                return self.fresh[index]
            masks = list(service.masks)
            pixels, size = self._screen.grab(monitor)
            if masks:
                pixels = apply_masks(pixels, size, monitor, masks)
            service.stats.grabs += 1
            shot = Grab(service._clock(), monitor, pixels, size)
            self.fresh[index] = shot
            service._current[index] = (shot, masks)
        return self.fresh[index]

    def newest_t(self) -> float:
        """The time of the newest grab in this iteration."""
        return max((g.t for g in self.fresh.values()), default=0.0)


@dataclass
class _Settle:
    reason: str
    due: float
    deadline: float
    ticket: FrameTicket
    last: bytes | bytearray | None = None


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
        self._settles: list[_Settle] = []
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._started = threading.Event()
        self._first_written = False  # the grab thread's state from here on
        self._next_ring = 0.0
        self._next_periodic = 0.0
        self.stats = FrameStats()
        self.allowed = True  # False while paused or outside scope: nothing is grabbed
        # No grab in a gap is written, even one taken before the pipeline said so: it learns
        # of a window change a moment late.
        self._gaps = FrameGaps()
        self._writer = FrameWriter(
            sink,
            self._gaps,
            self.stats,
            t0=t0,
            wall0=wall0,
            queue_size=write_queue,
            clock=clock,
            stopping=self._stopping,
        )
        self.masks: list[tuple[int, int, int, int]] = []
        self._masks_known = not wait_for_masks
        self.last_input = -1e9
        self.pointer: tuple[int, int] = (0, 0)
        self.monitors: list[Monitor] = []
        self.looked_at = -1e9  # the clock's time at the grab loop's latest look
        self._grab_error: BaseException | None = None
        self._tells_damage = False  # the screen says when it was drawn on (X DAMAGE)
        self._last_written: dict[int, bytes | bytearray] = {}
        # Each monitor's latest grab and its masks, while nothing has been drawn since (only
        # when the screen tells: recorder/platform/x11_damage.py); cleared by any drawing.
        self._current: dict[int, tuple[Grab, list[tuple[int, int, int, int]]]] = {}
        self._grab_thread = threading.Thread(target=self._run, name="overt-frames", daemon=True)

    # --- API for the pipeline (any thread) ----------------------------------------------

    @property
    def error(self) -> BaseException | None:
        """Why the screen could not be grabbed, else the last frame write that failed."""
        return self._grab_error if self._grab_error is not None else self._writer.error

    def start(self, timeout: float = 5.0) -> None:
        self._writer.start()
        self._grab_thread.start()
        self._started.wait(timeout)
        if self.error is not None:
            raise self.error

    def wait_first(self, timeout: float) -> bool:
        """Wait until the first frame is written (or none may be: paused, out of scope).

        The session says it is recording only after this, so frames are really flowing.
        """
        return self._writer.first.wait(timeout)

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
        self._gaps.update(allowed, self._clock(), since)
        self.allowed = allowed
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        self._wake.set()
        self._grab_thread.join(timeout)
        self._writer.stop(timeout)

    # --- grab thread ----------------------------------------------------------------------

    def _run(self) -> None:
        try:
            screen = self._factory()
        except BaseException as error:  # noqa: BLE001 - reported to start()
            self._grab_error = error
            self._started.set()
            return
        try:
            every = screen.monitors()
            wanted = set(self._monitor_filter)
            self.monitors = [m for m in every if not wanted or m["index"] in wanted]
            self._started.set()
            self._loop(screen)
        except BaseException as error:  # noqa: BLE001 - kept for the session's stats
            self._grab_error = error
        finally:
            self._writer.first.set()  # nobody waits for a first frame that will not come
            screen.close()
            self._refuse_requests()  # nobody will serve what is left

    def _loop(self, screen: ScreenSource) -> None:
        self._next_periodic = self._clock()
        damaged: Callable[[], bool] | None = getattr(screen, "damaged", None)
        self._tells_damage = bool(getattr(screen, "tells_damage", False))
        while not self._stopping.is_set():
            now = self._clock()
            if self.allowed and self._masks_known:
                self._look_for_damage(damaged)
                self._capture(now, _Grabs(self, screen))
            else:
                self._current.clear()
                self._hold_off()
            self.looked_at = now
            self._sleep(now)

    def _look_for_damage(self, damaged: Callable[[], bool] | None) -> None:
        """Forget the current grabs if anything was drawn, or if nothing can tell."""
        try:
            drawn = damaged is None or damaged()
        except Exception:  # noqa: BLE001 - a watcher that fails tells nothing: grab
            drawn = True
        if drawn:
            self._current.clear()

    def _hold_off(self) -> None:
        """Paused, out of scope, or the masks are not known yet: grab and serve nothing."""
        self._ring.clear()
        self._refuse_requests()
        if self._masks_known:
            self._writer.first.set()  # paused or out of scope: no first frame to wait for

    def _capture(self, now: float, grab: _Grabs) -> None:
        """One look at the screen: first frames, the ring, requests, settles, periodic."""
        if not self._first_written:
            self._start_capture(now, grab)
        if self._active(now):
            if now >= self._next_ring:
                self._ring.append(grab(self._pointer_monitor()))
                self._next_ring = now + self._ring_interval
        else:
            self._confirm_ring(now, grab)
        self._serve_requests(now, grab)
        self._serve_settles(now, grab)
        if now >= self._next_periodic:
            self._periodic(now, grab)

    def _start_capture(self, now: float, grab: _Grabs) -> None:
        self._write_first(grab)
        self._first_written = True
        # A click in the first second after the session is ready finds a warm ring, as if
        # there had been input just before.
        self.last_input = max(self.last_input, now + WARM_START_S - self._active_s)
        self._next_ring = now + self._ring_interval

    def _periodic(self, now: float, grab: _Grabs) -> None:
        """Write each monitor whose screen changed since its last frame."""
        for monitor in self.monitors:
            shot = grab(monitor)
            last = self._last_written.get(monitor["index"])
            if last is not shot.pixels and last != shot.pixels:
                self._write(shot, "periodic", None)
        if not self._ring or self._ring[-1].t < grab.newest_t():
            # a periodic grab is as good as a ring grab for a click that follows
            self._ring.append(grab(self._pointer_monitor()))
        self._next_periodic = max(self._next_periodic + self._period, now)

    def _confirm_ring(self, now: float, grab: _Grabs) -> None:
        """Idle: keep the ring's newest grab as recent as a look, so a click after a pause
        with the pointer at rest (no move before it to warm the ring) finds a pre-action
        frame no older than a look or two, not the last periodic one (up to a second: past
        ``max_pre_age``).

        Nothing drawn since the ring's newest grab: the screen is still that grab as of this
        look, so it goes into the ring again with this look's time, at no grab's cost. Drawn
        on (a blinking cursor), or new masks: grabbed again, at most every
        ``IDLE_REFRESH_S``; only on a screen that tells when it is drawn on, so one that
        cannot tell is never grabbed more while idle than its periodic frames."""
        monitor = self._pointer_monitor()
        kept = grab.still_current(monitor)
        if kept is None:  # drawn on, input or new masks since: a look would grab
            if self._tells_damage and (not self._ring or now - self._ring[-1].t >= IDLE_REFRESH_S):
                self._ring.append(grab(monitor))
            return
        if not self._ring or kept.pixels is not self._ring[-1].pixels:
            return
        if len(self._ring) >= 2 and self._ring[-2].pixels is kept.pixels:
            del self._ring[-2]  # of one unchanged screen, the two newest looks are enough
        self._ring.append(grab(monitor))

    def _active(self, now: float) -> bool:
        """Input was recent: the pre-action ring is kept warm."""
        return now - self.last_input <= self._active_s

    def _sleep(self, now: float) -> None:
        """Until the next thing is due (a quarter second at most), or a wake-up."""
        wake_at = [self._next_periodic]
        if self.allowed and self._active(now):
            wake_at.append(self._next_ring)
        wake_at.extend(s.due for s in self._settles)
        delay = max(0.0, min(wake_at) - self._clock())
        self._wake.wait(min(delay, 0.25))
        self._wake.clear()

    def _write_first(self, grab: _Grabs) -> None:
        """Write every monitor's first frame; ``wait_first`` returns once they are written."""
        self._writer.expect_first(len(self.monitors))
        for monitor in self.monitors:
            shot = grab(monitor)
            self._write(shot, "first", None)
            if monitor is self._pointer_monitor():
                self._ring.append(shot)

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

    def _serve_requests(self, now: float, grab: _Grabs) -> None:
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

    def _serve_settles(self, now: float, grab: _Grabs) -> None:
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
        if self._writer.submit(shot, reason, ticket):
            self._last_written[shot.monitor["index"]] = shot.pixels
