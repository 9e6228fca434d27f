"""The review window's dialogs and custom widgets on their own."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.review.overlays import Overlay
from app.review.previews import Preview
from app.review.widgets import (
    DeleteRangeDialog,
    FrameView,
    PreviewDialog,
    RegionScopeDialog,
    Timeline,
)
from tests.app.sessions import OFFSCREEN_LIMITS

pytestmark = OFFSCREEN_LIMITS


def test_preview_dialog_offers_apply_only_when_something_changes(qtbot: QtBot) -> None:
    dialog = PreviewDialog(Preview("Remove 'x'", ["2 occurrence(s)"]))
    qtbot.add_widget(dialog)
    apply = dialog.buttons.button(QDialogButtonBox.StandardButton.Apply)
    assert apply.isEnabled()
    with qtbot.wait_signal(dialog.accepted):
        qtbot.mouseClick(apply, Qt.MouseButton.LeftButton)
    empty = PreviewDialog(Preview("Remove 'y'", ["0 occurrence(s)"], empty=True))
    qtbot.add_widget(empty)
    assert not empty.buttons.button(QDialogButtonBox.StandardButton.Apply).isEnabled()


def test_region_scope_dialog(qtbot: QtBot) -> None:
    dialog = RegionScopeDialog(4, 100, "Editor — notes")
    qtbot.add_widget(dialog)
    assert dialog.choice == "this"
    dialog.from_to.setChecked(True)
    dialog.first.setValue(20)
    dialog.last.setValue(10)
    assert dialog.choice == "range"
    assert dialog.frame_range() == range(9, 20)
    no_window = RegionScopeDialog(0, 5, "")
    qtbot.add_widget(no_window)
    assert not no_window.by_window.isEnabled()


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


def test_delete_range_dialog(qtbot: QtBot) -> None:
    dialog = DeleteRangeDialog(2, 2, 10)
    qtbot.add_widget(dialog)
    assert dialog.frames() == (2, 2)
    assert dialog.with_frames.isChecked()
    assert dialog.with_events.isChecked()
    dialog.first.setValue(8)
    assert dialog.frames() == (2, 7)
