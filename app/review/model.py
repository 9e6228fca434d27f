"""What the review window shows, without Qt: labels, overlays, navigation, previews.

The widgets in ``app/review/window.py`` stay thin over :class:`ReviewModel`, which is built
from plain records (``storage/format/records.py`` shapes) and unit-tested without a QApplication.
"""

from __future__ import annotations

import bisect
import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from app.core.formatting import format_duration, format_size, shorten
from storage.scan import text as scanner
from storage.scan.text import Suggestion

EVENT_KINDS = ("move", "button", "scroll", "key", "window")
MIN_BIN_S = 0.25  # the activity plot's shortest bin

#: How each scanner kind is named to the person.
SUGGESTION_KINDS = {
    "email": "Email address",
    "phone": "Phone number",
    "card": "Card number",
    "iban": "IBAN",
    "national_id": "ID number",
    "secret": "Secret or token",
    "password_prompt": "Text typed in a password prompt",
}


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
        "text": f"removed {n} occurrence(s) of a text everywhere",
        "typed_span": f"removed {n} selected character(s) of typed text",
        "events": f"deleted {n} event(s)",
        "frames": f"deleted {n} frame(s)",
        "window_titles": f"blanked {n} window title(s)",
    }.get(str(kind), f"{kind}: {n} changed")
    removed = entry.get("actions_removed")
    if kind == "events" and isinstance(removed, int) and removed:
        what += f" and {removed} action(s) built on them"
    return f"{stamp}  {what}"


@dataclass
class Overlay:
    """What to draw over one frame, in that frame's pixel coordinates.

    Attributes:
        clicks: (x, y, button) of clicks this frame is before or after, or that happen
            between it and the next frame.
        path: cursor positions since the previous frame.
        drags: (x, y, x2, y2) of drags near this frame.
        window: the active window's (x, y, w, h), or None.
    """

    clicks: list[tuple[int, int, str]] = field(default_factory=list)
    path: list[tuple[int, int]] = field(default_factory=list)
    drags: list[tuple[int, int, int, int]] = field(default_factory=list)
    window: tuple[int, int, int, int] | None = None


@dataclass
class Preview:
    """What a change will do, shown before it is applied.

    Attributes:
        title: a short name for the change.
        lines: what will change, one fact per line.
        empty: True when nothing would change (the change is then not offered).
        verb: the confirming button's label ("Black out", "Delete", "Approve"...).
    """

    title: str
    lines: list[str]
    empty: bool = False
    verb: str = "Apply"


