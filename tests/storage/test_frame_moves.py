"""Scrolls and repeats through the real writer and reader: stored as moves and repeats,
read back pixel-exact, and still exact after a region redaction and a frame deletion."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from storage import SessionReader, Vault
from tests.storage.helpers import PASS, consent, frame_meta, make_vault

W, H = 320, 240
WORDS = ["quarterly", "figures", "notes", "revenue", "hiring", "summary", "invoice"]


def document(first_line: int) -> Image.Image:
    """A window of numbered text lines starting at ``first_line`` (a scroll position)."""
    img = Image.new("RGB", (W, H), (60, 60, 60))
    draw = ImageDraw.Draw(img)
    draw.rectangle((10, 10, 300, 230), fill=(255, 255, 255))
    for row in range(15):
        n = first_line + row
        words = " ".join(WORDS[(n * k) % len(WORDS)] for k in range(1, 2 + n % 4))
        draw.text((14, 12 + row * 14), f"{n:03d} {words}", fill=(0, 0, 0))
    return img


def screens() -> list[Image.Image]:
    """Scrolling down two lines at a time, then back to the top (a repeat), then a caret."""
    out = [document(n) for n in range(0, 12, 2)]
    out.append(document(0))
    caret = document(0)
    ImageDraw.Draw(caret).rectangle((200, 100, 201, 112), fill=(0, 0, 0))
    out += [caret, document(0), caret]
    return out


def record(vault: Vault, images: list[Image.Image]) -> str:
    with vault.begin_session(consent()) as writer:
        for i, image in enumerate(images):
            writer.append_frame(image.tobytes(), image.size, frame_meta(float(i), W, H), "RGB")
        return str(writer.session_id)


def exact(reader: SessionReader, images: list[Image.Image]) -> None:
    assert len(reader.frames()) == len(images)
    for i, image in enumerate(images):
        assert reader.frame_image(i).tobytes() == image.tobytes(), i


def test_scrolls_and_repeats_are_stored_compactly_and_read_exactly(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    images = screens()
    sid = record(vault, images)
    unlocked = vault.unlock(PASS)
    reader = unlocked.open_session(sid)
    kinds = [m["_store"]["kind"] for m in reader._metas()]
    assert kinds[1:6].count("move") >= 3  # scrolls: rows moved, new lines patched
    assert "key" not in kinds[1:]
    assert kinds[6] == "same"  # back at the top: frame 0 again
    assert reader.frames()[6]["same_as"] == 0
    assert [reader.frames()[i]["same_as"] for i in (8, 9)] == [0, 7]  # who holds the pixels
    exact(reader, images)
    # Backwards from the end: each frame reconstructed afresh, out of order.
    fresh = unlocked.open_session(sid)
    for i in reversed(range(len(images))):
        assert fresh.frame_image(i).tobytes() == images[i].tobytes(), i

    unlocked.redact_region(sid, (20, 40, 100, 30), range(2, 5))
    expected = [img.copy() for img in images]
    for i in range(2, 5):
        expected[i].paste((0, 0, 0), (20, 40, 120, 70))
    exact(unlocked.open_session(sid), expected)
    unlocked.delete_frames(sid, {1, 3})
    exact(unlocked.open_session(sid), [img for i, img in enumerate(expected) if i not in (1, 3)])
    (result,) = unlocked.verify(sid)
    assert result.status == "ok", result.where
