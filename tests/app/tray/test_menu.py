"""The tray menu opens beside its icon, never over it (the icon says whether Overt records)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSize

from app.tray.menu import menu_origin


@pytest.mark.parametrize(
    ("icon", "where"),
    [
        (QRect(1880, 0, 24, 24), "below"),  # a tray at the top right
        (QRect(1880, 1056, 24, 24), "above"),  # a task bar at the bottom
        (QRect(0, 500, 24, 24), "right"),  # a vertical panel on the left, a tall menu
    ],
)
def test_the_menu_opens_beside_its_icon(icon: QRect, where: str) -> None:
    screen = QRect(0, 0, 1920, 1080)
    size = QSize(270, 600 if where == "right" else 220)
    origin = menu_origin(icon, size, screen)
    menu = QRect(origin, size)
    assert screen.contains(menu)
    assert not menu.intersects(icon)
    side = {
        "below": menu.top() > icon.bottom(),
        "above": menu.bottom() < icon.top(),
        "right": menu.left() > icon.right(),
    }
    assert side[where]
