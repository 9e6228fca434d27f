"""The settings dialog on a real X display: its picker lists a real window open now.

A small Tk app stands for "an app the person has open"; recorder.platform.x11_windows.open_windows
reads its WM_CLASS through the window manager, and the picker offers it for the never-record list.
Screenshots of the dialog and the picker go to build/screens/ for a person to look at.
"""

from __future__ import annotations

import types
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.core.settings import load
from app.core.vault_location import default_home
from app.dialogs.settings_dialog import SettingsDialog
from app.qt.guard import guard_none_refcount
from recorder.platform.x11_windows import open_windows
from tests.app.sessions import make_vault
from tests.conftest import ROOT
from tests.e2e.conftest import SpawnTk
from tests.helpers.xserver import XDisplay, XDoTool, screenshot

SHOTS = ROOT / "build" / "screens"
TIMEOUT = 20_000
NOTES_APP = r"""
import tkinter as tk
root = tk.Tk(className="Notes")
root.title("Shopping list — Notes")
root.geometry("520x300+1300+140")
tk.Label(root, text="An app the person has open", font=("DejaVu Sans", 14)).pack(expand=True)
root.mainloop()
"""

guard_none_refcount()


def wake_the_display(xdo: XDoTool) -> None:
    """Click the empty desktop once: after the screen-saver test the X server swallows the
    first click (it only wakes the display), as it would a person's."""
    xdo.move(1800, 1000)
    xdo.click()


@pytest.fixture
def notes(spawn_tk: SpawnTk) -> int:
    """A Tk window whose WM_CLASS is Notes; its window id."""
    return spawn_tk(NOTES_APP, "Shopping list")


def test_open_windows_reads_the_app_identity(notes: int) -> None:
    found = {w.wid: w for w in open_windows()}
    assert notes in found
    assert found[notes].app == "Notes"
    assert found[notes].title == "Shopping list — Notes"


def test_the_picker_offers_an_open_window_and_the_dialog_saves_it(
    x_display: XDisplay,
    xdo: XDoTool,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    notes: int,
) -> None:
    assert QApplication.platformName() == "xcb"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("OVERT_HOME", raising=False)
    home = default_home()
    make_vault(home)
    dialog = SettingsDialog(home, keyring=types.SimpleNamespace())
    qtbot.add_widget(dialog)
    dialog.move(80, 60)
    dialog.show()
    qtbot.wait_exposed(dialog, timeout=TIMEOUT)
    assert dialog.pick_deny.isEnabled()
    qtbot.wait(300)  # let the window manager frame and paint it (no signal for that)
    screenshot(x_display, SHOTS / "settings.png")

    # Click "Pick from open windows…" as a person would, on the dialog brought to the front
    # (windows of earlier tests may still be on this display).
    wake_the_display(xdo)
    xdo.run("windowactivate", "--sync", str(int(dialog.winId())))
    qtbot.wait_until(dialog.isActiveWindow, timeout=TIMEOUT)
    centre = dialog.pick_deny.mapToGlobal(dialog.pick_deny.rect().center())
    xdo.move(centre.x(), centre.y())
    xdo.click()
    try:
        qtbot.wait_until(lambda: dialog.picker is not None, timeout=TIMEOUT)
    except Exception:
        screenshot(x_display, SHOTS / "settings-click-missed.png")
        raise AssertionError(f"no picker; the dialog says: {dialog.error.text()!r}") from None
    picker = dialog.picker
    assert picker is not None
    qtbot.wait_exposed(picker, timeout=TIMEOUT)
    assert "notes" in picker.items
    assert "Shopping list — Notes" in picker.items["notes"].text()
    picker.items["notes"].setCheckState(Qt.CheckState.Checked)
    qtbot.wait(300)
    screenshot(x_display, SHOTS / "settings-picker.png")
    with qtbot.wait_signal(picker.finished, timeout=TIMEOUT):
        picker.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.deny.text() == "notes"

    # What choosing another vault folder would do is said before anything happens.
    dialog.location.setText(str(tmp_path / "usb" / "overt"))
    assert "a new, empty vault there" in dialog.location_note.text()
    qtbot.wait(300)
    screenshot(x_display, SHOTS / "settings-location.png")
    dialog.location.setText(str(home))
    with qtbot.wait_signal(dialog.accepted, timeout=TIMEOUT):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert load(home).deny_apps == ["notes"]
    assert "notes" in load(home).scope().apps_deny
