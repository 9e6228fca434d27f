"""What an element lookup answers: an ``Element`` or a ``Missing`` reason, and its stored record.

A lookup never guesses: when the platform cannot say what is at a point, the answer is
``Missing`` with one of the reasons below. Everything an element carries is bounded (name and
description length, path depth), and a password-role element never carries its name,
description or selection, wherever it appears (the element itself or a level of its path).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, TypedDict

MAX_TEXT = 200  # characters of a name or description kept
MAX_DEPTH = 12  # levels of the ancestor path kept (application first, the element last)

PASSWORD_ROLE = "password text"  # noqa: S105 - a role name, not a secret

# Missing reasons: a small fixed vocabulary, so coverage can be counted per reason.
NO_BUS = "no accessibility bus"
NOT_ACCESSIBLE = "app not accessible"
TIMED_OUT = "timed out"
NOTHING_AT_POINT = "nothing at point"
NO_FOCUS = "no focused element"
QUEUED_TOO_LONG = "queued too long"
DROPPED = "dropped"
AMBIGUOUS = "overlapping windows"
FAILED = "lookup failed"
NOT_LOOKED_UP = "not looked up"  # the action's start was not asked about in time
REASONS = (
    NO_BUS,
    NOT_ACCESSIBLE,
    TIMED_OUT,
    NOTHING_AT_POINT,
    NO_FOCUS,
    AMBIGUOUS,
    QUEUED_TOO_LONG,
    DROPPED,
    FAILED,
    NOT_LOOKED_UP,
)

#: The states an element reports (others are dropped: they say little about an action).
STATES = ("focused", "selected", "checked", "expanded", "editable", "password")


class PathStep(TypedDict):
    """One level of an element's ancestor path, or a selected item."""

    role: str
    name: str | None


class ElementRecord(TypedDict):
    """The plain, JSON-ready answer to one lookup (what storage keeps).

    Attributes:
        role: the element's role ("push button", "menu item"), None when missing.
        name, description: bounded text; None when absent, missing or a password field.
        states: a subset of STATES, sorted.
        bounds: [x, y, width, height] in global screen pixels, or None.
        path: application > window > ... > element, role and name per level (bounded).
        selected: for menus, lists and combo boxes, the selected item (role and name).
        app: the application's name on the accessibility bus, None when missing.
        missing_reason: None for an element, else one of REASONS.
        lookup_ms: how long the lookup took.
        lag_ms: how long after the action the lookup started (queueing); negative when the
            pointer rested on the element before the action and that lookup answered for it.
    """

    role: str | None
    name: str | None
    description: str | None
    states: list[str]
    bounds: list[int] | None
    path: list[PathStep]
    selected: PathStep | None
    app: str | None
    missing_reason: str | None
    lookup_ms: float
    lag_ms: float


@dataclass(frozen=True)
class Missing:
    """No element: why (one of REASONS) and, for logs and doctor, a detail sentence."""

    reason: str
    detail: str = ""


@dataclass(frozen=True)
class Element:
    """An element found at a point or with the focus (already bounded and password-safe:
    build it with ``make_element``)."""

    role: str
    name: str | None
    description: str | None
    states: frozenset[str]
    bounds: tuple[int, int, int, int] | None
    path: tuple[PathStep, ...] = ()
    selected: PathStep | None = None
    app: str | None = field(default=None, compare=False)


def bounded(text: object) -> str | None:
    """Text cut to MAX_TEXT characters; None for anything empty or not a string."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    return text[:MAX_TEXT] if text else None


def step(role: str, name: object) -> PathStep:
    """A path level; a password-role level keeps its role only."""
    return {"role": role, "name": None if role == PASSWORD_ROLE else bounded(name)}


def make_element(
    role: str,
    name: object,
    description: object,
    states: Iterable[str],
    bounds: tuple[int, int, int, int] | None,
    path: Iterable[PathStep] = (),
    selected: PathStep | None = None,
    app: str | None = None,
) -> Element:
    """An Element with every rule applied: bounded text and path, known states only, and
    nothing readable from a password field (its name, description, selection)."""
    levels = [step(level["role"], level["name"]) for level in path]
    if len(levels) > MAX_DEPTH:
        levels = levels[:1] + levels[-(MAX_DEPTH - 1) :]  # keep the application and the nearest
    kept = {s for s in states if s in STATES}
    password = role == PASSWORD_ROLE or "password" in kept
    if password:
        kept.add("password")
        name = description = None
        selected = None
    elif selected is not None:
        selected = step(selected["role"], selected["name"])
    return Element(
        role=role,
        name=None if password else bounded(name),
        description=None if password else bounded(description),
        states=frozenset(kept),
        bounds=bounds,
        path=tuple(levels),
        selected=selected,
        app=app,
    )


def to_record(answer: Element | Missing, lookup_ms: float, lag_ms: float = 0.0) -> ElementRecord:
    """The stored form of one answer."""
    record: ElementRecord = {
        "role": None,
        "name": None,
        "description": None,
        "states": [],
        "bounds": None,
        "path": [],
        "selected": None,
        "app": None,
        "missing_reason": None,
        "lookup_ms": round(lookup_ms, 3),
        "lag_ms": round(lag_ms, 3),
    }
    if isinstance(answer, Missing):
        record["missing_reason"] = answer.reason
        return record
    record["role"] = answer.role
    record["name"] = answer.name
    record["description"] = answer.description
    record["states"] = sorted(answer.states)
    record["bounds"] = list(answer.bounds) if answer.bounds is not None else None
    record["path"] = [{"role": level["role"], "name": level["name"]} for level in answer.path]
    record["app"] = answer.app
    if answer.selected is not None:
        record["selected"] = {"role": answer.selected["role"], "name": answer.selected["name"]}
    return record


def contains(bounds: tuple[int, int, int, int] | None, x: int, y: int) -> bool:
    """Whether a screen rectangle [x, y, w, h] holds the point."""
    if bounds is None:
        return False
    bx, by, bw, bh = bounds
    return bw > 0 and bh > 0 and bx <= x < bx + bw and by <= y < by + bh


def overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """Intersection over union of two rectangles (0 when apart)."""
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    w = min(ax + aw, bx + bw) - max(ax, bx)
    h = min(ay + ah, by + bh) - max(ay, by)
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    return inter / float(aw * ah + bw * bh - inter)


class ElementSource(Protocol):
    """One platform's accessibility API (AT-SPI, UI Automation, AX), used from one thread."""

    def element_at(self, x: int, y: int, deadline_s: float) -> Element | Missing:
        """The deepest element at a global screen point."""

    def focused_element(self, deadline_s: float) -> Element | Missing:
        """The element that has the keyboard focus."""

    def close(self) -> None:
        """Release connections (the source is not used again)."""


def states_from(flags: Mapping[str, bool]) -> frozenset[str]:
    """The STATES whose flag is true (for sources that read states one by one)."""
    return frozenset(name for name in STATES if flags.get(name))
