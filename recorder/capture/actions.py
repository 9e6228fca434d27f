"""Deriving actions (click, double-click, drag, scroll, typed text, hotkey) from raw events.

A pure state machine over event records (``storage.format.records``): no clock, no I/O. It is fed
the events the pipeline wrote, in order, and ``tick(now)`` when time passes; it returns the
actions that are complete, each linked to the seqs of its events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from recorder.capture.keys import MODIFIER_OF, MODIFIER_ORDER
from recorder.capture.records import (
    Span,
    click_action,
    drag_action,
    hotkey_action,
    scroll_action,
    type_action,
)
from storage.format.records import Action, ButtonEvent, Event, KeyEvent, ScrollEvent
from storage.typed_text import EDIT_KEYS, TypedBuffer, is_edit


@dataclass
class _Press:
    event: ButtonEvent
    button: str
    moves: list[int] = field(default_factory=list)
    last_xy: tuple[int, int] = (0, 0)


@dataclass
class _Run:
    """A typed run or a scroll run: from its first event (its time and place) on."""

    kind: Literal["type", "scroll"]
    t: float
    wall: float
    last_t: float
    events: list[int]
    x: int = 0
    y: int = 0
    typed: TypedBuffer = field(default_factory=TypedBuffer)
    dx: int = 0
    dy: int = 0
    keys_down: set[str] = field(default_factory=set)


class ActionDeriver:
    """Turns an ordered stream of event records into action records.

    Args:
        double_click_s: the longest gap between two clicks that make a double-click.
        drag_px: the pointer travel (Chebyshev distance) above which a press becomes a drag.
        type_pause_s: a typing pause this long ends a typed run.
        scroll_gap_s: a scroll pause this long ends a scroll run.
    """

    def __init__(
        self,
        *,
        double_click_s: float = 0.4,
        drag_px: int = 5,
        type_pause_s: float = 1.0,
        scroll_gap_s: float = 0.5,
    ) -> None:
        self.double_click_s = double_click_s
        self.drag_px = drag_px
        self.type_pause_s = type_pause_s
        self.scroll_gap_s = scroll_gap_s
        self._window_seq: int | None = None
        self._presses: dict[str, _Press] = {}
        self._pending_click: Action | None = None
        self._run: _Run | None = None
        self._mod_downs: dict[str, int] = {}

    # --- public -------------------------------------------------------------------------

    def feed(self, event: Event) -> list[Action]:
        """Consume one event record; returns the actions it completed."""
        if event["kind"] == "move":
            for press in self._presses.values():
                press.moves.append(event["seq"])
                press.last_xy = (event["x"], event["y"])
            return []
        if event["kind"] == "button":
            return self._button(event)
        if event["kind"] == "scroll":
            return self._scroll(event)
        if event["kind"] == "key":
            return self._key(event)
        if event["kind"] == "window":
            # A press in progress stays: it is often what activated the window, and the
            # change can be seen between its press and its release.
            presses = dict(self._presses)
            out = self.flush()
            self._presses = presses
            self._window_seq = event["seq"]
            return out
        if event["kind"] == "marker" and event["what"] in ("pause", "outside_scope_start", "stop"):
            return self.flush()
        return []

    def tick(self, now: float) -> list[Action]:
        """Time is ``now``: completes a pending click or a run that timed out."""
        out: list[Action] = []
        click = self._pending_click
        if click is not None and now - click["t_end"] > self.double_click_s:
            out.append(click)
            self._pending_click = None
        run = self._run
        if run is not None:
            limit = self.type_pause_s if run.kind == "type" else self.scroll_gap_s
            if now - run.last_t >= limit:
                out.extend(self._end_run())
        return out

    def flush(self) -> list[Action]:
        """Completes everything pending (pause, window change, stop)."""
        out: list[Action] = []
        if self._pending_click is not None:
            out.append(self._pending_click)
            self._pending_click = None
        out.extend(self._end_run())
        self._presses.clear()
        return out

    @property
    def typing(self) -> bool:
        """A typed run is open."""
        return self._run is not None and self._run.kind == "type"

    def starts_action(self, event: Event) -> bool:
        """Whether this event starts an action that wants a pre-action frame."""
        if event["kind"] == "button":
            return bool(event["down"])
        if event["kind"] == "scroll":
            # The first notch of a scroll run (as _scroll would start one).
            run = self._run
            return (
                run is None or run.kind != "scroll" or event["t"] - run.last_t >= self.scroll_gap_s
            )
        if event["kind"] == "key" and event["down"]:
            if self._is_hotkey(event):
                return True
            return self._is_text(event) and not self.typing
        return False

    def ends_action(self, event: Event) -> bool:
        """Whether this event ends an action that wants a post-action frame."""
        if event["kind"] == "button":
            return not event["down"]
        return event["kind"] == "key" and bool(event["down"]) and self._is_hotkey(event)

    # --- mouse ----------------------------------------------------------------------------

    def _button(self, event: ButtonEvent) -> list[Action]:
        button = event["button"]
        if event["down"]:
            out = self._end_run()
            click = self._pending_click
            if click is not None and not self._continues_click(click, event):
                out.append(click)
                self._pending_click = None
            self._presses[button] = _Press(event, button, last_xy=(event["x"], event["y"]))
            return out
        press = self._presses.pop(button, None)
        if press is None:
            return []  # released a button pressed before recording (or while paused)
        down = press.event
        seqs = [down["seq"], *press.moves, event["seq"]]
        travel = max(abs(event["x"] - down["x"]), abs(event["y"] - down["y"]))
        if travel > self.drag_px:
            span = self._span(down["t"], down["wall"], event["t"], seqs)
            return [drag_action(span, down["x"], down["y"], event["x"], event["y"], button)]
        click = self._pending_click
        if click is not None and self._continues_click(click, down):
            self._pending_click = None
            span = Span(
                click["t"],
                click["wall"],
                event["t"],
                [*click["events"], *seqs],
                click["window_seq"],
            )
            return [click_action("double_click", span, click["x"], click["y"], button)]
        out = []
        if click is not None:
            out.append(click)
        span = self._span(down["t"], down["wall"], event["t"], seqs)
        self._pending_click = click_action("click", span, down["x"], down["y"], button)
        return out

    def _continues_click(self, click: Action, down: ButtonEvent) -> bool:
        return bool(
            down["button"] == click["button"]
            and down["t"] - click["t_end"] <= self.double_click_s
            and max(abs(down["x"] - click["x"]), abs(down["y"] - click["y"])) <= self.drag_px
        )

    def _scroll(self, event: ScrollEvent) -> list[Action]:
        out: list[Action] = []
        if self._pending_click is not None:
            out.append(self._pending_click)
            self._pending_click = None
        run = self._run
        if run is not None and (
            run.kind != "scroll" or event["t"] - run.last_t >= self.scroll_gap_s
        ):
            out.extend(self._end_run())
            run = None
        if run is None:
            run = self._run = _Run(
                "scroll", event["t"], event["wall"], event["t"], [], event["x"], event["y"]
            )
        run.events.append(event["seq"])
        run.dx += event["dx"]
        run.dy += event["dy"]
        run.last_t = event["t"]
        return out

    # --- keys -----------------------------------------------------------------------------

    @staticmethod
    def _non_shift_mods(event: KeyEvent) -> list[str]:
        return [m for m in event.get("mods", []) if m != "shift"]

    def _is_text(self, event: KeyEvent) -> bool:
        name = event["key"]
        if name in MODIFIER_OF or self._non_shift_mods(event):
            return False
        if name in EDIT_KEYS:
            # Editing keys belong to a run being typed (storage/typed_text.py replays them);
            # on their own, or Shift+arrow selecting, they are hotkeys.
            return self.typing and is_edit(name, event.get("mods", []))
        return event.get("char") is not None or len(name) == 1 or name == "space"

    def _is_hotkey(self, event: KeyEvent) -> bool:
        name = event["key"]
        return name not in MODIFIER_OF and not self._is_text(event)

    def _key(self, event: KeyEvent) -> list[Action]:
        name = event["key"]
        out: list[Action] = []
        if not event["down"]:
            if name in MODIFIER_OF:
                self._mod_downs.pop(name, None)
            run = self._run
            if run is not None and run.kind == "type" and name in run.keys_down:
                run.keys_down.discard(name)
                run.events.append(event["seq"])
            return out
        if self._pending_click is not None:
            out.append(self._pending_click)
            self._pending_click = None
        if name in MODIFIER_OF:
            self._mod_downs[name] = event["seq"]
            return out
        if self._is_text(event):
            run = self._run
            if run is not None and (
                run.kind != "type" or event["t"] - run.last_t >= self.type_pause_s
            ):
                out.extend(self._end_run())
                run = None
            if run is None:
                run = self._run = _Run("type", event["t"], event["wall"], event["t"], [])
            run.events.append(event["seq"])
            run.keys_down.add(name)
            run.last_t = event["t"]
            run.typed.press(event["seq"], name, event.get("char"))
            return out
        out.extend(self._end_run())
        mods = [m for m in MODIFIER_ORDER if m in event.get("mods", [])]
        seqs = [*sorted(self._mod_downs.values()), event["seq"]]
        span = self._span(event["t"], event["wall"], event["t"], seqs)
        out.append(hotkey_action(span, [*mods, name]))
        return out

    # --- helpers --------------------------------------------------------------------------

    def _end_run(self) -> list[Action]:
        run = self._run
        if run is None:
            return []
        self._run = None
        span = self._span(run.t, run.wall, run.last_t, run.events)
        if run.kind == "scroll":
            return [scroll_action(span, run.x, run.y, run.dx, run.dy)]
        return [type_action(span, run.typed.text)]

    def _span(self, t: float, wall: float, t_end: float, seqs: list[int]) -> Span:
        """An action from ``t`` to ``t_end``, in the window active now."""
        return Span(t, wall, t_end, seqs, self._window_seq)
