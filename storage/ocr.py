"""Text in frames, read by Tesseract OCR when it is installed (optional; nothing else needs it).

The frame goes to ``tesseract`` as PNG bytes on its standard input and the words come back on
its standard output (TSV), so a decrypted frame never touches the disk. Tesseract is a local
program; it opens no network connection. Without it, ``find_engine`` returns None and the
callers say so instead of suggesting anything.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image

#: The program looked for on PATH.
TESSERACT = "tesseract"
#: Seconds one image may take before the scan gives up on it (a 1080p text screen: ~1.4 s).
TIMEOUT_S = 60.0
#: Words Tesseract is less sure of than this (0-100) are left out.
MIN_CONFIDENCE = 30.0

#: A pixel box: (left, top, right, bottom), right and bottom exclusive.
Box = tuple[int, int, int, int]


class OcrError(Exception):
    """Tesseract failed on an image; ``str()`` is one sentence."""


@dataclass(frozen=True)
class Line:
    """One line of text as read, with each word's box (in the image's coordinates).

    Attributes:
        text: the words joined by single spaces.
        words: (start, end, box) per word: ``text[start:end]`` is the word.
    """

    text: str
    words: tuple[tuple[int, int, Box], ...]

    def box_of(self, start: int, end: int) -> Box | None:
        """The box around the words that ``text[start:end]`` touches."""
        boxes = [box for a, b, box in self.words if a < end and start < b]
        if not boxes:
            return None
        return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes))


#: Reads an image's lines of text (the engine, or a stand-in in unit tests).
Reader = Callable[[Image.Image], list[Line]]


def find_engine() -> str | None:
    """The path of the ``tesseract`` program, or None when it is not installed."""
    return shutil.which(TESSERACT)


def tesseract_reader(engine: str, timeout: float = TIMEOUT_S) -> Reader:
    """A Reader that runs ``engine`` (a tesseract path) once per image."""

    def read(image: Image.Image) -> list[Line]:
        buf = io.BytesIO()
        image.save(buf, "PNG", compress_level=1)
        # One thread per call: the scan already keeps the machine's cores busy.
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        try:
            done = subprocess.run(
                [engine, "-", "-", "--psm", "3", "tsv"],
                input=buf.getvalue(),
                capture_output=True,
                timeout=timeout,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise OcrError(f"Tesseract took more than {timeout:.0f} s on one frame.") from None
        except OSError as error:
            raise OcrError(f"Tesseract could not be started: {error.strerror}.") from None
        if done.returncode != 0:
            raise OcrError(f"Tesseract failed on a frame (exit status {done.returncode}).")
        return parse_tsv(done.stdout.decode("utf-8", "replace"))

    return read


def parse_tsv(tsv: str) -> list[Line]:
    """Lines from Tesseract's TSV output (word rows are level 5; a line is block/par/line)."""
    lines: dict[tuple[str, str, str, str], list[tuple[str, Box]]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        try:
            left, top, width, height = (int(v) for v in cols[6:10])
            confidence = float(cols[10])
        except ValueError:
            continue
        if not text or confidence < MIN_CONFIDENCE:
            continue
        key = (cols[1], cols[2], cols[3], cols[4])
        lines.setdefault(key, []).append((text, (left, top, left + width, top + height)))
    out = []
    for words in lines.values():
        parts: list[tuple[int, int, Box]] = []
        pos = 0
        for text, box in words:
            parts.append((pos, pos + len(text), box))
            pos += len(text) + 1
        out.append(Line(" ".join(text for text, _ in words), tuple(parts)))
    return out
