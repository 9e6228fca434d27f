"""Where stepping goes in the review window: frames, actions, and the ranges they span (no Qt)."""

from __future__ import annotations

import bisect
from typing import Any

from app.review.session_index import SessionIndex


class Navigation(SessionIndex):
    """Stepping by frame and by action, and which frames, events and actions go together."""

    def step_frame(self, index: int, delta: int) -> int:
        """Frame ``index + delta``, clamped to the session."""
        if not self.frames:
            return 0
        return min(max(index + delta, 0), len(self.frames) - 1)

    def action_frame(self, action_index: int) -> int:
        """The frame to show for an action: its pre-action frame, else the one before it."""
        action = self.actions[action_index]
        before = action.get("frame_before")
        if isinstance(before, int) and 0 <= before < len(self.frames):
            return before
        return self.frame_at(float(action.get("t", 0.0)))

    def action_at_frame(self, index: int) -> int | None:
        """The action this frame shows: the first whose frame it is, else the last before it."""
        if not self.actions or not self.frames:
            return None
        for i in range(len(self.actions)):
            if self.action_frame(i) == index:
                return i
        t = self._frame_t[index]
        starts = [float(a.get("t", 0.0)) for a in self.actions]
        i = bisect.bisect_right(starts, t) - 1
        return i if i >= 0 else None

    def step_action(self, index: int, delta: int, current: int | None = None) -> int | None:
        """The action ``delta`` steps away (None if there is none that way).

        Args:
            index: the frame shown.
            delta: +1 for the next action, -1 for the previous.
            current: the action last stepped to, if the frame shown is still its frame.
        """
        if not self.actions:
            return None
        if current is None:
            shown = self.action_at_frame(index)
            if shown is not None and self.action_frame(shown) == index:
                current = shown
        if current is not None:
            return min(max(current + delta, 0), len(self.actions) - 1)
        frames = [self.action_frame(i) for i in range(len(self.actions))]
        if delta > 0:
            later = [i for i, f in enumerate(frames) if f >= index]
            return later[0] if later else len(self.actions) - 1
        earlier = [i for i, f in enumerate(frames) if f < index]
        return earlier[-1] if earlier else 0

    def frames_of_actions(self, first: int, last: int) -> range:
        """The frames actions ``first..last`` (inclusive) show: the first one's pre-action
        frame to the last one's post-action frame."""
        if not self.frames or not self.actions:
            return range(0)
        start = self.action_frame(first)
        after = self.actions[last].get("frame_after")
        stop = after if isinstance(after, int) else self.action_frame(last)
        stop = min(max(stop, start), len(self.frames) - 1)
        return range(start, stop + 1)

    def event_range_of_actions(self, first: int, last: int) -> range:
        """The raw event seqs that actions ``first..last`` (inclusive) were built on."""
        seqs = [
            s
            for a in self.actions[first : last + 1]
            for s in a.get("events", [])
            if isinstance(s, int)
        ]
        if not seqs:
            return range(0)
        return range(min(seqs), max(seqs) + 1)

    def event_range_of_frames(self, first: int, last: int) -> range:
        """Seqs of the events between frames ``first`` and ``last`` (inclusive)."""
        t0 = self._frame_t[first]
        t1 = self._frame_t[last + 1] if last + 1 < len(self._frame_t) else float("inf")
        lo = bisect.bisect_left(self._event_t, t0)
        hi = bisect.bisect_left(self._event_t, t1)
        if hi <= lo:
            return range(0)
        return range(int(self.events[lo]["seq"]), int(self.events[hi - 1]["seq"]) + 1)

    def frames_while_window(self, window: dict[str, Any]) -> list[range]:
        """Contiguous frame ranges during which this window (app and title) was active."""
        key = (window.get("app"), window.get("title"), window.get("wid"))
        ranges: list[range] = []
        start: int | None = None
        for i, t in enumerate(self._frame_t):
            w = self.window_at(t)
            same = w is not None and (w.get("app"), w.get("title"), w.get("wid")) == key
            if same and start is None:
                start = i
            elif not same and start is not None:
                ranges.append(range(start, i))
                start = None
        if start is not None:
            ranges.append(range(start, len(self._frame_t)))
        return ranges
