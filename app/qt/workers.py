"""Running slow work off the GUI thread: a QRunnable whose result comes back as a signal."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from storage import StorageError

log = logging.getLogger(__name__)


class TaskSignals(QObject):
    """Signals of one task (a QRunnable cannot have its own).

    Signals:
        done(object): the function's return value.
        failed(str): a one-sentence error (a StorageError or OSError) for the user.
    """

    done = Signal(object)
    failed = Signal(str)


class Task(QRunnable):
    """Calls ``fn()`` in a pool thread and reports through ``signals``.

    Attributes:
        signals: where the result or error is emitted (delivered in the GUI thread).
    """

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = TaskSignals()

    def run(self) -> None:
        """Run in the pool thread."""
        try:
            result = self.fn()
        except (StorageError, OSError, ValueError) as exc:
            self.signals.failed.emit(str(exc))
            return
        except Exception as exc:
            log.exception("review task failed")
            self.signals.failed.emit(f"Something went wrong ({type(exc).__name__}); see the log.")
            return
        self.signals.done.emit(result)


def submit(
    pool: QThreadPool,
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[str], None],
    keep: list[Task],
) -> Task:
    """Run ``fn`` in ``pool``; ``keep`` holds the task until it reports (signal lifetime)."""
    task = Task(fn)
    task.setAutoDelete(False)
    keep.append(task)

    def finished_ok(result: object) -> None:
        if task in keep:
            keep.remove(task)
        on_done(result)

    def finished_bad(message: str) -> None:
        if task in keep:
            keep.remove(task)
        on_failed(message)

    task.signals.done.connect(finished_ok)
    task.signals.failed.connect(finished_bad)
    pool.start(task)
    return task
