"""Every change in the review window goes the same way: preview, confirm, run off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable

from app.qt.core import QObject, QThreadPool, Signal
from app.qt.workers import Task, submit
from app.review.changes import Change
from app.review.previews import Preview
from app.review.session import ReviewSession


class ChangeRunner(QObject):
    """Offers a change's preview to the person and, once confirmed, applies it in the pool.

    Signals:
        status(str): a line for the status bar (nothing would change; applying…).
        started(): confirmed and running: scans of the old files stop, tools go off.
        applied(str, str, bool): the result line, the session id, and whether the session
            is gone (else it is reopened to show what changed).
        failed(str): applying failed (one sentence); the tools come back.
    """

    status = Signal(str)
    started = Signal()
    applied = Signal(str, str, bool)
    failed = Signal(str)

    def __init__(
        self,
        pool: QThreadPool,
        confirm: Callable[[Preview], bool],
        parent: QObject | None = None,
    ) -> None:
        """Args:
        pool: where changes run.
        confirm: shows a preview and says whether the person accepted it.
        parent: the owning window.
        """
        super().__init__(parent)
        self.pool = pool
        self.confirm = confirm
        self._tasks: list[Task] = []

    def run(self, change: Change, session: ReviewSession | None) -> bool:
        """Preview, confirm, then apply ``change`` to ``session``; True if it was started."""
        if session is None:
            return False
        title = change.preview.title
        if change.preview.empty:
            self.status.emit(f"{title}: nothing would change.")
            return False
        if not self.confirm(change.preview):
            return False
        self.started.emit()
        self.status.emit(f"{title}…")
        sid = session.session_id

        def applied(result: object) -> None:
            self.applied.emit(change.message(result), sid, change.closes)

        submit(self.pool, lambda: change.apply(session), applied, self.failed.emit, self._tasks)
        return True
