"""Noticing a folder change made elsewhere (another process, another window), said once.

QFileSystemWatcher reports each entry added or removed, often several times for one change
(a deletion shreds, then removes, file by file): changes are gathered and said once, a short
moment after the last one.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

#: How long the folder must stay quiet before the change is said.
SETTLE_MS = 250


class FolderWatcher(QObject):
    """Watches one folder's entries (not their contents).

    Signals:
        changed(): entries were added to or removed from the folder (debounced).

    Attributes:
        folder: the folder watched.
    """

    changed = Signal()

    def __init__(
        self, folder: Path, settle_ms: int = SETTLE_MS, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.folder = folder
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._touched)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(settle_ms)
        self._settle.timeout.connect(self._settled)
        self._watch()

    def watching(self) -> bool:
        """Whether the folder is being watched (it exists and the system allows it)."""
        return str(self.folder) in self._watcher.directories()

    def _watch(self) -> None:
        if self.folder.is_dir() and not self.watching():
            self._watcher.addPath(str(self.folder))

    def _touched(self, _path: str) -> None:
        self._settle.start()

    def _settled(self) -> None:
        self._watch()  # a folder removed and made again is watched anew
        self.changed.emit()
