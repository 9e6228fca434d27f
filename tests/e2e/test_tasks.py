"""Task episodes end to end: two tasks marked through the real tray menu and the task hotkeys
while a person works in a real window, edited in the real review window, then exported.

Screenshots of the tray menu's task entries, the New task… window and the Tasks tab go to
build/screenshots/ for a person to look at.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.exceptions import TimeoutError as WaitTimeout
from pytestqt.qtbot import QtBot

from app.qt.guard import guard_none_refcount
from app.review.window import ReviewWindow
from app.tray.app import TrayApp
from tests.app.sessions import PASSPHRASE, make_vault
from tests.conftest import ROOT
from tests.e2e.conftest import SpawnTk, notes_app
from tests.helpers.overt_cli import run_overt
from tests.helpers.tray_menu import click, open_menu_entry
from tests.helpers.xserver import XDisplay, XDoTool, screenshot, tray_icon_centre

SHOTS = ROOT / "build" / "screenshots"
TIMEOUT = 20_000
NOTES_APP = notes_app("Travel notes - Notes")

guard_none_refcount()


def start_recording(qtbot: QtBot, tray: TrayApp) -> None:
    dialog = tray.record()
    assert dialog is not None
    qtbot.add_widget(dialog)
    qtbot.wait_exposed(dialog, timeout=TIMEOUT)
    for box in dialog.checkboxes.values():
        box.setChecked(True)
    qtbot.wait_until(dialog.start.isEnabled, timeout=TIMEOUT)
    failures: list[str] = []
    tray.controller.failed.connect(failures.append)
    dialog.start.click()
    qtbot.wait_until(lambda: tray.state.state != "starting" or bool(failures), timeout=TIMEOUT)
    assert failures == []
    assert tray.state.state == "recording"


def name_the_task(qtbot: QtBot, xdo: XDoTool, tray: TrayApp, words: str) -> None:
    """Type the instruction into the New task… window with real keys, then Return."""
    qtbot.wait_until(
        lambda: tray.tasks.dialog is not None and tray.tasks.dialog.isVisible(), timeout=TIMEOUT
    )
    dialog = tray.tasks.dialog
    assert dialog is not None
    qtbot.wait_exposed(dialog, timeout=TIMEOUT)
    xdo.run("windowactivate", "--sync", str(xdo.wait_window("Overt: new task")))
    qtbot.wait_until(dialog.instruction.hasFocus, timeout=TIMEOUT)  # it opens ready to type
    xdo.type(words, delay_ms=20)
    try:
        qtbot.wait_until(lambda: dialog.text() == words, timeout=TIMEOUT)
    except WaitTimeout as exc:
        raise AssertionError(f"the New task window holds {dialog.text()!r}") from exc
    xdo.key("Return")
    qtbot.wait_until(lambda: not dialog.isVisible(), timeout=TIMEOUT)


def work_in(xdo: XDoTool, notes: int, at: tuple[int, int], words: str) -> None:
    """A click into the notes window, then typing: what a person does during a task."""
    xdo.run("windowactivate", "--sync", str(notes))
    xdo.move(*at)
    xdo.click()
    time.sleep(0.3)
    xdo.type(words, delay_ms=20)
    time.sleep(0.6)  # the typing run ends with a pause, and a frame follows it


def answer_next_input(xdo: XDoTool, words: str) -> None:
    """Type ``words`` into the modal input dialog the review window is about to open."""

    def answer() -> None:
        xdo.run("windowactivate", "--sync", str(xdo.wait_window("Overt: Edit a task")))
        xdo.key("ctrl+a")
        xdo.type(words, delay_ms=10)
        xdo.key("Return")

    QTimer.singleShot(400, answer)


def test_two_tasks_recorded_reviewed_and_exported(
    x_display: XDisplay, xdo: XDoTool, qtbot: QtBot, tmp_path: Path, spawn_tk: SpawnTk
) -> None:
    notes = spawn_tk(NOTES_APP, "Travel notes")
    home = tmp_path / "vault"
    vault = make_vault(home)
    tray = TrayApp(home)
    tray.show()
    assert tray.tray is not None
    qtbot.add_widget(tray.prompt)
    qtbot.wait_until(lambda: tray_icon_centre(x_display) is not None, timeout=TIMEOUT)
    icon = tray_icon_centre(x_display)  # found by its idle colour, before it turns red
    start_recording(qtbot, tray)

    # Task 1 from the tray menu; it ends with the "done" hotkey.
    open_menu_entry(x_display, xdo, qtbot, tray, "new_task", "tray_menu_tasks.png", icon)
    qtbot.wait_until(lambda: tray.tasks.dialog is not None, timeout=TIMEOUT)
    screenshot(x_display, SHOTS / "new_task_dialog.png")
    name_the_task(qtbot, xdo, tray, "Book a train to Leeds")
    assert tray.state.task == "Book a train to Leeds"
    work_in(xdo, notes, (300, 300), "train 9:05 to Leeds")
    work_in(xdo, notes, (400, 380), "seat 42")
    xdo.key("ctrl+alt+shift+d")
    qtbot.wait_until(lambda: tray.state.task is None, timeout=TIMEOUT)

    # Task 2 from the "new task" hotkey (the tray asks for its words); it fails from the menu.
    time.sleep(0.5)
    xdo.run("windowactivate", "--sync", str(notes))
    xdo.key("ctrl+alt+shift+n")
    name_the_task(qtbot, xdo, tray, "Reply to Sam")
    work_in(xdo, notes, (350, 320), "hello Sam")
    work_in(xdo, notes, (450, 400), "see you")
    open_menu_entry(x_display, xdo, qtbot, tray, "task_failed", icon=icon)
    assert tray.state.task is None
    with qtbot.wait_signal(tray.controller.stopped, timeout=TIMEOUT):
        tray.actions["stop"].trigger()
    tray.tray.hide()
    sid = vault.sessions()[0].id
    recorded = vault.unlock(PASSPHRASE).open_session(sid)
    episodes = recorded.episodes()
    assert [(e["instruction"], e["outcome"]) for e in episodes] == [
        ("Book a train to Leeds", "success"),
        ("Reply to Sam", "failure"),
    ]
    typed = {e["id"]: "" for e in episodes}  # a pause under load may split a run in two
    for action in recorded.actions():
        for e in episodes:
            if e["t_start"] <= action["t"] <= e["t_end"] and action["kind"] == "type":
                typed[e["id"]] += action["text"]
    assert typed == {episodes[0]["id"]: "train 9:05 to Leedsseat 42",
                     episodes[1]["id"]: "hello Samsee you"}  # fmt: skip
    keys = [e for e in recorded.events() if e["kind"] == "key"]
    assert any(e["key"] == "n" for e in keys)  # the n of "train" is there...
    chords = [e for e in keys if e["key"].lower() in ("n", "d") and len(e["mods"]) >= 2]
    assert chords == []  # ...the task hotkeys' own keys never are

    # Review: rename task 1, split task 2 at its second click and drop the tail, mark outcomes.
    window = ReviewWindow(vault.unlock(PASSPHRASE))
    qtbot.add_widget(window)
    window.confirm = lambda _preview: True
    window.show()
    qtbot.wait_until(
        lambda: window.model is not None and bool(window.model.actions), timeout=TIMEOUT
    )
    qtbot.wait_until(lambda: len(window.episodes) == 2, timeout=TIMEOUT)
    xdo.run("windowactivate", "--sync", str(xdo.wait_window("Overt: review")))
    window.tabs.setCurrentWidget(window.tasks_panel)
    panel = window.tasks_panel
    panel.tasks_list.setCurrentRow(0)
    answer_next_input(xdo, "Book the 9:05 train to Leeds")
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        click(xdo, panel.edit_button)
    model = window.model
    assert model is not None
    clicks = [
        i
        for i, a in enumerate(model.actions)
        if a["kind"] == "click" and a["t"] > window.episodes[1]["t_start"]
    ]
    first_of_task = next(
        i for i, a in enumerate(model.actions) if a["seq"] == window.episodes[1]["start_seq"]
    )
    second_click = clicks[1]
    panel.tasks_list.setCurrentRow(1)  # choosing a task shows its first action...
    qtbot.wait_until(lambda: window.index == model.action_frame(first_of_task), timeout=TIMEOUT)
    window.actions_list.setCurrentRow(second_click)  # ...then the action to split at
    qtbot.wait_until(lambda: window.index == model.action_frame(second_click), timeout=TIMEOUT)
    qtbot.wait(300)  # nothing still loading moves the current action
    assert window.actions_list.currentRow() == second_click
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        click(xdo, panel.split_button)
    assert len(window.episodes) == 3
    panel.tasks_list.setCurrentRow(2)
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        click(xdo, panel.delete_button)
    panel.tasks_list.setCurrentRow(1)
    panel.outcome.setCurrentIndex(1)  # Succeeded: the reply was sent after all
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        panel.outcome.activated.emit(1)
    qtbot.wait(300)
    screenshot(x_display, SHOTS / "review_tasks.png")
    assert [b.label for b in window.timeline.bands] == [
        "1. Book the 9:05 train to Leeds",
        "2. Reply to Sam",
    ]
    window.close()

    # Export: one trajectory per task, each ending with its outcome.
    unlocked = vault.unlock(PASSPHRASE)
    unlocked.approve(sid)
    secret = tmp_path / "passphrase"
    secret.write_bytes(PASSPHRASE)
    env = dict(os.environ, OVERT_HOME=str(home), OVERT_PASSPHRASE_FILE=str(secret))
    out = tmp_path / "export"
    done = run_overt("export", sid, "--format", "trajectory", "--out", str(out), env=env)
    assert done.returncode == 0, done.stderr
    files = sorted((out / "trajectories").glob("*.json"))
    trajectories = [json.loads(f.read_text()) for f in files]
    assert [(t["instruction"], t["traj"][-1]["value"]["code"]) for t in trajectories] == [
        ("Book the 9:05 train to Leeds", "computer.terminate(status='success')"),
        ("Reply to Sam", "computer.terminate(status='success')"),
    ]
    codes = [[s["value"]["code"] for s in t["traj"]] for t in trajectories]
    written = ["".join(re.findall(r"write\(message='(.*)'\)", "\n".join(t))) for t in codes]
    assert "seat 42" in written[0]
    assert "hello Sam" in written[1]
    assert "see you" not in written[1]  # typed after the split point: not in task 2
    assert all(s["observation"] for t in trajectories for s in t["traj"])
    assert QApplication.instance() is not None