class ReviewModel:
    """One session's records, indexed for the review window.

    Frame metadata arrives first (enough to show the first frame); events and actions may
    arrive later (``set_records``), after which labels and overlays are complete.

    Attributes:
        frames: FrameMeta dicts, in index order.
        events: event dicts, in seq order.
        actions: action dicts, in seq order.
    """

    def __init__(self, frames: list[dict[str, Any]]) -> None:
        self.frames = frames
        self._frame_t = [float(f.get("t", 0.0)) for f in frames]
        # Frames are numbered as written; a pre-action frame is captured a moment before
        # frames written ahead of it, so times are not always in index order.
        self._by_time = sorted(range(len(frames)), key=lambda i: (self._frame_t[i], i))
        self._sorted_t = [self._frame_t[i] for i in self._by_time]
        self.events: list[dict[str, Any]] = []
        self.actions: list[dict[str, Any]] = []
        self._event_t: list[float] = []
        self._moves: list[dict[str, Any]] = []
        self._move_t: list[float] = []
        self._windows: list[dict[str, Any]] = []
        self._window_t: list[float] = []
        self._window_by_seq: dict[int, dict[str, Any]] = {}
        self.suggestions: list[Suggestion] = []

    # --- loading ------------------------------------------------------------------------

    def set_records(
        self, events: Iterable[dict[str, Any]], actions: Iterable[dict[str, Any]]
    ) -> None:
        """Take the session's events and actions (each in seq order)."""
        self.events = list(events)
        self.actions = list(actions)
        self._event_t = [float(e.get("t", 0.0)) for e in self.events]
        self._moves = [e for e in self.events if e.get("kind") == "move"]
        self._move_t = [float(e["t"]) for e in self._moves]
        self._windows = [e for e in self.events if e.get("kind") == "window"]
        self._window_t = [float(e["t"]) for e in self._windows]
        self._window_by_seq = {int(e["seq"]): e for e in self._windows if "seq" in e}

    @property
    def frame_count(self) -> int:
        """Number of frames."""
        return len(self.frames)

    @property
    def duration(self) -> float:
        """Seconds from the start to the last frame, event or action."""
        ends = [self._sorted_t[-1] if self._sorted_t else 0.0]
        if self._event_t:
            ends.append(self._event_t[-1])
        if self.actions:
            ends.append(float(self.actions[-1].get("t_end", self.actions[-1].get("t", 0.0))))
        return max(ends)

    # --- navigation -----------------------------------------------------------------------

    def frame_time(self, index: int) -> float:
        """Seconds since the start at which frame ``index`` was captured."""
        return self._frame_t[index]

    def frame_at(self, t: float) -> int:
        """The last frame captured at or before ``t`` (the earliest one before the first)."""
        if not self._frame_t:
            return 0
        return self._by_time[max(bisect.bisect_right(self._sorted_t, t) - 1, 0)]

    def step_frame(self, index: int, delta: int) -> int:
        """Frame ``index + delta``, clamped to the session."""
        if not self.frames:
            return 0
        return min(max(index + delta, 0), len(self.frames) - 1)

    def action_frame(self, action_index: int) -> int:
        """The frame to show for an action: its pre-action frame, else the one before it."""
        action = self.actions[action_index]
        before = action.get("frame_before")
        if isinstance(before, int) and 0 <= before < len(self.frames):
            return before
        return self.frame_at(float(action.get("t", 0.0)))

    def action_at_frame(self, index: int) -> int | None:
        """The action this frame shows: the first whose frame it is, else the last before it."""
        if not self.actions or not self.frames:
            return None
        for i in range(len(self.actions)):
            if self.action_frame(i) == index:
                return i
        t = self._frame_t[index]
        starts = [float(a.get("t", 0.0)) for a in self.actions]
        i = bisect.bisect_right(starts, t) - 1
        return i if i >= 0 else None

    def step_action(self, index: int, delta: int, current: int | None = None) -> int | None:
        """The action ``delta`` steps away (None if there is none that way).

        Args:
            index: the frame shown.
            delta: +1 for the next action, -1 for the previous.
            current: the action last stepped to, if the frame shown is still its frame.
        """
        if not self.actions:
            return None
        if current is None:
            shown = self.action_at_frame(index)
            if shown is not None and self.action_frame(shown) == index:
                current = shown
        if current is not None:
            return min(max(current + delta, 0), len(self.actions) - 1)
        frames = [self.action_frame(i) for i in range(len(self.actions))]
        if delta > 0:
            later = [i for i, f in enumerate(frames) if f >= index]
            return later[0] if later else len(self.actions) - 1
        earlier = [i for i, f in enumerate(frames) if f < index]
        return earlier[-1] if earlier else 0

    # --- labels ---------------------------------------------------------------------------

    def window_at(self, t: float) -> dict[str, Any] | None:
        """The window event active at ``t``."""
        i = bisect.bisect_right(self._window_t, t) - 1
        return self._windows[i] if i >= 0 else None

    def window_of(self, action: dict[str, Any]) -> dict[str, Any] | None:
        """The window an action happened in (its window_seq, else by time)."""
        seq = action.get("window_seq")
        if isinstance(seq, int) and seq in self._window_by_seq:
            return self._window_by_seq[seq]
        return self.window_at(float(action.get("t", 0.0)))

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

    # --- typed text -----------------------------------------------------------------------

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

    # --- overlays -------------------------------------------------------------------------

    def overlay(self, index: int) -> Overlay:
        """Clicks, cursor path, drags and the active window for frame ``index``."""
        out = Overlay()
        if not self.frames:
            return out
        meta = self.frames[index]
        mon = meta.get("monitor") or {}
        ox, oy = int(mon.get("x", 0)), int(mon.get("y", 0))
        t = self._frame_t[index]
        t_prev = self._frame_t[index - 1] if index > 0 else t - 1.0
        lo = bisect.bisect_right(self._move_t, t_prev)
        hi = bisect.bisect_right(self._move_t, t)
        out.path = [(int(e["x"]) - ox, int(e["y"]) - oy) for e in self._moves[lo:hi]]
        t_next = self._frame_t[index + 1] if index + 1 < len(self._frame_t) else float("inf")
        for a in self.actions:
            # A frame shows the screen just before what happens until the next frame.
            near = a.get("frame_before") == index or a.get("frame_after") == index
            if not near and a.get("frame_before") is None:
                # No pre-action frame (a click in the session's first instant): mark it on
                # the frame the action list shows for it.
                near = self.frame_at(float(a.get("t", 0.0))) == index
            if not near and not t <= float(a.get("t", -1e9)) < t_next:
                continue
            if a.get("kind") in ("click", "double_click"):
                out.clicks.append((int(a["x"]) - ox, int(a["y"]) - oy, str(a.get("button", ""))))
            elif a.get("kind") == "drag":
                out.drags.append(
                    (int(a["x"]) - ox, int(a["y"]) - oy, int(a["x2"]) - ox, int(a["y2"]) - oy)
                )
        win = self.window_at(t)
        if win is not None and int(win.get("w", 0)) > 0:
            out.window = (int(win["x"]) - ox, int(win["y"]) - oy, int(win["w"]), int(win["h"]))
        return out

    # --- timeline -------------------------------------------------------------------------

    def activity_bins(self, width: int) -> int:
        """How many bins to plot across ``width`` pixels: about 3 px each, but none shorter
        than MIN_BIN_S, so a short session's bars are wide enough to read."""
        by_time = max(math.ceil(self.duration / MIN_BIN_S), 1)
        return max(min(width // 3, by_time), 1)

    def frame_aspect(self) -> float:
        """Width / height of the first frame's monitor (16:9 when unknown)."""
        mon = (self.frames[0].get("monitor") or {}) if self.frames else {}
        w, h = mon.get("w"), mon.get("h")
        if isinstance(w, int | float) and isinstance(h, int | float) and w > 0 and h > 0:
            return float(w) / float(h)
        return 16 / 9

    def activity(self, bins: int) -> dict[str, list[int]]:
        """Events per bin by kind, over the session's duration, for the timeline's plot."""
        out = {kind: [0] * bins for kind in EVENT_KINDS}
        if bins <= 0:
            return out
        span = max(self.duration, 1e-9)
        for e in self.events:
            kind = e.get("kind")
            if kind in out:
                b = min(int(float(e.get("t", 0.0)) / span * bins), bins - 1)
                out[kind][max(b, 0)] += 1
        return out

    # --- previews -------------------------------------------------------------------------

    def frames_while_window(self, window: dict[str, Any]) -> list[range]:
        """Contiguous frame ranges during which this window (app and title) was active."""
        key = (window.get("app"), window.get("title"), window.get("wid"))
        ranges: list[range] = []
        start: int | None = None
        for i, t in enumerate(self._frame_t):
            w = self.window_at(t)
            same = w is not None and (w.get("app"), w.get("title"), w.get("wid")) == key
            if same and start is None:
                start = i
            elif not same and start is not None:
                ranges.append(range(start, i))
                start = None
        if start is not None:
            ranges.append(range(start, len(self._frame_t)))
        return ranges

    def preview_region(self, rect: tuple[int, int, int, int], frames: list[range]) -> Preview:
        """What filling ``rect`` in these frame ranges will do."""
        n = sum(len(r) for r in frames)
        x, y, w, h = rect
        spans = ", ".join(
            f"{r.start + 1}–{r.stop}" if len(r) > 1 else f"{r.start + 1}" for r in frames[:5]
        ) + (" …" if len(frames) > 5 else "")
        return Preview(
            "Black out a region",
            [
                f"A {w}×{h} rectangle at ({x}, {y}) becomes solid black.",
                f"{n} frame(s) change: {spans}.",
                "The original pixels cannot be recovered afterwards.",
            ],
            empty=n == 0 or w <= 0 or h <= 0,
            verb="Black out",
        )

    def preview_text(self, needle: str) -> Preview:
        """What removing every occurrence of ``needle`` will do."""
        typed = sum(text.count(needle) for _i, text in self.typed_runs()) if needle else 0
        titles = (
            sum(str(e.get("title") or "").count(needle) for e in self._windows) if needle else 0
        )
        return Preview(
            f"Remove every occurrence of '{shorten(needle, 30)}'",
            [
                f"{typed} occurrence(s) in typed text and {titles} in window titles are removed.",
                "The matching key presses are scrubbed from the raw events too.",
                "This cannot be undone.",
            ],
            empty=typed + titles == 0,
            verb="Remove",
        )

    def preview_typed_spans(self, spans: list[tuple[int, int, int]]) -> Preview:
        """What removing these spans (action index, start, end) of typed text will do."""
        chars = sum(b - a for _i, a, b in spans)
        lines = [f"{chars} character(s) of typed text are removed:"]
        for i, a, b in spans[:5]:
            action = self.actions[i]
            text = str(action.get("text") or "")[a:b].replace("\n", "⏎")
            where = self.window_label(self.window_of(action))
            lines.append(
                f"  '{shorten(text, 40)}' typed at {format_duration(float(action.get('t', 0)))}"
                + (f" in {where}" if where else "")
            )
        if len(spans) > 5:
            lines.append(f"  … and {len(spans) - 5} more run(s)")
        lines += [
            "Only this selection: other occurrences of the same text are kept "
            "(use 'Remove every occurrence…' for those).",
            "The key presses that typed it are scrubbed from the raw events too. "
            "This cannot be undone.",
        ]
        return Preview("Remove the selected typed text", lines, empty=chars == 0, verb="Remove")

    def frames_of_actions(self, first: int, last: int) -> range:
        """The frames actions ``first..last`` (inclusive) show: the first one's pre-action
        frame to the last one's post-action frame."""
        if not self.frames or not self.actions:
            return range(0)
        start = self.action_frame(first)
        after = self.actions[last].get("frame_after")
        stop = after if isinstance(after, int) else self.action_frame(last)
        stop = min(max(stop, start), len(self.frames) - 1)
        return range(start, stop + 1)

    def preview_frames(self, frames: Iterable[int]) -> Preview:
        """What deleting these frames will do."""
        doomed = sorted({i for i in frames if 0 <= i < len(self.frames)})
        runs: list[list[int]] = []
        for i in doomed:
            if runs and runs[-1][1] == i - 1:
                runs[-1][1] = i
            else:
                runs.append([i, i])
        spans = ", ".join(f"{a + 1}–{b + 1}" if b > a else f"{a + 1}" for a, b in runs[:5])
        if len(runs) > 5:
            spans += " …"
        n = len(doomed)
        return Preview(
            "Delete frames",
            [
                f"{n} of {len(self.frames)} frame(s) (screenshots) are deleted: {spans}.",
                "The other frames are kept exactly as they are, renumbered.",
                "Events and actions are kept (their pre/post frame may then be gone). "
                "This cannot be undone.",
            ],
            empty=n == 0,
            verb="Delete",
        )

    def event_range_of_actions(self, first: int, last: int) -> range:
        """The raw event seqs that actions ``first..last`` (inclusive) were built on."""
        seqs = [
            s
            for a in self.actions[first : last + 1]
            for s in a.get("events", [])
            if isinstance(s, int)
        ]
        if not seqs:
            return range(0)
        return range(min(seqs), max(seqs) + 1)

    def event_range_of_frames(self, first: int, last: int) -> range:
        """Seqs of the events between frames ``first`` and ``last`` (inclusive)."""
        t0 = self._frame_t[first]
        t1 = self._frame_t[last + 1] if last + 1 < len(self._frame_t) else float("inf")
        lo = bisect.bisect_left(self._event_t, t0)
        hi = bisect.bisect_left(self._event_t, t1)
        if hi <= lo:
            return range(0)
        return range(int(self.events[lo]["seq"]), int(self.events[hi - 1]["seq"]) + 1)

    def preview_events(self, seqs: range) -> Preview:
        """What deleting the events with these seqs will do."""
        evs = [e for e in self.events if e.get("seq") in seqs]
        acts = [
            a
            for a in self.actions
            if any(s in seqs for s in a.get("events", []) if isinstance(s, int))
        ]
        kinds: dict[str, int] = {}
        for e in evs:
            kinds[str(e.get("kind"))] = kinds.get(str(e.get("kind")), 0) + 1
        detail = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "none"
        return Preview(
            "Delete events",
            [
                f"{len(evs)} event(s) are deleted ({detail}).",
                f"{len(acts)} action(s) built on them are deleted too.",
                "Frames are kept; black them out separately if needed. This cannot be undone.",
            ],
            empty=not evs,
            verb="Delete",
        )

    def preview_titles(self, seqs: range | None) -> Preview:
        """What blanking window titles will do."""
        titles = [
            e for e in self._windows if e.get("title") and (seqs is None or e.get("seq") in seqs)
        ]
        distinct = sorted({str(e["title"]) for e in titles})
        lines = [f"{len(titles)} window title(s) are blanked, e.g.:"]
        lines += [f"  {shorten(t, 70)}" for t in distinct[:5]]
        lines.append("App names are kept. This cannot be undone.")
        return Preview("Blank window titles", lines, empty=not titles, verb="Blank")

    def approve_summary(self) -> Preview:
        """What approving lets leave: counts, apps, typed text, frames."""
        apps = sorted({str(e.get("app")) for e in self._windows if e.get("app")})
        typed = self.typed_runs()
        chars = sum(len(t) for _i, t in typed)
        lines = [
            f"{len(self.frames)} frames (screenshots), {len(self.actions)} actions, "
            f"{len(self.events)} raw events.",
            f"Apps: {', '.join(apps) if apps else '(none recorded)'}.",
            f"Typed text: {len(typed)} run(s), {chars} characters"
            + (f", e.g. '{shorten(typed[0][1], 40)}'." if typed else "."),
            f"Window titles: {sum(1 for e in self._windows if e.get('title'))} kept.",
            "Approved sessions can be exported; nothing leaves until you export.",
        ]
        return Preview("Approve this session", lines, verb="Approve")

    # --- sensitive-content suggestions ----------------------------------------------------

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
        return f"{what}, typed at {format_duration(t)} in {where}: {s.masked}"

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
            p.title = f"Remove this {what.lower()} ({s.masked}) everywhere"
            return p
        if s.event_seqs:
            p = self.preview_events(range(min(s.event_seqs), max(s.event_seqs) + 1))
            p.title = f"Delete the key presses of this {what.lower()}"
            return p
        return Preview(f"Redact this {what.lower()}", ["It is no longer there."], empty=True)
