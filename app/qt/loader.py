"""Loads off the GUI thread whose results count only while nothing newer was asked for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QThreadPool

from app.qt.workers import Task, submit


class CurrentLoader:
    """Runs loads in a pool and drops what they report once the view has moved on.

    A window that shows one thing at a time (the review window: one session) calls
    :meth:`renew` when it switches to another or closes; every load still running for the
    old one then reports nowhere, so no caller keeps and compares a generation counter.

    Attributes:
        pool: where the loads run.
    """

    def __init__(self, pool: QThreadPool) -> None:
        self.pool = pool
        self._generation = 0
        self._tasks: list[Task] = []

    def renew(self) -> None:
        """Make every load still running stale: neither its result nor its failure arrives."""
        self._generation += 1

    def start(
        self,
        load: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[str], None],
        *,
        settled: Callable[[], None] | None = None,
    ) -> Task:
        """Run ``load()`` in the pool; in the GUI thread, ``done(result)`` or
        ``failed(message)`` if no :meth:`renew` came in between.

        Args:
            load: the slow part (runs in a pool thread).
            done: takes the result.
            failed: takes a one-sentence error.
            settled: called first whenever the load reports, current or stale, e.g. to free
                a one-at-a-time slot the caller holds while it runs.
        """
        generation = self._generation

        def report(deliver: Callable[[Any], None], value: Any) -> None:
            if settled is not None:
                settled()
            if generation == self._generation:
                deliver(value)

        return submit(
            self.pool,
            load,
            lambda result: report(done, result),
            lambda message: report(failed, message),
            self._tasks,
        )
