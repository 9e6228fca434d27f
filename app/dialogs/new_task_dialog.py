"""New task…: what the person sets out to do now, in their words or from the study's list.

The instruction becomes the task episode's text (the ``episodes`` stream of storage/FORMAT.md),
so it is captured content like typed text: the dialog says so. Overt's
own windows are never recorded, so typing the instruction here leaves no key presses behind.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.dialogs.form_parts import note
from app.qt.core import Qt, Signal
from app.qt.widgets import (
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from storage.episodes import MAX_INSTRUCTION

FREE_TEXT = "__free_text__"


@dataclass(frozen=True)
class TaskChoice:
    """One of the study's tasks, as offered in the dialog."""

    task_id: str
    instruction: str
    hint: str = ""


class NewTaskDialog(QWidget):
    """A small non-modal window: the task's instruction, then Start task.

    With a study that lists tasks, a list of them comes first (and free text only where the
    study allows it); the chosen task's id is kept with the episode.

    Signals:
        chosen(str, object): the instruction and the study task id (None for free text).
    """

    chosen = Signal(str, object)

    def __init__(
        self,
        study_tasks: list[TaskChoice] | None = None,
        *,
        allow_free_text: bool = True,
        current: str = "",
        naming: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """Args:
        study_tasks: the study's tasks to choose from (None or empty: free text only).
        allow_free_text: whether the person may type a task of their own.
        current: the instruction of the task still open ("" when none): it is closed first.
        naming: the new-task hotkey already started the task: this only gives it its words.
        """
        super().__init__(parent, Qt.WindowType.Dialog | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle("Overt: new task")
        self.study_tasks = list(study_tasks or [])
        self.allow_free_text = allow_free_text or not self.study_tasks
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("What are you setting out to do now?"))
        self.choice = QComboBox()
        for task in self.study_tasks:
            self.choice.addItem(task.instruction, task.task_id)
        if self.study_tasks and self.allow_free_text:
            self.choice.addItem("Something else (type it below)", FREE_TEXT)
        self.choice.setVisible(bool(self.study_tasks))
        self.choice.currentIndexChanged.connect(self._choice_changed)
        layout.addWidget(self.choice)
        self.instruction = QLineEdit()
        self.instruction.setMaxLength(MAX_INSTRUCTION)  # storage refuses longer ones
        self.instruction.setPlaceholderText("e.g. Book a train to Leeds for Friday morning")
        self.instruction.textChanged.connect(self._update)
        layout.addWidget(self.instruction)
        self.hint = note()
        layout.addWidget(self.hint)
        closing = f"The open task “{current}” ends here, with no outcome set. " if current else ""
        layout.addWidget(
            note(
                closing + "The task's words are kept with this session, encrypted like "
                "everything it records; you can edit or remove them when you review the session."
            )
        )
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.start_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.start_button.setText("Name task" if naming else "Start task")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.close)
        self.instruction.returnPressed.connect(self._accept)
        layout.addWidget(self.buttons)
        self._choice_changed()
        (self.choice if self.study_tasks else self.instruction).setFocus()

    def study_task_id(self) -> str | None:
        """The chosen study task's id, or None for free text."""
        if not self.study_tasks:
            return None
        data = self.choice.currentData()
        return None if data == FREE_TEXT else str(data)

    def text(self) -> str:
        """The instruction as it will be stored (surrounding spaces dropped)."""
        return self.instruction.text().strip()

    def _choice_changed(self) -> None:
        task_id = self.study_task_id()
        task = next((t for t in self.study_tasks if t.task_id == task_id), None)
        if task is not None:
            self.instruction.setText(task.instruction)
            self.instruction.setReadOnly(True)
            self.hint.setText(f"Start: {task.hint}" if task.hint else "")
        else:
            if self.instruction.isReadOnly():
                self.instruction.clear()
            self.instruction.setReadOnly(False)
            self.hint.setText("")
        self.hint.setVisible(bool(self.hint.text()))
        self._update()

    def _update(self) -> None:
        self.start_button.setEnabled(bool(self.text()))

    def _accept(self) -> None:
        if not self.text():
            return
        self.chosen.emit(self.text(), self.study_task_id())
        self.close()
