"""What the review window says: session rows, redaction log, action labels, typed text (no Qt)."""

from __future__ import annotations

import datetime
from typing import Any

from app.core.formatting import format_duration, format_size, shorten
from app.review.session_index import SessionIndex


def session_row(summary: Any) -> list[str]:
    """The session list's cells: date, duration, study, counts, review state, size."""
    started = datetime.datetime.fromtimestamp(summary.started).strftime("%Y-%m-%d %H:%M")
    counts = f"{summary.frames} frames, {summary.actions} actions, {summary.events} events"
    review = summary.review
    if summary.state != "complete":
        review = f"{review} ({summary.state})"
    return [
        started,
        format_duration(summary.duration),
        summary.study_id or "(own)",
        counts,
        review,
        format_size(summary.bytes),
    ]


def study_label(consent: dict[str, Any]) -> str:
    """The Study column: 'Title (id)' from the session's consent record, or '(own)'.

    The plaintext index does not hold the study (storage/FORMAT.md section 6), so the
    review window reads it from the encrypted consent once the vault is unlocked.
    """
    study = consent.get("study")
    if isinstance(study, dict):
        title, sid = study.get("title"), study.get("id")
        if isinstance(title, str) and title and isinstance(sid, str) and sid:
            return f"{title} ({sid})"
        return str(title or sid or "a study")
    sid = consent.get("study_id") or (study if isinstance(study, str) else None)
    return str(sid) if sid else "(own)"


def _places(places: object) -> str:
    """' (1 in typed text, 1 in window titles)' from a text redaction's log entry."""
    if not isinstance(places, dict) or not places:
        return ""
    return " (" + ", ".join(f"{n} in {place}" for place, n in places.items()) + ")"


def redaction_label(entry: dict[str, Any]) -> str:
    """One line of the redaction log for people: when, and what was removed (never content)."""
    when = entry.get("when")
    stamp = (
        datetime.datetime.fromtimestamp(when).strftime("%Y-%m-%d %H:%M")
        if isinstance(when, int | float) and not isinstance(when, bool)
        else "?"
    )
    n = entry.get("count", 0)
    kind = entry.get("kind")
    what = {
        "region": f"blacked out a region in {n} frame(s)",
        "text": f"removed {n} occurrence(s) of a text" + _places(entry.get("places")),
        "typed_span": f"removed {n} selected character(s) of typed text",
        "events": f"deleted {n} event(s)",
        "frames": f"deleted {n} frame(s)",
        "window_titles": f"blanked {n} window title(s)",
    }.get(str(kind), f"{kind}: {n} changed")
    removed = entry.get("actions_removed")
    if kind == "events" and isinstance(removed, int) and removed:
        what += f" and {removed} action(s) built on them"
    return f"{stamp}  {what}"


class Labels(SessionIndex):
    """Labels for windows and actions, and the session's typed text as one document."""

    def window_label(self, window: dict[str, Any] | None) -> str:
        """'Firefox — Title', or '' when unknown."""
        if window is None:
            return ""
        app = str(window.get("app") or "an unknown app")
        title = str(window.get("title") or "")
        return f"{app} — {shorten(title, 50)}" if title else app

    def action_label(self, action: dict[str, Any]) -> str:
        """'click at (x, y) in App — Title', "typed '…'", 'hotkey ctrl+c'."""
        kind = action.get("kind")
        where = self.window_label(self.window_of(action))
        suffix = f" in {where}" if where else ""
        if kind in ("click", "double_click"):
            name = "double-click" if kind == "double_click" else "click"
            button = action.get("button", "left")
            if button and button != "left":
                name = f"{button} {name}"
            return f"{name} at ({action.get('x')}, {action.get('y')}){suffix}"
        if kind == "drag":
            return (
                f"drag from ({action.get('x')}, {action.get('y')}) to "
                f"({action.get('x2')}, {action.get('y2')}){suffix}"
            )
        if kind == "scroll":
            return (
                f"scroll ({action.get('dx', 0)}, {action.get('dy', 0)}) at "
                f"({action.get('x')}, {action.get('y')}){suffix}"
            )
        if kind == "type":
            text = str(action.get("text") or "")
            shown = shorten(text.replace("\n", "⏎"), 50) if text else "(text not kept)"
            return f"typed '{shown}'{suffix}"
        if kind == "hotkey":
            return f"hotkey {'+'.join(str(k) for k in action.get('keys', []))}{suffix}"
        return f"{kind}{suffix}"

    def action_labels(self) -> list[str]:
        """Every action's label, with its time."""
        return [
            f"{format_duration(float(a.get('t', 0.0)))}  {self.action_label(a)}"
            for a in self.actions
        ]

    def typed_runs(self) -> list[tuple[int, str]]:
        """(action index, text) of every typed run that kept its text."""
        return [
            (i, str(a["text"]))
            for i, a in enumerate(self.actions)
            if a.get("kind") == "type" and a.get("text")
        ]

    def _typed_lines(self) -> list[tuple[int, str, str]]:
        """(action index, line prefix, text) per line of :meth:`typed_text`."""
        lines = []
        for i, text in self.typed_runs():
            a = self.actions[i]
            where = self.window_label(self.window_of(a))
            lines.append((i, f"[{format_duration(float(a.get('t', 0.0)))}] {where}: ", text))
        return lines

    def typed_text(self) -> str:
        """The session's typed text in one document: one line per typed run."""
        return "\n".join(prefix + text for _i, prefix, text in self._typed_lines())

    def typed_spans_at(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """The typed text between offsets ``start`` and ``end`` of :meth:`typed_text`, as
        (action index, start, end) within each run's text (line prefixes are left out)."""
        out = []
        offset = 0
        for i, prefix, text in self._typed_lines():
            t0 = offset + len(prefix)
            t1 = t0 + len(text)
            a, b = max(start, t0), min(end, t1)
            if a < b:
                out.append((i, a - t0, b - t0))
            offset = t1 + 1
        return out

    def find_text(self, needle: str) -> list[int]:
        """Action indices of the typed runs containing ``needle`` (case-insensitive)."""
        if not needle:
            return []
        low = needle.lower()
        return [i for i, text in self.typed_runs() if low in text.lower()]
