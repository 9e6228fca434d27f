"""The callbacks input libraries call: they only stamp the time and enqueue, bounded.

Each raw item is a NamedTuple of its kind whose first field ``t`` is its monotonic time, so the
pipeline reads ``item.x`` rather than an index that means something else per kind; building
one costs a fraction of a microsecond more than a bare tuple (``callback_*`` in
tests/bench/bench_recorder.py measures the callbacks). Drops are counted per source: pynput
calls mouse and keyboard callbacks from different threads, and each counter is only
incremented by its own thread.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from typing import Any, Literal, NamedTuple

from recorder.capture.policy import WindowInfo

DEFAULT_CAPACITY = 200_000
ControlWhat = Literal["pause", "resume", "stop"]


class RawMove(NamedTuple):
    """The pointer moved to (x, y), global screen pixels."""

    t: float
    x: int
    y: int


class RawButton(NamedTuple):
    """A mouse button (the listener's object) went down or up at (x, y)."""

    t: float
    x: int
    y: int
    button: Any
    down: bool


class RawScroll(NamedTuple):
    """The wheel turned by (dx, dy) with the pointer at (x, y)."""

    t: float
    x: int
    y: int
    dx: int
    dy: int


class RawKey(NamedTuple):
    """A key went down or up; ``key`` is the listener's object, resolved in the pipeline."""

    t: float
    down: bool
    key: Any


class RawWindow(NamedTuple):
    """The active window is now ``window`` (None: no active window, the desktop)."""

    t: float
    window: WindowInfo | None


class RawVisible(NamedTuple):
    """The visible top-level windows, bottom to top (to mask out-of-scope ones in frames)."""

    t: float
    windows: list[WindowInfo]


class RawLock(NamedTuple):
    """The screen was locked (or its screen saver came on), or unlocked."""

    t: float
    locked: bool


class RawGuard(NamedTuple):
    """The sensitive-input guard (named) that now applies to the focused field, or None."""

    t: float
    guard: str | None


class RawControl(NamedTuple):
    """A pause, resume or stop request, queued so it is handled in order with input."""

    t: float
    what: ControlWhat


PointerItem = RawMove | RawButton | RawScroll
#: Input and control: held back a moment, in arrival order, so late-seen context sorts first.
InputItem = RawMove | RawButton | RawScroll | RawKey | RawControl
#: What input happens in: applied in time order, before the input that followed it.
ContextItem = RawWindow | RawVisible | RawLock | RawGuard
RawItem = InputItem | ContextItem
CONTEXT_KINDS = (RawWindow, RawVisible, RawLock, RawGuard)


class RawInput:
    """The enqueue-only callbacks, shaped like pynput's (the ``injected`` flag is ignored).

    Attributes:
        queue: the raw items, consumed by the pipeline worker.
        capacity: the most items the queue holds; further items are dropped and counted.
        dropped: drops per source ("mouse", "keyboard", "window").
    """

    def __init__(
        self, capacity: int = DEFAULT_CAPACITY, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.queue: queue.SimpleQueue[RawItem] = queue.SimpleQueue()
        self.capacity = capacity
        self.dropped = {"mouse": 0, "keyboard": 0, "window": 0}
        self._clock = clock

    def on_move(self, x: int, y: int, injected: bool = False) -> None:
        q = self.queue
        if q.qsize() < self.capacity:
            q.put(RawMove(self._clock(), x, y))
        else:
            self.dropped["mouse"] += 1

    def on_click(self, x: int, y: int, button: Any, pressed: bool, injected: bool = False) -> None:
        q = self.queue
        if q.qsize() < self.capacity:
            q.put(RawButton(self._clock(), x, y, button, pressed))
        else:
            self.dropped["mouse"] += 1

    def on_scroll(self, x: int, y: int, dx: int, dy: int, injected: bool = False) -> None:
        q = self.queue
        if q.qsize() < self.capacity:
            q.put(RawScroll(self._clock(), x, y, dx, dy))
        else:
            self.dropped["mouse"] += 1

    def on_press(self, key: Any, injected: bool = False) -> None:
        q = self.queue
        if q.qsize() < self.capacity:
            q.put(RawKey(self._clock(), True, key))
        else:
            self.dropped["keyboard"] += 1

    def on_release(self, key: Any, injected: bool = False) -> None:
        q = self.queue
        if q.qsize() < self.capacity:
            q.put(RawKey(self._clock(), False, key))
        else:
            self.dropped["keyboard"] += 1

    def on_window(self, window: WindowInfo | None, t: float | None = None) -> None:
        """The active window is now ``window``; ``t`` is when the change was seen, if earlier."""
        q = self.queue
        if q.qsize() < self.capacity:
            q.put(RawWindow(self._clock() if t is None else t, window))
        else:
            self.dropped["window"] += 1

    def on_visible(self, windows: list[WindowInfo], t: float | None = None) -> None:
        """The visible top-level windows changed (for masking out-of-scope ones in frames)."""
        self.queue.put(RawVisible(self._clock() if t is None else t, windows))

    def on_lock(self, locked: bool, t: float | None = None) -> None:
        """The screen was locked (screen saver on) or unlocked."""
        self.queue.put(RawLock(self._clock() if t is None else t, locked))

    def on_guard(self, guard: str | None, t: float | None = None) -> None:
        """A sensitive-input guard (named) now applies to the focused field, or none does."""
        self.queue.put(RawGuard(self._clock() if t is None else t, guard))

    def control(self, what: ControlWhat) -> None:
        """Enqueue a control item (pause, resume, stop) so it is handled in order."""
        self.queue.put(RawControl(self._clock(), what))

    def drain(self) -> list[RawItem]:
        out = []
        while True:
            try:
                out.append(self.queue.get_nowait())
            except queue.Empty:
                return out
