"""What the review window draws: marks over a frame and the timeline's activity plot (no Qt)."""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field

from app.review.session_index import SessionIndex

EVENT_KINDS = ("move", "button", "scroll", "key", "window")
MIN_BIN_S = 0.25  # the activity plot's shortest bin


@dataclass
class Overlay:
    """What to draw over one frame, in that frame's pixel coordinates.

    Attributes:
        clicks: (x, y, button) of clicks this frame is before or after, or that happen
            between it and the next frame.
        path: cursor positions since the previous frame.
        drags: (x, y, x2, y2) of drags near this frame.
        window: the active window's (x, y, w, h), or None.
        elements: the shown action's UI element box(es), (x, y, w, h); set by the frame panel.
    """

    clicks: list[tuple[int, int, str]] = field(default_factory=list)
    path: list[tuple[int, int]] = field(default_factory=list)
    drags: list[tuple[int, int, int, int]] = field(default_factory=list)
    window: tuple[int, int, int, int] | None = None
    elements: list[tuple[int, int, int, int]] = field(default_factory=list)


class Overlays(SessionIndex):
    """Clicks, cursor path, drags and the active window per frame; activity per bin."""

    def overlay(self, index: int) -> Overlay:
        """Clicks, cursor path, drags and the active window for frame ``index``."""
        out = Overlay()
        if not self.frames:
            return out
        meta = self.frames[index]
        mon = meta.get("monitor") or {}
        ox, oy = int(mon.get("x", 0)), int(mon.get("y", 0))
        t = self._frame_t[index]
        t_prev = self._frame_t[index - 1] if index > 0 else t - 1.0
        lo = bisect.bisect_right(self._move_t, t_prev)
        hi = bisect.bisect_right(self._move_t, t)
        out.path = [(int(e["x"]) - ox, int(e["y"]) - oy) for e in self._moves[lo:hi]]
        t_next = self._frame_t[index + 1] if index + 1 < len(self._frame_t) else float("inf")
        for a in self.actions:
            # A frame shows the screen just before what happens until the next frame.
            near = a.get("frame_before") == index or a.get("frame_after") == index
            if not near and a.get("frame_before") is None:
                # No pre-action frame (a click in the session's first instant): mark it on
                # the frame the action list shows for it.
                near = self.frame_at(float(a.get("t", 0.0))) == index
            if not near and not t <= float(a.get("t", -1e9)) < t_next:
                continue
            if a.get("kind") in ("click", "double_click"):
                out.clicks.append((int(a["x"]) - ox, int(a["y"]) - oy, str(a.get("button", ""))))
            elif a.get("kind") == "drag":
                out.drags.append(
                    (int(a["x"]) - ox, int(a["y"]) - oy, int(a["x2"]) - ox, int(a["y2"]) - oy)
                )
        win = self.window_at(t)
        if win is not None and int(win.get("w", 0)) > 0:
            out.window = (int(win["x"]) - ox, int(win["y"]) - oy, int(win["w"]), int(win["h"]))
        return out

    def activity_bins(self, width: int) -> int:
        """How many bins to plot across ``width`` pixels: about 3 px each, but none shorter
        than MIN_BIN_S, so a short session's bars are wide enough to read."""
        by_time = max(math.ceil(self.duration / MIN_BIN_S), 1)
        return max(min(width // 3, by_time), 1)

    def frame_aspect(self) -> float:
        """Width / height of the first frame's monitor (16:9 when unknown)."""
        mon = (self.frames[0].get("monitor") or {}) if self.frames else {}
        w, h = mon.get("w"), mon.get("h")
        if isinstance(w, int | float) and isinstance(h, int | float) and w > 0 and h > 0:
            return float(w) / float(h)
        return 16 / 9

    def activity(self, bins: int) -> dict[str, list[int]]:
        """Events per bin by kind, over the session's duration, for the timeline's plot."""
        out = {kind: [0] * bins for kind in EVENT_KINDS}
        if bins <= 0:
            return out
        span = max(self.duration, 1e-9)
        for e in self.events:
            kind = e.get("kind")
            if kind in out:
                b = min(int(float(e.get("t", 0.0)) / span * bins), bins - 1)
                out[kind][max(b, 0)] += 1
        return out
