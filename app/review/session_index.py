"""One session's records indexed by time, the base the review model's parts build on (no Qt).

Frame metadata arrives first (enough to show the first frame); events and actions may arrive
later (``set_records``). Navigation, labels, overlays, previews and suggestions
(``app/review/navigation.py`` and its neighbours) all read these indexes.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import Any


class SessionIndex:
    """One session's frames, events and actions, with the lookups by time they all need.

    Attributes:
        frames: FrameMeta dicts, in index order.
        events: event dicts, in seq order.
        actions: action dicts, in seq order.
        elements: action seq -> the UI element it was on, or {"missing": reason}.
    """

    def __init__(self, frames: list[dict[str, Any]]) -> None:
        self.frames = frames
        self._frame_t = [float(f.get("t", 0.0)) for f in frames]
        # Frames are numbered as written; a pre-action frame is captured a moment before
        # frames written ahead of it, so times are not always in index order.
        self._by_time = sorted(range(len(frames)), key=lambda i: (self._frame_t[i], i))
        self._sorted_t = [self._frame_t[i] for i in self._by_time]
        self.events: list[dict[str, Any]] = []
        self.actions: list[dict[str, Any]] = []
        #: the other streams text removal reads (storage/text_reach.py), by name
        self.text_streams: dict[str, list[dict[str, Any]]] = {}
        #: action seq -> its UI element (storage/elements.py shape); {} before loading
        self.elements: dict[int, dict[str, Any]] = {}
        self._event_t: list[float] = []
        self._moves: list[dict[str, Any]] = []
        self._move_t: list[float] = []
        self._windows: list[dict[str, Any]] = []
        self._window_t: list[float] = []
        self._window_by_seq: dict[int, dict[str, Any]] = {}

    def set_records(
        self, events: Iterable[dict[str, Any]], actions: Iterable[dict[str, Any]]
    ) -> None:
        """Take the session's events and actions (each in seq order)."""
        self.events = list(events)
        self.actions = list(actions)
        self._event_t = [float(e.get("t", 0.0)) for e in self.events]
        self._moves = [e for e in self.events if e.get("kind") == "move"]
        self._move_t = [float(e["t"]) for e in self._moves]
        self._windows = [e for e in self.events if e.get("kind") == "window"]
        self._window_t = [float(e["t"]) for e in self._windows]
        self._window_by_seq = {int(e["seq"]): e for e in self._windows if "seq" in e}

    @property
    def frame_count(self) -> int:
        """Number of frames."""
        return len(self.frames)

    @property
    def duration(self) -> float:
        """Seconds from the start to the last frame, event or action."""
        ends = [self._sorted_t[-1] if self._sorted_t else 0.0]
        if self._event_t:
            ends.append(self._event_t[-1])
        if self.actions:
            ends.append(float(self.actions[-1].get("t_end", self.actions[-1].get("t", 0.0))))
        return max(ends)

    def frame_time(self, index: int) -> float:
        """Seconds since the start at which frame ``index`` was captured."""
        return self._frame_t[index]

    def frame_at(self, t: float) -> int:
        """The last frame captured at or before ``t`` (the earliest one before the first)."""
        if not self._frame_t:
            return 0
        return self._by_time[max(bisect.bisect_right(self._sorted_t, t) - 1, 0)]

    def window_at(self, t: float) -> dict[str, Any] | None:
        """The window event active at ``t``."""
        i = bisect.bisect_right(self._window_t, t) - 1
        return self._windows[i] if i >= 0 else None

    def window_of(self, action: dict[str, Any]) -> dict[str, Any] | None:
        """The window an action happened in (its window_seq, else by time)."""
        seq = action.get("window_seq")
        if isinstance(seq, int) and seq in self._window_by_seq:
            return self._window_by_seq[seq]
        return self.window_at(float(action.get("t", 0.0)))
