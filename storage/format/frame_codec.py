"""Lossless frame coding: keyframes, delta patches, row moves (scrolls) and repeats.

A screen mostly stays still between two frames, so each frame is stored as one of:
``key`` (the whole image), ``delta`` (the changed rectangle, pasted onto the previous frame),
``move`` (rows of the previous frame moved up or down, as a scroll moves them, then an
optional patch for what the move does not explain), or ``same`` (identical to an earlier
frame: the previous one, or any of the recent ones a screen returns to, such as a text
cursor's two blink states or a menu closed again). Images are WebP lossless (PNG above
WebP's size limit): pixel-exact, never lossy. FORMAT.md section 5.1 is the contract.
"""

from __future__ import annotations

import collections
import hashlib
import io
from dataclasses import dataclass
from typing import Any, TypeAlias

from PIL import Image, ImageChops

from storage.errors import CorruptData

# Measured on the office benchmark's frames (1080p, 1 frame/s plus action frames): a keyframe
# every 60 stored frames spent a third of the frame stream on keyframes. One every 120 s,
# and at the latest after KEYFRAME_MAX_DEPTH patches, bounds how far a reader reconstructs.
KEYFRAME_AFTER_S = 120.0
KEYFRAME_MAX_DEPTH = 240
KEYFRAME_EVERY = KEYFRAME_MAX_DEPTH  # the planner's bound when frames carry no time
DELTA_MAX_AREA = 0.5  # a patch larger than this share of the frame is stored as a keyframe
# Distinct recent frames a repeat may point to: enough for a caret's blink, a menu opened and
# closed, a window switched away from and back; few enough that review, stepping, still has
# the frame repeated among the ones it reconstructed last (storage/reader.py keeps 6).
RECENT_FRAMES = 6
# A move is looked for only in a change at least this large (a scroll, a jump in a document):
# typing and clicks change a few rows, which a delta stores well.
MOVE_MIN_ROWS = 48
MOVE_MIN_AREA = 0.04
MOVE_MAX_RESIDUAL = 0.5  # a move is kept if its residual patch is under half the delta's area
WEBP_MAX = 16383
# Measured on the frames of a 10-minute office session (1080p, Pillow 13 / libwebp 1.6, 2 cores):
# method 1 with effort 75 stores text screens 3-14x smaller than method 0 with effort 50
# (keyframe 9 vs 127 KB, the deltas of the session 20 vs 81 MB/h) for 1.5-3x the time
# (keyframe 65 vs 40 ms, photo-like 88 vs 28 ms). The fast setting is used only while the
# encoder is behind, so a fast-changing screen still gets its frame rate.
WEBP_METHOD = 1
WEBP_EFFORT = 75
WEBP_FAST_METHOD = 0
WEBP_FAST_EFFORT = 50

RAW_MODES = {
    "BGRX": "BGRX",
    "BGRA": "BGRX",
    "RGBX": "RGBX",
    "RGBA": "RGBX",
    "RGB": "RGB",
    "BGR": "BGR",
}

#: (x, y, w, h, dy): rows y..y+h of the frame, columns x..x+w, are the base's rows y+dy...
Move: TypeAlias = tuple[int, int, int, int, int]


@dataclass
class Plan:
    """How one frame will be stored (decided in order; encoding may run in a thread).

    Attributes:
        kind: "key", "delta", "move" or "same".
        image: the full RGB frame (kept as the next frame's base).
        box: (x, y, w, h) of the stored patch; the whole frame for keys; (0, 0, 0, 0) when
            nothing is stored (a repeat, or a move that explains every changed pixel).
        base: index of the frame a delta or a move applies to.
        same_as: index of the frame whose pixels this one repeats.
        move: for a move, the rows moved (see ``Move``).
    """

    kind: str
    image: Image.Image
    box: tuple[int, int, int, int]
    base: int | None = None
    same_as: int | None = None
    move: Move | None = None

    @property
    def has_patch(self) -> bool:
        """Whether an image is encoded and stored for this frame."""
        return self.kind != "same" and self.box[2] > 0 and self.box[3] > 0


def to_image(pixels: bytes | memoryview, size: tuple[int, int], pixel_format: str) -> Image.Image:
    """Turn raw capture bytes into an RGB image (decoded into Pillow's own memory, so the
    caller may reuse its buffer).

    Raises:
        ValueError: on an unknown pixel format or a size that does not match the bytes.
    """
    raw = RAW_MODES.get(pixel_format)
    if raw is None:
        raise ValueError(f"unsupported pixel format {pixel_format!r}")
    w, h = size
    bpp = len(raw)
    if w <= 0 or h <= 0 or len(pixels) != w * h * bpp:
        raise ValueError("pixel buffer does not match the frame size")
    return Image.frombytes("RGB", (w, h), pixels, "raw", raw)


