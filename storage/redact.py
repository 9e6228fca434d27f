"""Redacting typed text, events and window titles, through a Rewriter (storage/rewriter.py).

What text removal reaches is listed in storage/text_reach.py.

Frames are redacted by storage/redact_frames.py.
"""

from __future__ import annotations

from typing import Any

from storage import redact_elements, text_reach
from storage.rewriter import Rewriter
from storage.typed_text import action_chars, mark_removed


def text(rw: Rewriter, needle: str) -> int:
    """Remove ``needle`` from every place ``storage/text_reach.py`` lists (typed text as typed,
    its key presses with the corrections inside it, type actions, window titles), marking
    where it was with ``[removed]``.

    Returns:
        Occurrences removed, each counted once (what review's preview counted).
    """
    records = {name: text_reach.stored(rw.reader, name) for name in text_reach.streams()}
    done = text_reach.plan(records, needle)
    if done.total == 0:
        return 0
    for name, rewritten in done.streams.items():
        rw.write_records(name, rewritten)
    rw.commit({"kind": "text", "where": {}, "count": done.total, "places": dict(done.counts)})
    return done.total


def typed_spans(rw: Rewriter, spans: list[tuple[int, int, int]]) -> int:
    """Remove chosen spans of typed text only: ``(action seq, start, end)`` in its text.

    The characters leave the type action's text (``[removed]`` marks where they were), and
    the key presses that typed them, with the corrections inside and around each span and
    their releases, are scrubbed. Other occurrences of the same text are left alone. When an
    action's presses cannot be replayed into its text, all of its presses are scrubbed.

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
        presses |= _span_presses(a, by_seq, positions)
        a["text"] = mark_removed(text, [i in positions for i in range(len(text))])
        count += len(positions)
    found = text_reach.Found()
    text_reach.scrub_presses(events, presses, found)
    for i, e in found.changed.get("events", {}).items():
        events[i] = e
    rw.write_records("events", events)
    rw.write_records("actions", actions)
    rw.commit(
        {"kind": "typed_span", "where": {"spans": [[q, a, b] for q, a, b in spans]}, "count": count}
    )
    return count


def _span_presses(
    action: dict[str, Any], by_seq: dict[int, dict[str, Any]], positions: set[int]
) -> set[int]:
    """The presses behind these positions of a type action's text (fail closed: all of the
    action's presses when they cannot be replayed into its text)."""
    mapped = action_chars(action, by_seq)
    if mapped is None:
        return {s for s in action.get("events") or () if isinstance(s, int)}
    buf, where = mapped
    picked = sorted({w for i, w in enumerate(where) if i in positions and w is not None})
    runs: list[list[int]] = []
    for w in picked:
        if runs and runs[-1][1] == w:
            runs[-1][1] = w + 1
        else:
            runs.append([w, w + 1])
    out: set[int] = set()
    for a, b in runs:
        out |= buf.presses(a, b)
    return out


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
        redact_elements.keep_actions(rw, {a["seq"] for a in keep_acts if "seq" in a})
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
