"""The tray app: Overt's always-visible state, its menu, and the way into recording and review.

Its menu also leads to Studies… (join or leave a study) and Withdraw… (delete with a receipt),
and it deletes sessions past their retention at start-up and daily (app/tray/expiry.py).

Icons differ in shape, not only colour: idle is a hollow ring, recording a filled dot,
paused two bars. Where no system tray exists, a small always-on-top status window stands in
and cannot be closed while recording.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from app.core import settings as settings_file
from app.core.consent_drafting import draft_consent
from app.dialogs.consent_dialog import ConsentDialog
from app.qt.core import QObject, QPoint, QRect, Qt, QTimer, Signal
from app.qt.gui import QAction, QCloseEvent, QColor, QIcon, QPainter, QPixmap
from app.qt.widgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)
from app.tray.expiry import ExpiryReport, ExpiryTimer
from app.tray.menu import TrayMenu, menu_origin
from app.tray.recording import RecorderLike, RecordingController, default_recorder
from app.tray.state import Icon, TrayState
from recorder.consent.reconfirm import ReconfirmSchedule
from recorder.consent.study import Study, StudyError, load_study
from recorder.errors import ConsentRequired
from storage import StorageError, Vault, VaultNotFound

log = logging.getLogger(__name__)

IDLE_GREY = "#5f6b7a"
RECORDING_RED = "#d0312d"
PAUSED_AMBER = "#c98a00"
MENU_ORDER = (
    "status",
    None,
    "record",
    "pause",
    "stop",
    None,
    "review",
    "studies",
    "withdraw",
    "settings",
    None,
    "quit",
)
RECORD_WITHOUT_STUDY = "Record without the study"


def _pixmap(size: int = 64) -> tuple[QPixmap, QPainter]:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    return pixmap, painter


def idle_icon() -> QIcon:
    """A hollow ring: not recording."""
    pixmap, painter = _pixmap()
    pen = painter.pen()
    pen.setWidth(8)
    pen.setColor(QColor(IDLE_GREY))
    painter.setPen(pen)
    painter.drawEllipse(8, 8, 48, 48)
    painter.end()
    return QIcon(pixmap)


def recording_icon() -> QIcon:
    """A filled dot: recording."""
    pixmap, painter = _pixmap()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(RECORDING_RED))
    painter.drawEllipse(4, 4, 56, 56)
    painter.end()
    return QIcon(pixmap)


def paused_icon() -> QIcon:
    """Two bars: paused."""
    pixmap, painter = _pixmap()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(PAUSED_AMBER))
    painter.drawRoundedRect(12, 6, 14, 52, 3, 3)
    painter.drawRoundedRect(38, 6, 14, 52, 3, 3)
    painter.end()
    return QIcon(pixmap)


ICONS: dict[Icon, Callable[[], QIcon]] = {
    "idle": idle_icon,
    "recording": recording_icon,
    "paused": paused_icon,
}


class StatusWindow(QWidget):
    """The stand-in for a tray icon: small, always on top, not closable while recording.

    Attributes:
        icon: the state icon.
        text: the status line.
        menu_button: opens the tray menu.
        can_close: asked before closing (False while recording).
    """

    def __init__(self, menu: QMenu, can_close: Callable[[], bool]) -> None:
        super().__init__(None, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle("Overt")
        self.can_close = can_close
        self.icon = QLabel()
        self.text = QLabel("Overt: not recording")
        self.menu_button = QPushButton("Menu")
        self.menu_button.setMenu(menu)
        self.text.setMinimumWidth(340)  # room for "Recording 1:02:03 · 12345 events, …"
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 6, 8, 6)
        row.addWidget(self.icon)
        row.addWidget(self.text, 1)
        row.addWidget(self.menu_button)

    def place_in_corner(self) -> None:
        """Top right of the screen: always visible, out of the way."""
        area = self.screen().availableGeometry()
        self.adjustSize()
        # The window manager's frame is not known yet: leave room for it.
        self.move(area.right() - self.width() - 40, area.top() + 40)

    def set_state(self, icon: QIcon, text: str) -> None:
        """Show the state."""
        self.icon.setPixmap(icon.pixmap(20, 20))
        self.text.setText(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.can_close():
            event.accept()
        else:
            event.ignore()  # the recording indicator can never be hidden


class ReconfirmPrompt(QWidget):
    """A non-modal 'Keep recording?' question.

    Signals:
        answered(bool): True to continue, False to pause.
    """

    answered = Signal(bool)

    def __init__(self, timeout_min: float) -> None:
        super().__init__(None, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle("Overt: keep recording?")
        label = QLabel(
            "Overt has been recording for a while. Keep recording?\n"
            f"With no answer within {timeout_min:g} minutes, recording pauses."
        )
        label.setWordWrap(True)
        self.keep = QPushButton("Keep recording")
        self.pause = QPushButton("Pause")
        self.keep.clicked.connect(lambda: self._answer(True))
        self.pause.clicked.connect(lambda: self._answer(False))
        buttons = QHBoxLayout()
        buttons.addWidget(self.pause)
        buttons.addWidget(self.keep)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(buttons)

    def _answer(self, keep: bool) -> None:
        self.hide()
        self.answered.emit(keep)


class TrayApp(QObject):
    """The tray icon (or status window), its menu, and what the menu starts.

    Attributes:
        home: the vault folder.
        state: the tray's state machine.
        controller: runs the recorder in its threads.
        tray: the system tray icon, or None when there is no tray.
        status_window: the stand-in when there is no tray.
        menu: the menu; ``actions`` maps names to its entries.
        schedule: the consent re-confirmation schedule.
        expiry: deletes sessions past their retention, now and daily.
        windows: dialogs and windows kept alive while open.
        study_problem: the "record without the study?" question while it is open.

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
        self.schedule = schedule or ReconfirmSchedule()
        self.controller = RecordingController(self._open_sink, make_recorder, self)
        self.controller.started.connect(self._started)
        self.controller.stopped.connect(self._stopped)
        self.controller.failed.connect(self._failed)
        self.windows: list[QWidget] = []
        self._quit_when_stopped = False
        self._after_stop: list[Callable[[], None]] = []
        self.study_problem: QMessageBox | None = None
        self._icons = {name: make() for name, make in ICONS.items()}
        self.menu = TrayMenu(self._icon_geometry)
        self.actions: dict[str, QAction] = {}
        handlers: dict[str, Callable[[], object]] = {
            "record": self.record,
            "pause": self.toggle_pause,
            "stop": self.stop,
            "review": self.review,
            "quit": self.quit,
            "studies": self.studies,
            "withdraw": self.withdraw,
            "settings": self.settings,
        }
        for name in MENU_ORDER:
            if name is None:
                self.menu.addSeparator()
                continue
            action = QAction(name, self.menu)
            if name in handlers:
                action.triggered.connect(handlers[name])
            self.menu.addAction(action)
            self.actions[name] = action
        available = (
            QSystemTrayIcon.isSystemTrayAvailable() if tray_available is None else tray_available
        )
        self.tray: QSystemTrayIcon | None = None
        self.status_window: StatusWindow | None = None
        if available:
            self.tray = QSystemTrayIcon(self._icons["idle"], self)
            self.tray.setContextMenu(self.menu)
        else:
            self.status_window = StatusWindow(self.menu, lambda: self.state.state == "idle")
        self.prompt = ReconfirmPrompt(self.schedule.timeout_s / 60)
        self.prompt.answered.connect(self._reconfirm_answered)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)
        self.expiry = ExpiryTimer(home, clock, self)
        self.expiry.expired.connect(self._expired)
        self.expiry.failed.connect(lambda message: self.notify("Overt", message))
        self._show_study()
        self.render()

    def show(self) -> None:
        """Show the indicator; start deleting what is past its retention (now and daily)."""
        if not self.expiry.timer.isActive():
            self.expiry.start()
        if self.tray is not None:
            self.tray.show()
        if self.status_window is not None:
            self.status_window.show()
            self.status_window.place_in_corner()
            self.status_window.raise_()

    def render(self) -> None:
        """Make the icon, tooltip and menu match the state."""
        icon = self._icons[self.state.icon]
        for name, item in self.state.menu().items():
            self.actions[name].setText(item.label)
            self.actions[name].setEnabled(item.enabled)
        if self.tray is not None:
            self.tray.setIcon(icon)
            self.tray.setToolTip(self.state.tooltip())
        if self.status_window is not None:
            self.status_window.set_state(icon, self.state.tooltip())

    def notify(self, title: str, message: str) -> None:
        """A desktop notification (or the status window's line)."""
        if self.tray is not None and QSystemTrayIcon.supportsMessages():
            self.tray.showMessage(title, message, self._icons[self.state.icon], 5000)
        self.notified.emit(title, message)

    # --- recording ------------------------------------------------------------------------

    def _open_vault(self) -> Vault | None:
        try:
            return Vault.open(self.home)
        except VaultNotFound:
            return self._first_run()
        except StorageError as exc:
            self._error(str(exc))
            return None

    def _first_run(self) -> Vault | None:
        from app.dialogs.vault_dialogs import FirstRunDialog

        dialog = FirstRunDialog(self.home)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.vault

    def _open_sink(self, consent: dict[str, Any]) -> Any:
        return Vault.open(self.home).begin_session(consent)

    def record(self, *, without_study: bool = False) -> ConsentDialog | None:
        """Record…: show the consent dialog; recording starts only on Start.

        With a joined study, the consent is drafted for it. If its file has gone or become
        invalid, the person is told in one sentence and asked whether to record without
        it (``study_problem``); it is never dropped silently.

        Args:
            without_study: the person chose to record without the joined study.
        """
        if self.state.state != "idle" or self._open_vault() is None:
            return None
        try:
            settings = settings_file.load(self.home)
        except settings_file.SettingsError as exc:
            self._error(str(exc))
            return None
        study: Study | None = None
        if settings.study_path and not without_study:
            try:
                study = load_study(Path(settings.study_path))
            except StudyError as exc:
                self._ask_without_study(str(exc))
                return None
        try:
            draft = draft_consent(self.home, settings, study=study)
        except ConsentRequired as exc:
            self._error(str(exc))
            return None
        # Not WA_DeleteOnClose: once forgotten, Python frees it (and tests may still hold it).
        dialog = ConsentDialog(draft)
        dialog.accepted.connect(lambda: self._consented(dialog.record))
        dialog.finished.connect(lambda _r: self._forget(dialog))
        self.windows.append(dialog)
        dialog.open()
        dialog.raise_()
        return dialog

    def _ask_without_study(self, problem: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Overt: the study cannot be used", problem)
        box.setInformativeText(
            "Record a personal session without the study, or cancel and load the study file "
            "again in Studies…."
        )
        box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
        without = box.addButton(RECORD_WITHOUT_STUDY, QMessageBox.ButtonRole.AcceptRole)

        def answered(_result: int) -> None:
            self.study_problem = None
            self._forget(box)
            if box.clickedButton() is without:
                self.record(without_study=True)

        box.finished.connect(answered)
        self.study_problem = box
        self.windows.append(box)
        box.open()
        self.notified.emit("Overt", problem)

    def _consented(self, record: dict[str, Any] | None) -> None:
        if record is None or self.state.state != "idle":
            return
        self.state.start_requested()
        self.render()
        self.controller.start(record)

    def _started(self, session_id: str) -> None:
        self.state.started(session_id)
        self.schedule = ReconfirmSchedule(
            self.schedule.interval_s, self.schedule.timeout_s, self.schedule.clock
        )
        self.schedule.resume()
        self.timer.start()
        self.render()
        self.notify("Overt is recording", "Pause or stop from this icon at any time.")

    def _failed(self, message: str) -> None:
        if self.state.state == "starting":
            self.state.start_failed()
        elif self.state.state != "idle":
            self.state.stopped()
        self.timer.stop()
        self.render()
        self._error(message)

    def _stopped(self, summary: dict[str, Any]) -> None:
        if self.state.state != "idle":
            self.state.stopped()
        self.timer.stop()
        self.prompt.hide()
        self.render()
        self.notify(
            "Overt stopped recording",
            f"Saved {summary.get('events', 0)} events and {summary.get('frames', 0)} "
            "frames, encrypted. Review them with Review….",
        )
        after, self._after_stop = self._after_stop, []
        for then in after:
            then()
        if self._quit_when_stopped:
            self._really_quit()

    def toggle_pause(self) -> None:
        """Pause or resume."""
        if self.state.state == "recording":
            self.controller.pause()
            self.schedule.pause()
            self.state.pause()
        elif self.state.state == "paused":
            self.controller.resume()
            self.schedule.resume()
            self.state.resume()
        self.render()

    def stop(self) -> None:
        """Stop: the recorder finishes its writes in its own thread."""
        if self.state.state in ("recording", "paused"):
            self.state.stop_requested()
            self.prompt.hide()
            self.controller.stop()
            self.render()

    def tick(self) -> None:
        """Each second: counts, hotkey pauses, and the re-confirmation schedule."""
        events, frames, paused = self.controller.counts()
        self.state.counts(events, frames)
        if paused and self.state.state == "recording":
            self.state.pause("paused by the hotkey")
            self.schedule.pause()
        elif (
            not paused
            and self.state.state == "paused"
            and self.controller.recorder
            and self.state.pause_reason == "paused by the hotkey"
        ):
            self.state.resume()
            self.schedule.resume()
        if self.state.state == "recording":
            verdict = self.schedule.check()
            if verdict == "ask":
                self.prompt.show()
                self.prompt.raise_()
                self.notify("Overt: keep recording?", "Please confirm you want to continue.")
            elif verdict == "pause":
                self.controller.pause()
                self.schedule.pause()
                self.state.pause("no answer to the re-confirmation")
                self.prompt.hide()
                self.notify(
                    "Overt paused recording",
                    "Nobody confirmed to keep recording, so capture paused.",
                )
        self.render()

    def _reconfirm_answered(self, keep: bool) -> None:
        if self.state.state != "recording":
            return
        if keep:
            self.schedule.confirmed()
        else:
            self.toggle_pause()

    # --- review and the rest --------------------------------------------------------------

    def review(self) -> QWidget | None:
        """Review…: ask for the passphrase (non-modal), then open the review window.

        Returns:
            The unlock dialog, or None when there is no vault.
        """
        return self._unlock_then("Reviewing", self._open_review)

    def _unlock_then(self, purpose: str, then: Callable[[Any], None]) -> QWidget | None:
        """Open the (non-modal) unlock dialog; ``then(dialog)`` once it is accepted.

        Returns:
            The unlock dialog, or None when there is no vault.
        """
        from app.dialogs.vault_dialogs import UnlockDialog

        vault = self._open_vault()
        if vault is None:
            return None
        dialog = UnlockDialog(vault, purpose=purpose)
        dialog.accepted.connect(lambda: then(dialog))
        dialog.finished.connect(lambda _r: self._forget(dialog))
        self.windows.append(dialog)
        dialog.open()
        dialog.raise_()
        return dialog

    def _open_review(self, dialog: Any) -> None:
        from app.review.window import ReviewWindow

        if dialog.unlocked is None:
            return
        window = ReviewWindow(dialog.unlocked)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(lambda _o=None: self._forget(window))
        self.windows.append(window)
        window.show()
        window.raise_()
        self.review_opened.emit(window)

    def settings(self) -> QWidget | None:
        """Settings…: recording defaults (needs a vault folder to keep them in)."""
        from app.dialogs.settings_dialog import SettingsDialog

        if self._open_vault() is None:
            return None
        dialog = SettingsDialog(self.home)
        dialog.finished.connect(lambda _r: self._forget(dialog))
        self.windows.append(dialog)
        dialog.open()
        return dialog

    def studies(self) -> QWidget:
        """Studies…: load a study file, read it, join or leave it."""
        from app.dialogs.studies_dialog import StudiesDialog

        dialog = StudiesDialog(self.home)
        dialog.changed.connect(lambda _study: self._show_study())
        dialog.finished.connect(lambda _r: self._forget(dialog))
        self.windows.append(dialog)
        dialog.open()
        dialog.raise_()
        return dialog

    def _show_study(self) -> None:
        from app.core.studies import current_study

        study, _problem = current_study(self.home)
        self.state.study = study.title if study else ""
        self.render()

    def withdraw(self) -> QWidget | None:
        """Withdraw…: unlock (the receipts need the consent records), then the withdraw list.

        Returns:
            The unlock dialog, or None when there is no vault.
        """
        return self._unlock_then("Withdrawing", self._open_withdraw)

    def _open_withdraw(self, unlock: Any) -> None:
        from app.core.studies import current_study
        from app.dialogs.withdraw_dialog import WithdrawDialog

        if unlock.unlocked is None:
            return
        joined, _problem = current_study(self.home)
        dialog = WithdrawDialog(
            unlock.unlocked,
            recording_session=lambda: self.state.session_id,
            stop_then=self.stop_then,
            joined_study=joined.id if joined else None,
        )
        dialog.withdrawn.connect(self._withdrawn)
        dialog.study_withdrawn.connect(self._leave_study)
        dialog.finished.connect(lambda _r: self._forget(dialog))
        self.windows.append(dialog)
        dialog.open()
        dialog.raise_()
        self.withdraw_opened.emit(dialog)

    def stop_then(self, then: Callable[[], None]) -> None:
        """Stop the recording and call ``then`` once it is saved (at once when idle)."""
        if self.state.state == "idle":
            then()
            return
        self._after_stop.append(then)
        self.stop()

    def _withdrawn(self, ids: list[str]) -> None:
        n = len(ids)
        self.notify(
            "Overt: withdrawn",
            f"Deleted {'1 session' if n == 1 else f'{n} sessions'} irrecoverably; "
            "the receipt is in the vault's receipts folder.",
        )

    def _leave_study(self, study_id: str) -> None:
        """Every session of the joined study was withdrawn: the person leaves it too."""
        from app.core.studies import current_study

        joined, _problem = current_study(self.home)
        if joined is None or joined.id != study_id:
            return
        try:
            settings = settings_file.load(self.home)
            settings_file.save(self.home, replace(settings, study_path=None))
        except (settings_file.SettingsError, StorageError, OSError) as exc:
            self._error(str(exc))
            return
        self._show_study()
        self.notify(
            "Overt: you left the study",
            f"You withdrew from '{joined.title}' and left it; Record… records personal sessions.",
        )

    def _expired(self, report: ExpiryReport) -> None:
        self.notify("Overt deleted expired sessions", report.message())

    def activate(self) -> None:
        """Another launch asked us to show ourselves."""
        self.show()
        self.notify("Overt is already running", self.state.status())

    def _error(self, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Overt", message)
        box.finished.connect(lambda _r: self._forget(box))
        self.windows.append(box)
        box.open()
        self.notified.emit("Overt", message)

    def _forget(self, widget: QWidget) -> None:
        if widget in self.windows:
            self.windows.remove(widget)

    def quit(self) -> None:
        """Quit, stopping a recording first (its data is saved)."""
        if self.state.state in ("recording", "paused"):
            self._quit_when_stopped = True
            self.stop()
            return
        if self.state.state == "idle":
            self._really_quit()

    def _really_quit(self) -> None:
        self.expiry.stop()
        if self.tray is not None:
            self.tray.hide()
        if self.status_window is not None:
            self.status_window.can_close = lambda: True
            self.status_window.close()
        self.prompt.close()
        app = QApplication.instance()
        if app is not None:
            app.quit()

    def _icon_geometry(self) -> QRect:
        return self.tray.geometry() if self.tray is not None else QRect()

    def menu_position(self) -> QPoint:
        """Where the menu opens: beside the tray icon when its place is known."""
        icon = self._icon_geometry()
        if icon.isEmpty():
            return QPoint(0, 0)
        return menu_origin(icon, self.menu.sizeHint(), self.menu.screen().availableGeometry())


def run_tray_app(args: argparse.Namespace) -> int:
    """Run the Qt event loop with the tray icon (or a status window when no tray exists)."""
    from app.cli.support import vault_home
    from app.tray.single_instance import SingleInstance, server_name

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Overt")
    app.setQuitOnLastWindowClosed(False)
    home = vault_home(args)
    single = SingleInstance(server_name(home))
    if not single.claim():
        print("Overt is already running; it was asked to show itself.", file=sys.stderr)
        return 0
    tray = TrayApp(home)
    single.activated.connect(tray.activate)
    tray.show()
    try:
        return int(app.exec())
    finally:
        single.release()
