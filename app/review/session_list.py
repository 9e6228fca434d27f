"""The review window's session list: one row per session, its study read from the consent."""

from __future__ import annotations

from app.qt.core import Qt, QThreadPool, Signal
from app.qt.widgets import QTreeWidget, QTreeWidgetItem, QWidget
from app.qt.workers import Task, submit
from app.review.labels import session_row, study_label
from storage import StorageError, UnlockedVault

SESSION_COLUMNS = ["Date", "Duration", "Study", "Counts", "Review", "Size"]
STUDY_COLUMN = 2


class SessionList(QTreeWidget):
    """Date, duration, study, counts, review state and size of each session in the vault.

    The plaintext index does not hold the study, so its column fills in once the consents
    are read off the GUI thread (and is remembered for the next refresh).

    Signals:
        chosen(str): the person clicked or activated this session's row.
        studiesRead(): the Study column was filled from the consents.
    """

    chosen = Signal(str)
    studiesRead = Signal()

    def __init__(
        self, vault: UnlockedVault, pool: QThreadPool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.vault = vault
        self.pool = pool
        self._tasks: list[Task] = []
        self._studies: dict[str, str] = {}  # session id -> Study column (from its consent)
        self.setHeaderLabels(SESSION_COLUMNS)
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.itemActivated.connect(self._activated)
        self.itemClicked.connect(self._activated)

    def refresh(self) -> None:
        """Re-read the session list from the vault's index (studies from the consents)."""
        self.clear()
        unknown = []
        for summary in self.vault.vault.sessions():
            row = session_row(summary)
            row[STUDY_COLUMN] = self._studies.get(summary.id, "…")
            if summary.id not in self._studies:
                unknown.append(summary.id)
            item = QTreeWidgetItem(row)
            item.setData(0, Qt.ItemDataRole.UserRole, summary.id)
            self.addTopLevelItem(item)
        for col in range(len(SESSION_COLUMNS)):
            self.resizeColumnToContents(col)
        if unknown:
            vault = self.vault

            def read() -> dict[str, str]:
                out = {}
                for sid in unknown:
                    try:
                        out[sid] = study_label(vault.open_session(sid).consent)
                    except (StorageError, OSError):
                        continue  # damaged or gone: the cell says "?"; nothing to cache
                return out

            submit(self.pool, read, self._studies_read, lambda _message: None, self._tasks)

    def select(self, session_id: str) -> None:
        """Make this session's row the current one."""
        for row in range(self.topLevelItemCount()):
            item = self.topLevelItem(row)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == session_id:
                self.setCurrentItem(item)

    def _studies_read(self, studies: dict[str, str]) -> None:
        self._studies.update(studies)
        for row in range(self.topLevelItemCount()):
            item = self.topLevelItem(row)
            if item is None:
                continue
            sid = str(item.data(0, Qt.ItemDataRole.UserRole))
            item.setText(STUDY_COLUMN, self._studies.get(sid, "?"))
            item.setToolTip(STUDY_COLUMN, item.text(STUDY_COLUMN))
        self.resizeColumnToContents(STUDY_COLUMN)
        self.studiesRead.emit()

    def _activated(self, item: QTreeWidgetItem) -> None:
        self.chosen.emit(str(item.data(0, Qt.ItemDataRole.UserRole)))
