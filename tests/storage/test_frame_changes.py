"""The reader's changed box: exact by construction; export's PNGs the same with or without it."""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

from storage import SessionReader, Vault
from storage.export.pngs import BAND_ROWS, FramePngs, encode_png
from tests.storage.helpers import PASS, consent, frame_meta, make_vault

W, H = 64, 4 * BAND_ROWS + 9


def frames(seed: int) -> list[Image.Image]:
    """Small edits (deltas), repeats (same), large edits (keyframes) and one size change."""
    rng = random.Random(seed)
    image = Image.new("RGB", (W, H), (30, 40, 50))
    out = [image]
    for i in range(40):
        image = image.copy()
        draw = ImageDraw.Draw(image)
        roll = rng.random()
        if roll < 0.15:
            pass  # identical: stored as "same"
        elif roll < 0.25:
            draw.rectangle((0, 0, W, H), fill=(rng.randrange(256), 7, 7))  # keyframe
        else:
            x, y = rng.randrange(W), rng.randrange(H)
            draw.rectangle(
                (x, y, x + rng.randrange(1, 12), y + rng.randrange(1, 20)),
                fill=(rng.randrange(256), rng.randrange(256), 99),
            )
        if i == 30:
            image = Image.new("RGB", (W + 8, H - 5), (1, 2, 3))
        out.append(image)
    return out


def record(vault: Vault, images: list[Image.Image]) -> str:
    with vault.begin_session(consent()) as writer:
        for i, image in enumerate(images):
            r, g, b = image.split()
            bgrx = Image.merge("RGBA", (b, g, r, Image.new("L", image.size, 0))).tobytes()
            writer.append_frame(bgrx, image.size, frame_meta(float(i), *image.size))
        return str(writer.session_id)


def holds(box: tuple[int, int, int, int], inner: tuple[int, int, int, int]) -> bool:
    return box[0] <= inner[0] and box[1] <= inner[1] and inner[2] <= box[2] and inner[3] <= box[3]


def check_boxes(reader: SessionReader) -> set[str]:
    """Every box holds every pixel that differs from the frame before; what kinds were seen."""
    seen = set()
    for i in range(1, len(reader.frames())):
        image, box = reader.frame_changes(i, i - 1)
        before = reader.frame_image(i - 1)
        assert image.tobytes() == reader.frame_image(i).tobytes()
        if box is None:
            seen.add("unknown")
            continue
        if image.size != before.size:
            raise AssertionError(f"frame {i}: a box across a size change")
        diff = ImageChops.difference(image, before).getbbox()
        if box == (0, 0, 0, 0):
            seen.add("same")
            assert diff is None, i
        else:
            seen.add("box")
            assert diff is not None, i
            assert holds(box, diff), (i, box, diff)
    return seen


def test_changed_boxes_hold_every_changed_pixel(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    sid = record(vault, frames(1))
    unlocked = vault.unlock(PASS)
    assert check_boxes(unlocked.open_session(sid)) == {"unknown", "same", "box"}
    # Through "same" frames and several deltas at once; backwards through the frame both
    # stem from (not known across a keyframe); with no ``since``, not known.
    reader = unlocked.open_session(sid)
    assert reader.frame_changes(5, None)[1] is None
    image, box = reader.frame_changes(3, 9)
    diff = ImageChops.difference(image, reader.frame_image(9)).getbbox()
    assert box is None or diff is None or holds(box, diff)
    # After a region redaction and a frame deletion the store is rewritten: still exact.
    unlocked.redact_region(sid, (10, 10, 20, 50))
    assert check_boxes(unlocked.open_session(sid)) >= {"box"}
    unlocked.delete_frames(sid, {2, 3, 17})
    assert check_boxes(unlocked.open_session(sid)) >= {"box"}


def test_boxes_over_several_frames_hold_every_changed_pixel(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    sid = record(vault, frames(2))
    reader = vault.unlock(PASS).open_session(sid)
    known = 0
    for since in range(0, 28):
        for index in range(since + 1, min(since + 6, 30)):
            image, box = reader.frame_changes(index, since)
            if box is None:
                continue
            known += 1
            diff = ImageChops.difference(image, reader.frame_image(since)).getbbox()
            if diff is not None:
                assert holds(box, diff), (since, index, box, diff)
    assert known > 20


def test_streamed_pngs_equal_each_frame_encoded_alone(tmp_path: Path) -> None:
    """Bands reused on the reader's word give the same bytes as comparing pixels would."""
    vault = make_vault(tmp_path / "vault")
    sid = record(vault, frames(3))
    unlocked = vault.unlock(PASS)
    unlocked.redact_region(sid, (0, BAND_ROWS - 3, 30, 8))
    reader = unlocked.open_session(sid)
    count = len(reader.frames())
    order = [*range(count), 4, 2, 3]  # out of order at the end: compared, not trusted
    streamed = list(FramePngs(reader).stream(order))
    expected = [encode_png(unlocked.open_session(sid).frame_image(i)) for i in order]
    assert [data for _, data in streamed] == expected


def test_a_repeat_of_an_older_frame_has_a_box_against_the_frame_before(tmp_path: Path) -> None:
    """A caret's two states: each repeats the frame two back; the box is the caret's."""
    vault = make_vault(tmp_path / "vault")
    on = Image.new("RGB", (W, H), (250, 250, 250))
    ImageDraw.Draw(on).rectangle((5, 5, 30, 12), fill=(0, 0, 0))
    off = on.copy()
    ImageDraw.Draw(off).rectangle((40, 20, 41, 40), fill=(0, 0, 0))
    sid = record(vault, [on, off, on, off, on])
    reader = vault.unlock(PASS).open_session(sid)
    assert [m["same_as"] for m in reader.frames()] == [None, None, 0, 1, 0]
    for i in range(2, 5):
        image, box = reader.frame_changes(i, i - 1)
        assert box == (40, 20, 42, 41)
        assert holds(box, ImageChops.difference(image, reader.frame_image(i - 1)).getbbox())
