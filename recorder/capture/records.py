"""Event and action records as the recorder writes them, in storage.format.records' shapes.

Each record is built with ``seq`` UNSEQUENCED and last: the sink assigns it in place when the
record is appended, so the keys keep the order they are stored in.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from recorder.capture.keys import TrackedKey
from recorder.capture.policy import WindowInfo
from storage.format.records import (
    Action,
    ButtonEvent,
    KeyEvent,
    MarkerEvent,
    MarkerWhat,
    MoveEvent,
    ScrollEvent,
    WindowEvent,
)

UNSEQUENCED = -1  # until the sink assigns the record's place in its stream


# --- events -------------------------------------------------------------------------------


def move_event(t: float, wall: float, x: int, y: int) -> MoveEvent:
    return {"t": t, "wall": wall, "kind": "move", "x": x, "y": y, "seq": UNSEQUENCED}


def button_event(t: float, wall: float, button: str, down: bool, x: int, y: int) -> ButtonEvent:
    return {
        "t": t,
        "wall": wall,
        "kind": "button",
        "button": button,
        "down": down,
        "x": x,
        "y": y,
        "seq": UNSEQUENCED,
    }


def scroll_event(t: float, wall: float, x: int, y: int, dx: int, dy: int) -> ScrollEvent:
    return {
        "t": t,
        "wall": wall,
        "kind": "scroll",
        "x": x,
        "y": y,
        "dx": dx,
        "dy": dy,
        "seq": UNSEQUENCED,
    }


def key_event(t: float, wall: float, key: TrackedKey, char: str | None) -> KeyEvent:
    """``char`` is the text to keep: the key's own, or None (text mode, chord, release)."""
    return {
        "t": t,
        "wall": wall,
        "kind": "key",
        "down": key.down,
        "key": key.name,
        "char": char,
        "vk": key.vk,
        "mods": list(key.mods),
        "seq": UNSEQUENCED,
    }


def window_event(t: float, wall: float, window: WindowInfo, title: str) -> WindowEvent:
    """``title`` is the window's title, or "" when titles are out of scope."""
    return {
        "t": t,
        "wall": wall,
        "kind": "window",
        "app": window.app,
        "title": title,
        "pid": window.pid,
        "x": window.x,
        "y": window.y,
        "w": window.w,
        "h": window.h,
        "wid": window.wid,
        "seq": UNSEQUENCED,
    }


def marker_event(
    t: float, wall: float, what: MarkerWhat, *, note: str | None = None, guard: str | None = None
) -> MarkerEvent:
    """A marker; ``note`` says who paused or resumed, ``guard`` which sensitive guard."""
    seq = UNSEQUENCED
    if note is not None:
        return {"t": t, "wall": wall, "kind": "marker", "what": what, "note": note, "seq": seq}
    if guard is not None:
        return {"t": t, "wall": wall, "kind": "marker", "what": what, "guard": guard, "seq": seq}
    return {"t": t, "wall": wall, "kind": "marker", "what": what, "seq": seq}


def drops_marker(t: float, wall: float, count: int, source: str) -> MarkerEvent:
    """``count`` events from ``source`` were dropped by a full queue."""
    return {
        "t": t,
        "wall": wall,
        "kind": "marker",
        "what": "drops",
        "count": count,
        "source": source,
        "seq": UNSEQUENCED,
    }


# --- actions ------------------------------------------------------------------------------


class Span(NamedTuple):
    """When an action happened and what it came from, as every action's record says.

    Attributes:
        t, wall: its start, in seconds since the session started and as Unix time.
        t_end: its end, in seconds since the session started.
        events: the seqs of the events it was derived from.
        window_seq: the seq of the window event active then, or None.
    """

    t: float
    wall: float
    t_end: float
    events: list[int]
    window_seq: int | None


def click_action(
    kind: Literal["click", "double_click"], span: Span, x: int, y: int, button: str
) -> Action:
    return {
        "t": span.t,
        "t_end": span.t_end,
        "wall": span.wall,
        "kind": kind,
        "events": list(span.events),
        "frame_before": None,
        "frame_after": None,
        "window_seq": span.window_seq,
        "x": x,
        "y": y,
        "button": button,
        "seq": UNSEQUENCED,
    }


def drag_action(span: Span, x: int, y: int, x2: int, y2: int, button: str) -> Action:
    return {
        "t": span.t,
        "t_end": span.t_end,
        "wall": span.wall,
        "kind": "drag",
        "events": list(span.events),
        "frame_before": None,
        "frame_after": None,
        "window_seq": span.window_seq,
        "x": x,
        "y": y,
        "x2": x2,
        "y2": y2,
        "button": button,
        "seq": UNSEQUENCED,
    }


def scroll_action(span: Span, x: int, y: int, dx: int, dy: int) -> Action:
    return {
        "t": span.t,
        "t_end": span.t_end,
        "wall": span.wall,
        "kind": "scroll",
        "events": list(span.events),
        "frame_before": None,
        "frame_after": None,
        "window_seq": span.window_seq,
        "x": x,
        "y": y,
        "dx": dx,
        "dy": dy,
        "seq": UNSEQUENCED,
    }


def type_action(span: Span, text: str) -> Action:
    return {
        "t": span.t,
        "t_end": span.t_end,
        "wall": span.wall,
        "kind": "type",
        "events": list(span.events),
        "frame_before": None,
        "frame_after": None,
        "window_seq": span.window_seq,
        "text": text,
        "seq": UNSEQUENCED,
    }


def hotkey_action(span: Span, keys: list[str]) -> Action:
    return {
        "t": span.t,
        "t_end": span.t_end,
        "wall": span.wall,
        "kind": "hotkey",
        "events": list(span.events),
        "frame_before": None,
        "frame_after": None,
        "window_seq": span.window_seq,
        "keys": keys,
        "seq": UNSEQUENCED,
    }
