"""The review window's "Tasks" tab: the session's task episodes, and the edits a person can make.

It only lists and asks; each edit is a change the window previews and runs
(app/review/task_commands.py), the same way as a redaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.core.formatting import format_duration, shorten
from app.qt.core import Signal
from app.qt.widgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

#: The outcome choices, as shown and as stored (None: not set).
OUTCOMES: list[tuple[str, str | None]] = [
    ("Outcome not set", None),
    ("Succeeded", "success"),
    ("Failed", "failure"),
    ("Abandoned", "abandoned"),
]


def episode_label(number: int, episode: dict[str, Any]) -> str:
    """Two lines for the list: number and instruction; outcome, bounds and actions."""
    instruction = shorten(str(episode.get("instruction") or ""), 60) or "(no instruction)"
    outcome = next((label for label, value in OUTCOMES if value == episode.get("outcome")), "")
    t0 = format_duration(float(episode.get("t_start") or 0.0))
    t1 = episode.get("t_end")
    span = f"{t0}–{format_duration(float(t1))}" if t1 is not None else f"{t0}–…"
    first, last = episode.get("start_seq"), episode.get("end_seq")
    actions = "no actions" if first is None or last is None else f"actions {first}–{last}"
    return f"{number}. {instruction}\n    {outcome.lower()} · {span} · {actions}"


class TasksPanel(QWidget):
    """The task episodes as a list, with the buttons that change them.

    Attributes:
        tasks_list: one row per episode, in time order.
        outcome: the selected episode's outcome.
        new_button, split_button, merge_button, start_button, end_button, edit_button,
            delete_button: the edits (each emits ``requested`` with its name).

    Signals:
        requested(str): an edit was asked for: "new", "split", "merge", "start", "end",
            "edit", "delete" or "outcome".
        chosen(int): the person selected episode ``row`` (the window shows its first frame).
    """

    requested = Signal(str)
    chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.episodes: list[dict[str, Any]] = []
        self.editable = False
        self.tasks_list = QListWidget()
        self.tasks_list.setWordWrap(True)
        self.tasks_list.setAlternatingRowColors(True)
        self.tasks_list.currentRowChanged.connect(self._row_changed)
        self.empty = QLabel(
            "No tasks in this session. Select actions in the Actions tab, then “New task "
            "from selected actions…”."
        )
        self.empty.setWordWrap(True)
        self.outcome = QComboBox()
        for label, _value in OUTCOMES:
            self.outcome.addItem(label)
        self.outcome.activated.connect(lambda _i: self.requested.emit("outcome"))
        self.new_button = self._button("New task from selected actions…", "new")
        self.split_button = self._button("Split at the current action", "split")
        self.merge_button = self._button("Merge with the next task", "merge")
        self.start_button = self._button("Start at the current action", "start")
        self.end_button = self._button("End at the current action", "end")
        self.edit_button = self._button("Edit instruction…", "edit")
        self.delete_button = self._button("Delete task", "delete")
        self.delete_button.setToolTip(
            "Removes the task's instruction and outcome; its actions stay"
        )
        grid = QGridLayout()
        grid.addWidget(self.new_button, 0, 0, 1, 2)
        grid.addWidget(self.edit_button, 1, 0)
        grid.addWidget(self.outcome, 1, 1)
        grid.addWidget(self.split_button, 2, 0)
        grid.addWidget(self.merge_button, 2, 1)
        grid.addWidget(self.start_button, 3, 0)
        grid.addWidget(self.end_button, 3, 1)
        grid.addWidget(self.delete_button, 4, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.tasks_list, 1)
        layout.addLayout(grid)
        self._update_buttons()

    def _button(self, text: str, name: str) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda: self.requested.emit(name))
        return button

    def set_editable(self, on: bool) -> None:
        """Allow edits (off while a session opens or a change runs)."""
        self.editable = on
        self._update_buttons()

    def fill(self, episodes: Sequence[dict[str, Any]]) -> None:
        """Show these episodes (time order), keeping the selected row where it can."""
        row = self.tasks_list.currentRow()
        self.episodes = list(episodes)
        self.tasks_list.blockSignals(True)
        self.tasks_list.clear()
        for i, episode in enumerate(self.episodes):
            self.tasks_list.addItem(episode_label(i + 1, episode))
            self.tasks_list.item(i).setToolTip(str(episode.get("instruction") or ""))
        if self.episodes:
            self.tasks_list.setCurrentRow(min(max(row, 0), len(self.episodes) - 1))
        self.tasks_list.blockSignals(False)
        self.empty.setVisible(not self.episodes)
        self._show_outcome()
        self._update_buttons()

    def selected(self) -> dict[str, Any] | None:
        """The selected episode (None when there is none)."""
        row = self.tasks_list.currentRow()
        return self.episodes[row] if 0 <= row < len(self.episodes) else None

    def select_id(self, episode_id: str) -> None:
        """Select the episode with this id (after a change reopened the session)."""
        for row, episode in enumerate(self.episodes):
            if episode.get("id") == episode_id:
                self.tasks_list.setCurrentRow(row)
                return

    def chosen_outcome(self) -> str | None:
        """The outcome chosen in the combo box (None: not set)."""
        return OUTCOMES[max(self.outcome.currentIndex(), 0)][1]

    def _row_changed(self, row: int) -> None:
        self._show_outcome()
        self._update_buttons()
        if row >= 0:
            self.chosen.emit(row)

    def _show_outcome(self) -> None:
        episode = self.selected()
        value = episode.get("outcome") if episode else None
        index = next((i for i, (_l, v) in enumerate(OUTCOMES) if v == value), 0)
        self.outcome.blockSignals(True)
        self.outcome.setCurrentIndex(index)
        self.outcome.blockSignals(False)

    def _update_buttons(self) -> None:
        has = self.editable and self.selected() is not None
        row = self.tasks_list.currentRow()
        self.new_button.setEnabled(self.editable)
        for button in (
            self.split_button,
            self.start_button,
            self.end_button,
            self.edit_button,
            self.delete_button,
            self.outcome,
        ):
            button.setEnabled(has)
        self.merge_button.setEnabled(has and row + 1 < len(self.episodes))
