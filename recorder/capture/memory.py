"""Keep the recorder's memory flat: frame-sized buffers go back to the OS when freed.

Every grab and image is a few megabytes, allocated and freed many times a second from several
threads. glibc serves such blocks with mmap at first, but after the first free it raises its
mmap threshold to that size, so later frames come from the heap arenas of whichever thread
allocates them, which are fragmented and rarely shrink: RSS crept up with the session and
swung by tens of megabytes (a 10-minute office session sat at 200-250 MB). Fixed at 1 MiB,
the same workload stayed at 140-165 MB but the heap still grew with sub-megabyte blocks
(patches, encoded images: 23 -> 48 MB, mostly free); at 256 KiB it stayed at 120-135 MB
with a 13-17 MB heap.

The price is a page fault per 4 KiB each time such a block is made: ~2000 for every 1080p
image or grab. Grabs therefore go into reused buffers (recorder/capture/buffers.py), and
Pillow keeps a few freed image blocks for its next images (``reuse_image_blocks``): turning
a grab into an image and diffing it against the previous frame went from 8.2 to 2.3 ms.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

M_MMAP_THRESHOLD = -3  # glibc malloc.h
MMAP_THRESHOLD = 256 << 10  # blocks this large and larger are mmapped, and unmapped on free

IMAGE_BLOCKS_KEPT = 8  # freed Pillow blocks kept for reuse (each up to one 1080p image, 8 MB)

_done = False


def keep_large_blocks_unmapped() -> bool:
    """Fix glibc's mmap threshold for this process (once). Best effort, never raises.

    Returns:
        Whether the setting was applied (False off glibc or if anything failed).
    """
    global _done
    if _done:
        return True
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False  # not glibc (musl has no mallopt)
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    try:
        _done = int(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) == 1
    except Exception:  # noqa: BLE001 - a tuning knob, never a reason to fail
        return False
    return _done


def reuse_image_blocks(kept: int = IMAGE_BLOCKS_KEPT) -> None:
    """Let Pillow keep ``kept`` freed image blocks for its next images, instead of unmapping
    each and faulting in a fresh one. Process-wide; bounded by ``kept`` blocks."""
    from PIL import Image

    Image.core.set_blocks_max(kept)
