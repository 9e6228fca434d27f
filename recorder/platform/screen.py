"""Screen grabs through mss, with each monitor's place in the global coordinate space."""

from __future__ import annotations

from typing import Any

from recorder.capture.grabs import Monitor


class MssScreen:
    """A ScreenSource backed by mss; make and use it in one thread.

    Scale is 1.0 on X11 and Windows (coordinates are device pixels); macOS reports points,
    and mss grabs device pixels, so its scale is the pixel/point ratio of the grab.
    """

    def __init__(self) -> None:
        import mss  # lazily: the CLI and tests import the recorder without a display

        factory: Any = getattr(mss, "MSS", None) or mss.mss
        self._mss = factory()

    def monitors(self) -> list[Monitor]:
        found = []
        for index, mon in enumerate(self._mss.monitors[1:], start=1):
            found.append(
                {
                    "index": index,
                    "x": int(mon["left"]),
                    "y": int(mon["top"]),
                    "w": int(mon["width"]),
                    "h": int(mon["height"]),
                    "scale": 1.0,
                }
            )
        return found

    def grab(self, monitor: Monitor) -> tuple[bytes | bytearray, tuple[int, int]]:
        region = {
            "left": monitor["x"],
            "top": monitor["y"],
            "width": monitor["w"],
            "height": monitor["h"],
        }
        shot = self._mss.grab(region)
        width, height = shot.size
        if width != monitor["w"] and monitor["w"]:
            monitor["scale"] = width / monitor["w"]
        return shot.raw, (width, height)

    def close(self) -> None:
        self._mss.close()
