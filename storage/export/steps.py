"""The one place exported steps are built: every layout projects these (storage/export/STEPS.md).

A step is an action with its observation (the last distinct frame at or before it), the frame
after it, coordinates in the export's space (normalized, pixels or 0-1000) plus global pixels,
the monitors it happened on, its window, AgentNet pyautogui code, and (hooks for issues 16
and 17) its episode and accessibility element. Each episode ends with a terminate step.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from typing import Any, Protocol, TypedDict

from storage.export.action_code import key_name, terminate_code, to_code

SPACES = ("normalized", "pixels", "0-1000")
DEFAULT_SPACE = "normalized"
POINTER_KINDS = ("click", "double_click", "drag", "scroll")


class Frame(TypedDict):
    """A frame as a step names it: ``file`` is relative to the export's root."""

    seq: int
    t: float
    file: str
    width: int
    height: int
    monitor: dict[str, Any]


class Step(TypedDict):
    """One exported step (storage/export/STEPS.md has each field's meaning)."""

    index: int
    action_seq: int | None
    kind: str
    t: float
    t_end: float
    observation: Frame
    next_observation: Frame | None
    action: dict[str, Any]
    code: str
    window: dict[str, Any] | None
    element: dict[str, Any] | None
    episode: dict[str, Any] | None


class StepSource(Protocol):
    """What build_steps reads: a SessionReader, or collect's view of an export.

    ``episodes()`` (issue 16) and ``elements()`` (issue 17) are optional: see episodes_of and
    elements_of.
    """

    def events(self) -> Iterator[dict[str, Any]]: ...

    def actions(self) -> Iterator[dict[str, Any]]: ...

    def frames(self) -> list[dict[str, Any]]: ...


FrameFile = Callable[[int], str]
"""frame_file(frame index) -> the frame's path in the export (the index is already canonical)."""


def check_space(space: str) -> str:
    """``space`` if it is one of SPACES, else ValueError naming the choices."""
    if space not in SPACES:
        raise ValueError(f"Unknown coordinate space {space!r}; choose one of {', '.join(SPACES)}.")
    return space


def episodes_of(source: StepSource) -> list[dict[str, Any] | None]:
    """The source's episodes (issue 16), or ``[None]``: the session as one implicit episode."""
    episodes = getattr(source, "episodes", None)
    found = list(episodes()) if callable(episodes) else []
    return found or [None]


def elements_of(source: StepSource) -> dict[int, dict[str, Any]]:
    """Action seq -> accessibility element (issue 17), or nothing when grounding was off."""
    elements = getattr(source, "elements", None)
    return dict(elements()) if callable(elements) else {}


# --- coordinates ----------------------------------------------------------------------------


def to_space(x: float, y: float, monitor: dict[str, Any], space: str) -> tuple[Any, Any]:
    """Global screen pixels to ``space`` relative to ``monitor`` (never clamped)."""
    mx, my = monitor.get("x", 0), monitor.get("y", 0)
    mw, mh = monitor.get("w") or 1, monitor.get("h") or 1
    if space == "pixels":
        scale = float(monitor.get("scale") or 1.0)
        return round((x - mx) * scale), round((y - my) * scale)
    if space == "0-1000":
        return round(1000 * (x - mx) / mw), round(1000 * (y - my) / mh)
    return round((x - mx) / mw, 4), round((y - my) / mh, 4)


def contains(monitor: dict[str, Any], x: float, y: float) -> bool:
    return bool(
        monitor.get("x", 0) <= x < monitor.get("x", 0) + monitor.get("w", 0)
        and monitor.get("y", 0) <= y < monitor.get("y", 0) + monitor.get("h", 0)
    )


def _monitor_at(monitors: list[dict[str, Any]], x: float, y: float) -> dict[str, Any] | None:
    return next((m for m in monitors if contains(m, x, y)), None)


# --- frames ---------------------------------------------------------------------------------


