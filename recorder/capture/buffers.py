"""Frame-sized buffers reused across grabs, so a grab writes into memory already mapped.

The recorder fixes glibc's mmap threshold low (recorder/capture/memory.py), so every fresh
8 MB grab buffer is a new mapping whose first touch costs ~2000 page faults: measured on a
1080p Xvfb, a grab took 3.5 ms that way and 1.3 ms into a buffer already mapped. A grab
buffer is shared by the ring, the write queue and the change checks, with no single owner
to hand it back, so the pool asks CPython's reference count instead: a buffer that nothing
but the pool holds is free, and anything still holding it (a queued grab, an image made
from it, a memoryview, C code running without the GIL) holds a reference.
"""

from __future__ import annotations

import sys

# The references a buffer has while only the pool holds it, counted in ``take``: the pool's
# list, the loop variable, and getrefcount's own argument.
_ONLY_POOL = 3


class BufferPool:
    """Byte buffers by size (one size per monitor), reused once nothing else refers to them.

    Used by one thread (the grab thread); others only drop their references.

    Args:
        keep: the most buffers kept of each size; beyond it, a fresh buffer is made and not
            kept.

    Attributes:
        made: buffers allocated (a steady recorder stops adding to it).
    """

    def __init__(self, keep: int = 16) -> None:
        self._keep = keep
        self._buffers: dict[int, list[bytearray]] = {}
        self.made = 0

    def take(self, size: int) -> bytearray:
        """A buffer of ``size`` bytes that nothing else refers to; its contents are stale."""
        buffers = self._buffers.setdefault(size, [])
        for buffer in buffers:
            if sys.getrefcount(buffer) <= _ONLY_POOL:
                return buffer
        fresh = bytearray(size)
        self.made += 1
        if len(buffers) < self._keep:
            buffers.append(fresh)
        return fresh

    @property
    def kept(self) -> int:
        """How many buffers the pool holds now."""
        return sum(len(b) for b in self._buffers.values())
