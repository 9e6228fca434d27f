"""PIL images into Qt: frames and thumbnails decoded in worker threads, painted by the GUI."""

from __future__ import annotations

from PIL import Image
from PySide6.QtGui import QImage


def to_qimage(img: Image.Image) -> QImage:
    """An RGB PIL image as a QImage that owns its pixels (safe across threads)."""
    rgb = img if img.mode == "RGB" else img.convert("RGB")
    data = rgb.tobytes()
    return QImage(data, rgb.width, rgb.height, 3 * rgb.width, QImage.Format.Format_RGB888).copy()
