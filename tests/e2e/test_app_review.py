"""The real app on a real X display: record through the tray and the consent dialog, then review.

Runs in the e2e pytest process (Qt on Xvfb with openbox and trayer). Screenshots of the tray
menu, the consent dialog and the review window go to build/screenshots/ for a person to
look at.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from app.qt.guard import guard_none_refcount
from app.review.dialogs import PreviewDialog
from app.review.window import ReviewWindow
from app.tray.app import TrayApp
from tests.app.sessions import PASSPHRASE, make_vault, vault_with_session
from tests.conftest import ROOT
from tests.e2e.conftest import SpawnTk, notes_app
from tests.helpers.xserver import XDisplay, XDoTool, screenshot, tray_icon_centre

SHOTS = ROOT / "build" / "screenshots"
TIMEOUT = 20_000
NOTES_APP = notes_app("Shopping list — Notes")

guard_none_refcount()


@pytest.fixture
def notes(spawn_tk: SpawnTk) -> int:
    """A small Tk text editor to type into; its window id."""
    return spawn_tk(NOTES_APP, "Shopping list")


def settle(qtbot: QtBot, ms: int = 300) -> None:
    """Let the window manager map and paint windows before a screenshot (no signal for it)."""
    qtbot.wait(ms)


def test_record_through_the_tray_then_review(
    x_display: XDisplay, xdo: XDoTool, qtbot: QtBot, tmp_path: Path, notes: int
) -> None:
    assert QApplication.platformName() == "xcb"
    assert QSystemTrayIcon.isSystemTrayAvailable()
    home = tmp_path / "vault"
    vault = make_vault(home)
    tray = TrayApp(home)
    tray.show()
    assert tray.tray is not None
    qtbot.add_widget(tray.prompt)
    qtbot.wait_until(lambda: not tray.tray.geometry().isEmpty(), timeout=TIMEOUT)  # type: ignore[union-attr]

    # The tray menu, opened by right-clicking the icon in the tray host.
    # (QSystemTrayIcon.geometry() is relative to the tray host on X11: find it by colour.)
    qtbot.wait_until(lambda: tray_icon_centre(x_display) is not None, timeout=TIMEOUT)
    centre = tray_icon_centre(x_display)
    assert centre is not None
    xdo.move(*centre)
    xdo.click(3)
    qtbot.wait_until(tray.menu.isVisible, timeout=TIMEOUT)
    settle(qtbot)
    screenshot(x_display, SHOTS / "tray_menu.png")
    tray.menu.hide()
    qtbot.wait_until(lambda: not tray.menu.isVisible(), timeout=TIMEOUT)

    # Record…: the consent dialog; nothing starts until every statement is ticked.
    dialog = tray.record()
    assert dialog is not None
    qtbot.add_widget(dialog)
    qtbot.wait_exposed(dialog, timeout=TIMEOUT)
    settle(qtbot)
    screenshot(x_display, SHOTS / "consent_dialog.png")
    assert tray.state.state == "idle"
    for box in dialog.checkboxes.values():
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    qtbot.wait_until(dialog.start.isEnabled, timeout=TIMEOUT)
    failures: list[str] = []
    tray.controller.failed.connect(failures.append)
    qtbot.mouseClick(dialog.start, Qt.MouseButton.LeftButton)
    qtbot.wait_until(lambda: tray.state.state != "starting" or bool(failures), timeout=TIMEOUT)
    assert failures == []
    assert tray.state.state == "recording", dialog.result()

    # Activity in a real app, injected as a person would produce it.
    xdo.run("windowactivate", "--sync", str(notes))
    xdo.move(400, 400)
    xdo.click()
    xdo.type("milk, eggs, secret123")
    xdo.key("ctrl+a")
    time.sleep(1.5)  # let the recorder take its periodic frames (1 frame/s)
    settle(qtbot)
    screenshot(x_display, SHOTS / "tray_recording.png")
    with qtbot.wait_signal(tray.controller.stopped, timeout=TIMEOUT) as stopped:
        tray.actions["stop"].trigger()
    assert tray.state.state == "idle"
    assert not tray.timer.isActive()
    tray.tray.hide()
    summary = stopped.args[0]
    assert summary["events"] > 10
    assert summary["frames"] >= 1

    # Review what was recorded.
    unlocked = vault.unlock(PASSPHRASE)
    window = ReviewWindow(unlocked)
    qtbot.add_widget(window)
    window.show()
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        window.open_session(vault.sessions()[0].id)
    assert "milk, eggs, secret123" in window.text_view.toPlainText()
    labels = [window.actions_list.item(i).text() for i in range(window.actions_list.count())]
    assert any("typed 'milk, eggs, secret123' in Notes" in label for label in labels), labels
    assert any("hotkey ctrl+a" in label for label in labels), labels
    window.activateWindow()
    xdo.run("windowactivate", "--sync", str(xdo.wait_window("Overt: review")))
    # Step to the click with the keyboard: PageDown goes to the next action.
    model = window.model
    assert model is not None
    qtbot.wait_until(lambda: window.view.image is not None, timeout=TIMEOUT)
    target = model.step_action(window.index, 1)
    assert target is not None
    xdo.key("Next")
    qtbot.wait_until(
        lambda: (
            window.actions_list.currentRow() == target
            and window.index == model.action_frame(target)
        ),
        timeout=TIMEOUT,
    )
    # Choosing the click in the list shows its frame, with the click marked.
    window.actions_list.setCurrentRow(0)
    qtbot.wait_until(
        lambda: (
            window.index == model.action_frame(0)
            and f"Frame {window.index + 1} /" in window.position.text()
        ),
        timeout=TIMEOUT,
    )
    assert (400, 400, "left") in window.view.overlay.clicks
    # The Notes window's outline, from the first window event on.
    assert any(model.overlay(i).window for i in range(model.frame_count))
    settle(qtbot)
    screenshot(x_display, SHOTS / "review_window_recorded.png")
    window.close()


def test_review_window_steps_frames_and_shows_overlays(
    x_display: XDisplay, xdo: XDoTool, qtbot: QtBot, tmp_path: Path
) -> None:
    vault, sid = vault_with_session(
        tmp_path / "vault", frames=20, size=(1280, 720), moves_per_frame=6
    )
    window = ReviewWindow(vault)
    qtbot.add_widget(window)
    window.show()
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        window.open_session(sid)
    assert window.view.image is not None  # the first frame comes before the records
    wid = xdo.wait_window("Overt: review")
    xdo.run("windowactivate", "--sync", str(wid))
    for expected in (1, 2, 3):
        with qtbot.wait_signal(window.frameShown, timeout=TIMEOUT) as shown:
            xdo.key("Right")
        assert shown.args == [expected]
    assert "Frame 4 / 20" in window.position.text()
    # Select a region with the mouse to show what redaction looks like.
    view = window.view
    origin = view.mapToGlobal(QPoint(0, 0))
    xdo.run("mousemove", "--sync", str(origin.x() + 200), str(origin.y() + 150))
    xdo.run("mousedown", "1")
    xdo.run("mousemove", "--sync", str(origin.x() + 420), str(origin.y() + 260))
    with qtbot.wait_signal(view.regionSelected, timeout=TIMEOUT):
        xdo.run("mouseup", "1")
    settle(qtbot)
    screenshot(x_display, SHOTS / "review_window.png")

    # The typed text, searched; and what approving shows before anything is marked.
    window.tabs.setCurrentIndex(1)
    qtbot.keyClicks(window.search, "secret")
    assert window.search_result.text() == "1 match(es)"
    assert window.model is not None
    preview = PreviewDialog(window.model.approve_summary(), window)
    qtbot.add_widget(preview)
    preview.show()
    qtbot.wait_exposed(preview, timeout=TIMEOUT)
    settle(qtbot)
    screenshot(x_display, SHOTS / "review_typed_text_and_approve.png")
    preview.reject()
    window.close()


def test_status_window_stands_in_for_a_missing_tray(
    x_display: XDisplay, qtbot: QtBot, tmp_path: Path
) -> None:
    make_vault(tmp_path / "vault")
    tray = TrayApp(tmp_path / "vault", tray_available=False)
    assert tray.status_window is not None
    qtbot.add_widget(tray.status_window)
    qtbot.add_widget(tray.prompt)
    tray.show()
    qtbot.wait_exposed(tray.status_window, timeout=TIMEOUT)
    assert tray.status_window.text.text() == "Overt: Not recording"
    tray.state.start_requested()
    tray.state.started("s")
    tray.render()
    assert not tray.status_window.close()  # cannot be hidden while recording
    settle(qtbot)
    screenshot(x_display, SHOTS / "status_window_recording.png")
    tray.state.stopped()
    tray.render()


def test_a_second_launch_hands_over_to_the_first(x_display: XDisplay, tmp_path: Path) -> None:
    env = dict(x_display.env, OVERT_HOME=str(tmp_path / "vault"))
    first = subprocess.Popen([sys.executable, "-m", "app"], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 20
        while tray_icon_centre(x_display) is None and time.monotonic() < deadline:
            assert first.poll() is None, "the first tray app exited"
            time.sleep(0.1)
        second = subprocess.run(
            [sys.executable, "-m", "app"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert second.returncode == 0
        assert "already running" in second.stderr
        assert first.poll() is None
    finally:
        first.terminate()
        first.wait(10)
