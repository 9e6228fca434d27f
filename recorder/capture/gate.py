"""The capture gate: whether input may be written now and whether key text is suppressed.

Capture stops while paused (from the pause instant on), while an out-of-scope window is
active and while the screen is locked; key text is suppressed while a sensitive-input guard
applies (a title that suggests a secret first, then the focused field's guard). The pipeline
tells the gate what happened and applies the effects it returns, in order: markers, the end
of a stretch of input, frames stopped or allowed, the window record. The gate does no I/O and
starts no thread, so unit tests drive it directly, with their own clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from recorder.capture.policy import Policy, WindowInfo
from recorder.capture.rawinput import ControlWhat
from storage.format.records import MarkerWhat


@dataclass(frozen=True)
class Mark:
    """Write a marker at monotonic time ``t`` (``note``: "hotkey" or "api"; ``guard``: which)."""

    what: MarkerWhat
    t: float
    note: str | None = None
    guard: str | None = None


@dataclass(frozen=True)
class EndStretch:
    """A gap begins: write the move the thinner holds back and complete the pending actions."""


@dataclass(frozen=True)
class WriteHeldMove:
    """Write the move the thinner holds back, before what follows."""


@dataclass(frozen=True)
class AllowFrames:
    """Let frames be grabbed again, or stop them since monotonic time ``since``."""

    allowed: bool
    since: float | None


@dataclass(frozen=True)
class WriteWindow:
    """Write the window record of ``window``, active from monotonic time ``t``."""

    window: WindowInfo
    t: float


@dataclass(frozen=True)
class RequestWindowFrame:
    """Ask for a frame of the new window once the screen settles."""

    t: float


Effect = Mark | EndStretch | WriteHeldMove | AllowFrames | WriteWindow | RequestWindowFrame
END_STRETCH = EndStretch()
WRITE_HELD_MOVE = WriteHeldMove()


class CaptureGate:
    """The state of one session's capture: paused, outside scope, locked, sensitive.

    Times are monotonic seconds, as raw items carry them. ``request_pause`` may be called
    from any thread; everything else from the pipeline worker only.

    Args:
        policy: which windows are in scope and which titles suggest a secret.
        clock: the monotonic clock a pause request is stamped with.

    Attributes:
        pause_from: when the current pause began (input from then on is dropped), or None.
        outside: an out-of-scope window is active.
        locked: the screen is locked.
        sensitive_guard: the guard that suppresses key text now ("title" first), or None.
    """

    def __init__(self, policy: Policy, clock: Callable[[], float] = time.monotonic) -> None:
        self._policy = policy
        self._clock = clock
        self.pause_from: float | None = None
        self.outside = False
        self.locked = False
        self.sensitive_guard: str | None = None
        self._pause_marked = False
        self._title_sensitive = False  # the active window's title suggests a secret
        self._focus_guard: str | None = None  # the guard that says the focused field is secret
        # The window that became active while paused, written at resume: (window,) or None.
        self._window_at_resume: tuple[WindowInfo | None] | None = None

    # --- questions ---------------------------------------------------------------------

    @property
    def paused(self) -> bool:
        return self.pause_from is not None

    @property
    def sensitive(self) -> bool:
        """Whether key text is suppressed now (a guard applies)."""
        return self.sensitive_guard is not None

    @property
    def frames_allowed(self) -> bool:
        return not (self.paused or self.outside or self.locked)

    def suppresses(self, t: float) -> bool:
        """Whether input at time ``t`` must not be written (outside scope, locked, paused)."""
        pause_from = self.pause_from
        return self.outside or self.locked or (pause_from is not None and t >= pause_from)

    # --- what happened -----------------------------------------------------------------

    def request_pause(self) -> float | None:
        """Pause from this instant on (any thread); returns the instant, or None if paused.

        The pause marker is written when the queued pause request reaches the worker
        (``control``), in order with the input before it.
        """
        if self.pause_from is not None:
            return None
        self.pause_from = now = self._clock()
        return now

    def control(self, what: ControlWhat, t: float) -> list[Effect]:
        """A queued pause or resume request reached the worker (stop is the pipeline's)."""
        if what == "pause" and self.pause_from is not None:
            return self._pause(t, "api")
        if what == "resume" and self.pause_from is not None:
            return self._resume(t, "api")
        return []

    def hotkey(self, t: float) -> list[Effect]:
        """The pause hotkey was pressed at ``t``: pause, or resume if paused."""
        return self._resume(t, "hotkey") if self.paused else self._pause(t, "hotkey")

    def guard(self, name: str | None, t: float) -> list[Effect]:
        """A focus guard changed; applied now unless nothing may be written (then later)."""
        self._focus_guard = name
        if self.outside or self.locked or self.paused:
            return []
        return self._update_sensitive(t)

    def lock(self, locked: bool, t: float) -> list[Effect]:
        """Auto-pause while the screen is locked: nothing typed at a lock screen is kept."""
        if locked == self.locked:
            return []
        self.locked = locked
        out: list[Effect]
        if locked:
            out = [END_STRETCH, Mark("screen_locked", t)]
        else:
            out = [Mark("screen_unlocked", t), *self._update_sensitive(t)]
        allowed = self.frames_allowed
        out.append(AllowFrames(allowed, None if allowed else t))
        return out

    def window(self, window: WindowInfo | None, t: float) -> list[Effect]:
        """The active window changed at ``t`` (None: no active window, the desktop)."""
        if self.pause_from is not None and t >= self.pause_from:
            # Nothing is written while paused, window changes included; the window active at
            # resume is written then, so the context after the gap is known.
            self._window_at_resume = (window,)
            return []
        out: list[Effect] = [WRITE_HELD_MOVE]
        if not self._policy.in_scope(window):
            if not self.outside:
                self._title_sensitive = False
                if self.sensitive_guard is not None:
                    out.append(Mark("sensitive_end", t, guard=self.sensitive_guard))
                    self.sensitive_guard = None
                out += [END_STRETCH, Mark("outside_scope_start", t), AllowFrames(False, t)]
                self.outside = True
            return out
        if self.outside:
            self.outside = False
            out += [Mark("outside_scope_end", t), AllowFrames(self.frames_allowed, None)]
        if window is None:
            return out
        out.append(WriteWindow(window, t))
        self._title_sensitive = self._policy.is_sensitive(window)
        out += self._update_sensitive(t)
        if not self.paused:
            out.append(RequestWindowFrame(t))
        return out

    # --- transitions -------------------------------------------------------------------

    def _pause(self, t: float, note: str) -> list[Effect]:
        if self.pause_from is None:
            self.pause_from = t  # the hotkey: its own time (a request stamped it already)
        out: list[Effect] = [AllowFrames(False, self.pause_from)]
        if not self._pause_marked:
            self._pause_marked = True
            out += [END_STRETCH, Mark("pause", t, note=note)]
        return out

    def _resume(self, t: float, note: str) -> list[Effect]:
        self.pause_from = None
        self._pause_marked = False
        out: list[Effect] = [Mark("resume", t, note=note), AllowFrames(self.frames_allowed, None)]
        out += self._update_sensitive(t)
        if self._window_at_resume is not None:
            (window,) = self._window_at_resume
            self._window_at_resume = None
            out += self.window(window, t)
        return out

    def _update_sensitive(self, t: float) -> list[Effect]:
        """Say which guard applies (title first, then the focused field), if it changed."""
        if self.outside or self.locked:
            return []  # nothing but the gap is written; applied again when capture goes on
        guard = "title" if self._title_sensitive else self._focus_guard
        if guard == self.sensitive_guard:
            return []
        out: list[Effect] = []
        if self.sensitive_guard is not None:
            out.append(Mark("sensitive_end", t, guard=self.sensitive_guard))
        if guard is not None:
            out.append(Mark("sensitive_start", t, guard=guard))
        self.sensitive_guard = guard
        return out
