"""app/review/labels.py: what the session list, action list and typed text say."""

from __future__ import annotations

from app.core.formatting import format_size
from app.review.labels import redaction_label, session_row, study_label
from storage import SessionSummary
from tests.app.review.session_records import model


def test_action_labels_say_what_and_where() -> None:
    labels = [model().action_label(a) for a in model().actions]
    assert labels == [
        "click at (160, 60) in Firefox — Bank — Firefox",
        "drag from (160, 60) to (300, 90) in Firefox — Bank — Firefox",
        "typed 'pass word' in Terminal",
        "hotkey ctrl+c in Terminal",
    ]


def test_typed_text_is_one_searchable_document() -> None:
    m = model()
    assert m.typed_text() == "[0:03] Terminal: pass word"
    assert m.find_text("WORD") == [2]
    assert m.find_text("nothing") == []


def test_session_row() -> None:
    s = SessionSummary(
        "s1",
        1_700_000_000.0,
        3600.0,
        "complete",
        "unreviewed",
        10,
        2,
        3,
        3 * 1024 * 1024,
        "study-x",
    )
    row = session_row(s)
    assert row[1:] == [
        "1:00:00",
        "study-x",
        "3 frames, 2 actions, 10 events",
        "unreviewed",
        "3.1 MB",  # decimal units: 3 MiB is 3.1 MB
    ]
    assert format_size(12) == "12 B"


def test_study_label_reads_the_consent() -> None:
    assert study_label({"study": {"id": "notes", "title": "Note taking"}}) == "Note taking (notes)"
    assert study_label({"study": {"id": "notes"}}) == "notes"
    assert study_label({"study": {}}) == "a study"
    assert study_label({"study_id": "old-style"}) == "old-style"
    assert study_label({"study": None}) == "(own)"


def test_redaction_log_lines_say_what_never_the_content() -> None:
    entry = {"when": 1_700_000_000, "kind": "events", "count": 3, "actions_removed": 1}
    assert redaction_label(entry).endswith("  deleted 3 event(s) and 1 action(s) built on them")
    assert redaction_label({"when": True, "kind": "frames", "count": 2}) == "?  deleted 2 frame(s)"
    assert redaction_label({"kind": "new", "count": 1}) == "?  new: 1 changed"


def test_a_selection_maps_to_spans_of_the_typed_runs() -> None:
    m = model()
    doc = m.typed_text()
    start = doc.index("word")
    assert m.typed_spans_at(start, start + 4) == [(2, 5, 9)]
    assert m.typed_spans_at(0, len(doc)) == [(2, 0, 9)]  # the line's prefix is left out
    assert m.typed_spans_at(0, 3) == []