def _row_digests(image: Image.Image, top: int, bottom: int) -> list[bytes]:
    """A 128-bit digest of each whole row from ``top`` to ``bottom`` (exclusive)."""
    width = image.size[0]
    band = image.crop((0, top, width, bottom)).tobytes()
    stride = width * 3
    return [
        hashlib.blake2b(band[r : r + stride], digest_size=16).digest()
        for r in range(0, len(band), stride)
    ]


class FramePlanner:
    """Decides key / delta / move / same for each new frame, remembering the previous one.

    Repeats of recent frames are found by a digest of the whole frame, kept up to date from
    per-row digests: only the rows a change touches are hashed again.

    Args:
        keyframe_every: the most patches between a frame and its keyframe.
        keyframe_after_s: a keyframe once this long has passed (by the ``t`` given to
            ``plan``) since the last one.

    Attributes:
        stored: frames stored so far (keyframes, deltas and moves).
    """

    def __init__(
        self,
        keyframe_every: int = KEYFRAME_EVERY,
        keyframe_after_s: float = KEYFRAME_AFTER_S,
    ) -> None:
        self._prev: Image.Image | None = None
        self._prev_index = -1
        self._root = -1  # index of the frame that holds the previous frame's pixels
        self._depth = 0  # patches between the previous frame's pixels and their keyframe
        self._rows: list[bytes] = []  # the previous frame's row digests
        self._recent: collections.OrderedDict[bytes, tuple[int, int]] = (
            collections.OrderedDict()
        )  # frame digest -> (index of the frame holding it, its depth)
        self._key_t: float | None = None
        self._keyframe_every = keyframe_every
        self._keyframe_after_s = keyframe_after_s
        self.stored = 0

    def plan(self, index: int, image: Image.Image, t: float | None = None) -> Plan:
        """Decide how to store frame ``index`` (``t``: its time, seconds, if known)."""
        prev = self._prev
        w, h = image.size
        if prev is None or prev.size != image.size:
            return self._stored(index, image, Plan("key", image, (0, 0, w, h)), 0, t, None)
        bbox = ImageChops.difference(prev, image).getbbox()
        if bbox is None:
            self._prev_index = index
            return Plan("same", image, (0, 0, 0, 0), same_as=self._root)
        x0, y0, x1, y1 = bbox
        rows = self._rows[:y0] + _row_digests(image, y0, y1) + self._rows[y1:]
        digest = hashlib.blake2b(b"".join(rows), digest_size=16).digest()
        hit = self._recent.get(digest)
        if hit is not None:
            self._recent.move_to_end(digest)
            self._root, self._depth = hit
            self._prev, self._prev_index, self._rows = image, index, rows
            return Plan("same", image, (0, 0, 0, 0), same_as=hit[0])
        key = Plan("key", image, (0, 0, w, h))
        if self._depth + 1 > self._keyframe_every or self._key_due(t):
            return self._stored(index, image, key, 0, t, (rows, digest))
        area = (x1 - x0) * (y1 - y0)
        plan: Plan | None = None
        if y1 - y0 >= MOVE_MIN_ROWS and area >= MOVE_MIN_AREA * w * h:
            plan = self._move(prev, image, bbox)
        if plan is None and area > DELTA_MAX_AREA * w * h:
            return self._stored(index, image, key, 0, t, (rows, digest))
        if plan is None:
            plan = Plan("delta", image, (x0, y0, x1 - x0, y1 - y0), base=self._prev_index)
        return self._stored(index, image, plan, self._depth + 1, t, (rows, digest))

    def _key_due(self, t: float | None) -> bool:
        return (
            t is not None and self._key_t is not None and t - self._key_t >= self._keyframe_after_s
        )

    def _stored(
        self,
        index: int,
        image: Image.Image,
        plan: Plan,
        depth: int,
        t: float | None,
        known: tuple[list[bytes], bytes] | None,
    ) -> Plan:
        """Remember a frame whose pixels are stored (a key, delta or move) as the new base."""
        if known is None:
            rows = _row_digests(image, 0, image.size[1])
            known = rows, hashlib.blake2b(b"".join(rows), digest_size=16).digest()
        rows, digest = known
        if plan.kind == "key":
            self._key_t = t
        self._root, self._depth = index, depth
        self._prev, self._prev_index, self._rows = image, index, rows
        self._recent[digest] = (index, depth)
        self._recent.move_to_end(digest)
        while len(self._recent) > RECENT_FRAMES:
            self._recent.popitem(last=False)
        self.stored += 1
        return plan

    def _move(
        self, prev: Image.Image, image: Image.Image, bbox: tuple[int, int, int, int]
    ) -> Plan | None:
        """A move of rows within the changed box, and the patch left over, if it pays."""
        x0, y0, x1, y1 = bbox
        found = find_row_move(prev.crop(bbox).tobytes(), image.crop(bbox).tobytes(), (x1 - x0) * 3)
        if found is None:
            return None
        top, height, dy = found
        move = (x0, y0 + top, x1 - x0, height, dy)
        moved = apply_move(prev, move)
        residual = ImageChops.difference(moved, image).getbbox()
        area = (x1 - x0) * (y1 - y0)
        if residual is None:
            return Plan("move", image, (0, 0, 0, 0), base=self._prev_index, move=move)
        rx0, ry0, rx1, ry1 = residual
        if (rx1 - rx0) * (ry1 - ry0) >= MOVE_MAX_RESIDUAL * area:
            return None
        box = (rx0, ry0, rx1 - rx0, ry1 - ry0)
        return Plan("move", image, box, base=self._prev_index, move=move)


