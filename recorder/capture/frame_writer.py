"""Writing frames off the grab thread, and never a frame that falls in a gap.

Frames are encoded and stored by their own thread, through a short queue (a full queue drops
and counts). A gap is a span in which no frame may be written (paused, outside scope, screen
locked); the pipeline hears of a window change or the hotkey a moment after it happens, so
each grab waits GAP_LAG_S past its time before the gap check that decides it.
"""

from __future__ import annotations

import collections
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from recorder.capture.grabs import Grab
from recorder.capture.session_sink import SessionSink

GAP_LAG_S = 0.1  # how late the pipeline may hear of a change that stops frames


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
class FrameStats:
    written: int = 0
    dropped: int = 0  # frames lost to a full write queue, a failed write or too many requests
    missed: int = 0  # pre-action frames with no recent grab to use (input right after idle)
    grabs: int = 0
    reused: int = 0  # looks that found nothing drawn and no input: the previous grab served
    gated: int = 0  # grabs that fell in a pause or out-of-scope span and were not written
    pre_ages: collections.deque[float] = field(
        default_factory=lambda: collections.deque(maxlen=10_000)
    )


class FrameGaps:
    """The last few [start, end] spans (end None while open) in which no frame is written.

    Changed by the pipeline and read by the grab and writer threads, under a lock.
    """

    def __init__(self, keep: int = 16) -> None:
        self._spans: collections.deque[list[float | None]] = collections.deque(maxlen=keep)
        self._lock = threading.Lock()

    def update(self, allowed: bool, now: float, since: float | None) -> None:
        """Close the open gap (allowed), or open one from ``since`` (at the latest ``now``)."""
        with self._lock:
            open_gap = bool(self._spans) and self._spans[-1][1] is None
            if not allowed and not open_gap:
                self._spans.append([now if since is None else min(since, now), None])
            elif allowed and open_gap:
                self._spans[-1][1] = now

    def covers(self, t: float) -> bool:
        """Whether a grab finished at ``t`` falls in a gap."""
        with self._lock:
            return any(
                start is not None and start <= t and (end is None or t < end)
                for start, end in self._spans
            )


class FrameWriter:
    """The writer thread of one session's frames.

    Args:
        sink: where frames go.
        gaps: the spans in which nothing is written.
        stats: the frame counts this writer adds to.
        t0, wall0: the session's monotonic start and the matching Unix time.
        queue_size: the most grabs waiting to be written.
        stopping: set when the session stops (grabs then no longer wait out the lag).

    Attributes:
        first: set once every first frame is written (or refused, or dropped).
        error: the last write that failed, if any.
    """

    def __init__(
        self,
        sink: SessionSink,
        gaps: FrameGaps,
        stats: FrameStats,
        *,
        t0: float,
        wall0: float,
        queue_size: int,
        clock: Callable[[], float],
        stopping: threading.Event,
    ) -> None:
        self._sink = sink
        self._gaps = gaps
        self._stats = stats
        self._t0 = t0
        self._wall0 = wall0
        self._clock = clock
        self._stopping = stopping
        self._queue: queue.Queue[tuple[Grab, str, FrameTicket | None] | None] = queue.Queue(
            queue_size
        )
        self._first_left = 0  # first frames not yet written
        self.first = threading.Event()
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._loop, name="overt-frame-writer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float) -> None:
        self._queue.put(None)
        self._thread.join(timeout)

    @property
    def queued(self) -> int:
        """How many grabs wait to be written."""
        return self._queue.qsize()

    def expect_first(self, count: int) -> None:
        """``count`` first frames follow; ``first`` is set once they are all decided."""
        self._first_left = count

    def submit(self, shot: Grab, reason: str, ticket: FrameTicket | None) -> bool:
        """Queue a grab to be written (grab thread); False if refused (a gap) or dropped."""
        if self._gaps.covers(shot.t):
            self._refuse(reason, ticket)
            return False
        try:
            self._queue.put_nowait((shot, reason, ticket))
        except queue.Full:
            self._stats.dropped += 1
            if ticket is not None:
                ticket.resolve(None)
            if reason == "first":
                self._first_done()
            return False
        return True

    def _refuse(self, reason: str, ticket: FrameTicket | None) -> None:
        """A grab that fell in a gap: not written, and not counted as a drop."""
        self._stats.gated += 1
        if ticket is not None:
            ticket.resolve(None)
        if reason == "first":
            self._first_done()

    def _first_done(self) -> None:
        self._first_left -= 1
        if self._first_left <= 0:
            self.first.set()

    def _loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            shot, reason, ticket = item
            self._wait_out_lag(shot.t)
            if self._gaps.covers(shot.t):
                self._refuse(reason, ticket)
                continue
            self._store(shot, reason, ticket)

    def _wait_out_lag(self, t: float) -> None:
        """Until the pipeline would have heard of a change made before a grab at ``t``.

        Waits on the clock the writer was given (a stop ends the wait), so tests move it.
        """
        until = t + GAP_LAG_S
        while not self._stopping.is_set():
            left = until - self._clock()
            if left <= 0:
                return
            self._stopping.wait(left)

    def _store(self, shot: Grab, reason: str, ticket: FrameTicket | None) -> None:
        meta = {
            "t": shot.t - self._t0,
            "wall": self._wall0 + (shot.t - self._t0),
            "monitor": dict(shot.monitor),
            "reason": reason,
        }
        try:
            index: int | None = self._sink.append_frame(shot.pixels, shot.size, meta)
            self._stats.written += 1
        except Exception as error:  # noqa: BLE001 - a failed write is counted, not fatal
            self.error = error
            self._stats.dropped += 1
            index = None
        if ticket is not None:
            ticket.resolve(index)
        if reason == "first":
            self._first_done()
