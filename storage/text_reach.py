"""What removing a text reaches: every place a session can hold it, in one list (``REACHES``).

``overt redact --text``, review's *Remove every occurrence…* (its preview counts with
:func:`plan` too, so the dialog and the redaction log say the same number), the consent text
and the README describe text removal from this list; frames are searched separately, by OCR
(``storage/scan/frame_text.py``), because finding text in pixels is a guess to confirm.

How to add a stream (as task instructions and notes in ``episodes`` are; element names in
``elements``): write a function ``(records, needle) -> Found`` that counts each occurrence
once and returns changed copies of the records it rewrote, never touching its input; wrap it in
a :class:`Reach` with the place's name as the person reads it ("task notes") and the streams
it reads; add it to ``REACHES``. ``storage/redact.py`` reads every stream a reach names with
:func:`stored`: the ``SessionReader`` method of that name (``reader.episodes()``) or the one
``READERS`` names for it, so add that method first; it rewrites only the streams a reach
changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from storage.typed_text import REMOVED, TypedBuffer, action_chars, field_runs, mark_removed

#: A session's record streams by name, each in seq order (only those the reaches read).
Records = dict[str, list[dict[str, Any]]]

#: What a scrubbed key press says instead of its key.
REDACTED_KEY = "redacted"

#: The ``SessionReader`` method that reads a stream as stored, where it is not the stream's
#: name (``reader.elements()`` is the readers' mapping by action, not the records).
READERS = {"elements": "element_records"}


def stored(reader: Any, name: str) -> list[dict[str, Any]]:
    """Stream ``name`` of this session reader as stored, in seq order (copies of its records)."""
    return [dict(r) for r in getattr(reader, READERS.get(name, name))()]


@dataclass
class Found:
    """What one place holds of a text.

    Attributes:
        count: occurrences, each counted once (a typed one is in its key presses and its
            type action both: once).
        changed: per stream, the rewritten copy of each changed record by its position.
    """

    count: int = 0
    changed: dict[str, dict[int, dict[str, Any]]] = field(default_factory=dict)

    def change(self, stream: str, index: int, record: dict[str, Any]) -> dict[str, Any]:
        """The copy of ``record`` (at ``index`` in ``stream``) to rewrite, made once."""
        copies = self.changed.setdefault(stream, {})
        if index not in copies:
            copies[index] = dict(record)
        return copies[index]


@dataclass(frozen=True)
class Reach:
    """One place text removal reaches.

    Attributes:
        place: how the person reads it ("typed text", "window titles").
        streams: the streams it reads (and may rewrite).
        find: counts the text there and rewrites copies of what holds it.
    """

    place: str
    streams: tuple[str, ...]
    find: Callable[[Records, str], Found]


def _typed(records: Records, needle: str) -> Found:
    """Typed text: each field's text as typed (corrections and cursor moves replayed), its key
    presses (with the corrected-away ones inside it) and releases, and the type actions."""
    events, actions = records["events"], records["actions"]
    found = Found()
    runs = field_runs(events)
    presses: set[int] = set()
    for run in runs:
        at = run.text.find(needle)
        while at >= 0:
            found.count += 1
            presses |= run.presses(at, at + len(needle))
            at = run.text.find(needle, at + len(needle))
    by_seq = {e["seq"]: e for e in events if isinstance(e.get("seq"), int)}
    for i, a in enumerate(actions):
        text = a.get("text")
        if a.get("kind") == "type" and isinstance(text, str) and text:
            mapped = action_chars(a, by_seq)
            if mapped is None:
                # Its presses do not replay into its text (gone, or not recorded that way):
                # the text itself is searched, and counted unless its presses were found.
                new = text.replace(needle, REMOVED)
                if new != text and not presses & set(a.get("events") or ()):
                    found.count += text.count(needle)
            else:
                new = _marked(text, *mapped, presses)
            if new != text:
                found.change("actions", i, a)["text"] = new
        keys = a.get("keys")
        if a.get("kind") == "hotkey" and isinstance(keys, list) and needle in keys:
            found.count += 1
            found.change("actions", i, a)["keys"] = [
                REDACTED_KEY if k == needle else k for k in keys
            ]
            presses |= {
                s
                for s in a.get("events") or ()
                if isinstance(s, int) and by_seq.get(s, {}).get("key") == needle
            }
    scrub_presses(events, presses, found)
    return found


def _marked(text: str, buf: TypedBuffer, where: list[int | None], presses: set[int]) -> str:
    """A type action's text with what these presses typed marked removed."""
    owners = buf.owners
    gone = [w is None or bool(presses.intersection(owners[w])) for w in where]
    if not any(g for g, w in zip(gone, where, strict=True) if w is not None):
        return text
    return mark_removed(text, gone)


