"""Text in frames, read by Tesseract OCR when it is installed (optional; nothing else needs it).

The frame goes to ``tesseract`` as PNG bytes on its standard input and the words come back on
its standard output (TSV), so a decrypted frame never touches the disk. Tesseract is a local
program; it opens no network connection. Without it, ``find_engine`` returns None and the
callers say so instead of suggesting anything.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image

#: The program looked for on PATH.
TESSERACT = "tesseract"
#: Seconds one image may take before the scan gives up on it (a 1080p text screen: ~1.4 s).
TIMEOUT_S = 60.0
#: Words Tesseract is less sure of than this (0-100) are left out. Every word is kept: random
#: tokens (keys, IDs) are exactly what OCR is unsure of, and the scanner's checks decide what
#: matches (a threshold of 30 lost a third of the keys on the labelled set; -1 marks non-words).
MIN_CONFIDENCE = 0.0

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
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )


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


# --- what OCR gets wrong on screen text ---------------------------------------------------

_AT_SPACES = re.compile(r"(?<=\w)\s+(?=@\w)|(?<=\w@)\s+(?=\w)")
_DIGITISH = re.compile(r"[0-9OoIl|]{3,}")
_IBAN_START = re.compile(r"\b([A-Z1])([A-Z])([0-9OIl]{2})(?=[ 0-9A-Z]{10})")
_AS_DIGIT = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})
_DNI_J = re.compile(r"(?<![\w-])\d{8}([})\]])")  # a Spanish DNI's J read as a bracket


def corrected(text: str) -> tuple[str, list[int]]:
    """``text`` with OCR's usual slips on screen text undone, and where each character came from.

    Spaces read around an "@" are dropped; in runs that are mostly digits, O is 0 and I, l
    and | are 1; an IBAN's country code and check digits are read as letters and digits; a
    bracket after eight digits is a DNI's J. The
    scanner's own checks (Luhn, mod-97, check letters) still decide what is a match, so a
    wrong correction finds nothing rather than something false.

    Returns:
        (corrected text, position in ``text`` of each of its characters).
    """
    keep = [True] * len(text)
    for m in _AT_SPACES.finditer(text):
        for i in range(m.start(), m.end()):
            keep[i] = False
    chars = list(text)
    for m in _DIGITISH.finditer(text):
        run = m.group()
        if sum(c.isdigit() for c in run) * 2 >= len(run):
            chars[m.start() : m.end()] = list(run.translate(_AS_DIGIT))
    for m in _IBAN_START.finditer(text):
        if chars[m.start(1)] == "1":
            chars[m.start(1)] = "I"
        for i in range(m.start(3), m.end(3)):
            chars[i] = chars[i].translate(_AS_DIGIT)
    for m in _DNI_J.finditer(text):
        chars[m.start(1)] = "J"
    where = [i for i in range(len(text)) if keep[i]]
    return "".join(chars[i] for i in where), where
