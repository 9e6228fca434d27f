"""The tray's three icons, told apart by shape and not only by colour: ring, disc, two bars."""

from __future__ import annotations

from collections.abc import Callable

from app.qt.core import Qt
from app.qt.gui import QColor, QIcon, QPainter, QPixmap
from app.tray.state import Icon

IDLE_GREY = "#5f6b7a"
RECORDING_RED = "#d0312d"
PAUSED_AMBER = "#c98a00"


def _pixmap(size: int = 64) -> tuple[QPixmap, QPainter]:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    return pixmap, painter


def idle_icon() -> QIcon:
    """A hollow ring: not recording."""
    pixmap, painter = _pixmap()
    pen = painter.pen()
    pen.setWidth(8)
    pen.setColor(QColor(IDLE_GREY))
    painter.setPen(pen)
    painter.drawEllipse(8, 8, 48, 48)
    painter.end()
    return QIcon(pixmap)


def recording_icon() -> QIcon:
    """A solid red disc: recording."""
    pixmap, painter = _pixmap()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(RECORDING_RED))
    painter.drawEllipse(4, 4, 56, 56)
    painter.end()
    return QIcon(pixmap)


def paused_icon() -> QIcon:
    """Two bars: paused."""
    pixmap, painter = _pixmap()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(PAUSED_AMBER))
    painter.drawRoundedRect(12, 6, 14, 52, 3, 3)
    painter.drawRoundedRect(38, 6, 14, 52, 3, 3)
    painter.end()
    return QIcon(pixmap)


ICONS: dict[Icon, Callable[[], QIcon]] = {
    "idle": idle_icon,
    "recording": recording_icon,
    "paused": paused_icon,
}
