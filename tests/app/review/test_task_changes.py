"""The preview of a task edit: one plain line per episode added, removed or changed."""

from __future__ import annotations

from app.review.task_changes import UNCHANGED, describe, set_episodes


def ep(eid: str, instruction: str, t0: float, t1: float | None, outcome: str | None = None):
    return {
        "id": eid,
        "instruction": instruction,
        "t_start": t0,
        "t_end": t1,
        "outcome": outcome,
        "note": "",
        "study_task_id": None,
    }


def test_each_kind_of_edit_is_said() -> None:
    old = [ep("e1", "Book a train", 0.0, 30.0), ep("e2", "Reply to Sam", 40.0, 70.0)]
    new = [
        ep("e1", "Book a train to Leeds", 0.0, 20.0, "success"),
        ep("e3", "Pay for it", 20.0, 30.0),
    ]
    lines = describe(old, new)
    assert (
        "The instruction of task 1 “Book a train to Leeds” becomes “Book a train to Leeds”."
        in lines
    )
    assert "The outcome of task 1 “Book a train to Leeds” becomes “success”." in lines
    assert "Task 1 “Book a train to Leeds” now runs 0:00–0:20 (was 0:00–0:30)." in lines
    assert "New task 2 “Pay for it”, 0:20–0:30." in lines
    assert "Task 2 “Reply to Sam” is removed." in lines
    assert len(lines) == 5


def test_nothing_changed_is_not_offered() -> None:
    same = [ep("e1", "Book a train", 0.0, None)]
    change = set_episodes("Edit a task", same, [dict(same[0])], "Saved.")
    assert change.preview.empty
    assert change.preview.lines == [UNCHANGED]
    cleared = set_episodes(
        "Set an outcome", [ep("e1", "x", 0, 1, "failure")], [ep("e1", "x", 0, 1)], "Saved."
    )
    assert cleared.preview.lines[0] == "The outcome of task 1 “x” becomes “not set”."
    assert not cleared.preview.empty
    assert cleared.preview.verb == "Save"
