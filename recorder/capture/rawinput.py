"""The callbacks input libraries call: they only stamp the time and enqueue, bounded.

Each raw item is a tuple whose first element is its kind and second its monotonic time.
Drops are counted per source: pynput calls mouse and keyboard callbacks from different
threads, and each counter is only incremented by its own thread.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from typing import Any

RawItem = tuple[Any, ...]
DEFAULT_CAPACITY = 200_000


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
            q.put(("move", self._clock(), x, y))
        else:
            self.dropped["mouse"] += 1

    def on_click(self, x: int, y: int, button: Any, pressed: bool, injected: bool = False) -> None:
        q = self.queue
        if q.qsize() < self.capacity:
            q.put(("button", self._clock(), x, y, button, pressed))
        else:
            self.dropped["mouse"] += 1

    def on_scroll(self, x: int, y: int, dx: int, dy: int, injected: bool = False) -> None:
        q = self.queue
        if q.qsize() < self.capacity:
            q.put(("scroll", self._clock(), x, y, dx, dy))
        else:
            self.dropped["mouse"] += 1

    def on_press(self, key: Any, injected: bool = False) -> None:
        q = self.queue
        if q.qsize() < self.capacity:
            q.put(("key", self._clock(), True, key))
        else:
            self.dropped["keyboard"] += 1

    def on_release(self, key: Any, injected: bool = False) -> None:
        q = self.queue
        if q.qsize() < self.capacity:
            q.put(("key", self._clock(), False, key))
        else:
            self.dropped["keyboard"] += 1

    def on_window(self, window: Any, t: float | None = None) -> None:
        """The active window is now ``window``; ``t`` is when the change was seen, if earlier."""
        q = self.queue
        if q.qsize() < self.capacity:
            q.put(("window", self._clock() if t is None else t, window))
        else:
            self.dropped["window"] += 1

    def on_visible(self, windows: Any, t: float | None = None) -> None:
        """The visible top-level windows changed (for masking out-of-scope ones in frames)."""
        self.queue.put(("visible", self._clock() if t is None else t, windows))

    def on_lock(self, locked: bool, t: float | None = None) -> None:
        """The screen was locked (screen saver on) or unlocked."""
        self.queue.put(("lock", self._clock() if t is None else t, locked))

    def on_guard(self, guard: str | None, t: float | None = None) -> None:
        """A sensitive-input guard (named) now applies to the focused field, or none does."""
        self.queue.put(("guard", self._clock() if t is None else t, guard))

    def control(self, what: str) -> None:
        """Enqueue a control item (pause, resume, stop) so it is handled in order."""
        self.queue.put(("control", self._clock(), what))

    def drain(self) -> list[RawItem]:
        out = []
        while True:
            try:
                out.append(self.queue.get_nowait())
            except queue.Empty:
                return out
