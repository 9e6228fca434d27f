"""Screen grabs through mss, with each monitor's place in the global coordinate space."""

from __future__ import annotations

from typing import Any

from recorder.capture.buffers import BufferPool
from recorder.capture.grabs import Monitor
from recorder.platform.shm_grab import ShmGrab


class MssScreen:
    """A ScreenSource backed by mss; make and use it in one thread.

    Scale is 1.0 on X11 and Windows (coordinates are device pixels); macOS reports points,
    and mss grabs device pixels, so its scale is the pixel/point ratio of the grab.

    On X11 with MIT-SHM (mss 10), grabs are copied from the shared segment into reused
    buffers (recorder/platform/shm_grab.py); anywhere else mss makes a fresh buffer each time.

    Args:
        damaged: tells whether anything was drawn since its previous call (the X DAMAGE
            extension: recorder/platform/x11_damage.py), or None when nothing tells.
    """

    def __init__(self, damaged: Any = None) -> None:
        import mss  # lazily: the CLI and tests import the recorder without a display

        factory: Any = getattr(mss, "MSS", None) or mss.mss
        self._mss = factory()
        self._pool = BufferPool()
        self._shm = ShmGrab.attach(self._mss)
        self._damage = damaged

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
        if self._shm is not None:
            pixels = self._shm.grab(region, self._pool)
            if pixels is not None:
                return pixels, (monitor["w"], monitor["h"])
        shot = self._mss.grab(region)
        width, height = shot.size
        if width != monitor["w"] and monitor["w"]:
            monitor["scale"] = width / monitor["w"]
        return shot.raw, (width, height)

    @property
    def tells_damage(self) -> bool:
        """Whether ``damaged`` knows (the X DAMAGE extension), rather than always saying yes."""
        return self._damage is not None

    def damaged(self) -> bool:
        """Whether anything may have been drawn since the previous call (True if not known)."""
        return True if self._damage is None else bool(self._damage.changed())

    @property
    def pooled(self) -> bool:
        """Whether grabs go into reused buffers (the shared-memory path is in use)."""
        return self._shm is not None and self._shm.used

    def close(self) -> None:
        if self._damage is not None:
            self._damage.close()
        self._mss.close()
