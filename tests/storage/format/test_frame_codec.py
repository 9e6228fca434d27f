"""Frame coding: both encoder settings are lossless, and the default one is the compact one."""

from __future__ import annotations

import pytest
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


def _scrolled(img: Image.Image, dy: int) -> Image.Image:
    """The window's text moved up by ``dy`` rows, new lines drawn where it is exposed."""
    out = img.copy()
    out.paste(img.crop((40, 30 + dy, 600, 330)), (40, 30))
    ImageDraw.Draw(out).rectangle((40, 330 - dy, 600, 330), fill=(255, 255, 255))
    ImageDraw.Draw(out).text((50, 330 - dy + 2), "a new line scrolled in", fill=(0, 0, 0))
    return out


def test_a_scroll_is_stored_as_a_move_and_rebuilds_exactly() -> None:
    planner = frames.FramePlanner()
    first = _text_screen()
    second = _scrolled(first, 42)
    planner.plan(0, first)
    plan = planner.plan(1, second)
    assert plan.kind == "move"
    assert plan.move is not None
    assert plan.move[4] == 42
    rebuilt = frames.apply_move(first, frames.check_move(list(plan.move), first.size))
    x, y, w, h = plan.box
    if plan.has_patch:
        patch = frames.decode(frames.encode(plan), (w, h), "test")
        rebuilt.paste(patch, (x, y))
        assert w * h < 0.2 * 640 * 360  # the patch is the new line, not the window
    assert rebuilt.tobytes() == second.tobytes()


def test_a_repeat_of_a_recent_frame_points_to_it() -> None:
    planner = frames.FramePlanner()
    on = _text_screen()
    off = on.copy()
    ImageDraw.Draw(off).rectangle((300, 200, 301, 214), fill=(0, 0, 0))  # a caret
    kinds = [planner.plan(i, img) for i, img in enumerate([on, off, on, off, on])]
    assert [(p.kind, p.same_as) for p in kinds] == [
        ("key", None),
        ("delta", None),
        ("same", 0),
        ("same", 1),
        ("same", 0),
    ]
    assert planner.stored == 2


def test_keyframes_come_after_120_s_or_the_depth_limit() -> None:
    base = _text_screen()

    def typed(i: int) -> Image.Image:
        img = base.copy()
        ImageDraw.Draw(img).text((60, 200), f"typed {i:05d}", fill=(200, 0, 0))
        return img

    planner = frames.FramePlanner()
    timed = [planner.plan(i, typed(i), t=i * 10.0).kind for i in range(20)]
    assert timed.count("key") == 2
    assert timed[12] == "key"  # at 120 s
    planner = frames.FramePlanner(keyframe_every=5)
    counted = [planner.plan(i, typed(i)).kind for i in range(12)]
    assert [i for i, k in enumerate(counted) if k == "key"] == [0, 6]


def test_a_stored_move_outside_the_frame_is_refused() -> None:
    size = (100, 50)
    assert frames.check_move([0, 10, 100, 20, -10], size) == (0, 10, 100, 20, -10)
    for bad in ([0, 10, 100, 20, -11], [0, 40, 100, 20, 1], [0, 0, 101, 10, 1], [0, 0, 10, 10, 0]):
        with pytest.raises(ValueError, match="outside the frame"):
            frames.check_move(bad, size)
    for malformed in (None, [1, 2, 3], [0, 0, 10, 10, True], [0, 0, 10, 10, 1.5]):
        with pytest.raises(ValueError, match="malformed"):
            frames.check_move(malformed, size)
