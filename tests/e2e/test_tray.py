"""The real tray app under Xvfb with a tray host: its icon, its menu, Studies… and Withdraw….

Screenshots of the menu and the two dialogs go to build/screens/ for a person to look at.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from app.core.settings import load
from app.dialogs.consent_dialog import ConsentDialog
from app.qt.guard import guard_none_refcount
from app.tray.app import TrayApp
from storage import Vault
from tests.app.sessions import PASSPHRASE, make_vault, write_session
from tests.app.study_files import write_study
from tests.conftest import ROOT
from tests.helpers.tray_menu import click, open_menu_entry
from tests.helpers.xserver import (
    XDisplay,
    XDoTool,
    screenshot,
    tray_icon_centre,
    tray_icon_pixels,
)

guard_none_refcount()


def test_tray_icon_appears_in_the_tray(x_display: XDisplay, tmp_path: Path) -> None:
    assert len(tray_icon_pixels(x_display)) == 0
    env = dict(x_display.env, OVERT_HOME=str(tmp_path / "vault"))
    app = subprocess.Popen([sys.executable, "-m", "app"], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len(tray_icon_pixels(x_display)) < 20:
            assert app.poll() is None, "the tray app exited"
            time.sleep(0.2)
        assert len(tray_icon_pixels(x_display)) >= 20
    finally:
        app.terminate()
        app.wait(10)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and len(tray_icon_pixels(x_display)) > 0:
        time.sleep(0.1)
    assert len(tray_icon_pixels(x_display)) == 0


def test_first_start_opens_the_welcome_and_creates_the_vault(
    x_display: XDisplay, xdo: XDoTool, tmp_path: Path
) -> None:
    """`overt` with no vault: the tray icon and the welcome, not a hollow ring alone."""
    home = tmp_path / "vault"
    env = dict(x_display.env, OVERT_HOME=str(home))
    app = subprocess.Popen([sys.executable, "-m", "app"], cwd=ROOT, env=env)
    try:
        welcome = xdo.wait_window("Welcome to Overt", timeout=20)
        screenshot(x_display, SCREENS / "first-start.png")
        xdo.run("windowactivate", "--sync", str(welcome))
        xdo.type(PASSPHRASE.decode())
        xdo.key("Tab")
        xdo.type(PASSPHRASE.decode())
        xdo.key("Return")  # Create vault (the default button)
        deadline = time.monotonic() + 60  # the real key derivation
        while time.monotonic() < deadline and not (home / "vault.key").exists():
            assert app.poll() is None, "the tray app exited"
            time.sleep(0.2)
        Vault.open(home).unlock(PASSPHRASE)
        assert len(tray_icon_pixels(x_display)) >= 20  # and the tray icon is there
    finally:
        app.terminate()
        app.wait(10)


# --- Studies… and Withdraw… in the real tray, driven with xdotool ---------------------------

SCREENS = ROOT / "build" / "screens"
TIMEOUT = 20_000


def newest(tray: TrayApp, kind: type[Any]) -> Any:
    found = [w for w in tray.windows if isinstance(w, kind)]
    return found[-1] if found else None


def test_studies_and_withdraw_from_the_tray(
    x_display: XDisplay, xdo: XDoTool, qtbot: QtBot, tmp_path: Path
) -> None:
    from app.dialogs.studies_dialog import StudiesDialog
    from app.dialogs.vault_dialogs import UnlockDialog
    from app.dialogs.withdraw_dialog import WithdrawDialog

    home = tmp_path / "vault"
    vault = make_vault(home)
    personal = write_session(vault, frames=2)
    study = {"id": "uxlab-forms", "title": "Filling in forms"}
    write_session(vault, frames=2, study=study)  # type: ignore[arg-type]
    study_file = tmp_path / "forms-study.toml"
    write_study(study_file)
    tray = TrayApp(home)
    tray.show()
    qtbot.add_widget(tray.prompt)
    try:
        qtbot.wait_until(lambda: tray_icon_centre(x_display) is not None, timeout=TIMEOUT)

        # Studies…: load the file through the real file picker, read it, join it.
        open_menu_entry(x_display, xdo, qtbot, tray, "studies", shot="tray-menu.png")
        qtbot.wait_until(lambda: newest(tray, StudiesDialog) is not None, timeout=TIMEOUT)
        studies = newest(tray, StudiesDialog)
        qtbot.add_widget(studies)
        qtbot.wait_exposed(studies, timeout=TIMEOUT)
        xdo.run("windowactivate", "--sync", str(xdo.wait_window("Overt: studies")))

        def type_the_path() -> None:
            picker = QApplication.activeModalWidget()
            if not isinstance(picker, QFileDialog):
                QTimer.singleShot(100, type_the_path)
                return
            xdo.run("windowactivate", "--sync", str(xdo.wait_window("Overt: load a study")))
            xdo.type(str(study_file))
            xdo.key("Return")
            QTimer.singleShot(1500, lambda: press_return_again(picker, 3))

        def press_return_again(picker: QFileDialog, tries: int) -> None:
            """Under load the picker's completer popup can take the first Return (it only
            completes the name): press it again while the picker is still open."""
            if tries == 0 or QApplication.activeModalWidget() is not picker:
                return
            xdo.run("windowactivate", "--sync", str(xdo.wait_window("Overt: load a study")))
            xdo.key("Return")
            QTimer.singleShot(1500, lambda: press_return_again(picker, tries - 1))

        QTimer.singleShot(100, type_the_path)  # runs inside the picker's own event loop
        click(xdo, studies.load_button)
        qtbot.wait_until(studies.join_button.isEnabled, timeout=TIMEOUT)
        assert "UX Lab, Example University" in studies.details.text()
        qtbot.wait(300)
        screenshot(x_display, SCREENS / "studies.png")
        click(xdo, studies.join_button)
        qtbot.wait_until(lambda: load(home).study_path == str(study_file), timeout=TIMEOUT)
        assert tray.actions["studies"].text() == "Studies… (Filling in forms)"
        qtbot.wait(300)
        screenshot(x_display, SCREENS / "studies-joined.png")
        click(xdo, studies.close_button)
        qtbot.wait_until(lambda: not studies.isVisible(), timeout=TIMEOUT)

        # Record… now drafts the consent for the joined study: who, why, for whom.
        open_menu_entry(x_display, xdo, qtbot, tray, "record")
        qtbot.wait_until(lambda: newest(tray, ConsentDialog) is not None, timeout=TIMEOUT)
        consent = newest(tray, ConsentDialog)
        qtbot.add_widget(consent)
        qtbot.wait_exposed(consent, timeout=TIMEOUT)
        assert "'Filling in forms'" in consent.windowTitle()
        assert consent.draft["recipients"]["who"] == "UX Lab, Example University"
        qtbot.wait(300)
        screenshot(x_display, SCREENS / "consent-study.png")
        click(xdo, consent.not_now)
        qtbot.wait_until(lambda: not consent.isVisible(), timeout=TIMEOUT)
        assert tray.state.state == "idle"

        # Withdraw…: unlock, pick the session, one question, the receipt.
        open_menu_entry(x_display, xdo, qtbot, tray, "withdraw")
        qtbot.wait_until(lambda: newest(tray, UnlockDialog) is not None, timeout=TIMEOUT)
        unlock = newest(tray, UnlockDialog)
        qtbot.add_widget(unlock)
        xdo.run("windowactivate", "--sync", str(xdo.wait_window("Overt: unlock")))
        with qtbot.wait_signal(tray.withdraw_opened, timeout=TIMEOUT) as opened:
            xdo.type(PASSPHRASE.decode())
            xdo.key("Return")
        dialog = opened.args[0]
        assert isinstance(dialog, WithdrawDialog)
        qtbot.add_widget(dialog)
        qtbot.wait_exposed(dialog, timeout=TIMEOUT)
        table = dialog.session_table
        row = [e.id for e in dialog.entries].index(personal)
        assert table.item(row, 1).text() == "personal"
        assert dialog.study_table.item(0, 0).text() == "Filling in forms (uxlab-forms)"
        click(xdo, table.viewport(), table.visualItemRect(table.item(row, 0)).center())
        qtbot.wait_until(dialog.withdraw_session_button.isEnabled, timeout=TIMEOUT)
        qtbot.wait(300)
        screenshot(x_display, SCREENS / "withdraw.png")
        click(xdo, dialog.withdraw_session_button)
        qtbot.wait_until(lambda: dialog.question is not None, timeout=TIMEOUT)
        box = dialog.question
        qtbot.wait_exposed(box, timeout=TIMEOUT)
        qtbot.wait(300)
        screenshot(x_display, SCREENS / "withdraw-question.png")
        [yes] = [b for b in box.buttons() if b.text() == "Delete and write receipt"]
        with qtbot.wait_signal(dialog.withdrawn, timeout=TIMEOUT):
            click(xdo, yes)
        receipt = home / "receipts" / f"withdrawal-{personal}.json"
        assert receipt.exists()
        assert personal not in {s.id for s in Vault.open(home).sessions()}
        assert len(Vault.open(home).sessions()) == 1
        assert str(receipt) in dialog.outcome.text()
        assert dialog.open_receipts.isEnabled()
        qtbot.wait(300)
        screenshot(x_display, SCREENS / "withdraw-done.png")
        dialog.close()
    finally:
        assert tray.tray is not None
        tray.tray.hide()
        tray.expiry.stop()