def scrub_presses(events: list[dict[str, Any]], presses: set[int], found: Found) -> None:
    """Scrub the key presses with these seqs and, for each, the next release of its key."""
    waiting: dict[str, int] = {}
    for i, e in enumerate(events):
        if e.get("kind") != "key":
            continue
        name = str(e.get("key"))
        if e.get("seq") in presses:
            waiting[name] = waiting.get(name, 0) + 1
        elif not e.get("down") and waiting.get(name, 0) > 0:
            waiting[name] -= 1
        else:
            continue
        scrubbed = found.change("events", i, e)
        scrubbed.update(char=None, key=REDACTED_KEY, vk=None)


def _titles(records: Records, needle: str) -> Found:
    """Window titles: each occurrence in each window event's title."""
    found = Found()
    for i, e in enumerate(records["events"]):
        title = e.get("title")
        if e.get("kind") == "window" and isinstance(title, str) and needle in title:
            found.count += title.count(needle)
            found.change("events", i, e)["title"] = title.replace(needle, REMOVED)
    return found


def _tasks(records: Records, needle: str) -> Found:
    """Task episodes: each occurrence in an instruction or a note. When any is found, the
    whole stream is rewritten in its stored form (without the seqs reading derives)."""
    found = Found()
    episodes = records["episodes"]
    for e in episodes:
        for name in ("instruction", "note"):
            value = e.get(name)
            if isinstance(value, str):
                found.count += value.count(needle)
    if found.count:
        for i, e in enumerate(episodes):
            copy = found.change("episodes", i, e)
            for name in ("instruction", "note"):
                if isinstance(copy.get(name), str):
                    copy[name] = copy[name].replace(needle, REMOVED)
            copy.pop("start_seq", None)
            copy.pop("end_seq", None)
    return found


def _element_names(records: Records, needle: str) -> Found:
    """UI element names: each occurrence in an element's name, description, ancestor path,
    selected item and application (the element's own level of its path, and the application
    named again at the path's top, are the same occurrence: counted once)."""
    found = Found()
    for i, record in enumerate(records["elements"]):
        copy = dict(record)
        count = 0
        for key in ("element", "end"):
            lookup = record.get(key)
            if isinstance(lookup, dict):
                copy[key], n = _scrubbed_lookup(lookup, needle)
                count += n
        if count:
            found.count += count
            found.changed.setdefault("elements", {})[i] = copy
    return found


def _scrubbed_lookup(lookup: dict[str, Any], needle: str) -> tuple[dict[str, Any], int]:
    """A copy of one stored lookup (storage/elements.py) with ``needle`` marked removed in its
    text, and the occurrences it held."""
    copy = dict(lookup)
    count = 0

    def scrub(value: object, counted: bool = True) -> object:
        nonlocal count
        if not isinstance(value, str) or needle not in value:
            return value
        count += value.count(needle) if counted else 0
        return value.replace(needle, REMOVED)

    for name in ("name", "description"):
        copy[name] = scrub(lookup.get(name))
    path = lookup.get("path")
    if isinstance(path, list):
        own = {"role": lookup.get("role"), "name": lookup.get("name")}
        copy["path"] = [
            {**step, "name": scrub(step.get("name"), not (i == len(path) - 1 and step == own))}
            if isinstance(step, dict)
            else step
            for i, step in enumerate(path)
        ]
    selected = lookup.get("selected")
    if isinstance(selected, dict):
        copy["selected"] = {**selected, "name": scrub(selected.get("name"))}
    top = path[0] if isinstance(path, list) and path and isinstance(path[0], dict) else {}
    copy["app"] = scrub(lookup.get("app"), lookup.get("app") != top.get("name"))
    return copy, count


#: Every place text removal reaches, in the order the dialog names them.
REACHES: tuple[Reach, ...] = (
    Reach("typed text", ("events", "actions"), _typed),
    Reach("window titles", ("events",), _titles),
    Reach("task instructions and notes", ("episodes",), _tasks),
    Reach("UI element names", ("elements",), _element_names),
)


def streams() -> list[str]:
    """Every stream some reach reads, each once, in order."""
    out: list[str] = []
    for reach in REACHES:
        out += [s for s in reach.streams if s not in out]
    return out


@dataclass
class Plan:
    """What removing a text does: occurrences per place and the rewritten streams.

    Attributes:
        counts: (place, occurrences) per reach, in ``REACHES`` order.
        streams: each changed stream, whole, as it is to be written.
    """

    counts: list[tuple[str, int]]
    streams: Records

    @property
    def total(self) -> int:
        """Occurrences everywhere the reaches look (what the dialog and the log say)."""
        return sum(n for _place, n in self.counts)


def plan(records: Records, needle: str) -> Plan:
    """What removing ``needle`` does to these streams (nothing is changed in ``records``).

    Each reach sees the streams as the reaches before it left them.
    """
    current = {name: list(rs) for name, rs in records.items()}
    counts: list[tuple[str, int]] = []
    changed: set[str] = set()
    for reach in REACHES:
        if not needle:
            counts.append((reach.place, 0))
            continue
        found = reach.find({s: current.get(s, []) for s in reach.streams}, needle)
        counts.append((reach.place, found.count))
        for stream, copies in found.changed.items():
            for index, record in copies.items():
                current[stream][index] = record
            changed.add(stream)
    return Plan(counts, {s: current[s] for s in changed})
