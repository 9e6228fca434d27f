"""The shapes of what a session holds: events, actions, frame metadata.

Every record is a JSON-serialisable dict with a ``kind``. The recorder produces them, the
vault stores them (encrypted), redaction and export read them. Keeping the shapes in one
place is what lets redaction find "all typed text" without knowing how it was captured.

Common fields, on every event and action:
    seq   (int)   position in its stream, assigned by the SessionWriter (0, 1, 2, ...).
    t     (float) seconds since the session started, from a monotonic clock.
    wall  (float) Unix time (seconds) of the same instant, for humans and for joining.

Coordinates are global X screen pixels (the same space as monitor geometry in frame
metadata), so ``x - monitor.x`` is the pixel column in that monitor's frame.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

# --- events: the raw stream -------------------------------------------------------------

EventKind = Literal["move", "button", "scroll", "key", "window", "marker"]
ActionKind = Literal["click", "double_click", "drag", "scroll", "type", "hotkey"]
FrameReason = Literal["periodic", "pre_action", "post_action", "typing_pause", "first", "window"]
TextMode = Literal["full", "keys", "none"]

#: Markers say what happened to capture itself, so a gap in the data is never silent.
MarkerWhat = Literal[
    "pause",
    "resume",
    "outside_scope_start",  # a denied / not-allowed window became active: nothing recorded
    "outside_scope_end",
    "sensitive_start",  # sensitive-input guard engaged: key text suppressed
    "sensitive_end",
    "screen_locked",
    "screen_unlocked",
    "drops",  # ``count`` events were dropped by a full queue (with ``source``)
    "reconfirm",  # consent re-confirmed during a long session
    "stop",
]


class MoveEvent(TypedDict):
    seq: int
    t: float
    wall: float
    kind: Literal["move"]
    x: int
    y: int


class ButtonEvent(TypedDict):
    seq: int
    t: float
    wall: float
    kind: Literal["button"]
    button: str  # "left" | "right" | "middle" | "x1" | "x2" | "unknown"
    down: bool
    x: int
    y: int


class ScrollEvent(TypedDict):
    seq: int
    t: float
    wall: float
    kind: Literal["scroll"]
    x: int
    y: int
    dx: int
    dy: int  # positive = up / away from the user, as pynput reports


class KeyEvent(TypedDict):
    """One key press or release.

    ``key`` identifies the physical key the same way for press and release (e.g. "a", "1",
    "shift", "ctrl_l", "enter", "f5"); ``char`` is the text the press produced ("A", "!")
    and is None on releases, for non-text keys, and whenever the text mode is not "full"
    or the sensitive-input guard is engaged. In text mode "none" no key events are stored.
    """

    seq: int
    t: float
    wall: float
    kind: Literal["key"]
    down: bool
    key: str
    char: str | None
    vk: int | None
    mods: list[str]  # modifiers held at this moment: "ctrl", "alt", "shift", "super"


class WindowEvent(TypedDict):
    """The active window changed (or its title did)."""

    seq: int
    t: float
    wall: float
    kind: Literal["window"]
    app: str  # WM_CLASS class / process name; "" when unknown
    title: str  # UTF-8; "" when titles are out of scope or redacted
    pid: int | None
    x: int
    y: int
    w: int
    h: int
    wid: int | None  # the platform's window id


class MarkerEvent(TypedDict):
    seq: int
    t: float
    wall: float
    kind: Literal["marker"]
    what: MarkerWhat
    count: NotRequired[int]
    source: NotRequired[str]
    note: NotRequired[str]
    guard: NotRequired[str]  # sensitive_start/_end: which guard ("title", "atspi_password_role"…)


Event = MoveEvent | ButtonEvent | ScrollEvent | KeyEvent | WindowEvent | MarkerEvent


# --- actions: what an agent dataset wants ---------------------------------------------


class Action(TypedDict):
    """A derived step (click, drag, typed run, hotkey...) linked to its raw events.

    Fields by kind:
        click / double_click: x, y, button
        drag: x, y (start), x2, y2 (end), button
        scroll: x, y, dx, dy (summed over the run)
        type: text (the typed run; "" when text mode is not "full")
        hotkey: keys (e.g. ["ctrl", "c"])
    """

    seq: int
    t: float  # start
    t_end: float
    wall: float
    kind: ActionKind
    events: list[int]  # seqs of the raw events it was derived from
    frame_before: int | None  # frame index of the pre-action frame
    frame_after: int | None  # frame index of the post-action frame
    window_seq: int | None  # seq of the WindowEvent active at the time
    x: NotRequired[int]
    y: NotRequired[int]
    x2: NotRequired[int]
    y2: NotRequired[int]
    button: NotRequired[str]
    dx: NotRequired[int]
    dy: NotRequired[int]
    text: NotRequired[str]
    keys: NotRequired[list[str]]


# --- frames -----------------------------------------------------------------------------


class Monitor(TypedDict):
    """A monitor's place in the global screen space; ``scale`` is device pixels per point."""

    index: int
    x: int
    y: int
    w: int
    h: int
    scale: float


class FrameMeta(TypedDict):
    """Metadata stored (encrypted) with each frame; ``index`` is assigned by the writer.

    ``same_as`` is set when the pixels are identical to an earlier frame, which is then
    stored once and referenced.
    """

    index: int
    t: float
    wall: float
    monitor: Monitor
    reason: FrameReason
    same_as: NotRequired[int | None]


TEXT_MODES: tuple[TextMode, ...] = ("full", "keys", "none")
