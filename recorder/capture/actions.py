"""Deriving actions (click, double-click, drag, scroll, typed text, hotkey) from raw events.

A pure state machine over event records (``storage.format.records``): no clock, no I/O. It is fed
the events the pipeline wrote, in order, and ``tick(now)`` when time passes; it returns the
actions that are complete, each linked to the seqs of its events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from recorder.capture.keys import MODIFIER_OF, MODIFIER_ORDER

Record = dict[str, Any]

#: Keys that edit or end a typed run rather than start a hotkey.
TEXT_EDIT_KEYS = frozenset({"backspace"})


@dataclass
class _Press:
    event: Record
    button: str
    moves: list[int] = field(default_factory=list)
    last_xy: tuple[int, int] = (0, 0)


@dataclass
class _Run:
    kind: str
    first: Record
    last_t: float
    events: list[int]
    text: str = ""
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
        self._pending_click: Record | None = None
        self._run: _Run | None = None
        self._mod_downs: dict[str, int] = {}

    # --- public -------------------------------------------------------------------------

    def feed(self, event: Record) -> list[Record]:
        """Consume one event record; returns the actions it completed."""
        kind = event["kind"]
        if kind == "move":
            for press in self._presses.values():
                press.moves.append(event["seq"])
                press.last_xy = (event["x"], event["y"])
            return []
        if kind == "button":
            return self._button(event)
        if kind == "scroll":
            return self._scroll(event)
        if kind == "key":
            return self._key(event)
        if kind == "window":
            out = self.flush()
            self._window_seq = event["seq"]
            return out
        if kind == "marker" and event.get("what") in ("pause", "outside_scope_start", "stop"):
            return self.flush()
        return []

    def tick(self, now: float) -> list[Record]:
        """Time is ``now``: completes a pending click or a run that timed out."""
        out: list[Record] = []
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

    def flush(self) -> list[Record]:
        """Completes everything pending (pause, window change, stop)."""
        out: list[Record] = []
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

    def starts_action(self, event: Record) -> bool:
        """Whether this event starts an action that wants a pre-action frame."""
        kind = event["kind"]
        if kind == "button":
            return bool(event["down"])
        if kind == "key" and event["down"]:
            if self._is_hotkey(event):
                return True
            return self._is_text(event) and not self.typing
        return False

    def ends_action(self, event: Record) -> bool:
        """Whether this event ends an action that wants a post-action frame."""
        if event["kind"] == "button":
            return not event["down"]
        return event["kind"] == "key" and bool(event["down"]) and self._is_hotkey(event)

    # --- mouse ----------------------------------------------------------------------------

    def _button(self, event: Record) -> list[Record]:
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
            return [
                self._action(
                    "drag",
                    down,
                    event,
                    seqs,
                    x=down["x"],
                    y=down["y"],
                    x2=event["x"],
                    y2=event["y"],
                    button=button,
                )
            ]
        click = self._pending_click
        if click is not None and self._continues_click(click, down):
            self._pending_click = None
            double = self._action(
                "double_click",
                click,
                event,
                [*click["events"], *seqs],
                x=click["x"],
                y=click["y"],
                button=button,
            )
            double["window_seq"] = click["window_seq"]
            return [double]
        out = []
        if click is not None:
            out.append(click)
        self._pending_click = self._action(
            "click", down, event, seqs, x=down["x"], y=down["y"], button=button
        )
        return out

    def _continues_click(self, click: Record, down: Record) -> bool:
        return bool(
            down["button"] == click["button"]
            and down["t"] - click["t_end"] <= self.double_click_s
            and max(abs(down["x"] - click["x"]), abs(down["y"] - click["y"])) <= self.drag_px
        )

    def _scroll(self, event: Record) -> list[Record]:
        out: list[Record] = []
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
            run = self._run = _Run("scroll", event, event["t"], [])
        run.events.append(event["seq"])
        run.dx += event["dx"]
        run.dy += event["dy"]
        run.last_t = event["t"]
        return out

    # --- keys -----------------------------------------------------------------------------

    @staticmethod
    def _non_shift_mods(event: Record) -> list[str]:
        return [m for m in event.get("mods", []) if m != "shift"]

    def _is_text(self, event: Record) -> bool:
        name = event["key"]
        if name in MODIFIER_OF or self._non_shift_mods(event):
            return False
        if name in TEXT_EDIT_KEYS:
            return self.typing
        return event.get("char") is not None or len(name) == 1 or name == "space"

    def _is_hotkey(self, event: Record) -> bool:
        name = event["key"]
        return name not in MODIFIER_OF and not self._is_text(event)

    def _key(self, event: Record) -> list[Record]:
        name = event["key"]
        out: list[Record] = []
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
                run = self._run = _Run("type", event, event["t"], [])
            run.events.append(event["seq"])
            run.keys_down.add(name)
            run.last_t = event["t"]
            if name == "backspace":
                run.text = run.text[:-1]
            elif event.get("char") is not None:
                run.text += event["char"]
            return out
        out.extend(self._end_run())
        mods = [m for m in MODIFIER_ORDER if m in event.get("mods", [])]
        seqs = [*sorted(self._mod_downs.values()), event["seq"]]
        out.append(self._action("hotkey", event, event, seqs, keys=[*mods, name]))
        return out

    # --- helpers --------------------------------------------------------------------------

    def _end_run(self) -> list[Record]:
        run = self._run
        if run is None:
            return []
        self._run = None
        end = {"t": run.last_t}
        if run.kind == "scroll":
            first = run.first
            return [
                self._action(
                    "scroll",
                    first,
                    end,
                    run.events,
                    x=first["x"],
                    y=first["y"],
                    dx=run.dx,
                    dy=run.dy,
                )
            ]
        return [self._action("type", run.first, end, run.events, text=run.text)]

    def _action(
        self, kind: str, start: Record, end: Record, seqs: list[int], **fields: Any
    ) -> Record:
        action: Record = {
            "t": start["t"],
            "t_end": end["t"],
            "wall": start["wall"],
            "kind": kind,
            "events": list(seqs),
            "frame_before": None,
            "frame_after": None,
            "window_seq": self._window_seq,
        }
        action.update(fields)
        return action