class _Frames:
    """A session's frame metadata by index and by capture time (for the nearest frame)."""

    def __init__(self, metas: list[dict[str, Any]], frame_file: FrameFile) -> None:
        self.by_index = {int(m["index"]): m for m in metas if isinstance(m.get("index"), int)}
        ordered = sorted(self.by_index.values(), key=lambda m: (float(m.get("t", 0.0)), m["index"]))
        self.ordered = ordered
        self.times = [float(m.get("t", 0.0)) for m in ordered]
        self._file = frame_file
        self.monitors: list[dict[str, Any]] = []
        for m in ordered:
            monitor = m.get("monitor")
            if isinstance(monitor, dict) and monitor not in self.monitors:
                self.monitors.append(monitor)

    def canonical(self, index: int) -> int:
        same = self.by_index[index].get("same_as")
        return int(same) if isinstance(same, int) and same in self.by_index else index

    def frame(self, index: int | None) -> Frame | None:
        if index is None or index not in self.by_index:
            return None
        meta = self.by_index[index]
        monitor = meta.get("monitor")
        if not isinstance(monitor, dict) or not monitor.get("w") or not monitor.get("h"):
            return None
        key = self.canonical(index)
        scale = float(monitor.get("scale") or 1.0)
        return {
            "seq": key,
            "t": float(meta.get("t", 0.0)),
            "file": self._file(key),
            "width": round(monitor["w"] * scale),
            "height": round(monitor["h"] * scale),
            "monitor": dict(monitor),
        }

    def last_at(self, t: float, monitor: dict[str, Any] | None) -> Frame | None:
        """The last frame captured at or before ``t`` (on ``monitor`` when given)."""
        for meta in reversed(self.ordered[: bisect.bisect_right(self.times, t)]):
            if monitor is None or meta.get("monitor") == monitor:
                return self.frame(int(meta["index"]))
        return None

    def first_at(self, t: float, monitor: dict[str, Any] | None) -> Frame | None:
        """The first frame captured at or after ``t`` (on ``monitor`` when given)."""
        for meta in self.ordered[bisect.bisect_left(self.times, t) :]:
            if monitor is None or meta.get("monitor") == monitor:
                return self.frame(int(meta["index"]))
        return None


def _index(action: dict[str, Any], key: str) -> int | None:
    value = action.get(key)
    return value if isinstance(value, int) else None


def _observation(action: dict[str, Any], frames: _Frames) -> Frame | None:
    """The recorder's pre-action frame, else the last frame at or before the action."""
    found = frames.frame(_index(action, "frame_before"))
    if found is not None:
        return found
    t = float(action.get("t", 0.0))
    if action.get("kind") in POINTER_KINDS and "x" in action and "y" in action:
        monitor = _monitor_at(frames.monitors, action["x"], action["y"])
        if monitor is not None:
            return frames.last_at(t, monitor)
    return frames.last_at(t, None)


def _next_observation(action: dict[str, Any], frames: _Frames, observed: Frame) -> Frame | None:
    found = frames.frame(_index(action, "frame_after"))
    if found is not None:
        return found
    t_end = float(action.get("t_end", action.get("t", 0.0)))
    after = frames.first_at(t_end, observed["monitor"])
    return after if after is not None and after["t"] > observed["t"] else None


# --- the action in the export's space -------------------------------------------------------


def step_action(
    action: dict[str, Any], monitor: dict[str, Any], monitors: list[dict[str, Any]], space: str
) -> dict[str, Any]:
    """The schema's action dict: coordinates in ``space``, global pixels, monitors."""
    kind = str(action.get("kind"))
    out: dict[str, Any] = {"kind": kind, "monitor": dict(monitor)}
    if "button" in action:
        out["button"] = action["button"]
    if kind in POINTER_KINDS:
        x_px, y_px = action.get("x", 0), action.get("y", 0)
        out["x"], out["y"] = to_space(x_px, y_px, monitor, space)
        out["x_px"], out["y_px"] = x_px, y_px
    if kind == "drag":
        x2_px, y2_px = action.get("x2", 0), action.get("y2", 0)
        end = monitor
        if not contains(monitor, x2_px, y2_px):
            # The drag ended on another monitor: its end point is in that monitor's space
            # (end_monitor), never clamped to the start monitor's edge.
            end = _monitor_at(monitors, x2_px, y2_px) or monitor
            if end != monitor:
                out["end_monitor"] = dict(end)
        out["x2"], out["y2"] = to_space(x2_px, y2_px, end, space)
        out["x2_px"], out["y2_px"] = x2_px, y2_px
    if kind == "scroll":
        out["dx"], out["dy"] = int(action.get("dx") or 0), int(action.get("dy") or 0)
    if kind == "type":
        out["text"] = action.get("text") or ""
    if kind == "hotkey":
        out["keys"] = [key_name(str(k)) for k in action.get("keys") or ()]
    return out


def windows_of(source: StepSource) -> dict[int, dict[str, Any]]:
    """Window event seq -> {app, title, pid?}."""
    out: dict[int, dict[str, Any]] = {}
    for event in source.events():
        if event.get("kind") == "window" and isinstance(event.get("seq"), int):
            window = {"app": event.get("app", ""), "title": event.get("title", "")}
            if isinstance(event.get("pid"), int):
                window["pid"] = event["pid"]
            out[int(event["seq"])] = window
    return out


def _element(
    element: dict[str, Any] | None, monitor: dict[str, Any], space: str
) -> dict[str, Any] | None:
    """The action's element with ``bounds_norm`` (its bounds in ``space``) added."""
    if element is None:
        return None
    out = dict(element)
    bounds = element.get("bounds")
    if isinstance(bounds, list) and len(bounds) == 4:
        x, y, w, h = (float(v) for v in bounds)
        x1, y1 = to_space(x, y, monitor, space)
        x2, y2 = to_space(x + w, y + h, monitor, space)
        out["bounds_norm"] = [x1, y1, x2 - x1, y2 - y1]
    return out


