"""Redacting typed text, events and window titles, through a Rewriter (storage/rewriter.py).

Frames are redacted by storage/redact_frames.py.
"""

from __future__ import annotations

from typing import Any

from storage.rewriter import Rewriter

REDACTED_KEY = "redacted"


def _typed_char(e: dict[str, Any]) -> str:
    char = e.get("char")
    if isinstance(char, str) and char:
        return char
    key = e.get("key")
    return key if isinstance(key, str) and len(key) == 1 else ""


def _scrub_key(e: dict[str, Any]) -> None:
    e["char"] = None
    e["key"] = REDACTED_KEY
    e["vk"] = None


def text(rw: Rewriter, needle: str) -> int:
    """Remove ``needle`` from typed keys (press and release), type actions and window titles.

    Returns:
        Occurrences removed.
    """
    events = list(rw.reader.events())
    actions = list(rw.reader.actions())
    count = 0
    downs = [e for e in events if e.get("kind") == "key" and e.get("down") and _typed_char(e)]
    spans = []
    typed = ""
    for e in downs:
        c = _typed_char(e)
        spans.append((len(typed), len(typed) + len(c)))
        typed += c
    hit: set[int] = set()
    pos = typed.find(needle)
    while pos >= 0:
        count += 1
        end = pos + len(needle)
        hit.update(i for i, (a, b) in enumerate(spans) if a < end and b > pos)
        pos = typed.find(needle, end)
    _scrub_presses(events, {downs[i]["seq"] for i in hit})
    for e in events:
        if e.get("kind") == "window" and isinstance(e.get("title"), str):
            c = e["title"].count(needle)
            if c:
                count += c
                e["title"] = e["title"].replace(needle, "")
    for a in actions:
        if isinstance(a.get("text"), str):
            c = a["text"].count(needle)
            if c:
                count += c
                a["text"] = a["text"].replace(needle, "")
        if isinstance(a.get("keys"), list) and needle in a["keys"]:
            count += a["keys"].count(needle)
            a["keys"] = [REDACTED_KEY if k == needle else k for k in a["keys"]]
    if count == 0:
        return 0
    rw.write_records("events", events)
    rw.write_records("actions", actions)
    rw.commit({"kind": "text", "where": {}, "count": count})
    return count


def _scrub_presses(events: list[dict[str, Any]], presses: set[int]) -> None:
    """Scrub the key presses with these seqs and, for each, the next release of its key."""
    waiting: dict[str, int] = {}
    for e in events:
        if e.get("kind") != "key":
            continue
        if e.get("seq") in presses:
            key = str(e.get("key"))
            waiting[key] = waiting.get(key, 0) + 1
            _scrub_key(e)
        elif not e.get("down") and waiting.get(str(e.get("key")), 0) > 0:
            waiting[str(e.get("key"))] -= 1
            _scrub_key(e)


def _char_presses(action: dict[str, Any], by_seq: dict[int, dict[str, Any]]) -> list[int | None]:
    """For each character of a type action's text, the seq of the key press that typed it.

    Replays the action's presses the way the recorder built its text (backspace removes the
    last character). None where the press is not in the event stream (deleted earlier).
    """
    out: list[int | None] = []
    for seq in action.get("events") or []:
        e = by_seq.get(seq) if isinstance(seq, int) else None
        if e is None or e.get("kind") != "key" or not e.get("down"):
            continue
        if e.get("key") == "backspace":
            if out:
                out.pop()
        else:
            out.extend([seq] * len(_typed_char(e)))
    text = action.get("text")
    if not isinstance(text, str) or len(out) != len(text):
        return [None] * (len(text) if isinstance(text, str) else 0)
    return out


def typed_spans(rw: Rewriter, spans: list[tuple[int, int, int]]) -> int:
    """Remove chosen spans of typed text only: ``(action seq, start, end)`` in its text.

    The characters leave the type action's text, and the key presses that typed them (with
    their releases) are scrubbed. Other occurrences of the same text are left alone.

    Returns:
        Characters removed.

    Raises:
        ValueError: a span does not lie inside a typed run of this session.
    """
    if not spans:
        return 0
    events = list(rw.reader.events())
    actions = list(rw.reader.actions())
    by_seq = {e["seq"]: e for e in events if isinstance(e.get("seq"), int)}
    acts = {a.get("seq"): a for a in actions if a.get("kind") == "type"}
    cut: dict[int, set[int]] = {}
    for seq, start, end in spans:
        a = acts.get(seq)
        text = a.get("text") if a is not None else None
        if not isinstance(text, str) or not 0 <= start < end <= len(text):
            raise ValueError("the selected text is not in this session's typed text")
        cut.setdefault(seq, set()).update(range(start, end))
    presses: set[int] = set()
    count = 0
    for seq, positions in cut.items():
        a = acts[seq]
        text = str(a["text"])
        owners = _char_presses(a, by_seq)
        presses.update(s for i, s in enumerate(owners) if i in positions and s is not None)
        a["text"] = "".join(c for i, c in enumerate(text) if i not in positions)
        count += len(positions)
    _scrub_presses(events, presses)
    rw.write_records("events", events)
    rw.write_records("actions", actions)
    rw.commit(
        {"kind": "typed_span", "where": {"spans": [[q, a, b] for q, a, b in spans]}, "count": count}
    )
    return count


def events(rw: Rewriter, seqs: range) -> int:
    """Drop the events with these seqs and every action derived from any of them.

    Returns:
        Events removed.
    """
    evs = list(rw.reader.events())
    keep = [e for e in evs if e.get("seq") not in seqs]
    removed = len(evs) - len(keep)
    if removed == 0:
        return 0
    acts = list(rw.reader.actions())
    keep_acts = [
        a for a in acts if not any(s in seqs for s in a.get("events", []) if isinstance(s, int))
    ]
    rw.write_records("events", keep)
    if len(keep_acts) != len(acts):
        rw.write_records("actions", keep_acts)
    rw.commit(
        {
            "kind": "events",
            "where": {"seqs": [seqs.start, seqs.stop]},
            "count": removed,
            "actions_removed": len(acts) - len(keep_acts),
        }
    )
    return removed


def window_titles(rw: Rewriter, seqs: range | None) -> int:
    """Blank the titles of window events (all, or those with these seqs).

    Returns:
        Titles blanked.
    """
    evs = list(rw.reader.events())
    n = 0
    for e in evs:
        if e.get("kind") == "window" and e.get("title") and (seqs is None or e.get("seq") in seqs):
            e["title"] = ""
            n += 1
    if n == 0:
        return 0
    rw.write_records("events", evs)
    span = None if seqs is None else [seqs.start, seqs.stop]
    rw.commit({"kind": "window_titles", "where": {"seqs": span}, "count": n})
    return n
