"""app/review/text_panel.py: the typed text, searched, with the open suggestions marked."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from app.review.model import ReviewModel
from app.review.text_panel import TypedTextPanel
from storage.scan.text import Suggestion
from tests.app.review.session_records import model as sample
from tests.app.sessions import OFFSCREEN_LIMITS

pytestmark = OFFSCREEN_LIMITS


def colours(panel: TypedTextPanel) -> list[tuple[str, object]]:
    """(highlighted text, background colour) of every highlight, in order."""
    return [
        (sel.cursor.selectedText(), sel.format.background().color())
        for sel in panel.text_view.extraSelections()
    ]


def test_search_marks_matches_and_suggestions_stay_marked(qtbot: QtBot) -> None:
    m: ReviewModel | None = None
    panel = TypedTextPanel(lambda: m)
    qtbot.add_widget(panel)
    m = sample()
    m.suggestions = [Suggestion("password_prompt", "typed", (), 2, None, "p***")]
    panel.fill(m)
    panel.highlight()
    assert colours(panel) == [("pass word", Qt.GlobalColor.cyan)]
    panel.search.setText("pass")
    assert panel.search_result.text() == "1 match(es)"
    assert colours(panel) == [("pass word", Qt.GlobalColor.cyan), ("pass", Qt.GlobalColor.yellow)]
    assert panel.selected_text() == "pass"  # the match is selected
    panel.search.setText("")
    assert panel.search_result.text() == ""


def test_the_selection_comes_before_the_search(qtbot: QtBot) -> None:
    m = sample()
    panel = TypedTextPanel(lambda: m)
    qtbot.add_widget(panel)
    panel.fill(m)
    panel.search.setText("nothing here")
    assert panel.selected_text() == "nothing here"
    doc = panel.text_view.toPlainText()
    cursor = panel.text_view.textCursor()
    start = doc.index("word")
    cursor.setPosition(start)
    cursor.setPosition(start + 4, QTextCursor.MoveMode.KeepAnchor)
    panel.text_view.setTextCursor(cursor)
    assert panel.selected_text() == "word"
    assert panel.selection() == (start, start + 4)