def find_row_move(before: bytes, after: bytes, stride: int) -> tuple[int, int, int] | None:
    """The vertical shift that explains most rows of a changed box, as a scroll would.

    Rows are matched whole by their bytes; rows that occur often (blank lines) vote for no
    shift. Returns (first row, rows, dy) in the box's coordinates: rows first..first+rows of
    ``after`` are expected to be ``before``'s rows first+dy..., or None if no shift explains
    at least a quarter of the rows.
    """
    count = len(before) // stride
    where: dict[bytes, list[int]] = {}
    for r in range(count):
        where.setdefault(before[r * stride : (r + 1) * stride], []).append(r)
    votes: collections.Counter[int] = collections.Counter()
    matches: dict[int, list[int]] = {}
    for r in range(count):
        sources = where.get(after[r * stride : (r + 1) * stride])
        if not sources or len(sources) > 2:
            continue
        for source in sources:
            dy = source - r
            if dy:
                votes[dy] += 1
                matches.setdefault(dy, []).append(r)
    if not votes:
        return None
    dy, best = votes.most_common(1)[0]
    if best < max(MOVE_MIN_ROWS // 4, count // 4):
        return None
    first, last = matches[dy][0], matches[dy][-1]
    return first, last - first + 1, dy


def apply_move(base: Image.Image, move: Move) -> Image.Image:
    """A copy of ``base`` with the rows of ``move`` moved into place."""
    x, y, w, h, dy = move
    out = base.copy()
    out.paste(base.crop((x, y + dy, x + w, y + dy + h)), (x, y))
    return out


def check_move(move: Any, size: tuple[int, int]) -> Move:
    """A stored move, checked to lie within a frame of ``size``.

    Raises:
        ValueError: malformed, or reaching outside the frame.
    """
    if not isinstance(move, list) or len(move) != 5:
        raise ValueError("malformed move")
    if any(isinstance(v, bool) or not isinstance(v, int) for v in move):
        raise ValueError("malformed move")
    x, y, w, h, dy = move
    fw, fh = size
    if x < 0 or y < 0 or w <= 0 or h <= 0 or x + w > fw or y + h > fh:
        raise ValueError("move outside the frame")
    if y + dy < 0 or y + dy + h > fh or dy == 0:
        raise ValueError("move outside the frame")
    return x, y, w, h, dy


def encode(plan: Plan, *, fast: bool = False) -> bytes:
    """Encode the patch (or whole image) of a plan that has one, losslessly.

    Args:
        fast: trade size for time (the writer asks for it while frames queue up); both
            settings are lossless, so the pixels decoded are the same.
    """
    x, y, w, h = plan.box
    img = plan.image if plan.kind == "key" else plan.image.crop((x, y, x + w, y + h))
    buf = io.BytesIO()
    if max(img.size) <= WEBP_MAX:
        method, effort = (
            (WEBP_FAST_METHOD, WEBP_FAST_EFFORT) if fast else (WEBP_METHOD, WEBP_EFFORT)
        )
        img.save(buf, "WEBP", lossless=True, method=method, quality=effort, exact=True)
    else:
        img.save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def decode(blob: bytes, size: tuple[int, int], what: str) -> Image.Image:
    """Decode a stored patch, checking it is the size the metadata says."""
    try:
        with Image.open(io.BytesIO(blob)) as img:
            img.load()
            out = img.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        raise CorruptData(f"{what} holds an undecodable image.") from None
    if out.size != size:
        raise CorruptData(f"{what} holds an image of the wrong size.")
    return out


def store_info(plan: Plan, chunk: int | None, offset: int | None) -> dict[str, Any]:
    """The storage fields saved (encrypted) with the frame's metadata under ``_store``."""
    info: dict[str, Any] = {
        "kind": plan.kind,
        "box": list(plan.box),
        "base": plan.base,
        "size": list(plan.image.size),
        "chunk": chunk,
        "offset": offset,
    }
    if plan.move is not None:
        info["move"] = list(plan.move)
    return info
