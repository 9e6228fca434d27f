"""Sensitive text on screen: frames read by OCR, matched by the scanner, tracked while visible.

Reading every frame whole would take a second or more each. Most frames differ from the one
before in a small box (the reader knows which, from the delta coding), so only the rows that
changed are read again: a full-width strip around them, widened to hold any match already
seen there. A match stays open while the pixels under it do not change; when they change and
the match is not read again there, it closes; text of the same kind read where it was (an
address being typed) continues it instead, its box grown. Each closed match is one suggestion:
a kind, a box, and the span of frames it was visible in, which is what a region redaction needs.

Strips are also remembered by their pixels, so a blinking caret or a tooltip coming and going
is read once. Two readers scan the two halves of a session at once (each OCR call is its own
process), and what is visible across the middle is joined. Only the person's own review asks
for this scan; its results are shown, never stored, and exports do not run it.
"""

from __future__ import annotations

import re
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

from PIL import Image

from storage.scan import ocr
from storage.scan.patterns import TextMatch, find, mask
from storage.scan.text import Suggestion

#: Rows read above and below a change, so a line of text cut by the change is read whole.
PAD = 16
#: Strips remembered by their pixels.
STRIP_CACHE = 64
#: Frames below which a second worker is not worth its whole first frame read.
MIN_PART = 12

Box = tuple[int, int, int, int]  # left, top, right, bottom (exclusive)
#: Finds what to suggest in one line of text read from a frame.
Finder = Callable[[str], list[TextMatch]]


def text_finder(needle: str) -> Finder:
    """Finds ``needle`` itself (kind "text") in a line read by OCR, whatever its case and
    however OCR spaced its words: what *Remove every occurrence…* searches frames for."""
    words = needle.split()
    if not words:
        return lambda _line: []
    pattern = re.compile(r"\s*".join(re.escape(w) for w in words), re.IGNORECASE)
    return lambda line: [TextMatch("text", m.start(), m.end()) for m in pattern.finditer(line)]


class FrameSource(Protocol):
    """What the scan reads: ``SessionReader`` has both."""

    def frames(self) -> list[dict[str, Any]]: ...

    def frame_changes(self, index: int, since: int | None) -> tuple[Image.Image, Box | None]: ...


class Cancelled(Exception):
    """The scan was stopped by its caller."""


@dataclass
class _Open:
    """A match seen and not yet covered by a change it was not read again in."""

    kind: str
    box: Box
    masked: str
    first: int
    last: int


#: Pixels two reads of the same text may differ by in each edge of their boxes.
JITTER = 3

_Found = tuple[str, Box, str]  # kind, box, masked text


def _overlaps(box: Box, top: int, bottom: int) -> bool:
    return box[1] < bottom and top < box[3]


def _same(match: _Open, found: _Found) -> bool:
    """The same text read again: same kind and mask, box within JITTER on every edge."""
    kind, box, masked = found
    return (
        kind == match.kind
        and masked == match.masked
        and all(abs(a - b) <= JITTER for a, b in zip(box, match.box, strict=True))
    )


def _grown(match: _Open, found: _Found) -> bool:
    """The same kind of text where the match was: their boxes overlap."""
    kind, box, _ = found
    other = match.box
    return (
        kind == match.kind
        and box[0] < other[2]
        and other[0] < box[2]
        and box[1] < other[3]
        and other[1] < box[3]
    )


