"""Frames as lossless PNG bytes: unchanged rows reused, changed rows encoded off the main thread.

Consecutive screen frames share most of their rows, so a frame is encoded in bands of rows:
each band's scanlines are filtered by Pillow (its per-row adaptive filter, with the row above
as context, so the filtered bytes are exactly those of a whole-image encoding) and deflated on
their own, ending in a full flush; the IDAT stream is the bands' deflate output concatenated.

:class:`FrameEncoder` encodes a sequence: one C-level comparison with the previous frame finds
the rows that changed, only the bands touching them (or the row above them) are encoded, in
worker threads (Pillow and zlib release the GIL), and the others are taken from the previous
frame's bands. Changed bands are also looked up in a small cache of recent bands by their
pixels. The output depends only on the pixels, never on the order or the cache, so exports
stay byte-for-byte reproducible.
"""

from __future__ import annotations

import io
import queue
import struct
import threading
import zlib
from collections import OrderedDict, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PIL import Image, ImageChops

from storage.export.source import SessionSource

#: zlib level 1 with the run-length strategy: on screen content it is as fast as plain level 1
#: and the files are less than half the size (Pillow's per-row filters do the real work).
PNG_LEVEL = 1
PNG_STRATEGY = zlib.Z_RLE


#: Rows per band: small enough that a moving window changes few bands, large enough that the
#: per-band overhead (a flush, a cache lookup) stays small.
BAND_ROWS = 32
_ADLER_BASE = 65521
_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: The deflate stream's final (empty) block, after the bands' full flushes.
_END = zlib.compressobj(PNG_LEVEL, zlib.DEFLATED, -15, 9, PNG_STRATEGY).flush(zlib.Z_FINISH)


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
_Key = tuple[int, int, int, int]
#: A pixel box: (left, top, right, bottom), right and bottom exclusive.
Box = tuple[int, int, int, int]


class BandCache:
    """Recently deflated bands, shared by the encoding threads (bounded, least recent out)."""

    def __init__(self, size: int = 128) -> None:
        self._bands: OrderedDict[_Key, _Band] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: _Key) -> _Band | None:
        with self._lock:
            band = self._bands.get(key)
            if band is not None:
                self._bands.move_to_end(key)
            return band

    def put(self, key: _Key, band: _Band) -> None:
        if self._size <= 0:
            return
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


def band_rows(height: int) -> list[tuple[int, int]]:
    """(top, bottom) of each band of an image ``height`` rows high."""
    return [(top, min(top + BAND_ROWS, height)) for top in range(0, height, BAND_ROWS)]


def changed_bands(
    image: Image.Image, previous: Image.Image | None, changed: Box | None = None
) -> list[int]:
    """Bands of ``image`` whose pixels, or the row above them, differ from ``previous``.

    Args:
        changed: a box outside which the two images are known to be equal (from the reader's
            delta coding; (0, 0, 0, 0) when they are equal), or None to compare the pixels.
    """
    bands = band_rows(image.height)
    if previous is None or previous.size != image.size or previous.mode != image.mode:
        return list(range(len(bands)))
    box = ImageChops.difference(image, previous).getbbox() if changed is None else changed
    if box is None or box[3] <= box[1] or box[2] <= box[0]:
        return []
    first, last = box[1], box[3]  # rows first..last-1 changed
    return [b for b, (top, bottom) in enumerate(bands) if top - 1 < last and first < bottom]


def _deflate(raw: bytes) -> tuple[bytes, int, int]:
    deflate = zlib.compressobj(PNG_LEVEL, zlib.DEFLATED, -15, 9, PNG_STRATEGY)
    return deflate.compress(raw) + deflate.flush(zlib.Z_FULL_FLUSH), zlib.adler32(raw), len(raw)


def encode_bands(image: Image.Image, wanted: list[int], cache: BandCache) -> dict[int, _Band]:
    """The deflated bands ``wanted`` of an RGB image (cache hits reused, runs filtered once)."""
    width = image.width
    bands = band_rows(image.height)
    out: dict[int, _Band] = {}
    misses: list[tuple[int, _Key, bytes]] = []
    for b in wanted:
        top, bottom = bands[b]
        pixels = image.crop((0, max(top - 1, 0), width, bottom)).tobytes()
        key = (top, bottom, width, zlib.crc32(pixels))
        hit = cache.get(key)
        if hit is not None and hit[3] == pixels:
            out[b] = hit
        else:
            misses.append((b, key, pixels))
    row = 1 + 3 * width
    while misses:
        run = [misses.pop(0)]
        while misses and misses[0][0] == run[-1][0] + 1:
            run.append(misses.pop(0))
        # One Pillow call filters a run of adjacent bands; each row's filter sees only itself
        # and the row above, so slicing the result per band is exact.
        top = bands[run[0][0]][0]
        raw = _filtered_rows(image, top, bands[run[-1][0]][1])
        for b, key, pixels in run:
            lo, hi = (bands[b][0] - top) * row, (bands[b][1] - top) * row
            packed, adler, length = _deflate(raw[lo:hi])
            out[b] = (packed, adler, length, pixels)
            cache.put(key, out[b])
    return out


