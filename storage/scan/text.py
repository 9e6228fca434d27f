"""Sensitive-content scanner: suggests what to redact in typed text, window titles and UI
element names.

(Text in frames, read by OCR when an engine is installed, is scanned by
``storage/scan/frame_text.py`` with the same ``find``, from ``storage/scan/patterns.py``.)

It only suggests; the person decides. Pure and Qt-free: it reads event and action dicts (see
``storage/format/records.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from storage.scan.patterns import Kind, TextMatch, find, is_password_title, mask
from storage.typed_text import TextRun, field_runs

__all__ = [
    "Kind",
    "Suggestion",
    "TextMatch",
    "TextRun",
    "dismissal_key",
    "element_texts",
    "find",
    "is_password_title",
    "mask",
    "scan_session",
    "session_dismissals",
    "typed_runs",
    "unresolved",
]


@dataclass(frozen=True)
class Suggestion:
    """A suggested redaction, located in the session's streams.

    Attributes:
        kind: what was found.
        source: "typed" (key events / a type action), "title" (a window event's title),
            "element" (the name, description, path or selected item of an action's UI
            element, storage/elements.py) or "frame" (text read in frames by OCR, see
            ``storage/scan/frame_text.py``).
        event_seqs: the key events (typed) or the window event (title) holding it.
        action_seq: the type action holding it, if any; for "element", the action whose
            element it is.
        title_seq: for "title" and "password_prompt": the window event's seq.
        masked: a masked preview ("j***@e***.com") safe to show or log.
        frames: for "frame": the first and last frame index it is visible in.
        box: for "frame": where, as (x, y, width, height) in the frame's pixels.
    """

    kind: Kind
    source: Literal["typed", "title", "element", "frame"]
    event_seqs: tuple[int, ...]
    action_seq: int | None
    title_seq: int | None
    masked: str
    frames: tuple[int, int] | None = None
    box: tuple[int, int, int, int] | None = None

    def key(self) -> str:
        """A stable identifier for dismissing this suggestion."""
        if self.source == "frame":
            first, last = self.frames or (0, 0)
            where = ",".join(map(str, self.box or ()))
            return f"{self.kind}:frame:{first}-{last}:{where}"
        if self.source == "element":
            return f"{self.kind}:element:{self.action_seq}:{self.masked}"
        where = ",".join(map(str, self.event_seqs))
        return f"{self.kind}:{self.source}:{where}:{self.action_seq}:{self.title_seq}"

    def to_json(self) -> dict[str, Any]:
        out = {
            "kind": self.kind,
            "source": self.source,
            "event_seqs": list(self.event_seqs),
            "action_seq": self.action_seq,
            "title_seq": self.title_seq,
            "masked": self.masked,
            "key": self.key(),
        }
        if self.source == "frame":
            out["frames"] = list(self.frames or ())
            out["box"] = list(self.box or ())
        return out


def typed_runs(events: Iterable[Mapping[str, Any]]) -> list[TextRun]:
    """Runs of text typed into one field each, rebuilt by ``storage/typed_text.py`` (the same
    replay of corrections and cursor keys that redaction and the recorder use)."""
    return field_runs(events)


def _action_runs(actions: Iterable[Mapping[str, Any]], covered: set[int]) -> list[TextRun]:
    """Runs from type actions whose key events are not in the event stream."""
    runs = []
    for a in actions:
        text = a.get("text")
        if a.get("kind") != "type" or not isinstance(text, str) or not text:
            continue
        if covered & set(a.get("events") or ()):
            continue
        runs.append(TextRun(None, a.get("window_seq"), int(a["seq"]), plain=text))
    return runs


def scan_session(
    events: Iterable[Mapping[str, Any]],
    actions: Iterable[Mapping[str, Any]],
    elements: Mapping[int, Mapping[str, Any]] | None = None,
) -> list[Suggestion]:
    """Suggestions for a whole session: typed text, password prompts, window titles, UI
    element names.

    Args:
        events: the session's events in seq order.
        actions: the session's actions in seq order.
        elements: action seq -> its UI element, as ``SessionReader.elements()`` gives them.

    Returns:
        Suggestions in stream order (typed first, then titles, then elements).
    """
    actions = list(actions)
    titles: dict[int, str] = {}

    def note_titles() -> Iterator[Mapping[str, Any]]:
        # One pass over the events (a long session's events need not fit in memory).
        for e in events:
            if e.get("kind") == "window":
                titles[int(e["seq"])] = str(e.get("title") or "")
            yield e

    runs = typed_runs(note_titles())
    covered = {s for r in runs for s in r.event_seqs if s is not None}
    runs += _action_runs(actions, covered)
    by_event: dict[int, int] = {}
    for a in actions:
        if a.get("kind") == "type":
            for s in a.get("events") or ():
                by_event[int(s)] = int(a["seq"])
    out: list[Suggestion] = []
    for run in runs:
        prompt = run.window_seq is not None and is_password_title(titles.get(run.window_seq, ""))
        spans = [TextMatch("password_prompt", 0, len(run.text))] if prompt else find(run.text)
        for m in spans:
            seqs = tuple(sorted(run.presses(m.start, m.end)))
            action = run.action_seq
            if action is None and seqs:
                action = by_event.get(seqs[0])
            out.append(
                Suggestion(
                    m.kind,
                    "typed",
                    seqs,
                    action,
                    run.window_seq if prompt else None,
                    mask(run.text[m.start : m.end]),
                )
            )
    for seq, title in titles.items():
        for m in find(title):
            out.append(Suggestion(m.kind, "title", (seq,), None, seq, mask(title[m.start : m.end])))
    for seq, element in sorted((elements or {}).items()):
        for text in element_texts(element):
            for m in find(text):
                out.append(
                    Suggestion(m.kind, "element", (), seq, None, mask(text[m.start : m.end]))
                )
    return out


def element_texts(element: Mapping[str, Any]) -> list[str]:
    """The texts one element (and a drag's end) shows, each once: name, description, the
    names in its path, its selected item's name."""
    out: list[str] = []
    for part in (element, element.get("end")):
        if not isinstance(part, Mapping):
            continue
        levels = [part, *(p for p in part.get("path") or () if isinstance(p, Mapping))]
        if isinstance(part.get("selected"), Mapping):
            levels.append(part["selected"])
        texts = [lv.get("name") for lv in levels] + [part.get("description")]
        for t in texts:
            if isinstance(t, str) and t and t not in out:
                out.append(t)
    return out


def dismissal_key(session_id: str, key: str) -> str:
    """A dismissal across sessions: ``<session id>/<Suggestion.key()>``.

    Suggestion keys are seqs within one session, so the same key in another session names
    other content; a dismissal must only ever hide its own session's suggestion.
    """
    return f"{session_id}/{key}"


def session_dismissals(session_id: str, dismissed: Iterable[str]) -> list[str]:
    """The Suggestion keys dismissed in ``session_id``, from session-qualified keys."""
    prefix = f"{session_id}/"
    return [k[len(prefix) :] for k in dismissed if k.startswith(prefix)]


def unresolved(
    suggestions: Iterable[Suggestion], dismissed: Iterable[str] = ()
) -> list[Suggestion]:
    """Suggestions the person has not dismissed (the review UI records dismissals by key).

    Redacted content is already gone from the reader, so a suggestion that survives a scan
    of the redacted session and is not dismissed is one nobody has looked at.
    """
    gone = set(dismissed)
    return [s for s in suggestions if s.key() not in gone]
