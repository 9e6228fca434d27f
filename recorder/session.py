"""A recording session: readiness, start, pause/resume, stop, and its summary.

``Recorder`` refuses to start without a consent record, confirms the input sources really
deliver events (an injected sentinel) before anything is written, and stops cleanly.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from recorder.capture.frames import FrameService
from recorder.capture.grounding import Grounding
from recorder.capture.memory import keep_large_blocks_unmapped, reuse_image_blocks
from recorder.capture.pipeline import Pipeline
from recorder.capture.policy import Policy
from recorder.capture.rawinput import RawInput
from recorder.capture.session_sink import SessionSink
from recorder.capture.task_hotkeys import DEFAULT_TASK_HOTKEYS, OUTCOME_OF, parse_task_hotkeys
from recorder.consent.record import scope_from_consent
from recorder.errors import NotReady, RecorderError
from recorder.platform.accessibility.element import ElementSource
from recorder.platform.backend import Backend
from recorder.platform.guards import GuardWatcher, InputGuard, default_guards
from recorder.tasks import TaskLog
from storage.episodes import Episode, study_task_ids

SinkFactory = Callable[[dict[str, Any]], SessionSink]


@dataclass
class Summary:
    """What a finished session holds."""

    session_id: str
    reason: str
    duration_s: float
    events: int
    actions: int
    frames: int
    drops: int
    frame_drops: int
    pre_frames_missed: int
    suppressed: int

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class Recorder:
    """Records one session through a backend into a sink.

    Args:
        consent: the session's consent record; its ``scope`` decides what is captured.
        backend: the platform's sources.
        clock: monotonic clock (seconds); wall: Unix time.
        elements: builds the accessibility source the UI element of each action is looked up
            with; by default the backend's ``make_element_source`` where it has one; None
            records no elements.
    """

    def __init__(
        self,
        consent: dict[str, Any],
        backend: Backend,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        raw_capacity: int = 200_000,
        frame_options: dict[str, Any] | None = None,
        reorder_s: float = 0.03,
        guards: list[InputGuard] | None = None,
        task_hotkeys: Mapping[str, str] | None = None,
        on_task_hotkey: Callable[[str, str | None], None] | None = None,
        elements: Callable[[], ElementSource] | Literal["backend"] | None = "backend",
    ) -> None:
        self.consent = consent
        self.scope = scope_from_consent(consent)
        self.backend = backend
        self.clock = clock
        self.wall = wall
        self.raw = RawInput(raw_capacity, clock)
        self.sink: SessionSink | None = None
        self.pipeline: Pipeline | None = None
        self.frames: FrameService | None = None
        self.t0 = 0.0
        self.state = "idle"
        self._frame_options = frame_options or {}
        self._reorder_s = reorder_s
        self._guards = guards
        if elements == "backend":
            elements = getattr(backend, "make_element_source", None)
        self._elements: Callable[[], ElementSource] | None = elements
        self.guard_watcher: GuardWatcher | None = None
        self._stop_requested = threading.Event()
        self._stop_reason = "stopped"
        self._lock = threading.Lock()
        hotkeys = DEFAULT_TASK_HOTKEYS if task_hotkeys is None else dict(task_hotkeys)
        parse_task_hotkeys(self.scope.pause_hotkey, hotkeys)  # a bad chord fails before start
        self.task_hotkeys = hotkeys
        self.on_task_hotkey = on_task_hotkey
        self.tasks: TaskLog | None = None

    # --- lifecycle -------------------------------------------------------------------------

    def start(self, open_sink: SinkFactory, *, ready_timeout: float = 5.0) -> str:
        """Start the sources, confirm readiness, then open the sink and record.

        Nothing is written unless readiness was confirmed; on return input is captured and
        the first frame is written. Returns the session id.

        Raises:
            NotReady: the input sources did not deliver the sentinel in time.
            RecorderError: a source could not start.
        """
        if self.state != "idle":
            raise RecorderError("This recorder was already started.")
        keep_large_blocks_unmapped()  # frame buffers back to the OS: memory stays flat
        reuse_image_blocks()  # ...except a few, reused without faulting pages in again
        self.backend.start_input(self.raw)
        try:
            self._confirm_ready(ready_timeout)
        except BaseException:
            self.backend.stop_input()
            raise
        self.raw.drain()
        self.t0 = self.clock()
        wall0 = self.wall()
        try:
            self.sink = open_sink(self.consent)
        except BaseException:
            self.backend.stop_input()
            raise
        if self.scope.frames:
            self.frames = FrameService(
                self.backend.make_screen,
                self.sink,
                t0=self.t0,
                wall0=wall0,
                fps=self.scope.fps,
                monitors=self.scope.monitors,
                wait_for_masks=self.backend.reports_visible_windows,
                clock=self.clock,
                **self._frame_options,
            )
        grounding = None
        if self._elements is not None and (self.scope.mouse or self.scope.keys):
            grounding = Grounding(
                self._elements, self.sink, self.scope, t0=self.t0, clock=self.clock
            )
        self.pipeline = Pipeline(
            self.raw,
            self.sink,
            self.scope,
            frames=self.frames,
            resolve_key=self.backend.resolve_key,
            button_name=self.backend.button_name,
            t0=self.t0,
            wall0=wall0,
            policy=Policy(self.scope),
            clock=self.clock,
            reorder_s=self._reorder_s,
            grounding=grounding,
            task_hotkeys=self.task_hotkeys,
            on_task_hotkey=self._task_hotkey,
        )
        self.tasks = TaskLog(
            self.sink, lambda: self.clock() - self.t0, study_task_ids(self.consent)
        )
        try:
            if self.frames is not None:
                self.frames.start()
            self.pipeline.start()
            self.backend.start_windows(self.raw)
            self._start_guards()
            if self.frames is not None:
                # "recording" means frames flow too: the first one is written (or none may
                # be, as the active window is out of scope); bounded, a slow disk only delays.
                self.frames.wait_first(ready_timeout)
        except BaseException:
            self._shutdown("interrupted")
            raise
        self.state = "recording"
        return self.sink.session_id

    def _start_guards(self) -> None:
        """Poll the focused-field guards (only when key text is recorded at all)."""
        if self.pipeline is None or self.pipeline.text_mode == "none":
            return
        guards = default_guards() if self._guards is None else self._guards
        self.guard_watcher = GuardWatcher(guards, self.raw.on_guard)
        self.guard_watcher.start()

    def _confirm_ready(self, timeout: float, reinject_s: float = 0.25) -> None:
        """Wait until injected sentinel input comes back through the listeners.

        A listener can report itself started before the X server delivers to it (pynput's
        ``Listener.wait()`` returned before RECORD was enabled in 2 of 6 burst runs, and the
        first events were lost), so a sentinel injected too early is lost: it is injected
        again until one arrives.
        """
        deadline = self.clock() + timeout
        checks: list[Callable[[Any], bool]] = []
        next_inject = self.clock()
        while True:
            now = self.clock()
            if now >= deadline:
                raise NotReady(
                    "Input capture did not start: no test event came back within "
                    f"{timeout:.0f} s, so nothing was recorded."
                )
            if now >= next_inject:
                checks = self.backend.inject_sentinel()
                next_inject = now + reinject_s
            try:
                item = self.raw.queue.get(timeout=max(0.0, min(deadline, next_inject) - now))
            except queue.Empty:
                continue
            if checks and checks[0](item):
                checks.pop(0)
                if not checks:
                    return

    def pause(self) -> None:
        """Pause now: from this instant nothing is recorded until ``resume``."""
        if self.pipeline is not None and self.state == "recording":
            self.pipeline.pause()

    def resume(self) -> None:
        if self.pipeline is not None and self.state == "recording":
            self.pipeline.resume()

    @property
    def paused(self) -> bool:
        return self.pipeline is not None and self.pipeline.paused

    # --- task episodes ----------------------------------------------------------------------

    def new_task(self, instruction: str, study_task_id: str | None = None) -> str:
        """Open a task episode now, closing the open one with no outcome; returns its id.

        Raises:
            RecorderError: not recording.
            InvalidEpisodes: the instruction is over its limit, or the study has no such task.
        """
        return self._task_log().new(instruction, study_task_id)

    def end_task(self, outcome: str) -> Episode | None:
        """Close the open episode: "success", "failure" or "abandoned" (None if none open)."""
        return self._task_log().end(outcome)

    def set_task_instruction(self, instruction: str, study_task_id: str | None = None) -> None:
        """Give the open episode its instruction (the new-task hotkey opens one without),
        and its study task id when it is one of the study's tasks."""
        self._task_log().set_instruction(instruction, study_task_id)

    def current_task(self) -> Episode | None:
        """The open episode, or None (also before the start and after the stop)."""
        return self.tasks.current() if self.tasks is not None else None

    def _task_log(self) -> TaskLog:
        if self.tasks is None or self.state != "recording":
            raise RecorderError("Tasks can be marked only while recording.")
        return self.tasks

    def _task_hotkey(self, name: str, t: float) -> None:
        """A task hotkey fired at ``t`` (pipeline thread): act on it, then tell the tray."""
        tasks = self.tasks
        if tasks is None:
            return
        episode_id: str | None
        if name == "new":
            episode_id = tasks.new("", at=t)
        else:
            closed = tasks.end(OUTCOME_OF[name], at=t)
            episode_id = closed["id"] if closed is not None else None
        if self.on_task_hotkey is not None:
            with contextlib.suppress(Exception):  # the tray's trouble must not stop capture
                self.on_task_hotkey(name, episode_id)

    def request_stop(self, reason: str = "stopped") -> None:
        """Ask ``wait`` to return (safe from signal handlers and other threads)."""
        self._stop_reason = reason
        self._stop_requested.set()

    def wait(self, poll: float = 0.1) -> str:
        """Block until the duration, idle limit, a stop request or a failure; returns why."""
        scope = self.scope
        while not self._stop_requested.wait(poll):
            now = self.clock()
            if scope.duration_s is not None and now - self.t0 >= scope.duration_s:
                return "duration"
            pipeline = self.pipeline
            if pipeline is None or pipeline.stopped or self.failure is not None:
                return "failed"
            if scope.idle_stop_s is not None and now - pipeline.last_input >= scope.idle_stop_s:
                return "idle"
        return self._stop_reason

    @property
    def failure(self) -> BaseException | None:
        """The error that ended the session early, if any: the pipeline's, or the sink's own.

        A sink that refuses every write after a disk error (``SessionWriter.failure``, e.g. a
        full disk met by a frame write or its background flush) ends the session at once,
        even while no input arrives to fail in the pipeline.
        """
        if self.pipeline is not None and self.pipeline.error is not None:
            return self.pipeline.error
        failure = getattr(self.sink, "failure", None)
        return failure if isinstance(failure, BaseException) else None

    def stop(self, reason: str = "stopped") -> Summary:
        """Stop every source, write what is pending, close the sink; returns the summary.

        A session whose pipeline failed is closed as "interrupted".
        """
        return self._shutdown("interrupted" if self.failure else "complete", reason)

    def _shutdown(self, state: str, reason: str = "stopped") -> Summary:
        with self._lock:
            self.state = "stopping"
            self.backend.stop_input()
            self.backend.stop_windows()
            if self.guard_watcher is not None:
                self.guard_watcher.stop()
            pipeline, frames, sink = self.pipeline, self.frames, self.sink
            if pipeline is not None:
                pipeline.stop()
            if self.tasks is not None:
                with contextlib.suppress(Exception):  # an open task ends with the session
                    self.tasks.end(None)
            if frames is not None:
                frames.stop()
            summary = self.summary(reason)
            if sink is not None:
                with contextlib.suppress(Exception):  # a broken sink must not hide the cause
                    sink.note_stats(
                        summary.to_dict()
                        | {
                            "drops_by_source": dict(self.raw.dropped),
                            "input_guards": self.input_guards(),
                        }
                        | self._element_stats()
                    )
                sink.close(state)
            self.state = "stopped"
            return summary

    def _element_stats(self) -> dict[str, Any]:
        grounding = self.pipeline.grounding if self.pipeline is not None else None
        return {"elements": grounding.to_dict()} if grounding is not None else {}

    def input_guards(self) -> list[str]:
        """The sensitive-input guards this session had: "title", then focused-field ones."""
        watcher = self.guard_watcher
        return ["title"] + ([g.name for g in watcher.guards] if watcher is not None else [])

    def summary(self, reason: str = "") -> Summary:
        pipeline, frames = self.pipeline, self.frames
        return Summary(
            session_id=self.sink.session_id if self.sink is not None else "",
            reason=reason,
            duration_s=round(self.clock() - self.t0, 3) if self.t0 else 0.0,
            events=pipeline.stats.events if pipeline else 0,
            actions=pipeline.stats.actions if pipeline else 0,
            frames=frames.stats.written if frames else 0,
            drops=sum(self.raw.dropped.values()),
            frame_drops=frames.stats.dropped if frames else 0,
            pre_frames_missed=frames.stats.missed if frames else 0,
            suppressed=pipeline.stats.suppressed if pipeline else 0,
        )
