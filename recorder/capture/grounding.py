"""Grounding: the UI element under each action, asked for at the action's time, stored by seq.

The pipeline tells ``Grounding`` what it dequeues (``seen``), what it writes (``event_written``)
and which actions it wrote (``action_written``); lookups run on ``ElementLookup``'s own thread,
so the input callback still only enqueues. Which element an action is about:

- click, double-click: the element under the press; drag: under the press and the release;
  scroll: under the run's first notch; typed run and hotkey: the focused element.
- A press is asked about the moment the pipeline dequeues it, not after its reorder hold, and
  when the pointer had rested on the same pixel with no input since, the lookup made during
  that rest answers for it: a press opens menus and combo popups within milliseconds, and
  what the person clicked is what was there before.
- An action's record is written once its lookups answered (or ``ANSWER_WAIT_S`` passed: then
  "timed out"); a missing element says why and is never guessed from a neighbour.

What is kept follows the consent scope: text mode ``none`` keeps roles and bounds only (no
names, descriptions or selections), and without window titles the window levels of the path
lose their names.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

from recorder.capture.rawinput import RawButton, RawKey, RawMove, RawScroll
from recorder.capture.session_sink import SessionSink
from recorder.consent.record import ConsentScope
from recorder.platform.accessibility.element import (
    NOT_LOOKED_UP,
    TIMED_OUT,
    ElementRecord,
    ElementSource,
    Missing,
    to_record,
)
from recorder.platform.accessibility.lookup import ElementLookup, LookupRequest, dropped_record
from storage.format.records import Action, Event

HOVER_REST_S = 0.05  # the pointer this still -> the element under it is looked up
HOVER_REFRESH_S = 1.0  # while it rests, looked up again this often (the screen may change)
HOVER_MAX_S = 10.0  # after resting this long, presses are looked up when they come
HOVER_VALID_S = HOVER_REFRESH_S + 0.25  # the oldest rest lookup that answers for a press
ANSWER_WAIT_S = 2.0  # an action waits this long for its lookups, then they "timed out"
KEEP_S = 10.0  # lookups no written action claimed are forgotten after this
SCROLL_GAP_S = 0.5  # a scroll this long after the last one starts a run (ActionDeriver's)
DRAG_PX = 5  # a release this far from its press ends a drag (ActionDeriver's)
WINDOW_ROLES = frozenset({"frame", "window", "dialog", "alert", "file chooser"})
POINTER_KINDS = frozenset({"click", "double_click", "drag", "scroll"})
CLICK_KINDS = frozenset({"click", "double_click"})
MAX_TIMINGS = 20_000  # lookup durations kept for the session's percentiles


class Lookups(Protocol):
    """What Grounding needs of ``ElementLookup`` (a fake in unit tests)."""

    def start(self) -> None: ...

    def submit(self, kind: str, x: int, y: int, t: float, ref: Any = None) -> bool: ...

    def stop(self, timeout: float = 1.0) -> None: ...

    def stats(self) -> dict[str, int]: ...


@dataclass(eq=False)
class _Ask:
    """One lookup asked for, and its answer once the lookup thread set it."""

    kind: str
    x: int
    y: int
    t: float
    record: ElementRecord | None = None
    hover: _Ask | None = None  # the rest lookup that answers for this press, if any

    def answer(self) -> ElementRecord | None:
        """The record to store, or None while a lookup is still out."""
        hover = self.hover
        if hover is not None:
            if hover.record is None:
                return None
            if hover.record["missing_reason"] is None:
                record = dict(hover.record)
                record["lag_ms"] = round(hover.record["lag_ms"] + (hover.t - self.t) * 1000, 3)
                return cast(ElementRecord, record)
        return self.record


def _answered(record: ElementRecord) -> _Ask:
    ask = _Ask("none", 0, 0, 0.0)
    ask.record = record
    return ask


@dataclass
class _Waiting:
    action_seq: int
    kind: str
    app: str | None
    asks: list[_Ask]
    deadline: float


@dataclass
class GroundingStats:
    """Coverage for the session's stats: how many actions got an element, and why not."""

    actions: int = 0
    with_element: int = 0
    hover_answers: int = 0
    missing: dict[str, int] = field(default_factory=dict)
    clicks: dict[str, list[int]] = field(default_factory=dict)  # app -> [clicks, with element]
    timings: list[float] = field(default_factory=list)

    def to_dict(self, lookups: dict[str, int]) -> dict[str, Any]:
        total = sum(n for n, _ in self.clicks.values())
        found = sum(k for _, k in self.clicks.values())
        ms = sorted(self.timings)
        return {
            "actions": self.actions,
            "with_element": self.with_element,
            "from_rest": self.hover_answers,
            "missing": dict(sorted(self.missing.items())),
            "clicks": total,
            "clicks_with_element": found,
            "click_coverage": round(found / total, 4) if total else None,
            "by_app": {
                app: {"clicks": n, "with_element": k, "coverage": round(k / n, 4)}
                for app, (n, k) in sorted(self.clicks.items())
            },
            "lookup_ms_p50": ms[len(ms) // 2] if ms else None,
            "lookup_ms_p95": ms[min(len(ms) - 1, int(len(ms) * 0.95))] if ms else None,
            "lookups": lookups,
        }


class Grounding:
    """Asks for the element of every action and writes one element record per action.

    Used from the pipeline thread only (the lookup thread only fills in answers).

    Args:
        make_source: builds the platform's ElementSource on the lookup thread.
        sink: where element records go (``append_element``).
        scope: the consent scope (text mode and window titles decide what is kept).
        t0: the session's monotonic start (actions' ``t`` is relative to it).
        clock: the monotonic clock the raw items are stamped with.
        lookups: the lookup service (an ElementLookup over make_source when not given).
    """

    def __init__(
        self,
        make_source: Callable[[], ElementSource],
        sink: SessionSink,
        scope: ConsentScope,
        *,
        t0: float,
        clock: Callable[[], float] = time.monotonic,
        lookups: Lookups | None = None,
    ) -> None:
        self._sink = sink
        self._t0 = t0
        self._clock = clock
        self._names = scope.effective_text_mode != "none"
        self._titles = scope.window_titles
        self._lookups: Lookups = lookups or ElementLookup(make_source, self._on_answer, clock=clock)
        self.stats = GroundingStats()
        self._by_item: dict[int, tuple[object, _Ask]] = {}
        self._by_seq: dict[int, _Ask] = {}
        self._apps: dict[int, str] = {}
        self._waiting: list[_Waiting] = []
        self._downs: dict[object, tuple[int, int]] = {}
        self._pointer: tuple[int, int] | None = None
        self._last_input = float("-inf")
        self._last_scroll = float("-inf")
        self._last_was_scroll = False
        self._hover: _Ask | None = None
        self._next_prune = 0.0

    # --- the lookup thread ---------------------------------------------------------------

    @staticmethod
    def _on_answer(request: LookupRequest, record: ElementRecord) -> None:
        if isinstance(request.ref, _Ask):
            request.ref.record = record

    # --- the pipeline thread ---------------------------------------------------------------

    def start(self) -> None:
        self._lookups.start()

    def _ask(self, kind: str, x: int, y: int, t: float) -> _Ask:
        ask = _Ask(kind, x, y, t)
        if not self._lookups.submit(kind, x, y, t, ask):
            ask.record = dropped_record()
        return ask

    def seen(self, item: object) -> None:
        """An input item just left the raw queue (before the reorder hold): a press, a
        drag's release or a scroll run's first notch is looked up now."""
        if isinstance(item, RawMove):
            self._pointer = (item.x, item.y)
            self._last_input = item.t
            return
        if isinstance(item, RawButton):
            x, y = int(item.x), int(item.y)
            if item.down:
                self._downs[item.button] = (x, y)
                ask = self._ask("click", x, y, item.t)
                hover = self._hover
                if (
                    hover is not None
                    and (hover.x, hover.y) == (x, y)
                    and hover.t > self._last_input
                    and item.t - hover.t <= HOVER_VALID_S
                ):
                    ask.hover = hover
                self._by_item[id(item)] = (item, ask)
            else:
                down = self._downs.pop(item.button, None)
                if down is not None and max(abs(x - down[0]), abs(y - down[1])) > DRAG_PX:
                    self._by_item[id(item)] = (item, self._ask("drag_end", x, y, item.t))
            self._pointer = (x, y)
        elif isinstance(item, RawScroll):
            if not self._last_was_scroll or item.t - self._last_scroll >= SCROLL_GAP_S:
                x, y = int(item.x), int(item.y)
                self._by_item[id(item)] = (item, self._ask("scroll", x, y, item.t))
            self._last_scroll = item.t
        elif not isinstance(item, RawKey):
            return
        self._last_was_scroll = isinstance(item, RawScroll)
        self._last_input = item.t

    def event_written(self, event: Event, item: object, *, starts: bool) -> None:
        """An event was written with its seq; ``item`` is the raw item it came from (None
        for keys and window events), ``starts`` whether it starts an action."""
        seq = event["seq"]
        if event["kind"] == "window":
            self._apps[seq] = event["app"]
            return
        if item is not None:
            entry = self._by_item.pop(id(item), None)
            if entry is not None and entry[0] is item:
                self._by_seq[seq] = entry[1]
        elif event["kind"] == "key" and starts:
            self._by_seq[seq] = self._ask("focus", 0, 0, self._t0 + event["t"])

    def action_written(self, action: Action) -> None:
        """An action got its seq: its element record is written once its lookups answer."""
        seqs = [s for s in action["events"] if isinstance(s, int)]
        kind = action["kind"]
        if not seqs:
            return
        starts = [seqs[-1] if kind == "hotkey" else seqs[0]]
        if kind == "drag":
            starts.append(seqs[-1])
        asks = []
        for seq in starts:
            ask = self._by_seq.get(seq)
            if ask is None:
                ask = _answered(to_record(Missing(NOT_LOOKED_UP), 0.0))
            asks.append(ask)
        for seq in seqs:
            self._by_seq.pop(seq, None)
        app = self._apps.get(action["window_seq"]) if action["window_seq"] is not None else None
        deadline = self._clock() + ANSWER_WAIT_S
        self._waiting.append(_Waiting(action["seq"], kind, app, asks, deadline))
        self.write_answered(self._clock())

    def tick(self, now: float, paused: bool) -> None:
        """Housekeeping: look up under a resting pointer, write answered actions, forget
        what no action claimed."""
        if not paused and self._pointer is not None:
            rest = now - self._last_input
            hover = self._hover
            stale = hover is None or hover.t < self._last_input or now - hover.t >= HOVER_REFRESH_S
            if HOVER_REST_S <= rest <= HOVER_MAX_S and stale:
                self._hover = self._ask("hover", *self._pointer, now)
        self.write_answered(now)
        if now >= self._next_prune:
            self._next_prune = now + 1.0
            self._by_item = {k: v for k, v in self._by_item.items() if now - v[1].t < KEEP_S}
            self._by_seq = {k: v for k, v in self._by_seq.items() if now - v.t < KEEP_S}

    def write_answered(self, now: float) -> None:
        """Write the element records whose lookups answered or whose wait is over."""
        still = []
        for waiting in self._waiting:
            answers = [ask.answer() for ask in waiting.asks]
            if any(a is None for a in answers) and now < waiting.deadline:
                still.append(waiting)
                continue
            records = [
                a if a is not None else to_record(Missing(TIMED_OUT), ANSWER_WAIT_S * 1000)
                for a in answers
            ]
            self._write(waiting, records, [ask.hover is not None for ask in waiting.asks])
        self._waiting = still

    def finish(self, wait_s: float = ANSWER_WAIT_S) -> None:
        """At stop: wait (bounded) for the lookups out, write every record, end the thread."""
        deadline = self._clock() + wait_s
        while self._waiting and self._clock() < deadline:
            self.write_answered(self._clock())
            if self._waiting:
                time.sleep(0.01)
        self.write_answered(float("inf"))
        self._lookups.stop()

    def to_dict(self) -> dict[str, Any]:
        """The session's grounding statistics (coverage, reasons, lookup timings)."""
        return self.stats.to_dict(self._lookups.stats())

    # --- writing ---------------------------------------------------------------------------

    def _write(self, waiting: _Waiting, records: list[ElementRecord], rested: list[bool]) -> None:
        kept = [self._scoped(r) for r in records]
        stored: dict[str, Any] = {"action": waiting.action_seq, "element": kept[0]}
        if len(kept) > 1:
            stored["end"] = kept[1]
        self._sink.append_element(stored)
        first = kept[0]
        found = first["missing_reason"] is None
        stats = self.stats
        stats.actions += 1
        if found:
            stats.with_element += 1
            stats.hover_answers += bool(rested[0] and first["lag_ms"] < 0)
        else:
            reason = str(first["missing_reason"])
            stats.missing[reason] = stats.missing.get(reason, 0) + 1
        if first["lookup_ms"] and len(stats.timings) < MAX_TIMINGS:
            stats.timings.append(first["lookup_ms"])
        if waiting.kind in CLICK_KINDS:
            counts = stats.clicks.setdefault(waiting.app or "unknown", [0, 0])
            counts[0] += 1
            counts[1] += found

    def _scoped(self, record: ElementRecord) -> ElementRecord:
        """What the consent lets this session keep of one record."""
        if self._names and self._titles:
            return record
        kept = cast(ElementRecord, dict(record))  # the answer itself stays as it was
        if not self._names:
            kept["name"] = kept["description"] = None
            kept["path"] = [{"role": level["role"], "name": None} for level in kept["path"]]
            if kept["selected"] is not None:
                kept["selected"] = {"role": kept["selected"]["role"], "name": None}
        elif not self._titles:
            kept["path"] = [
                {"role": lv["role"], "name": None if lv["role"] in WINDOW_ROLES else lv["name"]}
                for lv in kept["path"]
            ]
            if kept["role"] in WINDOW_ROLES:
                kept["name"] = None
        return kept
