"""Frames as lossless PNG bytes: identical frames encoded once, encoding off the main thread."""

from __future__ import annotations

import io
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PIL import Image

from storage.export.source import SessionSource

#: zlib level 1 with the run-length strategy: on screen content it is as fast as plain level 1
#: and the files are less than half the size (Pillow's per-row filters do the real work).
PNG_LEVEL = 1
PNG_STRATEGY = zlib.Z_RLE


def encode_png(image: Image.Image) -> bytes:
    """Lossless PNG bytes of an RGB image."""
    buf = io.BytesIO()
    image.save(buf, format="PNG", compress_level=PNG_LEVEL, compress_type=PNG_STRATEGY)
    return buf.getvalue()


def canonical(metas: list[dict[str, Any]], index: int) -> int:
    """The frame whose pixels ``index`` shares (``same_as``), or ``index`` itself."""
    same = metas[index].get("same_as")
    return int(same) if isinstance(same, int) else index


class FramePngs:
    """PNG bytes of a session's frames, with a small cache for frames used twice.

    Not thread-safe: the reader is used from the calling thread only; encoding runs in a pool.

    Attributes:
        metas: the session's frame metadata, in index order.
    """

    def __init__(self, source: SessionSource, cache: int = 16) -> None:
        self._source = source
        self.metas = source.frames()
        self._cache: OrderedDict[int, bytes] = OrderedDict()
        self._size = cache

    def get(self, index: int) -> bytes:
        """PNG bytes of frame ``index`` (decrypted and redacted by the reader)."""
        key = canonical(self.metas, index)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        data = encode_png(self._source.frame_image(key))
        self._cache[key] = data
        if len(self._cache) > self._size:
            self._cache.popitem(last=False)
        return data

    def stream(self, indices: Iterable[int], workers: int = 2) -> Iterator[tuple[int, bytes]]:
        """(index, PNG) for each index in order, reading here and encoding in ``workers``.

        At most ``2 * workers`` frames are in flight, so memory stays bounded.
        """
        pending: list[tuple[int, Future[bytes]]] = []
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for index in indices:
                image = self._source.frame_image(index)
                pending.append((index, pool.submit(encode_png, image)))
                if len(pending) >= 2 * workers:
                    done_index, future = pending.pop(0)
                    yield done_index, future.result()
            for done_index, future in pending:
                yield done_index, future.result()
