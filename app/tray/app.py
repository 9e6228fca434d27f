"""The tray app: Overt's always-visible state, its menu, and the way into recording and review.

Its menu also leads to Studies… (join or leave a study) and Withdraw… (delete with a receipt),
and it deletes sessions past their retention at start-up and daily (app/tray/expiry.py).
Its parts: what is shown (app/tray/view.py), Record… (app/tray/consent_flow.py), the session
being recorded (app/tray/session_control.py), the vault (app/tray/vault_access.py) and the
other menu entries (app/tray/menu_actions.py).

Icons differ in shape, not only colour: idle is a hollow ring, recording a solid red disc,
paused two bars. Where no system tray exists, a small always-on-top status window stands in
and cannot be closed while recording.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.core.studies import current_study
from app.dialogs.consent_dialog import ConsentDialog
from app.qt.core import QObject, QPoint, QTimer, Signal
from app.qt.gui import QAction
from app.qt.widgets import QApplication, QMessageBox, QSystemTrayIcon, QWidget
from app.tray.consent_flow import ConsentFlow
from app.tray.expiry import ExpiryReport, ExpiryTimer
from app.tray.menu import TrayMenu
from app.tray.menu_actions import MenuActions
from app.tray.open_windows import OpenWindows
from app.tray.recording import RecorderLike, RecordingController, default_recorder
from app.tray.session_control import SessionControl
from app.tray.state import TrayState
from app.tray.task_control import TaskControl
from app.tray.vault_access import VaultAccess
from app.tray.view import TrayView
from app.tray.widgets import ReconfirmPrompt, StatusWindow
from recorder.consent.reconfirm import ReconfirmSchedule


class TrayApp(QObject):
    """The tray icon (or status window), its menu, and what the menu starts.

    Attributes:
        home: the vault folder.
        state: the tray's state machine.
        view: the icon or status window, and the menu.
        vault: opens and unlocks the vault.
        session: the recording control (controller, schedule, prompt, timer).
        tasks: New task…, Task done and Task failed (task episodes of that recording).
        consent_flow: Record…, up to the affirmed consent.
        menu_actions: Review…, Studies…, Withdraw… and Settings….
        expiry: deletes sessions past their retention, now and daily.

    Signals:
        notified(str, str): a notification was shown (title, message).
        review_opened(object): a review window was opened (the window).
        withdraw_opened(object): the withdraw dialog was opened (the dialog).
    """

    notified = Signal(str, str)
    review_opened = Signal(object)
    withdraw_opened = Signal(object)

    def __init__(
        self,
        home: Path,
        *,
        tray_available: bool | None = None,
        make_recorder: Callable[[dict[str, Any]], RecorderLike] = default_recorder,
        schedule: ReconfirmSchedule | None = None,
        clock: Callable[[], float] = time.time,
        parent: QObject | None = None,
    ) -> None:
        """Args:
        home: the vault folder.
        tray_available: force the tray (True) or the status window (False).
        make_recorder: builds the recorder for an affirmed consent (a fake in tests).
        schedule: the re-confirmation schedule (a fake clock in tests).
        clock: wall-clock time for retention expiry (a fake in tests).
        """
        super().__init__(parent)
        self.home = home
        self.state = TrayState()
        self._windows = OpenWindows(self.notified.emit)
        self.vault = VaultAccess(home, self._windows)
        self.session = SessionControl(
            self.state, self.vault.open_sink, make_recorder, schedule or ReconfirmSchedule(), self
        )
        self.session.changed.connect(self.render)
        self.session.notice.connect(self.notify)
        self.session.problem.connect(self._windows.error)
        self.session.quit_ready.connect(self._really_quit)
        self.consent_flow = ConsentFlow(
            home,
            self._windows,
            self.vault,
            idle=lambda: self.state.state == "idle",
            affirmed=self.session.start,
        )
        self.tasks = TaskControl(self.state, self.session.controller, home, self)
        self.tasks.changed.connect(self.render)
        self.tasks.notice.connect(self.notify)
        self.tasks.problem.connect(self._windows.error)
        self.session.timer.timeout.connect(self.tasks.sync)
        self.menu_actions = MenuActions(home, self._windows, self.vault, self.session, self)
        self.menu_actions.review_opened.connect(self.review_opened)
        self.menu_actions.withdraw_opened.connect(self.withdraw_opened)
        self.menu_actions.study_changed.connect(self._show_study)
        self.menu_actions.notice.connect(self.notify)
        handlers: dict[str, Callable[[], object]] = {
            "record": self.record,
            "pause": self.toggle_pause,
            "stop": self.stop,
            "new_task": self.tasks.new_task,
            "task_done": self.tasks.done,
            "task_failed": self.tasks.failed,
            "review": self.review,
            "quit": self.quit,
            "studies": self.studies,
            "withdraw": self.withdraw,
            "settings": self.settings,
        }
        self.view = TrayView(
            handlers,
            lambda: self.state.state == "idle",
            tray_available=tray_available,
            parent=self,
        )
        self.expiry = ExpiryTimer(home, clock, self)
        self.expiry.expired.connect(self._expired)
        self.expiry.failed.connect(lambda message: self.notify("Overt", message))
        self._show_study()
        self.render()

    # --- the parts, by the names the rest of Overt (and its tests) use ----------------------

    @property
    def tray(self) -> QSystemTrayIcon | None:
        """The system tray icon, or None when there is no tray."""
        return self.view.tray

    @property
    def status_window(self) -> StatusWindow | None:
        """The stand-in when there is no tray."""
        return self.view.status_window

    @property
    def menu(self) -> TrayMenu:
        return self.view.menu

    @property
    def actions(self) -> dict[str, QAction]:
        """The menu's entries by name."""
        return self.view.actions

    @property
    def controller(self) -> RecordingController:
        return self.session.controller

    @property
    def schedule(self) -> ReconfirmSchedule:
        return self.session.schedule

    @property
    def prompt(self) -> ReconfirmPrompt:
        return self.session.prompt

    @property
    def timer(self) -> QTimer:
        return self.session.timer

    @property
    def windows(self) -> list[QWidget]:
        """Dialogs and windows kept alive while open."""
        return self._windows.widgets

    @property
    def study_problem(self) -> QMessageBox | None:
        """The "record without the study?" question while it is open."""
        return self.consent_flow.study_problem

    # --- showing ----------------------------------------------------------------------------

    def show(self) -> None:
        """Show the indicator; start deleting what is past its retention (now and daily).

        On first start (no vault yet) the welcome opens too: what Overt does, how to pause,
        and the passphrase for a new vault.
        """
        if not self.expiry.timer.isActive():
            self.expiry.start()
        self.view.show()
        self.first_start()

    def first_start(self) -> QWidget | None:
        """The welcome dialog when there is no vault yet (None when there is one)."""
        opened = self.vault.welcome is None
        dialog = self.vault.first_start()
        if dialog is not None and opened:
            dialog.accepted.connect(self._vault_created)
        return dialog

    def _vault_created(self) -> None:
        self.notify(
            "Overt is ready",
            "Your vault is made. Choose Record… from this icon's menu when you want to record.",
        )

    def render(self) -> None:
        """Make the icon, tooltip and menu match the state."""
        self.view.render(self.state)

    def notify(self, title: str, message: str) -> None:
        """A desktop notification (or the status window's line)."""
        self.view.show_message(title, message, self.state.icon)
        self.notified.emit(title, message)

    def menu_position(self) -> QPoint:
        """Where the menu opens: beside the tray icon when its place is known."""
        return self.view.menu_position()

    def _show_study(self) -> None:
        study, _problem = current_study(self.home)
        self.state.study = study.title if study else ""
        self.render()

    def _expired(self, report: ExpiryReport) -> None:
        self.notify("Overt deleted expired sessions", report.message())

    def activate(self) -> None:
        """Another launch asked us to show ourselves."""
        self.show()
        self.notify("Overt is already running", self.state.status())

    # --- the menu ---------------------------------------------------------------------------

    def record(self, *, without_study: bool = False) -> ConsentDialog | None:
        """Record…: show the consent dialog; recording starts only on Start (consent_flow.py).

        Args:
            without_study: the person chose to record without the joined study.
        """
        return self.consent_flow.record(without_study=without_study)

    def toggle_pause(self) -> None:
        """Pause or resume."""
        self.session.toggle_pause()

    def stop(self) -> None:
        """Stop: the recorder finishes its writes in its own thread."""
        self.session.stop()

    def stop_then(self, then: Callable[[], None]) -> None:
        """Stop the recording and call ``then`` once it is saved (at once when idle)."""
        self.session.stop_then(then)

    def tick(self) -> None:
        """Each second: counts, hotkey pauses and tasks, and the re-confirmation schedule."""
        self.session.tick()
        self.tasks.sync()

    def review(self) -> QWidget | None:
        """Review…: the unlock dialog, then the review window (None when there is no vault)."""
        return self.menu_actions.review()

    def settings(self) -> QWidget | None:
        """Settings…: recording defaults (needs a vault folder to keep them in)."""
        return self.menu_actions.settings()

    def studies(self) -> QWidget:
        """Studies…: load a study file, read it, join or leave it."""
        return self.menu_actions.studies()

    def withdraw(self) -> QWidget | None:
        """Withdraw…: the unlock dialog, then the withdraw list (None when there is no vault)."""
        return self.menu_actions.withdraw()

    def _leave_study(self, study_id: str) -> None:
        """Every session of the joined study was withdrawn: the person leaves it too."""
        self.menu_actions.leave_study(study_id)

    def quit(self) -> None:
        """Quit, stopping a recording first (its data is saved)."""
        if self.state.state in ("recording", "paused"):
            self.session.quit_when_stopped = True
            self.session.stop()
            return
        if self.state.state == "idle":
            self._really_quit()

    def _really_quit(self) -> None:
        self.expiry.stop()
        self.view.hide()
        self.prompt.close()
        app = QApplication.instance()
        if app is not None:
            app.quit()
