"""The review window's custom widgets on their own: the frame view and the timeline."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from app.review.overlays import Overlay
from app.review.widgets import (
    FrameView,
    Timeline,
)
from tests.app.sessions import OFFSCREEN_LIMITS

pytestmark = OFFSCREEN_LIMITS


def test_frame_view_maps_a_drag_to_frame_pixels(qtbot: QtBot) -> None:
    view = FrameView()
    qtbot.add_widget(view)
    view.resize(480, 340)  # a 200x100 frame is drawn at 2.4x, centred: y offset 50
    image = QImage(200, 100, QImage.Format.Format_RGB888)
    image.fill(0)
    view.show_frame(
        image,
        Overlay(
            clicks=[(10, 10, "left")],
            path=[(1, 1), (5, 5)],
            drags=[(1, 1, 50, 50)],
            window=(0, 0, 100, 50),
        ),
    )
    view.show()
    with qtbot.wait_signal(view.regionSelected) as blocker:
        qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPoint(24, 74))
        qtbot.mouseMove(view, QPoint(144, 170))
        qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPoint(144, 170))
    rect = blocker.args[0]
    assert (rect.x(), rect.y(), rect.width(), rect.height()) == (10, 10, 50, 40)
    view.grab()  # paints the overlays without error


def test_timeline_seeks_where_clicked(qtbot: QtBot) -> None:
    timeline = Timeline()
    qtbot.add_widget(timeline)
    timeline.resize(300, 80)
    timeline.set_data({"move": [1, 2, 3], "key": [0, 5, 0]}, [0.0, 10.0, 20.0], 30.0)
    timeline.show()
    timeline.grab()
    with qtbot.wait_signal(timeline.seek) as blocker:
        qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(150, 40))
    assert blocker.args == [15.0]