def assemble_png(size: tuple[int, int], bands: list[_Band]) -> bytes:
    """A PNG file from an RGB image's deflated bands, in order."""
    width, height = size
    adler = 1
    for band in bands:
        adler = adler32_combine(adler, band[1], band[2])
    stream = b"\x78\x01" + b"".join(band[0] for band in bands) + _END + struct.pack(">I", adler)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return _SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", stream) + _chunk(b"IEND", b"")


def _rgb(image: Image.Image) -> Image.Image:
    return image if image.mode == "RGB" else image.convert("RGB")


def encode_png(image: Image.Image, cache: BandCache | None = None) -> bytes:
    """Lossless PNG bytes of one image, reusing bands from ``cache`` where pixels match."""
    image = _rgb(image)
    found = encode_bands(image, list(range(len(band_rows(image.height)))), cache or BandCache(0))
    return assemble_png(image.size, [found[b] for b in range(len(found))])


class FrameEncoder:
    """PNGs of a sequence of frames, each encoded against the one before it.

    ``submit`` starts a frame (the comparison and the changed bands run in the pool); ``result``
    returns PNGs in submission order, filling unchanged bands from the previous frame's.
    """

    def __init__(self, pool: ThreadPoolExecutor, cache: BandCache | None = None) -> None:
        self._pool = pool
        self._cache = cache if cache is not None else BandCache()
        self._previous: Image.Image | None = None
        self._pending: deque[tuple[tuple[int, int], Future[dict[int, _Band]]]] = deque()
        self._bands: list[_Band] = []
        self._size: tuple[int, int] | None = None

    def submit(self, image: Image.Image, changed: Box | None = None) -> None:
        """Start encoding ``image``; ``changed`` as for :func:`changed_bands`, against the
        previously submitted image."""
        image = _rgb(image)
        previous, self._previous = self._previous, image
        future = self._pool.submit(self._changes, image, previous, changed)
        self._pending.append((image.size, future))

    def _changes(
        self, image: Image.Image, previous: Image.Image | None, changed: Box | None
    ) -> dict[int, _Band]:
        return encode_bands(image, changed_bands(image, previous, changed), self._cache)

    def pending(self) -> int:
        return len(self._pending)

    def result(self) -> bytes:
        """The PNG of the oldest submitted frame not yet returned."""
        size, future = self._pending.popleft()
        changed = future.result()
        if size != self._size:
            self._bands, self._size = [], size
        count = len(band_rows(size[1]))
        self._bands = [changed[b] if b in changed else self._bands[b] for b in range(count)]
        return assemble_png(size, self._bands)


def canonical(metas: list[dict[str, Any]], index: int) -> int:
    """The frame whose pixels ``index`` shares (``same_as``), or ``index`` itself."""
    same = metas[index].get("same_as")
    return int(same) if isinstance(same, int) else index


class FramePngs:
    """PNG bytes of a session's frames, with a small cache for frames used twice.

    Not thread-safe: one caller at a time; while ``stream`` runs, its reading thread alone
    uses the reader, and encoding runs in a pool.

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
        """(index, PNG) for each index in order: read in one thread, encoded in ``workers``.

        The reader is used by the reading thread alone while the stream runs (the caller only
        writes what it yields), so decrypting and decoding overlap with encoding and writing.
        At most ``2 * workers`` frames are in flight, so memory stays bounded. Closing the
        generator early (cancel, failure) stops the reading thread before it returns.
        """
        slots = threading.Semaphore(2 * workers)
        stop = threading.Event()
        read: queue.Queue[tuple[int, BaseException | None]] = queue.Queue()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            encoder = FrameEncoder(pool, self._bands)

            def produce() -> None:
                try:
                    since: int | None = None
                    for index in indices:
                        slots.acquire()
                        if stop.is_set():
                            return
                        encoder.submit(*self._source.frame_changes(index, since))
                        read.put((index, None))
                        since = index
                    read.put((-1, None))
                except BaseException as error:  # noqa: BLE001 - re-raised by the consumer
                    read.put((-1, error))

            reader = threading.Thread(target=produce, name="export-read", daemon=True)
            reader.start()
            try:
                while True:
                    index, error = read.get()
                    if error is not None:
                        raise error
                    if index < 0:
                        return
                    data = encoder.result()
                    slots.release()
                    yield index, data
            finally:
                stop.set()
                slots.release()
                reader.join()

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