def _union(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def scan_frames(
    sources: Sequence[FrameSource],
    read: ocr.Reader,
    *,
    progress: Callable[[int, int], None] | None = None,
    stopped: Callable[[], bool] = lambda: False,
    finder: Finder = find,
) -> list[Suggestion]:
    """Sensitive text visible in a session's frames, as "frame" suggestions.

    Args:
        sources: readers of the same session (decrypted, redactions applied), one per worker:
            with two, each scans half of the frames at the same time (OCR runs in its own
            process), and what is visible across the middle is joined into one suggestion.
        read: reads the lines of text in an image (``ocr.tesseract_reader``); called from
            as many threads as there are sources.
        progress: called as (frames done, frame count), from the workers' threads.
        stopped: polled between frames; True raises Cancelled.
        finder: what to look for in each line read (default: the scanner's sensitive kinds;
            :func:`text_finder` looks for one text itself).

    Returns:
        Suggestions in order of first appearance.

    Raises:
        Cancelled: ``stopped()`` became true.
        ocr.OcrError: the engine failed.
    """
    count = len(sources[0].frames())
    parts = max(1, min(len(sources), count // MIN_PART))
    bounds = [count * k // parts for k in range(parts + 1)]
    spans = [range(bounds[k], bounds[k + 1]) for k in range(parts)]
    done_in = [0] * parts
    lock = threading.Lock()

    def step(part: int) -> Callable[[], None]:
        def advance() -> None:
            with lock:
                done_in[part] += 1
                total = sum(done_in)
            if progress is not None:
                progress(total, count)

        return advance

    if parts == 1:
        found = [_scan_part(sources[0], spans[0], read, step(0), stopped, finder)]
    else:
        with ThreadPoolExecutor(parts, thread_name_prefix="overt-frame-scan") as pool:
            futures = [
                pool.submit(_scan_part, sources[k], spans[k], read, step(k), stopped, finder)
                for k in range(parts)
            ]
            found = [f.result() for f in futures]
    matches = found[0]
    for k in range(1, parts):
        matches = _join(matches, found[k], spans[k].start)
    matches.sort(key=lambda m: (m.first, m.box[1], m.box[0]))
    return [
        Suggestion(
            m.kind,  # type: ignore[arg-type]
            "frame",
            (),
            None,
            None,
            m.masked,
            frames=(m.first, m.last),
            box=(m.box[0], m.box[1], m.box[2] - m.box[0], m.box[3] - m.box[1]),
        )
        for m in matches
    ]


def _join(before: list[_Open], after: list[_Open], border: int) -> list[_Open]:
    """Two parts' matches (the later part starts at frame ``border``), those visible across
    the border joined into one."""
    joined = list(before)
    for match in after:
        earlier = next(
            (
                m
                for m in joined
                if m.last == border - 1
                and match.first == border
                and (
                    _same(m, (match.kind, match.box, match.masked))
                    or _grown(m, (match.kind, match.box, match.masked))
                )
            ),
            None,
        )
        if earlier is None:
            joined.append(match)
        else:
            earlier.last = match.last
            earlier.box = _union(earlier.box, match.box)
            earlier.masked = match.masked
    return joined


def _scan_part(
    source: FrameSource,
    frames: range,
    read: ocr.Reader,
    advance: Callable[[], None],
    stopped: Callable[[], bool],
    finder: Finder,
) -> list[_Open]:
    """The matches in ``frames``, read in order from ``source``; the first is read whole."""
    cache: OrderedDict[tuple[int, int, int, int], list[ocr.Line]] = OrderedDict()
    seen: list[_Open] = []
    done: list[_Open] = []
    size: tuple[int, int] | None = None
    for index in frames:
        if stopped():
            raise Cancelled
        image, changed = source.frame_changes(index, index - 1 if index > frames.start else None)
        if image.size != size:
            changed, size = None, image.size
        height = image.height
        if changed is None:
            rows: tuple[int, int] | None = (0, height)
        elif changed[2] <= changed[0] or changed[3] <= changed[1]:
            rows = None
        else:
            top, bottom = max(changed[1] - PAD, 0), min(changed[3] + PAD, height)
            # A match cut by the strip is read again whole, or it could not be found again.
            for match in seen:
                if _overlaps(match.box, top, bottom):
                    top = min(top, max(match.box[1] - PAD, 0))
                    bottom = max(bottom, min(match.box[3] + PAD, height))
            rows = (top, bottom)
        if rows is not None:
            found = _read_strip(image, rows, read, cache, finder)
            still: list[_Open] = []
            for match in seen:
                if not _overlaps(match.box, *rows):
                    still.append(match)
                    continue
                # Read again as it was, or grown where it was (an address being typed, a
                # number completed): one suggestion whose box covers every state of it.
                again = next((f for f in found if _same(match, f)), None)
                if again is None:
                    again = next((f for f in found if _grown(match, f)), None)
                if again is None:
                    done.append(match)
                else:
                    found.remove(again)
                    match.box = _union(match.box, again[1])
                    match.masked = again[2]
                    still.append(match)
            seen = still + [_Open(*f, first=index, last=index) for f in sorted(found)]
        for match in seen:
            match.last = index
        advance()
    return done + seen


def _read_strip(
    image: Image.Image,
    rows: tuple[int, int],
    read: ocr.Reader,
    cache: OrderedDict[tuple[int, int, int, int], list[ocr.Line]],
    finder: Finder,
) -> list[_Found]:
    """(kind, box in frame pixels, masked text) of each match in rows top..bottom-1."""
    top, bottom = rows
    strip = image.crop((0, top, image.width, bottom))
    key = (top, bottom, image.width, zlib.crc32(strip.tobytes()))
    lines = cache.get(key)
    if lines is None:
        lines = read(strip)
        cache[key] = lines
        if len(cache) > STRIP_CACHE:
            cache.popitem(last=False)
    else:
        cache.move_to_end(key)
    found: list[_Found] = []
    for line in lines:
        text, where = ocr.corrected(line.text)
        for match in finder(text):
            box = line.box_of(where[match.start], where[match.end - 1] + 1)
            if box is None:
                continue
            # A little margin: OCR boxes hug the glyphs, anti-aliasing reaches a pixel beyond.
            framed = (
                max(box[0] - 2, 0),
                max(box[1] + top - 2, 0),
                min(box[2] + 2, image.width),
                min(box[3] + top + 2, image.height),
            )
            found.append((match.kind, framed, mask(text[match.start : match.end])))
    return found
