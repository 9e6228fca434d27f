"""app/qt/images.py: PIL images become QImages with their own copy of the pixels."""

from __future__ import annotations

import gc

import pytest
from PIL import Image
from PySide6.QtGui import QColor

from app.qt.images import to_qimage


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "P"])
def test_pixels_and_size_survive_the_pil_image(mode: str) -> None:
    img = Image.new("RGB", (7, 3), (10, 20, 30))
    img.putpixel((6, 2), (200, 100, 50))
    source = img.convert(mode) if mode != "P" else img.quantize(4)
    expected = source.convert("RGB")
    image = to_qimage(source)
    del img, source
    gc.collect()
    assert (image.width(), image.height()) == (7, 3)
    for x, y in ((0, 0), (6, 2), (3, 1)):
        r, g, b = expected.getpixel((x, y))  # type: ignore[misc]
        assert image.pixelColor(x, y) == QColor(r, g, b)
