"""Screen grabs: the screen source seam, one grab, and out-of-scope windows blanked in it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

Monitor = dict[str, Any]


class ScreenSource(Protocol):
    """Grabs monitors; created and used in the frame thread only (mss is not thread-safe).

    A source may also have ``damaged() -> bool``: whether anything may have been drawn
    since its previous call. Without it, every look at the screen grabs it again.
    """

    def monitors(self) -> list[Monitor]: ...

    def grab(self, monitor: Monitor) -> tuple[bytes | bytearray, tuple[int, int]]: ...

    def close(self) -> None: ...


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