def _episode_field(episode: dict[str, Any] | None) -> dict[str, Any] | None:
    if episode is None:
        return None
    return {k: episode.get(k) for k in ("id", "instruction", "outcome", "study_task_id")}


def terminate_status(episode: dict[str, Any] | None) -> str:
    """'success' only for an episode marked successful; abandoned or unset is 'failure'."""
    return "success" if episode is not None and episode.get("outcome") == "success" else "failure"


def _in_episode(action: dict[str, Any], episode: dict[str, Any] | None) -> bool:
    """Inside the episode's [t_start, t_end) (as SessionReader.episodes() bounds it: an action
    at t_end is its own only when it is its end_seq, so no action is in two episodes), else
    inside its [start_seq, end_seq]; an episode without bounds holds nothing."""
    if episode is None:
        return True
    start, end = episode.get("t_start"), episode.get("t_end")
    if isinstance(start, (int, float)):
        t = float(action.get("t", 0.0))
        if not isinstance(end, (int, float)) or start <= t < end:
            return start <= t
        return t == end and action.get("seq") == episode.get("end_seq")
    seq, first, last = action.get("seq"), episode.get("start_seq"), episode.get("end_seq")
    if not isinstance(first, int) or not isinstance(last, int) or not isinstance(seq, int):
        return False
    return first <= seq <= last


def default_frame_file(session_id: str) -> FrameFile:
    """``images/<session id>/NNNNNN.png``: where the trajectory layout puts frames."""
    return lambda index: f"images/{session_id}/{index:06d}.png"


def build_steps(
    source: StepSource,
    episode: dict[str, Any] | None = None,
    space: str = DEFAULT_SPACE,
    *,
    frame_file: FrameFile | None = None,
    session_id: str | None = None,
) -> Iterator[Step]:
    """The steps of one episode (or of the whole session when ``episode`` is None).

    Args:
        source: the session (SessionReader-like, or collect's view of an export).
        episode: one of ``source.episodes()`` (issue 16), or None.
        space: one of SPACES.
        frame_file: where each frame is in the export (default ``images/<id>/NNNNNN.png``).
        session_id: the session id for the default frame_file (default source.summary.id).

    Yields:
        Steps in time order, index 0.., then the terminate step; a step without an
        observation is never yielded, and nothing at all when no action has one.
    """
    check_space(space)
    if frame_file is None:
        sid = session_id if session_id is not None else str(source.summary.id)  # type: ignore[attr-defined]
        frame_file = default_frame_file(sid)
    frames = _Frames(source.frames(), frame_file)
    windows = windows_of(source)
    elements = elements_of(source)
    context = _episode_field(episode)
    actions = sorted(
        (a for a in source.actions() if _in_episode(a, episode)),
        key=lambda a: (float(a.get("t", 0.0)), int(a.get("seq", 0))),
    )
    index = 0
    last: Step | None = None
    for action in actions:
        observed = _observation(action, frames)
        if observed is None:
            continue
        monitor = observed["monitor"]
        shaped = step_action(action, monitor, frames.monitors, space)
        window_seq = action.get("window_seq")
        seq = action.get("seq")
        step: Step = {
            "index": index,
            "action_seq": int(seq) if isinstance(seq, int) else None,
            "kind": shaped["kind"],
            "t": float(action.get("t", 0.0)),
            "t_end": float(action.get("t_end", action.get("t", 0.0))),
            "observation": observed,
            "next_observation": _next_observation(action, frames, observed),
            "action": shaped,
            "code": to_code(shaped),
            "window": windows.get(window_seq) if isinstance(window_seq, int) else None,
            "element": _element(elements.get(seq), monitor, space)
            if isinstance(seq, int)
            else None,
            "episode": context,
        }
        yield step
        last = step
        index += 1
    final = _final_frame(frames, last, episode)
    if final is None:
        return
    status = terminate_status(episode)
    assert last is not None  # _final_frame is None without one
    t_end = last["t_end"]
    yield {
        "index": index,
        "action_seq": None,
        "kind": "terminate",
        "t": t_end,
        "t_end": t_end,
        "observation": final,
        "next_observation": None,
        "action": {"kind": "terminate", "status": status},
        "code": terminate_code(status),
        "window": last["window"],
        "element": None,
        "episode": context,
    }


def _final_frame(
    frames: _Frames, last: Step | None, episode: dict[str, Any] | None
) -> Frame | None:
    """The episode's last frame, on the last step's monitor; None when nothing was observed."""
    if last is None:
        return None
    end = float("inf")
    if episode is not None and isinstance(episode.get("t_end"), (int, float)):
        end = float(episode["t_end"])
    found = frames.last_at(end, last["observation"]["monitor"])
    if found is None or found["t"] < last["observation"]["t"]:
        return last["next_observation"] or last["observation"]
    return found
