"""The review window's dialogs on their own: preview, region scope, delete range."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.review.dialogs import DeleteRangeDialog, PreviewDialog, RegionScopeDialog
from app.review.previews import Preview
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


def test_delete_range_dialog(qtbot: QtBot) -> None:
    dialog = DeleteRangeDialog(2, 2, 10)
    qtbot.add_widget(dialog)
    assert dialog.frames() == (2, 2)
    assert dialog.with_frames.isChecked()
    assert dialog.with_events.isChecked()
    dialog.first.setValue(8)
    assert dialog.frames() == (2, 7)
