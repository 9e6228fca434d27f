"""Text in frames: read by the real Tesseract, tracked while visible, gone once redacted."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from storage.scan import ocr
from storage.scan.frame_text import Cancelled, scan_frames, text_finder
from tests.helpers.screen_text import BACKGROUND, FONT, H, W, engine, record, screens

__all__ = ["engine"]  # the fixture: tesseract, or a failure under CI=true


def test_sensitive_text_on_screen_is_found_with_where_and_when(engine: str, tmp_path: Path) -> None:
    unlocked, sid = record(screens(), tmp_path)
    reads: list[tuple[int, int]] = []
    real = ocr.tesseract_reader(engine)

    def counting(image: Image.Image) -> list[ocr.Line]:
        reads.append(image.size)
        return real(image)

    found = scan_frames([unlocked.open_session(sid)], counting)
    by_kind = {s.kind: s for s in found}
    assert sorted(by_kind) == ["card", "email"], [s.to_json() for s in found]
    email, card = by_kind["email"], by_kind["card"]
    assert email.source == "frame"
    assert email.frames == (1, 7)  # deleted in frame 8
    assert card.frames == (4, 11)  # still there at the end
    assert email.masked == "j************ (20 chars)"
    # The box holds the drawn address, with no more than a few pixels to spare.
    x, y, w, h = email.box or (0, 0, 0, 0)
    font = ImageFont.truetype(FONT, 18)
    left = 20 + int(font.getlength("Write to "))
    truth = ImageDraw.Draw(Image.new("RGB", (W, H))).textbbox(
        (left, 60), "jane.doe@example.com", font=font
    )
    assert (x, y) <= (truth[0], truth[1]), (email.box, truth)
    assert (x + w, y + h) >= (truth[2], truth[3]), (email.box, truth)
    assert max(truth[0] - x, truth[1] - y, x + w - truth[2], y + h - truth[3]) <= 8
    # One whole read, then strips; the caret's two states are read once each.
    assert reads[0] == (W, H)
    assert all(size[1] < H for size in reads[1:])
    assert len(reads) <= 7

    # Redacting the suggested box over the suggested frames leaves nothing to find.
    first, last = email.frames
    unlocked.redact_region(sid, email.box, range(first, last + 1))
    again = scan_frames([unlocked.open_session(sid)], real)
    assert [s.kind for s in again] == ["card"]


def test_progress_and_stop(engine: str, tmp_path: Path) -> None:
    unlocked, sid = record(screens()[:3], tmp_path)
    seen: list[tuple[int, int]] = []
    read = ocr.tesseract_reader(engine)
    scan_frames([unlocked.open_session(sid)], read, progress=lambda *a: seen.append(a))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    with pytest.raises(Cancelled):
        scan_frames([unlocked.open_session(sid)], read, stopped=lambda: True)


def test_a_failing_engine_is_one_sentence(tmp_path: Path) -> None:
    broken = tmp_path / "tesseract"
    broken.write_text("#!/bin/sh\nexit 3\n")
    broken.chmod(0o755)
    with pytest.raises(ocr.OcrError, match=r"^Tesseract failed on a frame \(exit status 3\)\.$"):
        ocr.tesseract_reader(str(broken))(Image.new("RGB", (8, 8)))


def test_tsv_words_become_lines_with_boxes() -> None:
    tsv = "\n".join(
        [
            "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight"
            "\tconf\ttext",
            "4\t1\t1\t1\t1\t0\t10\t5\t200\t12\t-1\t",
            "5\t1\t1\t1\t1\t1\t10\t5\t40\t12\t96.5\tMail",
            "5\t1\t1\t1\t1\t2\t55\t6\t120\t11\t91.0\tjo@example.org",
            "5\t1\t1\t1\t1\t3\t180\t6\t20\t11\t-1\tzz",  # not a word: left out
            "5\t1\t1\t1\t2\t1\t10\t30\t30\t12\t90.0\tnext",
        ]
    )
    first, second = ocr.parse_tsv(tsv)
    assert first.text == "Mail jo@example.org"
    assert first.box_of(5, 19) == (55, 6, 175, 17)
    assert first.box_of(0, 19) == (10, 5, 175, 17)
    assert second.text == "next"


def test_an_address_typed_over_several_frames_is_one_suggestion(
    engine: str, tmp_path: Path
) -> None:
    font = ImageFont.truetype(FONT, 18)
    image = Image.new("RGB", (W, H), BACKGROUND)
    draw = ImageDraw.Draw(image)
    address = "jane.doe@example.com"
    images = [image.copy()]
    for typed in ("jane.doe@exa", "jane.doe@example.co", address):
        draw.rectangle((0, 40, W, 80), fill=BACKGROUND)
        draw.text((20, 50), f"To: {typed}", fill=(0, 0, 0), font=font)
        images.append(image.copy())
    unlocked, sid = record(images, tmp_path)
    found = scan_frames([unlocked.open_session(sid)], ocr.tesseract_reader(engine))
    assert [(s.kind, s.frames, s.masked) for s in found] == [
        ("email", (2, 3), "j************ (20 chars)")  # "...@example.co" grew by one letter
    ]
    # Its box covers the longest state.
    x, _, w, _ = found[0].box or (0, 0, 0, 0)
    assert x + w >= 20 + font.getlength(f"To: {address}")


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        ("mail jo.smith @example.org now", "mail jo.smith@example.org now"),
        ("card 4111 1l11 1111 IIII", "card 4111 1111 1111 IIII"),  # mostly digits only
        ("iban FRO8 3670 7601 3643 0917 6981 374", "iban FR08 3670 7601 3643 0917 6981 374"),
        ("1T2924829285488279124443899 ok", "IT2924829285488279124443899 ok"),
        ("dni 22078794} ok", "dni 22078794J ok"),
        ("Hello World, Illinois 2024", "Hello World, Illinois 2024"),  # words stay words
    ],
)
def test_ocr_slips_are_corrected_and_positions_kept(read: str, fixed: str) -> None:
    text, where = ocr.corrected(read)
    assert text == fixed
    assert len(where) == len(text)
    assert all(read[i] == c or c in "01IJ" for i, c in zip(where, text, strict=True))


def test_two_workers_find_what_one_finds_joined_across_their_border(
    engine: str, tmp_path: Path
) -> None:
    """30 frames: the second worker starts at 15; the address visible across it is one item."""
    unlocked, sid = record(screens(30, email=(3, 25), card=(14, 17)), tmp_path)
    read = ocr.tesseract_reader(engine)
    one = scan_frames([unlocked.open_session(sid)], read)
    progress: list[tuple[int, int]] = []
    two = scan_frames(
        [unlocked.open_session(sid), unlocked.open_session(sid)],
        read,
        progress=lambda *a: progress.append(a),
    )
    assert [(s.kind, s.frames) for s in one] == [("email", (3, 24)), ("card", (14, 16))]
    assert [(s.kind, s.frames) for s in two] == [("email", (3, 24)), ("card", (14, 16))]
    for a, b in zip(one, two, strict=True):
        assert max(abs(p - q) for p, q in zip(a.box or (), b.box or (), strict=True)) <= 3
    assert sorted(progress)[-1] == (30, 30)
    assert len(progress) == 30


def test_text_finder_finds_the_removed_text_however_ocr_spaced_it() -> None:
    find_it = text_finder("pass word99")
    line = "Login: PASS  word99, passWord99 and pass word9"
    assert [line[m.start : m.end] for m in find_it(line)] == ["PASS  word99", "passWord99"]
    assert {m.kind for m in find_it(line)} == {"text"}
    assert text_finder("   ")(line) == []
