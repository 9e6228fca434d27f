"""Withdraw…: delete a session or a whole study irrecoverably and get a receipt for it.

One question ("deleted irrecoverably") and then it is done: withdrawing must be as easy as
consenting. The work is app/core/withdrawal.py's (the CLI uses the same); this dialog lists, asks,
and shows where the receipt is. A session being recorded is stopped first, and the dialog
says so before asking.

Signals:
    withdrawn(list): the ids of sessions just deleted.
    study_withdrawn(str): every session of the joined study was withdrawn: leave it too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from app.core import withdrawal
from app.core.formatting import format_size
from app.core.vault_location import sessions_folder
from app.qt.core import Qt, Signal
from app.qt.desktop import open_folder
from app.qt.folder_watch import FolderWatcher
from app.qt.widgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from storage import StorageError, UnlockedVault

#: Asks the tray to stop the running recording and call back once it is saved.
StopThen = Callable[[Callable[[], None]], None]


def _date(t: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(t))


def sessions_of(n: int) -> str:
    """How the question names a study's sessions: 'the only session', 'both sessions'..."""
    if n == 1:
        return "the only session"
    if n == 2:
        return "both sessions"
    return f"all {n} sessions"


class WithdrawDialog(QDialog):
    """Lists sessions (date, study, size) and studies; withdraws the selected one.

    Attributes:
        unlocked: the unlocked vault (receipts need the consent records' ids).
        entries: the sessions listed, in table order.
        studies: the studies listed, in table order.
        session_table, study_table: the two lists.
        withdraw_session_button, withdraw_study_button: ask, then withdraw.
        question: the one confirmation question while it is open, else None.
        outcome: what was deleted and where the receipt is.
        open_receipts: opens the receipts folder (enabled once there is a receipt).
        receipts: the folder receipts are written to.
    """

    withdrawn = Signal(list)
    study_withdrawn = Signal(str)

    def __init__(
        self,
        unlocked: UnlockedVault,
        *,
        recording_session: Callable[[], str | None] = lambda: None,
        stop_then: StopThen | None = None,
        show_folder: Callable[[Path], None] = open_folder,
        joined_study: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """Args:
        unlocked: the vault.
        recording_session: the id of the session being recorded now, if any.
        stop_then: stops that recording, then calls its argument (from the tray).
        show_folder: opens a folder for the person (a fake in tests).
        joined_study: the id of the study joined in Studies…: withdrawing from it leaves it.
        """
        super().__init__(parent)
        self.joined_study = joined_study
        self.unlocked = unlocked
        self.recording_session = recording_session
        self.stop_then = stop_then
        self.show_folder = show_folder
        self.receipts = withdrawal.receipt_dir(unlocked.home)
        self.entries: list[withdrawal.WithdrawableSession] = []
        self.studies: list[withdrawal.WithdrawableStudy] = []
        self.question: QMessageBox | None = None
        self.setWindowTitle("Overt: withdraw")
        self.setMinimumSize(620, 480)

        intro = QLabel(
            "Withdrawing deletes sessions irrecoverably and writes a receipt you can send to "
            "the researcher, so they delete anything you already gave them."
        )
        intro.setWordWrap(True)
        self.session_table = self._table(["Date", "Study", "Size"], stretch=1)
        self.study_table = self._table(["Study", "Sessions"], stretch=0)
        self.no_sessions = QLabel("There are no sessions in this vault.")
        self.no_studies = QLabel("No session in this vault belongs to a study.")
        self.withdraw_session_button = QPushButton("Withdraw session…")
        self.withdraw_study_button = QPushButton("Withdraw from study…")
        self.withdraw_session_button.clicked.connect(self.ask_session)
        self.withdraw_study_button.clicked.connect(self.ask_study)
        self.session_table.itemSelectionChanged.connect(self._update_buttons)
        self.study_table.itemSelectionChanged.connect(self._update_buttons)
        self.outcome = QLabel("")
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_receipts = QPushButton("Open receipt folder")
        self.open_receipts.setEnabled(False)
        self.open_receipts.clicked.connect(lambda: self.show_folder(self.receipts))
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        for button in (self.withdraw_session_button, self.withdraw_study_button,
                       self.open_receipts, close):  # fmt: skip
            button.setAutoDefault(False)

        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.withdraw_session_button)
        study_row = QHBoxLayout()
        study_row.addStretch(1)
        study_row.addWidget(self.withdraw_study_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.open_receipts)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel("<b>Sessions</b>"))
        layout.addWidget(self.session_table, 3)
        layout.addWidget(self.no_sessions)
        layout.addLayout(row)
        layout.addWidget(QLabel("<b>Studies</b> (withdraw every session of a study at once)"))
        layout.addWidget(self.study_table, 2)
        layout.addWidget(self.no_studies)
        layout.addLayout(study_row)
        layout.addWidget(self.outcome)
        layout.addLayout(bottom)
        # Sessions deleted elsewhere (review, the CLI, expiry) leave the list at once.
        self.watcher = FolderWatcher(sessions_folder(unlocked.home), parent=self)
        self.watcher.changed.connect(self.refresh)
        self.refresh()

    @staticmethod
    def _table(headers: list[str], stretch: int) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        for col in range(len(headers)):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if col == stretch
                else (QHeaderView.ResizeMode.ResizeToContents)
            )
            header.setSectionResizeMode(col, mode)
        return table

    def refresh(self) -> None:
        """Read the sessions and studies again (after a withdrawal)."""
        try:
            self.entries = withdrawal.list_sessions(self.unlocked)
        except StorageError as exc:
            self.entries = []
            self.outcome.setText(str(exc))
        self.studies = withdrawal.list_studies(self.entries)
        recording = self.recording_session()
        self.session_table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            study = self._study_of(entry)
            date = _date(entry.started) + (" (recording now)" if entry.id == recording else "")
            for col, text in enumerate((date, study, format_size(entry.bytes))):
                item = QTableWidgetItem(text)
                item.setToolTip(f"Session {entry.id}")
                self.session_table.setItem(row, col, item)
        self.study_table.setRowCount(len(self.studies))
        for row, s in enumerate(self.studies):
            title = f"{s.title} ({s.id})" if s.title else s.id
            self.study_table.setItem(row, 0, QTableWidgetItem(title))
            self.study_table.setItem(row, 1, QTableWidgetItem(str(len(s.session_ids))))
        self.session_table.setVisible(bool(self.entries))
        self.no_sessions.setVisible(not self.entries)
        self.study_table.setVisible(bool(self.studies))
        self.no_studies.setVisible(not self.studies)
        self._update_buttons()

    @staticmethod
    def _study_of(entry: withdrawal.WithdrawableSession) -> str:
        if entry.consent is None:
            return "unknown (its consent cannot be read)"
        return entry.study_title or entry.study_id or "personal"

    def _update_buttons(self) -> None:
        busy = self.question is not None
        self.withdraw_session_button.setEnabled(
            not busy and bool(self.session_table.selectionModel().selectedRows())
        )
        self.withdraw_study_button.setEnabled(
            not busy and bool(self.study_table.selectionModel().selectedRows())
        )

    def ask_session(self) -> None:
        """Ask once before withdrawing the selected session."""
        rows = self.session_table.selectionModel().selectedRows()
        if rows:
            entry = self.entries[rows[0].row()]
            what = f"the session of {_date(entry.started)} ({self._study_of(entry)})"
            self._ask([entry.id], what)

    def ask_study(self) -> None:
        """Ask once before withdrawing every session of the selected study."""
        rows = self.study_table.selectionModel().selectedRows()
        if rows:
            study = self.studies[rows[0].row()]
            leaving = study.id if study.id == self.joined_study else None
            ids = list(study.session_ids)
            what = f"{sessions_of(len(ids))} of the study '{study.title or study.id}'"
            self._ask(ids, what, leaving)

    def _ask(self, ids: list[str], what: str, leaving: str | None = None) -> None:
        text = f"Withdraw {what}? " + (
            "It is deleted irrecoverably and a receipt is written."
            if len(ids) == 1
            else "They are deleted irrecoverably and a receipt is written for each."
        )
        recording = self.recording_session()
        if recording in ids:
            it = "It" if len(ids) == 1 else "One of them"
            text += f" {it} is being recorded now: Overt stops the recording first."
        if leaving:
            text += " You also leave the study: Record… then records personal sessions."
        box = QMessageBox(QMessageBox.Icon.Warning, "Overt: withdraw", text, parent=self)
        cancel = box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
        yes = box.addButton("Delete and write receipt", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(cancel)  # Enter never deletes
        box.finished.connect(lambda _r: self._answered(box.clickedButton() is yes, ids, leaving))
        self.question = box
        self._update_buttons()
        box.open()

    def _answered(self, yes: bool, ids: list[str], leaving: str | None) -> None:
        self.question = None
        self._update_buttons()
        if not yes:
            return
        recording = self.recording_session()
        if recording in ids and self.stop_then is not None:
            self.outcome.setText("Stopping the recording first; it is deleted once it is saved…")
            self.stop_then(lambda: self._withdraw_after_stop(ids, leaving))
            return
        self.withdraw(ids, leaving=leaving)

    def _withdraw_after_stop(self, ids: list[str], leaving: str | None) -> None:
        self.withdraw(ids, leaving=leaving)

    def withdraw(self, ids: list[str], *, leaving: str | None = None) -> list[Path]:
        """Withdraw these sessions now (receipt first, then irrecoverable deletion).

        Args:
            ids: the sessions.
            leaving: the study being left; ``study_withdrawn`` says so once all went.

        Returns:
            The receipts written.
        """
        consents = {e.id: e.consent for e in self.entries}
        for_study = any(e.study_id for e in self.entries if e.id in ids)
        receipts: list[Path] = []
        done: list[str] = []
        problem = ""
        for session_id in ids:
            try:
                receipts.append(
                    withdrawal.withdraw_session(
                        self.unlocked,
                        session_id,
                        self.receipts,
                        consent=consents.get(session_id) or {},
                    )
                )
                done.append(session_id)
            except (StorageError, OSError) as exc:
                problem = f" Session {session_id} was not deleted: {exc}"
                break
        self.refresh()
        if receipts:
            n = len(done)
            what = "1 session" if n == 1 else f"{n} sessions"
            if n == 1:
                send = " (send it to the researcher)" if for_study else ""
                receipt = f"Receipt{send}: {receipts[0]}"
            else:
                send = " (send them to the researcher)" if for_study else ""
                receipt = f"Receipts{send} are in {self.receipts}"
            self.outcome.setText(f"Deleted {what} irrecoverably. {receipt}.{problem}")
            self.open_receipts.setEnabled(True)
            self.withdrawn.emit(done)
            if leaving and len(done) == len(ids):
                self.study_withdrawn.emit(leaving)
        else:
            self.outcome.setText(problem.strip())
        return receipts
