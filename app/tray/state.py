"""The tray's state machine, without Qt: idle -> starting -> recording <-> paused -> stopping.

The tray widget only renders what this says (icon, menu, tooltip) and forwards clicks to it;
every transition is unit-tested here.

Elapsed time is counted as the review window and ``overt sessions`` count a session's Duration:
from the moment recording started, paused time included. So a time the tray showed while
something happened is where review's timeline shows it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from app.core.formatting import format_duration
from recorder.capture.hotkey import hotkey_label

#: Why capture paused, as said after "Paused".
BY_YOU = "by you"
BY_HOTKEY = "by the hotkey"
NO_ANSWER = "as nobody answered “Keep recording?”"

State = Literal["idle", "starting", "recording", "paused", "stopping"]
Icon = Literal["idle", "recording", "paused"]


class TransitionError(RuntimeError):
    """A request that makes no sense in the current state (a bug in the caller)."""


def _short(title: str, limit: int = 32) -> str:
    """A title short enough for a menu entry."""
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


@dataclass
class MenuItem:
    """One tray menu entry as the state machine sees it."""

    label: str
    enabled: bool


@dataclass
class TrayState:
    """Where the tray is, and what it shows.

    Attributes:
        state: the current state.
        session_id: the session being recorded (None when idle).
        events, frames: counts reported by the recorder.
        pause_reason: why capture is paused, said after "Paused" ("by you", "by the hotkey"...).
        study: the title of the study joined in Studies… ("" for personal recordings).
        task: the instruction of the task episode open now (None when none is open; "" for
            one the new-task hotkey opened and nobody has named yet).
        hotkey: the pause hotkey of the session being recorded ("" when none is).
        clock: monotonic seconds (a fake in tests).
    """

    clock: Callable[[], float] = time.monotonic
    state: State = "idle"
    session_id: str | None = None
    events: int = 0
    frames: int = 0
    pause_reason: str = ""
    study: str = ""
    task: str | None = None
    hotkey: str = ""
    _since: float | None = field(default=None, init=False)
    _until: float | None = field(default=None, init=False)

    # --- transitions ----------------------------------------------------------------------

    def _require(self, *states: State) -> None:
        if self.state not in states:
            raise TransitionError(f"cannot do that while {self.state}")

    def start_requested(self) -> None:
        """Consent was given: the recorder is starting (not yet capturing)."""
        self._require("idle")
        self.state = "starting"
        self.events = self.frames = 0
        self.task = None
        self._since = self._until = None

    def started(self, session_id: str) -> None:
        """The recorder confirmed it captures."""
        self._require("starting")
        self.state = "recording"
        self.session_id = session_id
        self._since = self.clock()

    def start_failed(self) -> None:
        """The recorder could not start: nothing was recorded."""
        self._require("starting")
        self.state = "idle"

    def pause(self, reason: str = BY_YOU) -> None:
        """Capture paused (the clock goes on: paused time is part of the session)."""
        self._require("recording")
        self.state = "paused"
        self.pause_reason = reason

    def resume(self) -> None:
        """Capture resumed."""
        self._require("paused")
        self.state = "recording"
        self.pause_reason = ""

    def stop_requested(self) -> None:
        """Stop asked for: the recorder is finishing its writes."""
        self._require("recording", "paused")
        self._stop_clock()
        self.state = "stopping"

    def stopped(self) -> None:
        """The recorder finished (after a stop request, or by itself)."""
        self._require("starting", "recording", "paused", "stopping")
        self._stop_clock()
        self.state = "idle"
        self.session_id = None
        self.pause_reason = ""
        self.task = None

    def task_started(self, instruction: str) -> None:
        """A task episode began (an open one, if any, ended)."""
        self._require("recording", "paused")
        self.task = instruction

    def task_named(self, instruction: str) -> None:
        """The open task episode got its instruction (after the new-task hotkey)."""
        if self.task is not None:
            self.task = instruction

    def task_ended(self) -> None:
        """The open task episode ended (done, failed or abandoned)."""
        self.task = None

    def counts(self, events: int, frames: int) -> None:
        """Latest counts from the recorder."""
        self.events, self.frames = events, frames

    def _stop_clock(self) -> None:
        if self._since is not None and self._until is None:
            self._until = self.clock()

    # --- what to show ---------------------------------------------------------------------

    def elapsed(self) -> float:
        """Seconds since recording started, paused time included (until stop was asked)."""
        if self._since is None:
            return 0.0
        return (self._until if self._until is not None else self.clock()) - self._since

    @property
    def icon(self) -> Icon:
        """Which icon: recording (solid red disc), paused (two bars) or idle (hollow ring)."""
        if self.state in ("recording", "starting"):
            return "recording"
        if self.state == "paused":
            return "paused"
        return "idle"

    def status(self) -> str:
        """One line: what Overt is doing now."""
        counts = f"{self.events} events, {self.frames} frames"
        task = "" if self.task is None else f" · Task: {_short(self.task) or '(not named yet)'}"
        if self.state == "recording":
            return f"Recording {format_duration(self.elapsed())} · {counts}{task}"
        if self.state == "paused":
            elapsed = format_duration(self.elapsed())
            return f"Paused {self.pause_reason} · {elapsed} · {counts}{task}"
        if self.state == "starting":
            return "Starting to record…"
        if self.state == "stopping":
            return "Stopping: saving what was recorded…"
        return "Not recording"

    def tooltip(self) -> str:
        """The tray icon's tooltip: what Overt does, and while it records, the pause hotkey."""
        if self.hotkey and self.state in ("recording", "paused"):
            verb = "resume" if self.state == "paused" else "pause"
            return f"Overt: {self.status()} · {hotkey_label(self.hotkey)} to {verb}"
        return f"Overt: {self.status()}"

    def menu(self) -> dict[str, MenuItem]:
        """Menu entries by name, with labels and whether they can be used now."""
        idle = self.state == "idle"
        active = self.state in ("recording", "paused")
        studies = f"Studies… ({_short(self.study)})" if self.study else "Studies…"
        return {
            "status": MenuItem(self.status(), False),
            "record": MenuItem("Record…", idle),
            "pause": MenuItem("Resume" if self.state == "paused" else "Pause", active),
            "stop": MenuItem("Stop", active),
            "new_task": MenuItem("New task…", active),
            "task_done": MenuItem("Task done", active and self.task is not None),
            "task_failed": MenuItem("Task failed", active and self.task is not None),
            "review": MenuItem("Review…", True),
            "studies": MenuItem(studies, True),
            # One click away even while recording: withdrawing that session stops it first.
            "withdraw": MenuItem("Withdraw…", idle or active),
            "settings": MenuItem("Settings…", True),
            "quit": MenuItem("Quit" if idle else "Stop and quit", self.state != "stopping"),
        }
