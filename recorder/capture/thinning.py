"""Pointer-move thinning at capture time: at most N moves/s, keeping what matters.

Kept: the first move of a path, at most one move per 1/N s, the last move before a button
or scroll (so a click is never far from the pointer's recorded place) and a path's end
(flushed once the pointer has been still for a moment).
"""

from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")


class MoveThinner(Generic[T]):
    """Decides which moves to keep; items are opaque, only their times are read.

    Args:
        hz: the maximum rate of kept moves; None keeps every move (raw mode).
        settle: how long the pointer must be still before a held move (a path's end) is kept.
    """

    def __init__(self, hz: float | None, settle: float = 0.05) -> None:
        self._interval = 0.0 if hz is None else 1.0 / hz
        self._settle = settle
        self._last_kept: float | None = None
        self._held: tuple[float, T] | None = None

    def move(self, t: float, item: T) -> list[T]:
        """A new move at time ``t``; returns the moves to keep now, in order."""
        if self._last_kept is None or t - self._last_kept >= self._interval:
            self._held = None
            self._last_kept = t
            return [item]
        self._held = (t, item)
        return []

    def before_other(self) -> list[T]:
        """Another event (button, scroll...) follows: keep the held move first."""
        return self._release()

    def tick(self, now: float) -> list[T]:
        """Time passed without events: keep a path's end once the pointer is still."""
        if self._held is not None and now - self._held[0] >= self._settle:
            return self._release()
        return []

    def _release(self) -> list[T]:
        if self._held is None:
            return []
        t, item = self._held
        self._held = None
        self._last_kept = t
        return [item]
