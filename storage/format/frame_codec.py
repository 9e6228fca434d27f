"""Lossless frame coding: keyframes, delta patches (changed bounding box) and repeats.

A screen mostly stays still between two frames, so each frame is stored as one of:
``key`` (the whole image), ``delta`` (the changed rectangle, pasted onto the previous frame),
or ``same`` (identical to an earlier frame: stored once, ``same_as`` points to it). Images
are WebP lossless (PNG above WebP's size limit): pixel-exact, never lossy.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageChops

from storage.errors import CorruptData

KEYFRAME_EVERY = 60  # at 1 frame/s, a keyframe a minute bounds reconstruction to 60 patches
DELTA_MAX_AREA = 0.5  # a patch larger than this share of the frame is stored as a keyframe
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


@dataclass
class Plan:
    """How one frame will be stored (decided in order; encoding may run in a thread).

    Attributes:
        kind: "key", "delta" or "same".
        image: the full RGB frame (kept as the next frame's base).
        box: (x, y, w, h) of the stored patch; the whole frame for keys.
        base: index of the frame a delta applies to.
        same_as: index of the frame whose pixels this one repeats.
    """

    kind: str
    image: Image.Image
    box: tuple[int, int, int, int]
    base: int | None = None
    same_as: int | None = None


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


class FramePlanner:
    """Decides key / delta / same for each new frame, remembering the previous one.

    Attributes:
        stored: frames stored so far (keyframes and deltas).
    """

    def __init__(self, keyframe_every: int = KEYFRAME_EVERY) -> None:
        self._prev: Image.Image | None = None
        self._prev_index = -1
        self._root = -1  # index of the frame that holds the previous frame's pixels
        self._since_key = 0
        self._keyframe_every = keyframe_every
        self.stored = 0

    def plan(self, index: int, image: Image.Image) -> Plan:
        """Decide how to store frame ``index``."""
        prev = self._prev
        w, h = image.size
        if prev is None or prev.size != image.size or self._since_key >= self._keyframe_every:
            p = Plan("key", image, (0, 0, w, h))
        else:
            bbox = ImageChops.difference(prev, image).getbbox()
            if bbox is None:
                p = Plan("same", image, (0, 0, 0, 0), same_as=self._root)
            else:
                x0, y0, x1, y1 = bbox
                if (x1 - x0) * (y1 - y0) > DELTA_MAX_AREA * w * h:
                    p = Plan("key", image, (0, 0, w, h))
                else:
                    p = Plan("delta", image, (x0, y0, x1 - x0, y1 - y0), base=self._prev_index)
        if p.kind != "same":
            self._root = index
            self.stored += 1
            self._since_key = 0 if p.kind == "key" else self._since_key + 1
        self._prev = image
        self._prev_index = index
        return p


def encode(plan: Plan, *, fast: bool = False) -> bytes:
    """Encode the patch (or whole image) of a key/delta plan losslessly.

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
    return {
        "kind": plan.kind,
        "box": list(plan.box),
        "base": plan.base,
        "size": list(plan.image.size),
        "chunk": chunk,
        "offset": offset,
    }
