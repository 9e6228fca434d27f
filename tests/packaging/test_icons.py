"""The icon set: every size present, the right dimensions, and tray states told apart by shape."""

from __future__ import annotations

import importlib.util
import itertools
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image, ImageChops

from tests.packaging.tools import LINUX

HICOLOR = LINUX / "icons" / "hicolor"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
ICONS = ("apps/overt", "status/overt-idle", "status/overt-recording", "status/overt-paused")
STATES = ICONS[1:]


def load_make_icons() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_icons", LINUX / "make_icons.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def png(icon: str, size: int) -> Path:
    return HICOLOR / f"{size}x{size}" / f"{icon}.png"


def mask(icon: str, size: int) -> set[tuple[int, int]]:
    """The pixels an icon covers (alpha above half), whatever their colour."""
    alpha = Image.open(png(icon, size)).getchannel("A")
    return {(x, y) for y in range(size) for x in range(size) if alpha.getpixel((x, y)) > 127}


@pytest.mark.parametrize("icon", ICONS)
@pytest.mark.parametrize("size", SIZES)
def test_png_exists_with_its_size(icon: str, size: int) -> None:
    with Image.open(png(icon, size)) as image:
        assert image.format == "PNG"
        assert image.size == (size, size)
        assert image.mode == "RGBA"
        assert image.getchannel("A").getextrema()[0] == 0  # transparent around the shape


@pytest.mark.parametrize("icon", ICONS)
def test_svg_source_exists_and_parses(icon: str) -> None:
    root = ET.parse(HICOLOR / "scalable" / f"{icon}.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 64 64"


@pytest.mark.parametrize("size", [16, 22, 48])
@pytest.mark.parametrize(("one", "other"), list(itertools.combinations(STATES, 2)))
def test_tray_states_differ_in_shape_not_only_colour(one: str, other: str, size: int) -> None:
    a, b = mask(one, size), mask(other, size)
    differing = len(a ^ b)
    # At least a tenth of the covered area differs: visible in a monochrome panel.
    assert differing >= 0.1 * len(a | b), (one, other, size, differing)


def test_committed_icons_match_make_icons() -> None:
    make_icons = load_make_icons()
    assert tuple(make_icons.SIZES) == SIZES
    for (context, name), shapes in make_icons.ICONS.items():
        icon = f"{context}/{name}"
        assert icon in ICONS
        svg = (HICOLOR / "scalable" / f"{icon}.svg").read_text(encoding="utf-8")
        assert svg == make_icons.svg(shapes), f"{icon}.svg is stale: run make_icons.py"
        for size in (16, 48):
            drawn = make_icons.render(shapes, size)
            with Image.open(png(icon, size)) as committed:
                diff = ImageChops.difference(drawn, committed.convert("RGBA"))
                worst = max(high for _, high in diff.getextrema())
            assert worst <= 8, f"{icon} {size}px is stale: run make_icons.py"
