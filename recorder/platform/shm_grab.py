"""X11 grabs straight from mss's shared-memory segment into reused buffers (mss 10 on Linux).

mss copies every grab out of its MIT-SHM segment into a new bytearray; at 1080p that fresh
8 MB costs ~2000 page faults (recorder/capture/buffers.py says why), more than the grab
itself. This makes the same XShmGetImage request and copies into a pooled buffer instead.
It leans on mss internals, so it attaches only to the implementation it knows, and only
after mss's own first grab has shown shared memory works; anything unexpected turns it off
for good and mss's public grab carries on.
"""

from __future__ import annotations

from typing import Any

from recorder.capture.buffers import BufferPool


class ShmGrab:
    """The shared-memory fast path for one mss instance (its thread only).

    Attributes:
        used: whether a grab has gone this way.
    """

    def __init__(self, impl: Any, xcb: Any, all_planes: Any, available: Any) -> None:
        self._impl = impl
        self._xcb = xcb
        self._all_planes = all_planes
        self._available = available
        self._broken = False
        self.used = False

    @classmethod
    def attach(cls, mss_instance: Any) -> ShmGrab | None:
        """The fast path for ``mss_instance``, or None if it is not mss 10's XShmGetImage."""
        impl = getattr(mss_instance, "_impl", None)
        try:
            from mss.linux import xcb
            from mss.linux.base import ALL_PLANES
            from mss.linux.xshmgetimage import MSSImplXShmGetImage, ShmStatus
        except ImportError:
            return None  # another platform, or an mss without this implementation
        if not isinstance(impl, MSSImplXShmGetImage):
            return None
        return cls(impl, xcb, ALL_PLANES, ShmStatus.AVAILABLE)

    def grab(self, region: dict[str, int], pool: BufferPool) -> bytearray | None:
        """BGRX rows of ``region`` in a pooled buffer, or None: take mss's own grab instead."""
        impl = self._impl
        if self._broken or getattr(impl, "shm_status", None) != self._available:
            return None  # mss's first grab decides whether shared memory works
        width, height = region["width"], region["height"]
        size = width * height * 4
        try:
            if impl.conn is None or impl._buf is None or size > impl._bufsize:
                return None
            reply = self._xcb.shm_get_image(
                impl.conn,
                impl.drawable,
                region["left"],
                region["top"],
                width,
                height,
                self._all_planes,
                self._xcb.ImageFormat.ZPixmap,
                impl._shmseg,
                0,
            )
            if reply.depth != impl.drawable_depth or reply.visual != impl.drawable_visual_id:
                self._broken = True
                return None
            out = pool.take(size)
            # a memoryview copies in place; ``out[:] = ...`` would copy the 8 MB twice
            with memoryview(impl._buf) as segment, memoryview(out) as into:
                into[:] = segment[:size]
        except (AttributeError, TypeError):
            self._broken = True  # mss changed under us: its public grab from now on
            return None
        self.used = True
        return out
