"""The task episodes of the session being recorded: open one, close it with an outcome.

Each change writes the episode's latest version through the sink (storage folds them by id),
so a crash keeps every task up to its last change. Thread-safe: the tray's menu, the CLI's
control file and the pipeline's task hotkeys may all call in.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, cast

from recorder.capture.session_sink import SessionSink
from storage import episodes as episode_records
from storage.episodes import Episode
from storage.errors import InvalidEpisodes


class TaskLog:
    """The open episode (if any) and how episodes reach the session.

    Args:
        sink: the session being written.
        now: seconds since the session start, on the actions' clock.
        study_task_ids: the task ids the consent's study lists.
    """

    def __init__(
        self, sink: SessionSink, now: Callable[[], float], study_task_ids: set[str]
    ) -> None:
        self._sink = sink
        self._now = now
        self._task_ids = study_task_ids
        self._lock = threading.Lock()
        self._open: dict[str, Any] | None = None
        self._count = 0
        self._last_end = 0.0

    def new(
        self, instruction: str, study_task_id: str | None = None, at: float | None = None
    ) -> str:
        """Open a new episode now (closing the open one with no outcome); returns its id.

        Raises:
            InvalidEpisodes: the instruction is over its limit or the study lists no such task
                (nothing changes).
        """
        if study_task_id is not None and study_task_id not in self._task_ids:
            raise InvalidEpisodes(f"The study has no task {study_task_id!r}.")
        with self._lock:
            t = self._time(at)
            episode = episode_records.check_record(
                {
                    "id": f"e{self._count + 1}",
                    "instruction": instruction,
                    "t_start": t,
                    "t_end": None,
                    "study_task_id": study_task_id,
                }
            )
            if self._open is not None:
                self._close(None, t)
            self._sink.put_episode(episode)
            self._count += 1
            self._open = episode
            return str(episode["id"])

    def end(self, outcome: str | None, at: float | None = None) -> Episode | None:
        """Close the open episode with this outcome; returns it, or None if none was open.

        Raises:
            InvalidEpisodes: not an outcome.
        """
        if outcome is not None and outcome not in episode_records.OUTCOMES:
            raise InvalidEpisodes(
                f"{outcome!r} is not one of {', '.join(episode_records.OUTCOMES)}."
            )
        with self._lock:
            if self._open is None:
                return None
            return self._close(outcome, self._time(at))

    def set_instruction(self, instruction: str, study_task_id: str | None = None) -> None:
        """Give the open episode its instruction (a task hotkey opened it without one), and
        the study task it is, when the person chose one of the study's.

        Raises:
            InvalidEpisodes: no episode is open, the instruction is over its limit, or the
                study lists no such task.
        """
        if study_task_id is not None and study_task_id not in self._task_ids:
            raise InvalidEpisodes(f"The study has no task {study_task_id!r}.")
        with self._lock:
            if self._open is None:
                raise InvalidEpisodes("No task is open.")
            named = {**self._open, "instruction": instruction}
            if study_task_id is not None:
                named["study_task_id"] = study_task_id
            episode = episode_records.check_record(named)
            self._sink.put_episode(episode)
            self._open = episode

    def current(self) -> Episode | None:
        """The open episode, or None."""
        with self._lock:
            return None if self._open is None else _public(self._open)

    def _time(self, at: float | None) -> float:
        """Now (or ``at``), never before the last episode's end: episodes do not overlap."""
        t = round(self._now() if at is None else at, 6)
        return max(t, self._last_end, 0.0)

    def _close(self, outcome: str | None, t: float) -> Episode:
        assert self._open is not None
        episode = {**self._open, "t_end": max(t, self._open["t_start"]), "outcome": outcome}
        self._sink.put_episode(episode)
        self._open = None
        self._last_end = episode["t_end"]
        return _public(episode)


def _public(record: dict[str, Any]) -> Episode:
    return cast(Episode, {**record, "start_seq": None, "end_seq": None})
