"""Edits of a session's task episodes as review changes: a preview in plain lines, then a
rewrite of the episodes (no Qt; app/review/task_commands.py offers them).

The new list is built by storage's own helpers (storage/episodes.py), which refuse
overlapping or out-of-bounds episodes, so the review window never writes what the CLI
would refuse.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.core.formatting import format_duration, shorten
from app.review.changes import Change
from app.review.previews import Preview

Episode = dict[str, Any]

UNCHANGED = "Actions, frames and typed text stay as they are."


def _name(number: int, episode: Episode) -> str:
    text = shorten(str(episode.get("instruction") or ""), 50) or "(no instruction)"
    return f"task {number} “{text}”"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _bounds(episode: Episode) -> str:
    t0 = format_duration(float(episode.get("t_start") or 0.0))
    end = episode.get("t_end")
    return f"{t0}–{format_duration(float(end))}" if end is not None else f"{t0}–end"


def describe(old: Sequence[Episode], new: Sequence[Episode]) -> list[str]:
    """What changes between two episode lists, one line per episode added, removed or edited."""
    before = {str(e["id"]): (i + 1, e) for i, e in enumerate(old)}
    after = {str(e["id"]): (i + 1, e) for i, e in enumerate(new)}
    lines = []
    for eid, (n, e) in after.items():
        if eid not in before:
            lines.append(f"New {_name(n, e)}, {_bounds(e)}.")
            continue
        _m, was = before[eid]
        for field, what in (
            ("instruction", "instruction"),
            ("outcome", "outcome"),
            ("note", "note"),
        ):
            if was.get(field) != e.get(field):
                shown = e.get(field) if e.get(field) not in (None, "") else "not set"
                lines.append(f"The {what} of {_name(n, e)} becomes “{shorten(str(shown), 60)}”.")
        if (was.get("t_start"), was.get("t_end")) != (e.get("t_start"), e.get("t_end")):
            lines.append(f"{_cap(_name(n, e))} now runs {_bounds(e)} (was {_bounds(was)}).")
    for eid, (n, e) in before.items():
        if eid not in after:
            lines.append(f"{_cap(_name(n, e))} is removed.")
    return lines


def set_episodes(title: str, old: Sequence[Episode], new: Sequence[Episode], done: str) -> Change:
    """A change that replaces the session's episodes ``old`` by ``new``."""
    lines = describe(old, new)
    stored = [dict(e) for e in new]
    return Change(
        Preview(title, [*lines, UNCHANGED], empty=not lines, verb="Save"),
        lambda s: s.set_episodes(stored),
        done,
    )
