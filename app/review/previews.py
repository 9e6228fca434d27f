"""What each change will do, in plain lines, shown before it is applied (no Qt)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.core.formatting import format_duration, shorten
from app.review.labels import Labels
from storage import text_reach
from storage.scan.text import Suggestion
from storage.typed_text import REMOVED


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


@dataclass(frozen=True)
class FrameHits:
    """Where OCR read a text being removed in the session's frames, or why it did not look.

    Attributes:
        found: the frame search's "text" suggestions, each a box and the frames it is in.
        not_searched: why the frames were not searched ("" when they were).
    """

    found: tuple[Suggestion, ...] = ()
    not_searched: str = ""

    def frames(self) -> list[int]:
        """Every frame a box is in, once each, in order."""
        seen = {i for s in self.found if s.frames for i in range(s.frames[0], s.frames[1] + 1)}
        return sorted(seen)


def frame_spans(frames: list[int]) -> str:
    """'2–8, 11' for frames [1..7, 10] (shown numbered from 1), the first five runs."""
    runs: list[list[int]] = []
    for i in frames:
        if runs and runs[-1][1] == i - 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    spans = ", ".join(f"{a + 1}–{b + 1}" if b > a else f"{a + 1}" for a, b in runs[:5])
    return spans + (" …" if len(runs) > 5 else "")


class Previews(Labels):
    """The preview of each change the review window offers, and what approving lets leave."""

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

    def text_records(self) -> dict[str, list[dict[str, Any]]]:
        """The streams text removal reads (``storage/text_reach.py``), as loaded here."""
        loaded = {"events": self.events, "actions": self.actions, **self.text_streams}
        return {name: list(loaded.get(name, [])) for name in text_reach.streams()}

    def preview_text(self, needle: str, hits: FrameHits | None = None) -> Preview:
        """What removing every occurrence of ``needle`` will do: counted by the same plan the
        redaction runs, so the dialog says the number the redaction log will; with ``hits``,
        what the search of the frames found (blacked out in the same step) or why it did not
        look."""
        counts = text_reach.plan(self.text_records(), needle).counts if needle else []
        total = sum(n for _place, n in counts)
        # The places that hold it (every place when none does).
        found = ", ".join(f"{n} in {place}" for place, n in counts if n or not total)
        lines = [
            f"{total} occurrence(s) are removed: {found}.",
            "Typed text is found as it was typed, corrections included; the key presses "
            "that typed it (and corrected it) are scrubbed from the raw events too.",
        ]
        boxes = hits.found if hits is not None else ()
        if hits is None:
            lines.append(
                "Screenshots are not changed: use Scan frames for text or Black out region."
            )
        elif hits.not_searched:
            lines.append(f"Frames were not searched: {hits.not_searched}")
        elif not boxes:
            lines.append("Frames were searched with OCR: the text was not read in any frame.")
        else:
            frames = hits.frames()
            lines.append(
                f"On screen (read by OCR): {len(boxes)} place(s) in {len(frames)} frame(s) "
                f"({frame_spans(frames)}) are blacked out too."
            )
        lines.append(f"Where the text was, actions say {REMOVED}. This cannot be undone.")
        return Preview(
            f"Remove every occurrence of '{shorten(needle, 30)}'",
            lines,
            empty=total == 0 and not boxes,
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
