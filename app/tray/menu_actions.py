"""What the tray's Review…, Studies…, Withdraw… and Settings… entries open, and what follows."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from app.core import settings as settings_file
from app.core.studies import current_study
from app.qt.core import QObject, Qt, Signal
from app.qt.widgets import QWidget
from app.tray.open_windows import OpenWindows
from app.tray.session_control import SessionControl
from app.tray.vault_access import VaultAccess
from storage import StorageError, UnlockedVault


class MenuActions(QObject):
    """Opens the review window and the dialogs of the tray's menu (each non-modal).

    Signals:
        review_opened(object): a review window was opened (the window).
        withdraw_opened(object): the withdraw dialog was opened (the dialog).
        study_changed(): the person joined or left a study.
        notice(str, str): a notification to show (title, message).
    """

    review_opened = Signal(object)
    withdraw_opened = Signal(object)
    study_changed = Signal()
    notice = Signal(str, str)

    def __init__(
        self,
        home: Path,
        windows: OpenWindows,
        vault: VaultAccess,
        session: SessionControl,
        parent: QObject | None = None,
    ) -> None:
        """Args:
        home: the vault folder.
        windows: where the dialogs are kept and problems said.
        vault: opens and unlocks the vault.
        session: the recording (Withdraw… may stop it first).
        """
        super().__init__(parent)
        self.home = home
        self.windows = windows
        self.vault = vault
        self.session = session

    def review(self) -> QWidget | None:
        """Review…: ask for the passphrase (non-modal), then open the review window.

        While Withdraw… or another review window holds the unlocked vault, it opens at once.

        Returns:
            The unlock dialog; None when there is no vault or the window opened at once.
        """
        return self.vault.unlock_then("Reviewing", self._open_review)

    def _open_review(self, unlocked: UnlockedVault) -> None:
        from app.review.window import ReviewWindow

        window = ReviewWindow(unlocked)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(lambda _o=None: self._closed(window))
        self.windows.keep(window)
        self.vault.hold(window, unlocked)
        window.show()
        window.raise_()
        self.review_opened.emit(window)

    def settings(self) -> QWidget | None:
        """Settings…: recording defaults (needs a vault folder to keep them in)."""
        from app.dialogs.settings_dialog import SettingsDialog

        if self.vault.open() is None:
            return None
        dialog = SettingsDialog(self.home)
        self.windows.open(dialog, bring_to_front=False)
        return dialog

    def studies(self) -> QWidget:
        """Studies…: load a study file, read it, join or leave it."""
        from app.dialogs.studies_dialog import StudiesDialog

        dialog = StudiesDialog(self.home)
        dialog.changed.connect(lambda _study: self.study_changed.emit())
        self.windows.open(dialog)
        return dialog

    def withdraw(self) -> QWidget | None:
        """Withdraw…: unlock (the receipts need the consent records), then the withdraw list.

        While a review window holds the unlocked vault, the list opens at once.

        Returns:
            The unlock dialog; None when there is no vault or the list opened at once.
        """
        return self.vault.unlock_then("Withdrawing", self._open_withdraw)

    def _open_withdraw(self, unlocked: UnlockedVault) -> None:
        from app.dialogs.withdraw_dialog import WithdrawDialog

        joined, _problem = current_study(self.home)
        state = self.session.state
        dialog = WithdrawDialog(
            unlocked,
            recording_session=lambda: state.session_id,
            stop_then=self.session.stop_then,
            joined_study=joined.id if joined else None,
        )
        dialog.withdrawn.connect(self._withdrawn)
        dialog.study_withdrawn.connect(self.leave_study)
        dialog.finished.connect(lambda _r: self.vault.release(dialog))
        self.vault.hold(dialog, unlocked)
        self.windows.open(dialog)
        self.withdraw_opened.emit(dialog)

    def _closed(self, window: QWidget) -> None:
        self.windows.forget(window)
        self.vault.release(window)

    def _withdrawn(self, ids: list[str]) -> None:
        n = len(ids)
        self.notice.emit(
            "Overt: withdrawn",
            f"Deleted {'1 session' if n == 1 else f'{n} sessions'} irrecoverably; "
            "the receipt is in the vault's receipts folder.",
        )

    def leave_study(self, study_id: str) -> None:
        """Every session of the joined study was withdrawn: the person leaves it too."""
        joined, _problem = current_study(self.home)
        if joined is None or joined.id != study_id:
            return
        try:
            settings = settings_file.load(self.home)
            settings_file.save(self.home, replace(settings, study_path=None))
        except (settings_file.SettingsError, StorageError, OSError) as exc:
            self.windows.error(str(exc))
            return
        self.study_changed.emit()
        self.notice.emit(
            "Overt: you left the study",
            f"You withdrew from '{joined.title}' and left it; Record… records personal sessions.",
        )
