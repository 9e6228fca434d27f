"""The tray's adapter over the recorder: a session runs in its own threads, never the GUI's.

``Recorder.start`` (which waits for capture to be confirmed ready) and ``Recorder.wait`` /
``stop`` (which join the capture threads and flush the vault) run in one Python thread per
session; results come back to the GUI thread as queued Qt signals.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol

from app.qt.core import QObject, Signal
from recorder.errors import RecorderError
from storage import StorageError

log = logging.getLogger(__name__)

SinkFactory = Callable[[dict[str, Any]], Any]


class RecorderLike(Protocol):
    """What the tray needs of ``recorder.session.Recorder`` (a fake in tests)."""

    def start(self, open_sink: SinkFactory) -> str: ...
    def pause(self) -> None: ...
    def resume(self) -> None: ...
    @property
    def paused(self) -> bool: ...
    def request_stop(self, reason: str = "stopped") -> None: ...
    def wait(self) -> str: ...
    def stop(self, reason: str = "stopped") -> Any: ...
    def summary(self, reason: str = "") -> Any: ...
    def new_task(self, instruction: str, study_task_id: str | None = None) -> str: ...
    def end_task(self, outcome: str) -> Any: ...
    def set_task_instruction(self, instruction: str, study_task_id: str | None = None) -> None: ...
    def current_task(self) -> Any: ...


def default_recorder(consent: dict[str, Any]) -> RecorderLike:
    """The real recorder on this platform's capture backend."""
    from recorder.platform.backend import default_backend
    from recorder.session import Recorder

    return Recorder(consent, default_backend())


class RecordingController(QObject):
    """Starts, pauses, resumes and stops one session at a time, off the GUI thread.

    Attributes:
        recorder: the session's recorder while one runs, else None.

    Signals:
        started(str): capture confirmed ready; the session id.
        stopped(object): the session ended; its summary dict (with ``reason``).
        failed(str): it could not start, or broke (one sentence; nothing half-recorded).
        task_hotkey(str, object): a task hotkey fired ("new", "done" or "failed") and the
            episode it opened or closed (None: nothing was open to close); from the
            recorder's thread, delivered on the GUI's.
    """

    task_hotkey = Signal(str, object)
    started = Signal(str)
    stopped = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        open_sink: SinkFactory,
        make_recorder: Callable[[dict[str, Any]], RecorderLike] = default_recorder,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.open_sink = open_sink
        self.make_recorder = make_recorder
        self.recorder: RecorderLike | None = None
        self._thread: threading.Thread | None = None

    def start(self, consent: dict[str, Any]) -> None:
        """Begin recording with this affirmed consent record (returns at once)."""
        if self._thread is not None and self._thread.is_alive():
            raise RuntimeError("a session is already being recorded")
        self._thread = threading.Thread(
            target=self._run, args=(consent,), name="overt-session", daemon=True
        )
        self._thread.start()

    def _run(self, consent: dict[str, Any]) -> None:
        try:
            recorder = self.make_recorder(consent)
            if hasattr(recorder, "on_task_hotkey"):
                recorder.on_task_hotkey = self.task_hotkey.emit
            self.recorder = recorder
            session_id = recorder.start(self.open_sink)
        except (RecorderError, StorageError, OSError) as exc:
            self.recorder = None
            self.failed.emit(str(exc))
            return
        except Exception as exc:
            log.exception("the recorder failed to start")
            self.recorder = None
            self.failed.emit(f"Recording could not start ({type(exc).__name__}); see the log.")
            return
        self.started.emit(session_id)
        try:
            reason = recorder.wait()
            summary = recorder.stop(reason)
            result = summary.to_dict() if hasattr(summary, "to_dict") else dict(summary)
        except (RecorderError, StorageError, OSError) as exc:
            # a full disk: the sentence is for the person, the session stays readable
            result = {"session_id": session_id, "reason": "failed", "error": str(exc)}
        except Exception as exc:
            log.exception("the recorder failed while stopping")
            result = {"session_id": session_id, "reason": "failed", "error": str(exc)}
        failure = getattr(recorder, "failure", None)
        if failure is not None and "error" not in result:
            result.update(reason="failed", error=str(failure))
        result.setdefault("reason", "stopped")
        self.recorder = None
        self.stopped.emit(result)

    def pause(self) -> None:
        """Pause capture now (a flag in the pipeline: quick)."""
        if self.recorder is not None:
            self.recorder.pause()

    def resume(self) -> None:
        """Resume capture."""
        if self.recorder is not None:
            self.recorder.resume()

    def stop(self) -> None:
        """Ask the session to stop; ``stopped`` follows once everything is written."""
        if self.recorder is not None:
            self.recorder.request_stop("stopped")

    def counts(self) -> tuple[int, int, bool]:
        """(events, frames, paused) of the running session, or zeros."""
        recorder = self.recorder
        if recorder is None:
            return 0, 0, False
        try:
            s = recorder.summary()
            return int(s.events), int(s.frames), bool(recorder.paused)
        except Exception:  # noqa: BLE001 - the counts are a nicety in the tooltip
            return 0, 0, False

    def wait_finished(self, timeout: float = 10.0) -> None:
        """Join the session thread (on quit, after ``stop``)."""
        if self._thread is not None:
            self._thread.join(timeout)
