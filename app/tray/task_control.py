"""The tray's task entries: New task…, Task done and Task failed, while a session records.

Each marks a task episode in the running recorder (``recorder.session.Recorder.new_task`` /
``end_task``); the recorder's own task hotkeys do the same without the menu, so every second
the tray reads back which task is open (``current_task``) and shows it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from app.dialogs.new_task_dialog import NewTaskDialog, TaskChoice
from app.qt.core import QObject, Signal
from app.tray.recording import RecordingController
from app.tray.state import TrayState

log = logging.getLogger(__name__)

#: What each ending is called in the notice.
ENDINGS = {"success": "done", "failure": "failed", "abandoned": "abandoned"}


class TaskControl(QObject):
    """Starts and ends task episodes of the session being recorded.

    Attributes:
        state: the tray's state machine (its ``task`` is the open task's instruction).
        controller: runs the recorder; its ``recorder`` takes the task marks.
        study_tasks: the joined study's tasks and whether free text is allowed (a callable,
            so a study joined after start-up is seen).
        dialog: the New task… window while it is open.

    Signals:
        changed(): the task state changed; render it.
        notice(str, str): a notification to show (title, message).
        problem(str): a mark could not be made (one sentence).
    """

    changed = Signal()
    notice = Signal(str, str)
    problem = Signal(str)

    def __init__(
        self,
        state: TrayState,
        controller: RecordingController,
        study_tasks: Callable[[], tuple[list[TaskChoice], bool]] = lambda: ([], True),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.controller = controller
        self.study_tasks = study_tasks
        self.dialog: NewTaskDialog | None = None

    def _recorder(self) -> Any:
        if self.state.state not in ("recording", "paused"):
            return None
        return self.controller.recorder

    def new_task(self) -> NewTaskDialog | None:
        """New task…: ask for the instruction (non-modal); the episode starts on Start task."""
        if self._recorder() is None:
            return None
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        tasks, free_text = self.study_tasks()
        self.dialog = NewTaskDialog(tasks, allow_free_text=free_text, current=self.state.task)
        self.dialog.chosen.connect(self.start_task)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def start_task(self, instruction: str, study_task_id: str | None = None) -> bool:
        """Begin a task episode now (the open one, if any, ends with no outcome)."""
        recorder = self._recorder()
        if recorder is None:
            self.problem.emit("The task was not started: nothing is being recorded now.")
            return False
        try:
            recorder.new_task(instruction, study_task_id)
        except Exception as exc:  # one sentence; the recording goes on
            log.exception("starting a task failed")
            self.problem.emit(f"The task could not be started: {exc}")
            return False
        self.state.task_started(instruction)
        self.changed.emit()
        self.notice.emit("Task started", f"“{instruction}”. Mark it done or failed when it ends.")
        return True

    def end_task(self, outcome: str) -> bool:
        """Task done / Task failed: end the open episode with ``outcome``."""
        recorder = self._recorder()
        if recorder is None or not self.state.task:
            return False
        instruction = self.state.task
        try:
            recorder.end_task(outcome)
        except Exception as exc:  # one sentence; the recording goes on
            log.exception("ending a task failed")
            self.problem.emit(f"The task could not be marked: {exc}")
            return False
        self.state.task_ended()
        self.changed.emit()
        self.notice.emit(f"Task {ENDINGS.get(outcome, outcome)}", f"“{instruction}”.")
        return True

    def done(self) -> bool:
        """Task done."""
        return self.end_task("success")

    def failed(self) -> bool:
        """Task failed."""
        return self.end_task("failure")

    def sync(self) -> None:
        """Read back the open task (the task hotkeys change it without the menu)."""
        recorder = self._recorder()
        if recorder is None:
            return
        try:
            current = recorder.current_task()
        except Exception:  # noqa: BLE001 - the tooltip is a nicety; the marks are stored
            return
        instruction = str(current.get("instruction", "")) if current else ""
        if instruction != self.state.task:
            if instruction:
                self.state.task_started(instruction)
            else:
                self.state.task_ended()
            self.changed.emit()
