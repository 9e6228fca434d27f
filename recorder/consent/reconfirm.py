"""Re-confirmation of consent during long sessions, as a schedule with an injectable clock.

Every ``interval_s`` of recording (paused time does not count) the person is asked, without a
modal dialog, whether to continue. No answer within ``timeout_s`` pauses the recording: a
session nobody is watching over must not keep capturing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

DEFAULT_INTERVAL_S = 2 * 3600.0
DEFAULT_TIMEOUT_S = 5 * 60.0

Verdict = Literal["recording", "ask", "waiting", "pause"]


@dataclass
class ReconfirmSchedule:
    """Decides when to ask again and when an unanswered question pauses capture.

    Attributes:
        interval_s: recording time between questions.
        timeout_s: how long a question may stay unanswered.
        clock: monotonic seconds; a fake in tests.
    """

    interval_s: float = DEFAULT_INTERVAL_S
    timeout_s: float = DEFAULT_TIMEOUT_S
    clock: Callable[[], float] = time.monotonic
    _recorded_s: float = field(default=0.0, init=False)
    _since: float | None = field(default=None, init=False)
    _asked_at: float | None = field(default=None, init=False)

    def resume(self) -> None:
        """Recording (re)started: time counts from now."""
        if self._since is None:
            self._since = self.clock()

    def pause(self) -> None:
        """Recording paused: time stops counting; an open question is withdrawn."""
        if self._since is not None:
            self._recorded_s += self.clock() - self._since
            self._since = None
        self._asked_at = None

    def recorded_s(self) -> float:
        """Recording time since the last confirmation."""
        running = self.clock() - self._since if self._since is not None else 0.0
        return self._recorded_s + running

    def check(self) -> Verdict:
        """What to do now: keep recording, ask, keep waiting for an answer, or pause."""
        if self._since is None:
            return "recording" if self._asked_at is None else "waiting"
        if self._asked_at is not None:
            return "pause" if self.clock() - self._asked_at >= self.timeout_s else "waiting"
        if self.recorded_s() >= self.interval_s:
            self._asked_at = self.clock()
            return "ask"
        return "recording"

    def confirmed(self) -> None:
        """The person said to continue: the interval starts again."""
        self._asked_at = None
        self._recorded_s = 0.0
        self._since = self.clock() if self._since is not None else None
