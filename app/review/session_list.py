"""The review window's session list: one row per session, its study read from the consent.

It follows the vault: sessions added or deleted elsewhere (Withdraw…, another review window,
`overt delete` in a terminal, retention expiry) show up or leave the list within a moment.
"""

from __future__ import annotations

from app.core.vault_location import sessions_folder
from app.qt.core import Qt, QThreadPool, Signal
from app.qt.folder_watch import FolderWatcher
from app.qt.widgets import QTreeWidget, QTreeWidgetItem, QWidget
from app.qt.workers import Task, submit
from app.review.labels import session_row, study_label
from storage import SessionNotFound, SessionSummary, StorageError, UnlockedVault

SESSION_COLUMNS = ["Date", "Duration", "Study", "Counts", "Review", "Size"]
STUDY_COLUMN = 2


class SessionList(QTreeWidget):
    """Date, duration, study, counts, review state and size of each session in the vault.

    The plaintext index does not hold the study, so its column fills in once the consents
    are read off the GUI thread (and is remembered for the next refresh).

    Signals:
        chosen(str): the person clicked or activated this session's row.
        studiesRead(): the Study column was filled from the consents.
        vaultChanged(): sessions were added or deleted elsewhere; the list is read again.

    Attributes:
        ids: the sessions listed, oldest first.
    """

    chosen = Signal(str)
    studiesRead = Signal()
    vaultChanged = Signal()

    def __init__(
        self, vault: UnlockedVault, pool: QThreadPool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.vault = vault
        self.pool = pool
        self._tasks: list[Task] = []
        self._studies: dict[str, str] = {}  # session id -> Study column (from its consent)
        self.ids: list[str] = []
        self._newest: str | None = None
        self.watcher = FolderWatcher(sessions_folder(vault.home), parent=self)
        self.watcher.changed.connect(self._vault_changed)
        self.setHeaderLabels(SESSION_COLUMNS)
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.itemActivated.connect(self._activated)
        self.itemClicked.connect(self._activated)

    def refresh(self) -> None:
        """Re-read the session list from the vault's index (studies from the consents)."""
        current = self.currentItem()
        keep = current.data(0, Qt.ItemDataRole.UserRole) if current is not None else None
        self.clear()
        unknown = []
        summaries = self._summaries()
        self.ids = [summary.id for summary in summaries]
        latest = max(summaries, key=lambda s: (s.started, s.id), default=None)
        self._newest = latest.id if latest is not None else None
        for summary in summaries:
            row = session_row(summary)
            row[STUDY_COLUMN] = self._studies.get(summary.id, "…")
            if summary.id not in self._studies:
                unknown.append(summary.id)
            item = QTreeWidgetItem(row)
            item.setData(0, Qt.ItemDataRole.UserRole, summary.id)
            self.addTopLevelItem(item)
        for col in range(len(SESSION_COLUMNS)):
            self.resizeColumnToContents(col)
        if keep is not None:
            self.select(keep)
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

    def _summaries(self) -> list[SessionSummary]:
        """Every session's summary; one deleted while the list is read is left out."""
        vault, out = self.vault.vault, []
        for session_id in vault.session_ids():
            try:
                out.append(vault.session(session_id))
            except SessionNotFound:
                continue
        return out

    def newest(self) -> str | None:
        """The session started last, or None when the vault holds none."""
        return self._newest

    def _vault_changed(self) -> None:
        self.refresh()
        self.vaultChanged.emit()

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
