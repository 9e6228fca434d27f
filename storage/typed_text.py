"""Typed text rebuilt from key presses, one way for the recorder, the scanner, review and redaction.

A text field is replayed as a buffer with a cursor: characters are inserted at the cursor,
BackSpace and Delete remove the character before or after it, and Left, Right, Home and End
move it. Every character of the result knows the press that typed it, and every gap between
characters keeps the presses that left nothing behind there (a character typed and corrected
away, the BackSpace that removed it, a cursor move). Removing a span of the text must remove
those too: typing ``pasx`` BackSpace ``sword99`` and removing ``password99`` scrubs the ``x``
and the BackSpace as well as the ten characters (:meth:`TypedBuffer.presses`).

``field_runs`` cuts a session's key events into the stretches typed into one field: a window
change, a click, Enter/Tab/Escape/Up/Down/Page keys, a shortcut, a selection (Shift with a
cursor key) or a recording pause ends one; a typing pause does not (the recorder's type actions
do end there, so one field's text can span several actions).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: Keys that edit the text or move the cursor inside it.
EDIT_KEYS = frozenset({"backspace", "delete", "left", "right", "home", "end"})
#: The edit keys that only move the cursor (with Shift held they select instead).
CURSOR_KEYS = frozenset({"left", "right", "home", "end"})
#: Keys after which the cursor is somewhere this buffer cannot know (or the text was sent).
RUN_BREAK_KEYS = frozenset({"enter", "tab", "esc", "escape", "up", "down", "page_up", "page_down"})
#: Markers after which typing may be missing, so text on either side is not joined.
RUN_BREAK_MARKERS = frozenset({"pause", "outside_scope_start", "stop", "screen_locked"})


def is_edit(key: str, mods: Iterable[str] = ()) -> bool:
    """Whether a press with these modifiers edits typed text (Shift+arrow selects: no)."""
    return key in EDIT_KEYS and not (key in CURSOR_KEYS and "shift" in set(mods))


class TypedBuffer:
    """The text typed into one field so far, the cursor, and the presses behind each part."""

    def __init__(self) -> None:
        self._chars: list[str] = []
        self._owners: list[tuple[int, ...]] = []
        self._gaps: list[list[int]] = [[]]
        self.cursor = 0

    @property
    def text(self) -> str:
        """The text as it stands."""
        return "".join(self._chars)

    @property
    def owners(self) -> list[tuple[int, ...]]:
        """Per character of :attr:`text`, the press(es) that typed it."""
        return list(self._owners)

    def gap(self, i: int) -> tuple[int, ...]:
        """The presses that left nothing at gap ``i`` (before character ``i``)."""
        return tuple(self._gaps[i])

    def press(self, seq: int, key: str, char: str | None) -> bool:
        """Replay one key press; False when it neither types nor edits (nothing changes)."""
        if key in EDIT_KEYS:
            self._edit(seq, key)
            return True
        if not char:
            return False
        for c in char:
            at = self.cursor
            self._chars.insert(at, c)
            self._owners.insert(at, (seq,))
            self._gaps.insert(at + 1, [])
            self.cursor += 1
        return True

    def _edit(self, seq: int, key: str) -> None:
        at = self.cursor
        if key == "backspace" and at > 0:
            self._remove(at - 1, seq)
            self.cursor -= 1
        elif key == "delete" and at < len(self._chars):
            self._remove(at, seq)
        else:
            self._gaps[at].append(seq)
            if key == "left":
                self.cursor = max(at - 1, 0)
            elif key == "right":
                self.cursor = min(at + 1, len(self._chars))
            elif key == "home":
                self.cursor = 0
            elif key == "end":
                self.cursor = len(self._chars)

    def _remove(self, i: int, seq: int) -> None:
        """Remove character ``i``: its presses, both its gaps' and ``seq`` become one gap."""
        merged = [*self._gaps[i], *self._owners[i], *self._gaps[i + 1], seq]
        del self._chars[i], self._owners[i], self._gaps[i + 1]
        self._gaps[i] = merged

    def presses(self, start: int, end: int) -> set[int]:
        """Every press behind ``text[start:end]``: its characters' and those left in its gaps,
        the gaps at both ends included (a correction next to removed text goes with it)."""
        out = {s for owner in self._owners[start:end] for s in owner}
        for gap in self._gaps[start : end + 1]:
            out.update(gap)
        return out


