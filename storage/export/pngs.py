"""Frames as lossless PNG bytes: identical frames encoded once, encoding off the main thread.

Consecutive screen frames share most of their rows, so a frame is encoded in bands of rows:
each band's scanlines are filtered by Pillow (its per-row adaptive filter, with the row above
as context, so the filtered bytes are exactly those of a whole-image encoding) and deflated on
their own, ending in a full flush; the IDAT stream is the bands' deflate output concatenated.
A band whose pixels (and the row above) equal a band seen recently reuses its deflated bytes.
The output depends only on the pixels, never on what the cache held, so exports stay
byte-for-byte reproducible.
"""

from __future__ import annotations

import io
import struct
import threading
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


#: Rows per band: small enough that a moving window changes few bands, large enough that the
#: per-band overhead (a Pillow call, a flush) stays small.
BAND_ROWS = 32
_ADLER_BASE = 65521
_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def adler32_combine(first: int, second: int, second_len: int) -> int:
    """The Adler-32 of two byte strings joined, from each one's checksum (zlib's algorithm)."""
    base = _ADLER_BASE
    rem = second_len % base
    sum1 = first & 0xFFFF
    sum2 = (rem * sum1) % base
    sum1 += (second & 0xFFFF) + base - 1
    sum2 += ((first >> 16) & 0xFFFF) + ((second >> 16) & 0xFFFF) + base - rem
    if sum1 >= base:
        sum1 -= base
    if sum1 >= base:
        sum1 -= base
    if sum2 >= base << 1:
        sum2 -= base << 1
    if sum2 >= base:
        sum2 -= base
    return sum1 | (sum2 << 16)


def _chunk(tag: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(tag + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)


#: A deflated band: (deflate bytes ending in a full flush, Adler-32 and length of the filtered
#: scanlines, the band's pixels with the row above, to confirm a cache hit exactly).
_Band = tuple[bytes, int, int, bytes]


class BandCache:
    """Recently deflated bands, shared by the encoding threads (bounded, least recent out)."""

    def __init__(self, size: int = 128) -> None:
        self._bands: OrderedDict[tuple[int, int, int, int], _Band] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple[int, int, int, int]) -> _Band | None:
        with self._lock:
            band = self._bands.get(key)
            if band is not None:
                self._bands.move_to_end(key)
            return band

    def put(self, key: tuple[int, int, int, int], band: _Band) -> None:
        with self._lock:
            self._bands[key] = band
            if len(self._bands) > self._size:
                self._bands.popitem(last=False)


def _filtered_rows(image: Image.Image, top: int, bottom: int) -> bytes:
    """Pillow's filtered scanlines (filter byte + row) for rows top..bottom-1 of an RGB image."""
    start = max(top - 1, 0)
    buf = io.BytesIO()
    image.crop((0, start, image.width, bottom)).save(buf, format="PNG", compress_level=0)
    data = buf.getvalue()
    pos = len(_SIGNATURE)
    idat = []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        if data[pos + 4 : pos + 8] == b"IDAT":
            idat.append(data[pos + 8 : pos + 8 + length])
        pos += 12 + length
    raw = zlib.decompress(b"".join(idat))
    return raw[1 + 3 * image.width :] if start < top else raw


def encode_png(image: Image.Image, cache: BandCache | None = None) -> bytes:
    """Lossless PNG bytes of an RGB image, reusing bands from ``cache`` where pixels match."""
    if image.mode != "RGB":
        image = image.convert("RGB")
    cache = cache if cache is not None else BandCache(0)
    width, height = image.size
    stride = 3 * width
    flat = image.tobytes()
    view = memoryview(flat)
    parts = []
    adler = 1
    for top in range(0, height, BAND_ROWS):
        bottom = min(top + BAND_ROWS, height)
        lo, hi = max(top - 1, 0) * stride, bottom * stride
        key = (top, bottom, width, zlib.crc32(view[lo:hi]))
        band = cache.get(key)
        pixels = flat[lo:hi]
        if band is None or band[3] != pixels:
            raw = _filtered_rows(image, top, bottom)
            deflate = zlib.compressobj(PNG_LEVEL, zlib.DEFLATED, -15, 9, PNG_STRATEGY)
            packed = deflate.compress(raw) + deflate.flush(zlib.Z_FULL_FLUSH)
            band = (packed, zlib.adler32(raw), len(raw), pixels)
            cache.put(key, band)
        parts.append(band[0])
        adler = adler32_combine(adler, band[1], band[2])
    end = zlib.compressobj(PNG_LEVEL, zlib.DEFLATED, -15, 9, PNG_STRATEGY).flush(zlib.Z_FINISH)
    stream = b"\x78\x01" + b"".join(parts) + end + struct.pack(">I", adler)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return _SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", stream) + _chunk(b"IEND", b"")


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
        self._bands = BandCache()

    def get(self, index: int) -> bytes:
        """PNG bytes of frame ``index`` (decrypted and redacted by the reader)."""
        key = canonical(self.metas, index)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        data = encode_png(self._source.frame_image(key), self._bands)
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
                pending.append((index, pool.submit(encode_png, image, self._bands)))
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
