"""Screens with sensitive text drawn on them, recorded as a session, and the real Tesseract.

Shared by the frame-scan tests (tests/storage/scan/test_frame_text.py) and the review
window's (tests/app/review/test_scan.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFont

from storage.scan import ocr
from tests.conftest import IN_CI
from tests.storage.helpers import PASS, consent, frame_meta, make_vault

W, H = 640, 240
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BACKGROUND = (250, 250, 250)


@pytest.fixture(scope="module")
def engine() -> str:
    """The tesseract path; skips the test without it (fails it under CI=true)."""
    found = ocr.find_engine()
    if found is None:
        if IN_CI:
            pytest.fail("tesseract is missing (CI=true: packaging/debian-packages.txt has it)")
        pytest.skip("tesseract is not installed")
    return found


Span = tuple[int, int | None]  # the frame text appears at, and the frame it is deleted at


def screens(count: int = 12, email: Span = (1, 8), card: Span = (4, None)) -> list[Image.Image]:
    """A note where an email and a card number appear and are deleted (at these frames; None:
    never) while a caret blinks (the strip it changes is read twice only)."""
    font = ImageFont.truetype(FONT, 18)
    image = Image.new("RGB", (W, H), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.text((20, 10), "Meeting notes", fill=(0, 0, 0), font=font)
    out = []
    for i in range(count):
        if i == email[0]:
            draw.text((20, 60), "Write to jane.doe@example.com today", fill=(0, 0, 0), font=font)
        if i == card[0]:
            draw.text((20, 120), "Card 4111 1111 1111 1111 exp 09/29", fill=(0, 0, 0), font=font)
        if i == card[1]:
            draw.rectangle((0, 115, W, 150), fill=BACKGROUND)
        if i == email[1]:
            draw.rectangle((0, 55, W, 90), fill=BACKGROUND)
        draw.rectangle((20, 200, 21, 220), fill=(0, 0, 0) if i % 2 else BACKGROUND)
        out.append(image.copy())
    return out


def record(images: list[Image.Image], tmp_path: Path) -> tuple[Any, str]:
    """A vault in ``tmp_path`` holding these images as one session: (unlocked vault, id)."""
    vault = make_vault(tmp_path / "vault")
    with vault.begin_session(consent()) as writer:
        for i, image in enumerate(images):
            writer.append_frame(image.tobytes(), image.size, frame_meta(float(i), W, H), "RGB")
        sid = str(writer.session_id)
    return vault.unlock(PASS), sid
