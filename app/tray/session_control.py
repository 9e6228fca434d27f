"""Recording control for the tray: start, pause, resume and stop a session, and re-confirmation.

The recorder runs in its own threads (app/tray/recording.py); this drives the tray's state
machine from what it reports, counts each second, and asks "Keep recording?" on schedule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.qt.core import QObject, QTimer, Signal
from app.tray.recording import RecorderLike, RecordingController, SinkFactory
from app.tray.state import BY_HOTKEY, NO_ANSWER, TrayState
from app.tray.widgets import ReconfirmPrompt
from recorder.consent.reconfirm import ReconfirmSchedule


class SessionControl(QObject):
    """One session at a time, from an affirmed consent record to its saved summary.

    Attributes:
        state: the tray's state machine (shared with the tray, which renders it).
        controller: runs the recorder in its threads.
        schedule: the consent re-confirmation schedule.
        prompt: the "Keep recording?" question.
        timer: ticks every second while recording.
        quit_when_stopped: the person chose Quit while recording; quit once it is saved.

    Signals:
        changed(): the state changed; render it.
        notice(str, str): a notification to show (title, message).
        problem(str): recording failed (one sentence for an error box).
        quit_ready(): a quit waited for the recording to be saved, and it is.
    """

    changed = Signal()
    notice = Signal(str, str)
    problem = Signal(str)
    quit_ready = Signal()

    def __init__(
        self,
        state: TrayState,
        open_sink: SinkFactory,
        make_recorder: Callable[[dict[str, Any]], RecorderLike],
        schedule: ReconfirmSchedule,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.schedule = schedule
        self.controller = RecordingController(open_sink, make_recorder, self)
        self.controller.started.connect(self._started)
        self.controller.stopped.connect(self._stopped)
        self.controller.failed.connect(self._failed)
        self.quit_when_stopped = False
        self._after_stop: list[Callable[[], None]] = []
        self.prompt = ReconfirmPrompt(self.schedule.timeout_s / 60)
        self.prompt.answered.connect(self._reconfirm_answered)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)

    def start(self, record: dict[str, Any] | None) -> None:
        """Start recording with the affirmed consent ``record`` (nothing without one)."""
        if record is None or self.state.state != "idle":
            return
        self.state.start_requested()
        self.state.hotkey = str(record.get("scope", {}).get("pause_hotkey") or "")
        self.changed.emit()
        self.controller.start(record)

    def _started(self, session_id: str) -> None:
        self.state.started(session_id)
        self.schedule = ReconfirmSchedule(
            self.schedule.interval_s, self.schedule.timeout_s, self.schedule.clock
        )
        self.schedule.resume()
        self.timer.start()
        self.changed.emit()
        self.notice.emit("Overt is recording", "Pause or stop from this icon at any time.")

    def _failed(self, message: str) -> None:
        if self.state.state == "starting":
            self.state.start_failed()
        elif self.state.state != "idle":
            self.state.stopped()
        self.timer.stop()
        self.changed.emit()
        self.problem.emit(message)

    def _stopped(self, summary: dict[str, Any]) -> None:
        if self.state.state != "idle":
            self.state.stopped()
        self.timer.stop()
        self.prompt.hide()
        self.changed.emit()
        if summary.get("error"):
            # it stopped itself (a full disk...): say why first
            self.notice.emit("Overt stopped recording", str(summary["error"]))
        else:
            self.notice.emit(
                "Overt stopped recording",
                f"Saved {summary.get('events', 0)} events and {summary.get('frames', 0)} "
                "frames, encrypted. Review them with Review….",
            )
        after, self._after_stop = self._after_stop, []
        for then in after:
            then()
        if self.quit_when_stopped:
            self.quit_ready.emit()

    def toggle_pause(self) -> None:
        """Pause or resume."""
        if self.state.state == "recording":
            self.controller.pause()
            self.schedule.pause()
            self.state.pause()
        elif self.state.state == "paused":
            self.controller.resume()
            self.schedule.resume()
            self.state.resume()
        self.changed.emit()

    def stop(self) -> None:
        """Stop: the recorder finishes its writes in its own thread."""
        if self.state.state in ("recording", "paused"):
            self.state.stop_requested()
            self.prompt.hide()
            self.controller.stop()
            self.changed.emit()

    def stop_then(self, then: Callable[[], None]) -> None:
        """Stop the recording and call ``then`` once it is saved (at once when idle)."""
        if self.state.state == "idle":
            then()
            return
        self._after_stop.append(then)
        self.stop()

    def tick(self) -> None:
        """Each second: counts, hotkey pauses, and the re-confirmation schedule."""
        events, frames, paused = self.controller.counts()
        self.state.counts(events, frames)
        if paused and self.state.state == "recording":
            self.state.pause(BY_HOTKEY)
            self.schedule.pause()
        elif (
            not paused
            and self.state.state == "paused"
            and self.controller.recorder
            and self.state.pause_reason == BY_HOTKEY
        ):
            self.state.resume()
            self.schedule.resume()
        if self.state.state == "recording":
            verdict = self.schedule.check()
            if verdict == "ask":
                self.prompt.show()
                self.prompt.raise_()
                self.notice.emit("Overt: keep recording?", "Please confirm you want to continue.")
            elif verdict == "pause":
                self.controller.pause()
                self.schedule.pause()
                self.state.pause(NO_ANSWER)
                self.prompt.hide()
                self.notice.emit(
                    "Overt paused recording",
                    "Nobody confirmed to keep recording, so capture paused.",
                )
        self.changed.emit()

    def _reconfirm_answered(self, keep: bool) -> None:
        if self.state.state != "recording":
            return
        if keep:
            self.schedule.confirmed()
        else:
            self.toggle_pause()
