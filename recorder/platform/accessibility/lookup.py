"""``ElementLookup``: element lookups on their own thread, fed by a bounded queue.

The input callback must only enqueue (NOTES: callback p99 is a few microseconds), and an
accessibility call can take milliseconds or hang on a frozen application. So requests go into
a bounded queue with ``submit`` (never blocks: when full it returns False, and the caller
stores ``dropped_record()`` for that action), one worker thread owns the platform source and
answers each request within its deadline, and a request that waited longer than
``max_lag_s`` is answered as ``Missing("queued too long")`` rather than looked up late, when
the screen may have changed.
"""

from __future__ import annotations

import contextlib
import queue
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from recorder.platform.accessibility.element import (
    DROPPED,
    FAILED,
    QUEUED_TOO_LONG,
    ElementRecord,
    ElementSource,
    Missing,
    to_record,
)

QUEUE_SIZE = 64
DEADLINE_S = 0.1
#: A lookup under a resting pointer holds up no action: it may take longer (a loaded
#: machine answered GTK menus in 3-45 ms).
REST_DEADLINE_S = 0.25
MAX_LAG_S = 0.25
#: Request kinds answered with the element at (x, y); the others ask for the focused one.
POINT_KINDS = frozenset({"click", "double_click", "drag_start", "drag_end", "scroll", "hover"})
FOCUS_KINDS = frozenset({"type", "hotkey", "focus"})


@dataclass(frozen=True)
class LookupRequest:
    """One lookup asked for by the pipeline.

    Attributes:
        kind: one of POINT_KINDS or FOCUS_KINDS.
        x, y: global screen pixels (ignored for focus kinds).
        t: the action's time, on the lookup's clock (time.monotonic by default).
        ref: the caller's handle for the answer (an action index, say); passed back as is.
    """

    kind: str
    x: int
    y: int
    t: float
    ref: Any = None


Answer = Callable[[LookupRequest, ElementRecord], None]


def dropped_record() -> ElementRecord:
    """What to store for an action whose lookup could not even be queued."""
    return to_record(Missing(DROPPED), 0.0)


def platform_source(platform: str = sys.platform) -> ElementSource:
    """This platform's source, imported only here (comtypes, pyobjc and jeepney are each
    needed on one platform only)."""
    if platform == "win32":
        from recorder.platform.accessibility.uia import UiaSource

        return UiaSource()
    if platform == "darwin":
        from recorder.platform.accessibility.ax import AxSource

        return AxSource()
    from recorder.platform.accessibility.atspi import AtspiClient

    return AtspiClient()


class ElementLookup:
    """Answers lookup requests on a worker thread.

    Args:
        make_source: builds the source on the worker thread (sources own sockets or COM
            objects that belong to the thread that made them).
        on_answer: called on the worker thread with each request and its record; it must
            not block for long (hand the record to the writer's queue).
        queue_size, deadline_s, max_lag_s: see the module docstring.
        rest_deadline_s: the deadline of "hover" lookups (under a resting pointer).
        clock: the clock requests' ``t`` is on.

    Attributes:
        submitted, dropped (queue full), answered (records delivered), late (queued past
            max_lag_s): counters for the session's stats.
    """

    def __init__(
        self,
        make_source: Callable[[], ElementSource],
        on_answer: Answer,
        queue_size: int = QUEUE_SIZE,
        deadline_s: float = DEADLINE_S,
        max_lag_s: float = MAX_LAG_S,
        clock: Callable[[], float] = time.monotonic,
        rest_deadline_s: float = REST_DEADLINE_S,
    ) -> None:
        self._make_source = make_source
        self._on_answer = on_answer
        self._queue: queue.Queue[LookupRequest | None] = queue.Queue(queue_size)
        self._deadline_s = deadline_s
        self._rest_deadline_s = max(deadline_s, rest_deadline_s)
        self._max_lag_s = max_lag_s
        self._clock = clock
        self._thread = threading.Thread(target=self._run, name="overt-elements", daemon=True)
        self.submitted = self.answered = self.dropped = self.late = 0

    def start(self) -> None:
        self._thread.start()

    def submit(self, kind: str, x: int, y: int, t: float, ref: Any = None) -> bool:
        """Queue one lookup (never blocks; safe on the input thread). False when the queue
        was full: nothing will answer it, so the caller stores ``dropped_record()``."""
        self.submitted += 1
        try:
            self._queue.put_nowait(LookupRequest(kind, int(x), int(y), t, ref))
        except queue.Full:
            self.dropped += 1
            return False
        return True

    def stop(self, timeout: float = 1.0) -> None:
        """Answer what is queued, then end the worker (a lookup stuck past its deadline in a
        platform call is left behind: the thread is a daemon)."""
        with contextlib.suppress(queue.Full):
            self._queue.put(None, timeout=timeout)
        if self._thread.is_alive():
            self._thread.join(timeout)

    def stats(self) -> dict[str, int]:
        return {
            "submitted": self.submitted,
            "answered": self.answered,
            "dropped": self.dropped,
            "late": self.late,
        }

    def _run(self) -> None:
        source: ElementSource | None = None
        try:
            source = self._make_source()
        except Exception as error:  # noqa: BLE001 - no source: every request says why
            failure = Missing(FAILED, f"no accessibility source: {error}")
        prepare = getattr(source, "prepare", None)
        if prepare is not None:  # connecting is not the first action's lookup's cost
            with contextlib.suppress(Exception):
                prepare()
        while True:
            request = self._queue.get()
            if request is None:
                break
            if source is None:
                self._deliver(request, to_record(failure, 0.0))
                continue
            self._deliver(request, self.answer(source, request))
        if source is not None:
            with contextlib.suppress(Exception):
                source.close()

    def answer(self, source: ElementSource, request: LookupRequest) -> ElementRecord:
        """Look one request up now (the worker's step; public for benchmarks)."""
        started = self._clock()
        lag_ms = max(0.0, (started - request.t) * 1000)
        if started - request.t > self._max_lag_s:
            self.late += 1
            return to_record(Missing(QUEUED_TOO_LONG), 0.0, lag_ms)
        try:
            if request.kind == "hover":
                answer = source.element_at(request.x, request.y, self._rest_deadline_s)
            elif request.kind in POINT_KINDS:
                answer = source.element_at(request.x, request.y, self._deadline_s)
            else:
                answer = source.focused_element(self._deadline_s)
        except Exception as error:  # noqa: BLE001 - a broken lookup must never stop the worker
            answer = Missing(FAILED, f"{type(error).__name__}: {error}")
        return to_record(answer, (self._clock() - started) * 1000, lag_ms)

    def _deliver(self, request: LookupRequest, record: ElementRecord) -> None:
        self.answered += 1
        with contextlib.suppress(Exception):  # the pipeline is stopping: nobody listens
            self._on_answer(request, record)
