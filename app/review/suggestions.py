"""The scanner's suggestions in the review window: listed, located, previewed (no Qt)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.core.formatting import format_duration
from app.review.previews import Preview, Previews
from storage.elements import by_action
from storage.scan import text as scanner
from storage.scan.text import Suggestion

#: How each scanner kind is named to the person.
SUGGESTION_KINDS = {
    "email": "Email address",
    "phone": "Phone number",
    "card": "Card number",
    "iban": "IBAN",
    "national_id": "ID number",
    "secret": "Secret or token",
    "password_prompt": "Text typed in a password prompt",
    "text": "The text being removed",
}


class Suggestions(Previews):
    """The open suggestions of a session (typed text, window titles, UI elements, frames).

    Attributes:
        suggestions: the scanner's findings not dismissed, typed and title ones first.
    """

    def __init__(self, frames: list[dict[str, Any]]) -> None:
        super().__init__(frames)
        self.suggestions: list[Suggestion] = []

    def set_suggestions(self, suggestions: Iterable[Suggestion], dismissed: Iterable[str]) -> None:
        """Take the scanner's suggestions, leaving out the dismissed ones."""
        gone = set(dismissed)
        self.suggestions = [s for s in suggestions if s.key() not in gone]

    def suggestion_label(self, s: Suggestion) -> str:
        """'Email address, typed at 0:12 in Editor — notes.txt: j**** (9 chars)'."""
        what = SUGGESTION_KINDS.get(s.kind, s.kind)
        if s.source == "frame" and s.frames is not None:
            first, last = s.frames
            frames = f"frame {first + 1}" if first == last else f"frames {first + 1}–{last + 1}"
            start, end = self.frame_time(first), self.frame_time(last)
            return (
                f"{what} on screen, {frames} ({format_duration(start)}–"
                f"{format_duration(end)}): {s.masked}"
            )
        if s.source == "title":
            window = self._window_by_seq.get(s.title_seq) if s.title_seq is not None else None
            t = float(window.get("t", 0.0)) if window else 0.0
            return f"{what} in a window title at {format_duration(t)}: {s.masked}"
        action = self._action_by_seq(s.action_seq)
        t = float(action.get("t", 0.0)) if action else 0.0
        where = self.window_label(self.window_of(action)) if action else "?"
        if s.source == "element":
            return f"{what} in a UI element's name at {format_duration(t)} in {where}: {s.masked}"
        return f"{what}, typed at {format_duration(t)} in {where}: {s.masked}"

    def _element_text(self, s: Suggestion) -> str | None:
        """The text an "element" suggestion points at, found again in its action's element."""
        if s.action_seq is None:
            return None
        element = by_action(self.text_streams.get("elements", [])).get(s.action_seq)
        for text in scanner.element_texts(element or {}):
            for m in scanner.find(text):
                if m.kind == s.kind and scanner.mask(text[m.start : m.end]) == s.masked:
                    return text[m.start : m.end]
        return None

    def _action_by_seq(self, seq: int | None) -> dict[str, Any] | None:
        if seq is None:
            return None
        for a in self.actions:
            if a.get("seq") == seq:
                return a
        return None

    def add_frame_suggestions(
        self, suggestions: Iterable[Suggestion], dismissed: Iterable[str]
    ) -> int:
        """Add what a frame scan found (replacing an earlier scan's), leaving out the dismissed
        ones; returns how many were added."""
        gone = set(dismissed)
        found = [s for s in suggestions if s.key() not in gone]
        self.suggestions = [s for s in self.suggestions if s.source != "frame"] + found
        return len(found)

    def suggestion_frames(self, s: Suggestion) -> range:
        """The frames a "frame" suggestion is visible in (empty for the other kinds)."""
        if s.frames is None:
            return range(0)
        first, last = s.frames
        return range(max(first, 0), min(last + 1, self.frame_count))

    def suggestion_text(self, s: Suggestion) -> str | None:
        """The typed text a suggestion points at (for removing it), or None if not found."""
        if s.source == "element":
            return self._element_text(s)
        if s.source != "typed":
            return None
        if s.event_seqs:
            want = set(s.event_seqs)
            for run in scanner.typed_runs(self.events):
                chars = [c for c, q in zip(run.text, run.event_seqs, strict=True) if q in want]
                if chars:
                    return "".join(chars)
        action = self._action_by_seq(s.action_seq)
        text = action.get("text") if action else None
        if not isinstance(text, str) or not text:
            return None
        if s.kind == "password_prompt":
            return text
        for m in scanner.find(text):
            if m.kind == s.kind:
                return text[m.start : m.end]
        return None

    def suggestion_spans(self, s: Suggestion) -> list[tuple[int, int]]:
        """(start, end) offsets in :meth:`typed_text` to highlight for a typed suggestion."""
        if s.source != "typed":
            return []
        needle = self.suggestion_text(s)
        if not needle:
            return []
        spans = []
        offset = 0
        for i, prefix, text in self._typed_lines():
            if s.action_seq is None or self.actions[i].get("seq") == s.action_seq:
                at = text.find(needle)
                if at >= 0:
                    start = offset + len(prefix) + at
                    spans.append((start, start + len(needle)))
            offset += len(prefix) + len(text) + 1
        return spans

    def preview_suggestion(self, s: Suggestion) -> Preview:
        """What accepting a suggestion will do (blank the title, remove the text, or delete
        the key events when the text cannot be found)."""
        what = SUGGESTION_KINDS.get(s.kind, s.kind)
        if s.source == "frame" and s.frames is not None and s.box is not None:
            p = self.preview_region(s.box, [self.suggestion_frames(s)])
            p.title = f"Black out this {what.lower()} where it is on screen"
            return p
        if s.source == "title" and s.title_seq is not None:
            p = self.preview_titles(range(s.title_seq, s.title_seq + 1))
            p.title = f"Blank the window title holding a {what.lower()}"
            return p
        text = self.suggestion_text(s)
        if text:
            p = self.preview_text(text)
            p.title = (
                f"Remove this {what.lower()} ({s.masked}) from typed text, titles and UI "
                "element names"
            )
            return p
        if s.event_seqs:
            p = self.preview_events(range(min(s.event_seqs), max(s.event_seqs) + 1))
            p.title = f"Delete the key presses of this {what.lower()}"
            return p
        return Preview(f"Redact this {what.lower()}", ["It is no longer there."], empty=True)
