"""The UI element under the shown action, for the review window: its box and its path (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEP = " › "
NONE_RECORDED = "No element recorded for this action."


@dataclass
class ElementShown:
    """What the review shows of one action's element.

    Attributes:
        boxes: the element's bounds (and a drag's end element's) in frame pixels.
        line: "Element: Editor › Frame “notes.txt” › Push button “Save”", or why it is missing.
    """

    boxes: list[tuple[int, int, int, int]] = field(default_factory=list)
    line: str = ""


def level_label(level: object) -> str:
    """One path level as a person reads it: 'Push button “Save”', or the application's name."""
    if not isinstance(level, dict):
        return "?"
    role = str(level.get("role") or "unknown")
    name = level.get("name")
    if role == "application" and name:
        return str(name)
    label = role[:1].upper() + role[1:]
    return f"{label} “{name}”" if name else label


def path_label(element: dict[str, Any]) -> str:
    """The element's ancestor path, application first and the element last; its own role
    and name when no path was recorded."""
    path = element.get("path") or []
    if not path:
        path = [{"role": element.get("role"), "name": element.get("name")}]
    return SEP.join(level_label(level) for level in path)


def describe(element: dict[str, Any]) -> str:
    """One element (found or missing) in a phrase, with its states and selected item."""
    if "missing" in element:
        return f"no element ({element['missing']})"
    text = path_label(element)
    states = [s for s in element.get("states") or [] if isinstance(s, str)]
    if states:
        text += f" [{', '.join(states)}]"
    selected = element.get("selected")
    if isinstance(selected, dict) and selected.get("name"):
        text += f" · selected “{selected['name']}”"
    return text


def frame_box(element: dict[str, Any], monitor: dict[str, Any]) -> tuple[int, int, int, int] | None:
    """The element's bounds (global px) in the frame's pixels, as click marks are placed:
    the monitor's origin subtracted. None when missing, empty or not a box."""
    bounds = element.get("bounds")
    if "missing" in element or not isinstance(bounds, list | tuple) or len(bounds) != 4:
        return None
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in bounds):
        return None
    x, y, w, h = (int(v) for v in bounds)
    if w <= 0 or h <= 0:
        return None
    return x - int(monitor.get("x", 0)), y - int(monitor.get("y", 0)), w, h


def element_shown(
    elements: dict[int, dict[str, Any]],
    action: dict[str, Any] | None,
    monitor: dict[str, Any],
) -> ElementShown:
    """The box(es) and line for ``action`` shown on a frame of ``monitor``; nothing to say
    for a session recorded without elements."""
    if action is None or not elements:
        return ElementShown()
    element = elements.get(action.get("seq"))  # type: ignore[arg-type]
    if element is None:
        return ElementShown(line=NONE_RECORDED)
    parts = [element] + ([element["end"]] if isinstance(element.get("end"), dict) else [])
    boxes = [b for part in parts if (b := frame_box(part, monitor)) is not None]
    line = "Element: " + describe(element)
    if len(parts) > 1:
        line += "  →  " + describe(parts[1])
    return ElementShown(boxes=boxes, line=line)
