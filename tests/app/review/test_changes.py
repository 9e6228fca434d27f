"""app/review/changes.py: each change's preview, what it asks of the session, what it says."""

from __future__ import annotations

from typing import Any

import pytest

from app.review import changes
from app.review.changes import Change
from app.review.previews import Preview
from storage.scan.text import Suggestion
from tests.app.review.session_records import model


class RecordingSession:
    """Stands in for a ReviewSession: records each change asked of it, returns ``result``."""

    session_id = "s1"

    def __init__(self, result: object = 3) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.result = result

    def __getattr__(self, name: str) -> Any:
        def call(*args: Any) -> object:
            self.calls.append((name, args))
            return self.result

        return call


def applied(change: Change, result: object = 3) -> tuple[list[tuple[str, tuple[Any, ...]]], str]:
    session = RecordingSession(result)
    value = change.apply(session)  # type: ignore[arg-type]
    return session.calls, change.message(value)


def test_each_change_asks_the_session_for_one_thing_and_says_what_it_did() -> None:
    m = model()
    cases = [
        (
            changes.redact_region(m, (1, 2, 3, 4), [range(0, 2)]),
            ("redact_region", ((1, 2, 3, 4), [range(0, 2)])),
            "Blacked out the region in 3 frame(s).",
        ),
        (
            changes.redact_typed_spans(m, [(2, 0, 4)]),
            ("redact_typed_spans", ([(2, 0, 4)],)),  # action 2 has seq 2
            "Removed 3 character(s) of typed text.",
        ),
        (
            changes.redact_text(m, "word"),
            ("redact_text", ("word",)),
            "Removed 3 occurrence(s).",
        ),
        (
            changes.delete_events(m, range(3, 4)),
            ("redact_events", (range(3, 4),)),
            "Deleted 3 event(s).",
        ),
        (
            changes.delete_frames(m, {1}),
            ("delete_frames", ({1},)),
            "Deleted 3 frame(s).",
        ),
        (
            changes.blank_titles(m, None),
            ("redact_window_titles", (None,)),
            "Blanked 3 window title(s).",
        ),
    ]
    for change, call, message in cases:
        assert not change.preview.empty, change.preview.title
        assert not change.closes
        assert applied(change) == ([call], message)


def test_approving_and_deleting_the_session() -> None:
    m = model()
    approve = changes.approve(m)
    assert approve.preview.title == "Approve this session"
    assert applied(approve, None) == (
        [("approve", ())],
        "Approved: this session can now be exported.",
    )
    delete = changes.delete_session(m, "s1")
    assert delete.closes
    assert delete.preview.lines[0] == "Session s1: 5 frames, 4 actions, 6 events."
    assert applied(delete, None) == ([("delete", ())], "Session deleted.")


def test_events_and_frames_are_one_change_only_when_both_are_asked() -> None:
    m = model()
    assert changes.delete_events_and_frames(m, range(3, 4), set()).preview.title == "Delete events"
    assert changes.delete_events_and_frames(m, range(0), {2}).preview.title == "Delete frames"
    both = changes.delete_events_and_frames(m, range(3, 4), {2})
    assert both.preview.title == "Delete events and frames"
    assert both.preview.lines[-1] == "This cannot be undone."
    assert applied(both, (2, 1)) == (
        [("delete_range", (range(3, 4), {2}))],
        "Deleted 2 event(s) and 1 frame(s).",
    )


@pytest.mark.parametrize(
    ("suggestion", "call", "message"),
    [
        (
            Suggestion("email", "frame", (), None, None, "j***", frames=(1, 9), box=(5, 6, 7, 8)),
            ("redact_region", ((5, 6, 7, 8), [range(1, 5)])),
            "Blacked out the text in 3 frame(s).",
        ),
        (
            Suggestion("email", "title", (0,), None, 0, "B***"),
            ("redact_window_titles", (range(0, 1),)),
            "Blanked 3 window title(s).",
        ),
        (
            Suggestion("password_prompt", "typed", (), 2, None, "p***"),
            ("redact_text", ("pass word",)),
            "Removed 3 occurrence(s).",
        ),
        (
            Suggestion("card", "typed", (8, 9), 9, None, "4***"),  # its text is gone
            ("redact_events", (range(8, 10),)),
            "Deleted 3 event(s).",
        ),
    ],
)
def test_a_suggestion_is_redacted_where_it_was_found(
    suggestion: Suggestion, call: tuple[str, tuple[Any, ...]], message: str
) -> None:
    change = changes.accept_suggestion(model(), suggestion)
    assert change.preview == model().preview_suggestion(suggestion)
    assert applied(change) == ([call], message)


def test_the_message_takes_one_count_or_several() -> None:
    change = Change(Preview("t", []), lambda _s: None, "{} and {}.")
    assert change.message((1, 2)) == "1 and 2."
    assert Change(Preview("t", []), lambda _s: None, "Done.").message(None) == "Done."
