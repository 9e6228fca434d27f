"""The tray menu and where it opens: beside the tray icon, never over it.

The icon is what says whether Overt records, so the menu must not hide it (issue 6).
"""

from __future__ import annotations

from collections.abc import Callable

from app.qt.core import QPoint, QRect, QSize
from app.qt.gui import QShowEvent
from app.qt.widgets import QApplication, QMenu


def menu_origin(icon: QRect, size: QSize, screen: QRect) -> QPoint:
    """Where a menu of ``size`` goes beside a tray ``icon`` so that it never covers it.

    Below or above the icon, whichever side has room (below first: most trays are at the
    top); beside it when neither has (a tray on a vertical panel). Horizontally the menu
    starts at the icon's left edge, or ends at its right edge when that would not fit.
    """
    below = screen.bottom() - icon.bottom()
    above = icon.top() - screen.top()
    h, w = size.height(), size.width()

    def clamp(value: int, low: int, high: int) -> int:
        return max(low, min(value, high))

    if h <= below or h <= above:
        y = icon.bottom() + 1 if h <= below else icon.top() - h
        x = icon.left() if icon.left() + w - 1 <= screen.right() else icon.right() - w + 1
        return QPoint(clamp(x, screen.left(), screen.right() - w + 1), y)
    right = screen.right() - icon.right()
    x = icon.right() + 1 if w <= right else icon.left() - w
    y = clamp(icon.top(), screen.top(), screen.bottom() - h + 1)
    return QPoint(clamp(x, screen.left(), screen.right() - w + 1), y)


class TrayMenu(QMenu):
    """The tray menu, moved off its icon when it opens.

    The tray host (or Qt on X11) pops the menu up at the mouse, which sits on the icon, so
    the menu would hide the very icon that says whether Overt records. Once the icon's
    geometry is known, the menu is placed beside it instead (``menu_origin``).

    Attributes:
        anchor: the tray icon's global geometry (empty when unknown).
    """

    def __init__(self, anchor: Callable[[], QRect] = QRect) -> None:
        super().__init__()
        self.anchor = anchor

    def showEvent(self, event: QShowEvent) -> None:
        icon = self.anchor()
        if not icon.isEmpty():
            screen = self.screen().availableGeometry()
            for candidate in QApplication.screens():
                if candidate.geometry().intersects(icon):
                    screen = candidate.availableGeometry()
            self.move(menu_origin(icon, self.sizeHint(), screen))
        super().showEvent(event)
