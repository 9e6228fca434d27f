"""Frame coding: both encoder settings are lossless, and the default one is the compact one."""

from __future__ import annotations

from PIL import Image, ImageDraw

from storage.format import frame_codec as frames


def _text_screen() -> Image.Image:
    """A desktop-like frame: a stippled background and a window of text lines."""
    img = Image.new("RGB", (640, 360), (40, 40, 40))
    draw = ImageDraw.Draw(img)
    for y in range(0, 360, 2):
        for x in range(y % 4, 640, 4):
            draw.point((x, y), fill=(90, 90, 90))
    draw.rectangle((40, 30, 600, 330), fill=(255, 255, 255))
    for row in range(40, 320, 14):
        draw.text((50, row), f"line {row}: quarterly figures and notes", fill=(0, 0, 0))
    return img


def test_both_settings_decode_to_the_same_pixels() -> None:
    img = _text_screen()
    plan = frames.Plan("key", img, (0, 0, *img.size))
    for fast in (False, True):
        out = frames.decode(frames.encode(plan, fast=fast), img.size, "test")
        assert out.tobytes() == img.tobytes()


def test_a_delta_patch_decodes_to_the_changed_rectangle() -> None:
    planner = frames.FramePlanner()
    first = _text_screen()
    second = first.copy()
    ImageDraw.Draw(second).text((300, 200), "typed", fill=(200, 0, 0))
    planner.plan(0, first)
    plan = planner.plan(1, second)
    assert plan.kind == "delta"
    x, y, w, h = plan.box
    patch = frames.decode(frames.encode(plan), (w, h), "test")
    assert patch.tobytes() == second.crop((x, y, x + w, y + h)).tobytes()


def test_the_default_setting_stores_text_screens_smaller_than_the_fast_one() -> None:
    plan = frames.Plan("key", _text_screen(), (0, 0, 640, 360))
    assert len(frames.encode(plan)) < len(frames.encode(plan, fast=True))