@dataclass
class TextRun:
    """Text typed into one field without a break, with the presses behind it.

    Attributes:
        buffer: the replayed field (text, owners, gaps); None for a run taken from a type
            action whose key events are not in the event stream.
        window_seq: the active window event's seq when the run was typed.
        action_seq: the type action covering the run, if known.
        plain: the text of a run without a buffer.
    """

    buffer: TypedBuffer | None = None
    window_seq: int | None = None
    action_seq: int | None = None
    plain: str = ""
    seqs: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The typed text after corrections."""
        return self.buffer.text if self.buffer is not None else self.plain

    @property
    def event_seqs(self) -> list[int | None]:
        """Per character of :attr:`text`, the press that typed it (None without key events)."""
        if self.buffer is None:
            return [None] * len(self.plain)
        return [owner[0] for owner in self.buffer.owners]

    def presses(self, start: int, end: int) -> set[int]:
        """The presses to scrub with ``text[start:end]`` (see :meth:`TypedBuffer.presses`)."""
        return self.buffer.presses(start, end) if self.buffer is not None else set()


def ends_run(e: Mapping[str, Any]) -> bool:
    """Whether this event ends the text typed into one field (see the module docstring)."""
    kind = e.get("kind")
    if kind == "window" or (kind == "button" and e.get("down")):
        return True
    if kind == "marker":
        return e.get("what") in RUN_BREAK_MARKERS
    if kind != "key" or not e.get("down"):
        return False
    key = str(e.get("key") or "")
    mods = set(e.get("mods") or ())
    selects = key in CURSOR_KEYS and not is_edit(key, mods)
    return key in RUN_BREAK_KEYS or bool(mods - {"shift"}) or selects


def field_runs(events: Iterable[Mapping[str, Any]]) -> list[TextRun]:
    """The runs of text typed into one field each, in order (see the module docstring).

    Only presses carrying ``char`` type; edit keys edit; other keys (F-keys, lone modifiers)
    change nothing. ``TextRun.seqs`` lists every press the run replayed.
    """
    runs: list[TextRun] = []
    window_seq: int | None = None
    current = TextRun(TypedBuffer())

    def close() -> None:
        nonlocal current
        if current.text:
            runs.append(current)
        current = TextRun(TypedBuffer(), window_seq)

    for e in events:
        if ends_run(e):
            close()
            if e.get("kind") == "window":
                window_seq = current.window_seq = int(e["seq"])
        elif e.get("kind") == "key" and e.get("down"):
            assert current.buffer is not None
            char = e.get("char")
            key = str(e.get("key") or "")
            if current.buffer.press(int(e["seq"]), key, char if isinstance(char, str) else None):
                current.seqs.append(int(e["seq"]))
    close()
    return runs


def action_chars(
    action: Mapping[str, Any], by_seq: Mapping[int, Mapping[str, Any]]
) -> tuple[TypedBuffer, list[int | None]] | None:
    """A type action's presses replayed, and where each character of its text is in the replay.

    Returns:
        (the buffer, per character of the action's text its index in the buffer's text, or
        None inside a :data:`REMOVED` marker, whose presses were scrubbed already); None when
        the replay does not give the action's text (its key events are gone, or it was not
        recorded this way).
    """
    buf = TypedBuffer()
    for seq in action.get("events") or []:
        e = by_seq.get(seq) if isinstance(seq, int) else None
        if e is None or e.get("kind") != "key" or not e.get("down"):
            continue
        char = e.get("char")
        buf.press(int(seq), str(e.get("key") or ""), char if isinstance(char, str) else None)
    text = action.get("text")
    if not isinstance(text, str):
        return None
    where: list[int | None] = []
    kept = 0
    pos = 0
    while pos < len(text):
        if text.startswith(REMOVED, pos):
            where.extend([None] * len(REMOVED))
            pos += len(REMOVED)
        else:
            where.append(kept)
            kept += 1
            pos += 1
    if buf.text != "".join(c for c, w in zip(text, where, strict=True) if w is not None):
        return None
    return buf, where


#: What stands where removed text was, in a type action's text and in the code made from it.
REMOVED = "[removed]"


def mark_removed(text: str, removed: Sequence[bool]) -> str:
    """``text`` with each maximal run of removed characters replaced by one :data:`REMOVED`
    (mark a marker already in the text as removed too, and a run touching it joins it)."""
    out: list[str] = []
    previous_gone = False
    for c, gone in zip(text, removed, strict=True):
        if not gone:
            out.append(c)
        elif not previous_gone:
            out.append(REMOVED)
        previous_gone = gone
    return "".join(out)
