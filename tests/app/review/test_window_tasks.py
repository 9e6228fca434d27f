"""The review window's Tasks tab on a real vault: create, split, name, mark, merge, delete."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractItemView
from pytestqt.qtbot import QtBot

from app.review import task_commands
from app.review.previews import Preview
from app.review.window import ReviewWindow
from storage import UnlockedVault
from tests.app.sessions import OFFSCREEN_LIMITS, vault_with_session

TIMEOUT = 10_000

pytestmark = OFFSCREEN_LIMITS


@pytest.fixture
def opened(qtbot: QtBot, tmp_path: Path) -> tuple[ReviewWindow, UnlockedVault, str]:
    vault, sid = vault_with_session(tmp_path / "vault", started_ago=60.0)  # lasts a minute
    window = ReviewWindow(vault)
    qtbot.add_widget(window)
    window.show()
    previews: list[Preview] = []
    window.confirm = lambda p: previews.append(p) or True  # type: ignore[func-returns-value]
    window.previews = previews  # type: ignore[attr-defined]
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        window.open_session(sid)
    return window, vault, sid


def applied(qtbot: QtBot, window: ReviewWindow, click: object) -> None:
    """Press a Tasks button and wait until the change is stored and the session reloaded."""
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        click.click()  # type: ignore[attr-defined]


def select_rows(window: ReviewWindow, first: int, last: int) -> None:
    window.actions_list.clearSelection()
    for row in range(first, last + 1):
        window.actions_list.item(row).setSelected(True)
    window.actions_list.setCurrentRow(
        last, window.actions_list.selectionModel().SelectionFlag.Select
    )


def test_tasks_are_made_and_edited_in_review(
    qtbot: QtBot, opened: tuple[ReviewWindow, UnlockedVault, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    window, vault, sid = opened
    panel = window.tasks_panel
    told: list[str] = []
    monkeypatch.setattr(task_commands, "tell", lambda _parent, text: told.append(text))
    assert window.tabs.tabText(window.tabs.indexOf(panel)) == "Tasks"
    assert not panel.empty.isHidden()
    assert window.timeline.bands == []
    assert window.actions_list.selectionMode() == QAbstractItemView.SelectionMode.ExtendedSelection
    actions = window.model.actions  # type: ignore[union-attr]
    answers = iter(["Book a train", "Pay for the ticket"])
    window.ask_instruction = lambda _title, _current: next(answers)

    # New task from the first five actions.
    window.actions_list.clearSelection()
    panel.new_button.click()
    assert told == ["First select the task's actions in the Actions tab."]
    select_rows(window, 0, 4)
    applied(qtbot, window, panel.new_button)
    assert len(told) == 1, told
    stored = vault.open_session(sid).episodes()
    assert [e["instruction"] for e in stored] == ["Book a train"]
    assert stored[0]["t_start"] == actions[0]["t"]
    assert (stored[0]["start_seq"], stored[0]["end_seq"]) == (actions[0]["seq"], actions[4]["seq"])
    assert window.tabs.tabText(window.tabs.indexOf(panel)) == "Tasks (1)"
    first, last = actions[0]["seq"], actions[4]["seq"]
    assert panel.tasks_list.item(0).text() == (
        f"1. Book a train\n    outcome not set · 0:00–0:04 · actions {first}–{last}"
    )
    assert len(window.timeline.bands) == 1
    assert window.timeline.bands[0].label == "1. Book a train"
    assert window.previews[-1].lines[0].startswith("New task 1 “Book a train”")  # type: ignore[attr-defined]

    # Split it where action 3 starts; the second part gets its own words and an outcome.
    panel.tasks_list.setCurrentRow(0)
    window.actions_list.setCurrentRow(2)
    applied(qtbot, window, panel.split_button)
    stored = vault.open_session(sid).episodes()
    assert len(stored) == 2
    assert stored[1]["t_start"] == actions[2]["t"]
    panel.tasks_list.setCurrentRow(1)
    applied(qtbot, window, panel.edit_button)
    panel.tasks_list.setCurrentRow(1)
    panel.outcome.setCurrentIndex(2)  # Failed
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        panel.outcome.activated.emit(2)
    stored = vault.open_session(sid).episodes()
    assert [(e["instruction"], e["outcome"]) for e in stored] == [
        ("Book a train", None),
        ("Pay for the ticket", "failure"),
    ]
    assert [b.outcome for b in window.timeline.bands] == [None, "failure"]

    # A bound that would overlap the next task is refused in one sentence; nothing changes.
    panel.tasks_list.setCurrentRow(0)
    window.actions_list.setCurrentRow(4)
    panel.end_button.click()
    assert len(told) == 2
    assert told[-1].endswith(".")
    assert vault.open_session(sid).episodes() == stored

    # Merge them back, then delete the task: its actions stay.
    panel.tasks_list.setCurrentRow(0)
    applied(qtbot, window, panel.merge_button)
    stored = vault.open_session(sid).episodes()
    assert len(stored) == 1
    assert stored[0]["outcome"] == "failure"
    panel.tasks_list.setCurrentRow(0)
    applied(qtbot, window, panel.delete_button)
    assert vault.open_session(sid).episodes() == []
    assert len(list(vault.open_session(sid).actions())) == len(actions)
    assert not panel.empty.isHidden()
    assert window.timeline.bands == []
