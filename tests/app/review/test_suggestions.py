"""app/review/suggestions.py: the scanner's findings, labelled, located and previewed."""

from __future__ import annotations

from app.review.model import ReviewModel
from storage.scan.text import Suggestion
from tests.app.review.session_records import frame

TYPED = Suggestion("email", "typed", (), 0, None, "j***@e***.com")
TITLE = Suggestion("email", "title", (0,), None, 0, "j***@e***.com")
ON_SCREEN = Suggestion("email", "frame", (), None, None, "j***", frames=(1, 2), box=(5, 6, 70, 8))


def mail_model() -> ReviewModel:
    m = ReviewModel([frame(float(i), i) for i in range(4)])
    window = {
        "seq": 0,
        "t": 0.0,
        "kind": "window",
        "app": "Mail",
        "title": "To jane@example.com",
        "x": 0,
        "y": 0,
        "w": 800,
        "h": 600,
    }
    typed = {
        "seq": 0,
        "t": 2.0,
        "t_end": 2.5,
        "kind": "type",
        "events": [],
        "frame_before": 2,
        "frame_after": 3,
        "window_seq": 0,
        "text": "write to jane@example.com soon",
    }
    m.set_records([window], [typed])
    return m


def test_labels_say_what_where_and_when_masked() -> None:
    m = mail_model()
    assert m.suggestion_label(TYPED) == (
        "Email address, typed at 0:02 in Mail — To jane@example.com: j***@e***.com"
    )
    assert m.suggestion_label(TITLE) == "Email address in a window title at 0:00: j***@e***.com"
    assert m.suggestion_label(ON_SCREEN) == (
        "Email address on screen, frames 2–3 (0:01–0:02): j***"
    )


def test_typed_text_is_found_in_the_run_not_in_its_window_title() -> None:
    m = mail_model()
    assert m.suggestion_text(TYPED) == "jane@example.com"
    assert m.suggestion_text(TITLE) is None
    doc = m.typed_text()
    ((start, end),) = m.suggestion_spans(TYPED)
    assert doc[start:end] == "jane@example.com"
    assert start == doc.index("write to ") + len("write to ")


def test_each_source_previews_its_own_change() -> None:
    m = mail_model()
    assert m.preview_suggestion(TYPED).title == (
        "Remove this email address (j***@e***.com) from typed text, titles and UI element names"
    )
    assert m.preview_suggestion(TITLE).title == "Blank the window title holding a email address"
    region = m.preview_suggestion(ON_SCREEN)
    assert region.title == "Black out this email address where it is on screen"
    assert region.lines[1] == "2 frame(s) change: 2–3."
    gone = Suggestion("email", "typed", (), 9, None, "x***")
    assert m.preview_suggestion(gone).empty


def test_dismissed_stay_out_and_a_new_frame_scan_replaces_the_last() -> None:
    m = mail_model()
    m.set_suggestions([TYPED, TITLE], [TITLE.key()])
    assert m.suggestions == [TYPED]
    assert m.add_frame_suggestions([ON_SCREEN], []) == 1
    later = Suggestion("card", "frame", (), None, None, "4***", frames=(0, 9), box=(1, 1, 9, 9))
    assert m.add_frame_suggestions([later], [ON_SCREEN.key()]) == 1
    assert m.suggestions == [TYPED, later]
    assert m.suggestion_frames(later) == range(0, 4)  # clamped to the session's frames
    assert m.suggestion_frames(TYPED) == range(0)
