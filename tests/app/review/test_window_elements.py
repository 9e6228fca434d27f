"""The review window on a real vault shows the selected action's UI element: box and path."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from app.review.window import ReviewWindow
from storage import UnlockedVault
from tests.app.sessions import OFFSCREEN_LIMITS, vault_with_session

TIMEOUT = 10_000
SHOTS = Path(__file__).resolve().parents[3] / "build" / "screenshots"
SIZE = (640, 360)

pytestmark = OFFSCREEN_LIMITS


def open_window(qtbot: QtBot, vault: UnlockedVault, sid: str) -> ReviewWindow:
    window = ReviewWindow(vault)
    qtbot.add_widget(window)
    window.resize(1280, 800)
    window.show()
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        window.open_session(sid)
    return window


def select(qtbot: QtBot, window: ReviewWindow, row: int, frame: int) -> None:
    window.actions_list.setCurrentRow(row)
    qtbot.wait_until(
        lambda: window.view.image is not None and f"Frame {frame + 1} /" in window.position.text(),
        timeout=TIMEOUT,
    )


@pytest.fixture
def grounded(qtbot: QtBot, tmp_path: Path) -> ReviewWindow:
    vault, sid = vault_with_session(tmp_path / "vault", size=SIZE, elements=True)
    return open_window(qtbot, vault, sid)


def test_selected_click_shows_its_element_box_and_path(
    qtbot: QtBot, grounded: ReviewWindow
) -> None:
    window = grounded
    select(qtbot, window, 2, 2)  # the third click: at (42, 40), its button at (22, 30) 40 x 20
    label = window.frame_panel.element
    assert label.isVisible()
    assert label.text() == (
        "Element: Editor › Frame “notes.txt — Editor” › Panel › Push button “Save”"
    )
    assert window.view.overlay.elements == [(22, 30, 40, 20)]
    # The box is painted: its left edge (clear of the click's mark), mapped to the widget.
    view = window.view
    target = view._target()
    scale = target.width() / view.image.width()
    edge = QPointF(target.x() + 22 * scale, target.y() + 40 * scale)
    image = view.grab().toImage()
    colours = {image.pixelColor(int(edge.x()) + dx, int(edge.y())).name() for dx in (-1, 0, 1)}
    assert QColor("#00e5ff").name() in colours
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "review_element.png"))


def test_missing_element_says_why_and_draws_no_box(qtbot: QtBot, grounded: ReviewWindow) -> None:
    window = grounded
    select(qtbot, window, 2, 2)
    window.actions_list.setCurrentRow(7)  # the hotkey: no pre-action frame, no bus
    qtbot.wait_until(
        lambda: "no accessibility bus" in window.frame_panel.element.text(), timeout=TIMEOUT
    )
    assert window.frame_panel.element.text() == "Element: no element (no accessibility bus)"
    assert window.view.overlay.elements == []


def test_typed_run_shows_the_focused_field(qtbot: QtBot, grounded: ReviewWindow) -> None:
    window = grounded
    select(qtbot, window, 6, 5)
    assert window.frame_panel.element.text().endswith("Text “Notes” [editable, focused]")
    assert window.view.overlay.elements == [(10, 5, 620, 350)]


def test_session_without_elements_shows_no_element_line(qtbot: QtBot, tmp_path: Path) -> None:
    vault, sid = vault_with_session(tmp_path / "vault", size=SIZE)
    window = open_window(qtbot, vault, sid)
    select(qtbot, window, 2, 2)
    assert not window.frame_panel.element.isVisible()
    assert window.view.overlay.elements == []
