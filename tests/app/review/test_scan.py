"""Review's "Scan frames for text" with the real Tesseract: find, show, black out, dismiss."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.review.scan import MISSING_TIP, FrameTextScan
from app.review.window import ReviewWindow
from storage.scan import ocr
from tests.app.sessions import OFFSCREEN_LIMITS
from tests.storage.scan.text_screens import engine, record, screens

TIMEOUT = 30_000

pytestmark = OFFSCREEN_LIMITS
__all__ = ["engine"]  # the fixture: tesseract, or a failure under CI=true


def listed(window: ReviewWindow) -> list[str]:
    items = window.suggestions_list
    return [items.item(i).text() for i in range(items.count())]


def open_window(qtbot: QtBot, tmp_path: Path) -> tuple[ReviewWindow, object, str]:
    unlocked, sid = record(screens(), tmp_path)
    window = ReviewWindow(unlocked)
    qtbot.add_widget(window)
    window.show()
    window.confirm = lambda _p: True  # type: ignore[method-assign]
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        window.open_session(sid)
    return window, unlocked, sid


def test_found_text_is_shown_and_blacked_out_where_it_was(
    qtbot: QtBot, tmp_path: Path, engine: str
) -> None:
    window, unlocked, sid = open_window(qtbot, tmp_path)
    assert window.frame_scan.button.isEnabled()
    with qtbot.wait_signal(window.frameTextFound, timeout=TIMEOUT) as found:
        window.frame_scan.button.click()
    assert found.args == [2]
    labels = listed(window)
    assert "Email address on screen, frames 2–8 (0:01–0:07): j************ (20 chars)" in labels
    assert window.tabs.tabText(window.tabs.indexOf(window.suggestions_tab)) == "Suggestions (2)"
    row = next(i for i, text in enumerate(labels) if text.startswith("Email"))
    suggestion = window.model.suggestions[row]  # type: ignore[union-attr]
    window.suggestions_list.setCurrentRow(row)
    assert window.index == 1  # where it first appears, its box selected
    assert window.view.selection is not None
    assert window.view.selection.getRect() == suggestion.box

    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        assert window.accept_suggestion(row)
    # The text is black in every frame it was in; the other finding is still listed.
    reader = unlocked.open_session(sid)  # type: ignore[attr-defined]
    x, y, w, h = suggestion.box
    for index in range(1, 8):
        pixels = reader.frame_image(index).crop((x, y, x + w, y + h))
        assert pixels.getextrema() == ((0, 0), (0, 0), (0, 0)), index
    labels = listed(window)
    assert [label.split(",")[0] for label in labels] == ["Card number on screen"]
    # Dismissed, it stays gone after the session is reloaded.
    assert window.dismiss_suggestion(0)
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        window.open_session(sid)
    assert window.suggestions_list.count() == 0


def test_without_tesseract_the_button_says_what_to_install(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocr, "find_engine", lambda: None)
    window, _, _ = open_window(qtbot, tmp_path)
    assert not window.frame_scan.button.isEnabled()
    assert window.frame_scan.button.toolTip() == MISSING_TIP
    assert isinstance(window.frame_scan, FrameTextScan)
