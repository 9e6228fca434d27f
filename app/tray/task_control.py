"""The tray's task entries: New task…, Task done and Task failed, while a session records.

Each marks a task episode in the running recorder (``recorder.session.Recorder.new_task`` /
``end_task``). The recorder's task hotkeys act without the menu: the new-task hotkey opens an
episode at that moment, with no words yet, and the tray then asks for its instruction
(``set_task_instruction``); every second the tray also reads back which task is open
(``current_task``) and shows it. While a session records, ``overt task mark done`` and
``overt task new`` from a terminal reach it too (app/core/task_control.py's named pipes).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from app.core.task_control import ControlError, TaskControlServer
from app.dialogs.new_task_dialog import NewTaskDialog, TaskChoice
from app.qt.core import QObject, Signal
from app.tray.recording import RecordingController
from app.tray.state import TrayState
from recorder.capture.task_hotkeys import OUTCOME_OF

log = logging.getLogger(__name__)

#: What each ending is called in the notice.
ENDINGS = {"success": "done", "failure": "failed", "abandoned": "abandoned"}


def study_tasks(consent: Mapping[str, Any] | None) -> tuple[list[TaskChoice], bool]:
    """The tasks the recording's study assigns, and whether free-text tasks are allowed.

    Taken from the session's own consent record (what the recorder checks task ids
    against), not the study joined now: recording without the study offers none.
    """
    study = consent.get("study") if isinstance(consent, Mapping) else None
    if not isinstance(study, Mapping):
        return [], True
    tasks = [
        TaskChoice(str(t["id"]), str(t.get("instruction", "")), str(t.get("start_hint") or ""))
        for t in study.get("tasks") or []
        if isinstance(t, Mapping) and isinstance(t.get("id"), str)
    ]
    rules = study.get("task_rules")
    free_text = bool(rules.get("free_text", True)) if isinstance(rules, Mapping) else True
    return tasks, free_text


class TaskControl(QObject):
    """Starts and ends task episodes of the session being recorded.

    Attributes:
        state: the tray's state machine (its ``task`` is the open task's instruction).
        controller: runs the recorder; its ``recorder`` takes the task marks.
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
        home: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        """Args:
        home: the vault folder, where terminals' task commands arrive (None: they do not).
        """
        super().__init__(parent)
        self.state = state
        self.controller = controller
        self.home = home
        self.dialog: NewTaskDialog | None = None
        self.server: TaskControlServer | None = None
        controller.task_hotkey.connect(self.hotkey)
        controller.started.connect(self._serve)
        controller.stopped.connect(self._stop_serving)
        controller.failed.connect(self._stop_serving)

    def _serve(self) -> None:
        """Take `overt task ...` from terminals while this session records."""
        recorder = self.controller.recorder
        if self.home is None or recorder is None or self.server is not None:
            return
        try:
            self.server = TaskControlServer(self.home, recorder)
        except (OSError, ControlError) as exc:
            log.warning("task commands from terminals are off: %s", exc)

    def _stop_serving(self, *_args: object) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def _recorder(self) -> Any:
        if self.state.state not in ("recording", "paused"):
            return None
        return self.controller.recorder

    def new_task(self) -> NewTaskDialog | None:
        """New task…: ask for the instruction (non-modal); the episode starts on Start task."""
        return self._ask(self.start_task, current=self.state.task or "")

    def _ask(
        self, then: Callable[[str, Any], object], *, current: str = "", naming: bool = False
    ) -> NewTaskDialog | None:
        if self._recorder() is None:
            return None
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.close()
        tasks, free_text = study_tasks(getattr(self.controller.recorder, "consent", None))
        self.dialog = NewTaskDialog(
            tasks, allow_free_text=free_text, current=current, naming=naming
        )
        self.dialog.chosen.connect(then)
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
        if not self._mark("started", lambda: recorder.new_task(instruction, study_task_id)):
            return False
        self.state.task_started(instruction)
        self._started_notice(instruction)
        return True

    def _mark(self, what: str, call: Callable[[], object]) -> bool:
        """Make one mark in the recorder; a refusal is said in one sentence (capture goes on)."""
        try:
            call()
        except Exception as exc:
            log.exception("a task could not be %s", what)
            self.problem.emit(f"The task could not be {what}: {exc}")
            return False
        return True

    def _started_notice(self, instruction: str) -> None:
        self.changed.emit()
        self.notice.emit("Task started", f"“{instruction}”. Mark it done or failed when it ends.")

    def end_task(self, outcome: str) -> bool:
        """Task done / Task failed: end the open episode with ``outcome``."""
        recorder = self._recorder()
        if recorder is None or self.state.task is None:
            return False
        instruction = self.state.task or "(not named)"
        if not self._mark("marked", lambda: recorder.end_task(outcome)):
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

    def hotkey(self, name: str, episode_id: object) -> None:
        """A task hotkey fired in the recorder (it already acted): follow it, and for a new
        task ask for its words."""
        recorder = self._recorder()
        if recorder is None:
            return
        if name == "new":
            self.state.task_started("")
            self.changed.emit()
            self._ask(self.name_task, naming=True)
            return
        if episode_id is None:
            return  # done or failed with no task open: nothing happened
        instruction = self.state.task or "(not named)"
        self.state.task_ended()
        self.changed.emit()
        self.notice.emit(f"Task {ENDINGS[OUTCOME_OF[name]]}", f"“{instruction}”.")

    def name_task(self, instruction: str, study_task_id: str | None = None) -> bool:
        """Give the task the new-task hotkey opened its instruction."""
        recorder = self._recorder()
        if recorder is None:
            return False
        if not self._mark(
            "named", lambda: recorder.set_task_instruction(instruction, study_task_id)
        ):
            return False
        self.state.task_named(instruction)
        self._started_notice(instruction)
        return True

    def sync(self) -> None:
        """Read back the open task (the task hotkeys change it without the menu)."""
        recorder = self._recorder()
        if recorder is None:
            return
        try:
            current = recorder.current_task()
        except Exception:  # noqa: BLE001 - the tooltip is a nicety; the marks are stored
            return
        instruction = None if current is None else str(current.get("instruction") or "")
        if instruction == self.state.task:
            return
        if instruction is None:
            self.state.task_ended()
        elif self.state.task is None:
            self.state.task_started(instruction)
        elif self.state.task == "":
            self.state.task_named(instruction)
        else:
            self.state.task_started(instruction)
        self.changed.emit()
