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

    def for_actions(
        self, actions: list[dict[str, Any]], workers: int = 2
    ) -> Iterator[tuple[dict[str, Any], dict[str, bytes]]]:
        """(action, {"pre.png": ..., "post.png": ...}) per action, frames encoded ahead.

        Frames are encoded once, in first-use order, by ``stream``; each is dropped after the
        last action that uses it, so memory holds only the frames between uses.
        """
        order: list[int] = []
        last_use: dict[int, int] = {}
        per_action: list[list[tuple[str, int]]] = []
        for position, action in enumerate(actions):
            wanted: list[tuple[str, int]] = []
            for name, key in (("pre.png", "frame_before"), ("post.png", "frame_after")):
                index = action.get(key)
                if isinstance(index, int) and 0 <= index < len(self.metas):
                    frame = canonical(self.metas, index)
                    if frame not in last_use:
                        order.append(frame)
                    last_use[frame] = position
                    wanted.append((name, frame))
            per_action.append(wanted)
        encoded = self.stream(order, workers)
        ready: dict[int, bytes] = {}
        for position, action in enumerate(actions):
            pngs: dict[str, bytes] = {}
            for name, frame in per_action[position]:
                while frame not in ready:
                    index, data = next(encoded)
                    ready[index] = data
                pngs[name] = ready[frame]
            for _, frame in per_action[position]:
                if last_use.get(frame) == position:
                    ready.pop(frame, None)
            yield action, pngs
