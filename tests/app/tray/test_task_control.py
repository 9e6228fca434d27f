"""New task… offers the tasks of the recording's own study (its consent record), nothing else."""

from __future__ import annotations

from app.dialogs.new_task_dialog import TaskChoice
from app.tray.task_control import study_tasks


def test_the_recordings_study_tasks_are_offered() -> None:
    consent = {
        "study": {
            "id": "s1",
            "tasks": [
                {
                    "id": "t1",
                    "instruction": "Find the cheapest flight",
                    "start_hint": "https://x.org",
                },
                {"id": "t2", "instruction": "Rename the file", "start_hint": ""},
                {"instruction": "no id: never offered"},
            ],
            "task_rules": {"free_text": False, "require_instructions": True},
        }
    }
    tasks, free_text = study_tasks(consent)
    assert tasks == [
        TaskChoice("t1", "Find the cheapest flight", "https://x.org"),
        TaskChoice("t2", "Rename the file", ""),
    ]
    assert free_text is False


def test_personal_recordings_and_old_studies_offer_free_text() -> None:
    assert study_tasks(None) == ([], True)
    assert study_tasks({"study": None}) == ([], True)
    assert study_tasks({"study": {"id": "old"}}) == ([], True)  # a study file from before tasks
