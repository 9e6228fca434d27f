"""New task…: free text, a study's tasks, and what Start task sends."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.dialogs.new_task_dialog import NewTaskDialog, TaskChoice
from storage.episodes import MAX_INSTRUCTION
from tests.app.sessions import OFFSCREEN_LIMITS

pytestmark = OFFSCREEN_LIMITS


def test_free_text_needs_words(qtbot: QtBot) -> None:
    dialog = NewTaskDialog()
    qtbot.add_widget(dialog)
    assert not dialog.choice.isVisible()
    assert not dialog.start_button.isEnabled()
    qtbot.keyClicks(dialog.instruction, "   ")
    assert not dialog.start_button.isEnabled()  # spaces are not an instruction
    dialog.instruction.clear()
    qtbot.keyClicks(dialog.instruction, "  Book a train to Leeds ")
    with qtbot.wait_signal(dialog.chosen) as sent:
        qtbot.keyClick(dialog.instruction, Qt.Key.Key_Return)
    assert sent.args == ["Book a train to Leeds", None]
    assert dialog.instruction.maxLength() == MAX_INSTRUCTION


def test_a_study_task_keeps_its_id(qtbot: QtBot) -> None:
    tasks = [
        TaskChoice("t1", "Find the cheapest flight", "https://example.org"),
        TaskChoice("t2", "Rename the file"),
    ]
    dialog = NewTaskDialog(tasks, allow_free_text=False)
    qtbot.add_widget(dialog)
    dialog.show()
    assert dialog.choice.count() == 2  # no free text where the study does not allow it
    assert dialog.instruction.isReadOnly()
    assert dialog.text() == "Find the cheapest flight"
    assert "https://example.org" in dialog.hint.text()
    dialog.choice.setCurrentIndex(1)
    with qtbot.wait_signal(dialog.chosen) as sent:
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert sent.args == ["Rename the file", "t2"]


def test_a_study_that_allows_free_text(qtbot: QtBot) -> None:
    dialog = NewTaskDialog([TaskChoice("t1", "Find the cheapest flight")], current="Old task")
    qtbot.add_widget(dialog)
    assert dialog.choice.count() == 2
    dialog.choice.setCurrentIndex(1)
    assert not dialog.instruction.isReadOnly()
    assert dialog.text() == ""
    qtbot.keyClicks(dialog.instruction, "My own task")
    assert dialog.study_task_id() is None
    labels = " ".join(w.text() for w in dialog.findChildren(type(dialog.hint)))
    assert "“Old task” ends here" in labels  # the open task is closed first, and it says so
