"""The review window's task edits: new task from selected actions, split, merge, move a bound,
edit the instruction, set the outcome, delete; each previewed, then run like a redaction.

The window keeps the session's episodes (``episodes``) beside its model; the Tasks tab
(app/review/tasks_panel.py) asks for an edit by name, and this builds the new list with
storage's helpers (storage/episodes.py: they refuse what storage would refuse) and hands a
change (app/review/task_changes.py) to the window's ChangeRunner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.qt.widgets import (
    QInputDialog,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QTabWidget,
    QWidget,
)
from app.review import task_changes
from app.review.change_runner import ChangeRunner
from app.review.dialogs import tell
from app.review.episode_bands import bands_for
from app.review.model import ReviewModel
from app.review.session import ReviewSession
from app.review.tasks_panel import TasksPanel
from app.review.widgets import Timeline
from storage import StorageError
from storage import episodes as episode_lists

Episode = dict[str, Any]


def ask_instruction(parent: QWidget, title: str, current: str) -> str | None:
    """The task's instruction, in the person's words (None: cancelled)."""
    text, ok = QInputDialog.getText(
        parent, f"Overt: {title}", "What was the person setting out to do?",
        QLineEdit.EchoMode.Normal, current,
    )  # fmt: skip
    return text.strip() if ok and text.strip() else None


class TaskCommands(QMainWindow):
    """The task edits, as methods: the Tasks tab's buttons and the tests call them.

    Attributes:
        episodes: the open session's task episodes, in time order.
        ask_instruction: asks for an instruction (title, current text); tests replace it.
    """

    model: ReviewModel | None
    session: ReviewSession | None
    runner: ChangeRunner
    tasks_panel: TasksPanel
    actions_list: QListWidget
    tabs: QTabWidget
    timeline: Timeline
    episodes: list[Episode]
    ask_instruction: Callable[[str, str], str | None]

    def _run_tasks(self, title: str, new: list[Episode] | None, done: str) -> bool:
        if new is None:
            return False
        change = task_changes.set_episodes(title, self.episodes, new, done)
        return self.runner.run(change, self.session)

    def _edit(self, title: str, build: Callable[[list[Episode]], list[Episode]], done: str) -> bool:
        """Build the new list with storage's helpers; a refusal is said in one sentence."""
        stored = [episode_lists.stored(e) for e in self.episodes]
        try:
            new = build(stored)
        except (StorageError, ValueError) as exc:
            tell(self, str(exc))
            return False
        return self._run_tasks(title, new, done)

    def _action_time(self, row: int, *, end: bool = False) -> float:
        assert self.model is not None
        action = self.model.actions[row]
        t = float(action.get("t") or 0.0)
        return float(action.get("t_end") or t) if end else t

    def _open_model_duration(self) -> float:
        assert self.model is not None
        return float(self.model.duration)

    def _selected_id(self) -> str | None:
        episode = self.tasks_panel.selected()
        return str(episode["id"]) if episode else None

    def create_task(self, instruction: str, first: int, last: int) -> bool:
        """A new task over actions ``first..last`` (list rows, inclusive)."""
        t0, t1 = self._action_time(first), self._action_time(last, end=True)
        return self._edit(
            "New task",
            lambda eps: episode_lists.add(eps, instruction, t0, t1),
            "Saved the new task.",
        )

    def split_task(self, episode_id: str, row: int) -> bool:
        """Split a task in two where action ``row`` starts."""
        t = self._action_time(row)
        return self._edit(
            "Split a task", lambda eps: episode_lists.split(eps, episode_id, t), "Split the task."
        )

    def merge_tasks(self, first_id: str, second_id: str) -> bool:
        """Merge two neighbouring tasks into one (the first one's instruction stays)."""
        return self._edit(
            "Merge tasks",
            lambda eps: episode_lists.merge(eps, first_id, second_id),
            "Merged the tasks.",
        )

    def move_task(self, episode_id: str, row: int, *, end: bool) -> bool:
        """Start (or end) a task at action ``row``."""
        episode = next(e for e in self.episodes if str(e["id"]) == episode_id)
        t0 = float(episode["t_start"])
        open_end = episode.get("t_end")  # an open episode runs to the session's end
        t1 = float(open_end) if open_end is not None else self._open_model_duration()
        if end:
            t1 = self._action_time(row, end=True)
        else:
            t0 = self._action_time(row)
        return self._edit(
            "Move a task's bound",
            lambda eps: episode_lists.move(eps, episode_id, t0, t1),
            "Moved the task's bound.",
        )

    def edit_task(self, episode_id: str, instruction: str) -> bool:
        """Replace a task's instruction."""
        return self._edit(
            "Edit a task",
            lambda eps: episode_lists.edit(eps, episode_id, instruction=instruction),
            "Saved the instruction.",
        )

    def set_task_outcome(self, episode_id: str, outcome: str | None) -> bool:
        """Set (or clear) a task's outcome."""
        return self._edit(
            "Set a task's outcome",
            lambda eps: episode_lists.edit(eps, episode_id, outcome=outcome),
            "Saved the outcome.",
        )

    def delete_task(self, episode_id: str) -> bool:
        """Delete a task (its instruction and outcome; its actions stay)."""
        return self._edit(
            "Delete a task",
            lambda eps: episode_lists.remove(eps, episode_id),
            "Deleted the task; its actions stay.",
        )

    # --- the Tasks tab ---------------------------------------------------------------------

    def show_tasks(self, model: ReviewModel) -> None:
        """Fill the Tasks tab and the timeline's bands from ``episodes``."""
        self.tasks_panel.fill(self.episodes)
        self.timeline.set_bands(bands_for(self.episodes, model.duration))
        self.tabs.setTabText(
            self.tabs.indexOf(self.tasks_panel),
            f"Tasks ({len(self.episodes)})" if self.episodes else "Tasks",
        )

    def _task_chosen(self, row: int) -> None:
        """Show the first action of the task chosen in the Tasks tab."""
        first = self.episodes[row].get("start_seq") if 0 <= row < len(self.episodes) else None
        model = self.model
        if first is None or model is None:
            return
        rows = [i for i, a in enumerate(model.actions) if a.get("seq") == first]
        if rows:
            self.actions_list.setCurrentRow(rows[0])

    def _task_requested(self, name: str) -> None:
        if self.model is None:
            return
        rows = sorted(i.row() for i in self.actions_list.selectedIndexes())
        current = self.actions_list.currentRow()
        episode_id = self._selected_id()
        episode = self.tasks_panel.selected()
        if name == "new":
            if not rows:
                tell(self, "First select the task's actions in the Actions tab.")
                return
            instruction = self.ask_instruction("New task", "")
            if instruction:
                self.create_task(instruction, rows[0], rows[-1])
            return
        if episode_id is None or episode is None:
            return
        if name in ("split", "start", "end") and current < 0:
            tell(self, "First choose an action in the Actions tab.")
        elif name == "split":
            self.split_task(episode_id, current)
        elif name in ("start", "end"):
            self.move_task(episode_id, current, end=name == "end")
        elif name == "merge":
            position = self.episodes.index(episode)
            self.merge_tasks(episode_id, str(self.episodes[position + 1]["id"]))
        elif name == "edit":
            instruction = self.ask_instruction("Edit a task", str(episode.get("instruction") or ""))
            if instruction:
                self.edit_task(episode_id, instruction)
        elif name == "outcome":
            self.set_task_outcome(episode_id, self.tasks_panel.chosen_outcome())
        elif name == "delete":
            self.delete_task(episode_id)
