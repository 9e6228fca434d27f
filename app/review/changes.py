"""The review window's changes as data: a preview, what to do to the session, what to say after.

Each function here builds one :class:`Change` from the model (no Qt);
``app/review/change_runner.py`` confirms it with the person and runs it off the GUI thread,
the same way for every change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.review.model import ReviewModel
from app.review.previews import FrameHits, Preview
from app.review.session import ReviewSession
from storage.scan.text import Suggestion


@dataclass(frozen=True)
class Change:
    """One change to a session, ready to be confirmed and run.

    Attributes:
        preview: what it will do, shown first (an empty preview is not offered).
        apply: does it to the session, in a worker thread; returns a count (or counts).
        done: the status line once applied; each ``{}`` takes one count ``apply`` returned.
        closes: True when the session is gone afterwards (there is nothing to reopen).
    """

    preview: Preview
    apply: Callable[[ReviewSession], object]
    done: str
    closes: bool = False

    def message(self, result: object) -> str:
        """The status line for what ``apply`` returned."""
        return self.done.format(*(result if isinstance(result, tuple) else (result,)))


def redact_region(
    model: ReviewModel, rect: tuple[int, int, int, int], ranges: list[range]
) -> Change:
    """Black out ``rect`` (frame pixels) in these frame ranges."""
    return Change(
        model.preview_region(rect, ranges),
        lambda s: s.redact_region(rect, ranges),
        "Blacked out the region in {} frame(s).",
    )


def redact_typed_spans(model: ReviewModel, spans: list[tuple[int, int, int]]) -> Change:
    """Remove only these spans of typed text (action index, start, end)."""
    by_seq = [(int(model.actions[i]["seq"]), a, b) for i, a, b in spans]
    return Change(
        model.preview_typed_spans(spans),
        lambda s: s.redact_typed_spans(by_seq),
        "Removed {} character(s) of typed text.",
    )


def redact_text(model: ReviewModel, needle: str, hits: FrameHits | None = None) -> Change:
    """Remove every occurrence of ``needle`` (storage/text_reach.py says where) and black out
    the boxes where the frame search read it."""
    boxes = [(s.box, model.suggestion_frames(s)) for s in (hits.found if hits else ()) if s.box]
    if not boxes:
        return Change(
            model.preview_text(needle, hits),
            lambda s: s.redact_text(needle),
            "Removed {} occurrence(s).",
        )
    frames = len(hits.frames()) if hits else 0

    def apply(s: ReviewSession) -> tuple[int, int]:
        removed = s.redact_text(needle)
        for box, in_frames in boxes:
            s.redact_region(box, [in_frames])
        return removed, frames

    return Change(
        model.preview_text(needle, hits),
        apply,
        "Removed {} occurrence(s) and blacked out the text in {} frame(s).",
    )


def delete_events(model: ReviewModel, seqs: range) -> Change:
    """Delete these events and the actions built on them."""
    return Change(
        model.preview_events(seqs), lambda s: s.redact_events(seqs), "Deleted {} event(s)."
    )


def delete_frames(model: ReviewModel, frames: set[int]) -> Change:
    """Delete these frames (the others are kept exactly)."""
    return Change(
        model.preview_frames(frames), lambda s: s.delete_frames(frames), "Deleted {} frame(s)."
    )


def delete_events_and_frames(model: ReviewModel, seqs: range, frames: set[int]) -> Change:
    """Delete these events and these frames (either may be empty), as one confirmed change."""
    if not frames:
        return delete_events(model, seqs)
    if not seqs:
        return delete_frames(model, frames)
    ev = model.preview_events(seqs)
    fr = model.preview_frames(frames)
    preview = Preview(
        "Delete events and frames",
        ev.lines[:2] + fr.lines[:2] + ["This cannot be undone."],
        empty=ev.empty and fr.empty,
        verb="Delete",
    )
    return Change(
        preview, lambda s: s.delete_range(seqs, frames), "Deleted {} event(s) and {} frame(s)."
    )


def blank_titles(model: ReviewModel, seqs: range | None) -> Change:
    """Blank window titles: all of them, or these window events' seqs."""
    return Change(
        model.preview_titles(seqs),
        lambda s: s.redact_window_titles(seqs),
        "Blanked {} window title(s).",
    )


def approve(model: ReviewModel) -> Change:
    """Approve the session for export, after showing what will leave."""
    return Change(
        model.approve_summary(),
        lambda s: s.approve(),
        "Approved: this session can now be exported.",
    )


def delete_session(model: ReviewModel, session_id: str) -> Change:
    """Delete the whole session irrecoverably."""
    preview = Preview(
        "Delete this whole session",
        [
            f"Session {session_id}: {model.frame_count} frames, "
            f"{len(model.actions)} actions, {len(model.events)} events.",
            "Everything in it is destroyed and cannot be recovered, even from backups.",
        ],
        verb="Delete session",
    )
    return Change(preview, lambda s: s.delete(), "Session deleted.", closes=True)


def accept_suggestion(model: ReviewModel, s: Suggestion) -> Change:
    """Redact what a scanner suggestion points at: black out its box in the frames it is in,
    blank its window title, remove its text from each place text removal reaches (typed text,
    titles, UI element names...), or else delete its key events."""
    preview = model.preview_suggestion(s)
    if s.source == "frame" and s.box is not None:
        box, frames = s.box, [model.suggestion_frames(s)]
        return Change(
            preview,
            lambda x: x.redact_region(box, frames),
            "Blacked out the text in {} frame(s).",
        )
    if s.source == "title" and s.title_seq is not None:
        seqs = range(s.title_seq, s.title_seq + 1)
        return Change(
            preview, lambda x: x.redact_window_titles(seqs), "Blanked {} window title(s)."
        )
    text = model.suggestion_text(s)
    if text:
        return Change(preview, lambda x: x.redact_text(text), "Removed {} occurrence(s).")
    events = range(min(s.event_seqs), max(s.event_seqs) + 1) if s.event_seqs else range(0)
    return Change(preview, lambda x: x.redact_events(events), "Deleted {} event(s).")
