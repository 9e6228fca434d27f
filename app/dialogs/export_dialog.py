"""The Export dialog: approved sessions out of the vault, previewed, written off the GUI thread.

Everything that touches the vault (preview, thumbnails, the export itself) runs in a QThreadPool
task; results and progress come back as queued signals. Cancel sets a flag that the preview's
and the export's progress callbacks check, in every phase (scanning for the preview, frames,
packing, encryption, which is streamed): they raise ExportCancelled, and storage.export removes
its staging folder, so nothing is left at the target.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app.core.dismissals import dismissed_keys
from app.qt.core import QObject, QThreadPool, Signal
from app.qt.desktop import open_folder
from app.qt.gui import QImage, QPixmap
from app.qt.images import to_qimage
from app.qt.widgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from app.qt.workers import Task, submit
from storage import UnlockedVault
from storage.export import FORMATS, ExportCancelled, ExportPreview, export_sessions, preview
from storage.export.run import human_size, study_recipient

THUMB = (160, 90)

#: What each format is for, in the person's words (storage/EXPORT_FORMATS.md has the layouts).
FORMAT_PURPOSES = {
    "folder": "files you can open and look through (JSON and PNG)",
    "zip": "the same files in one .zip, easy to hand over",
    "webdataset": "tar shards, one sample per action, for training pipelines",
    "parquet": "tables for data analysis (pandas, Hugging Face datasets)",
    "trajectory": "step-by-step agent trajectories with every detail (Overt's own)",
    "agentnet": "agent trajectories exactly as AgentNet / OpenCUA training reads them",
}


def default_target(folder: Path, fmt: str, encrypted: bool) -> Path:
    """A new path in ``folder``: overt-export-<date>[.zip|.age], numbered if it exists."""
    stem = "overt-export-" + time.strftime("%Y%m%d-%H%M%S")
    suffix = ".age" if encrypted else (".zip" if fmt == "zip" else "")
    path = folder / f"{stem}{suffix}"
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}{suffix}"
        n += 1
    return path


class _Progress(QObject):
    """Carries progress from the export thread to the dialog (queued)."""

    changed = Signal(str, int, int)


class ExportDialog(QDialog):
    """Choose a format, a path and a recipient; see a preview; export with progress and cancel.

    Signals:
        previewReady(object): the ExportPreview, once computed.
        finished_export(str): the one-line result (success, cancelled or failure).

    Attributes:
        session_ids: the sessions exported.
        result_path: the target of the last successful export, else None.
    """

    previewReady = Signal(object)
    finished_export = Signal(str)

    def __init__(
        self,
        vault: UnlockedVault,
        session_ids: Sequence[str],
        parent: QWidget | None = None,
        pool: QThreadPool | None = None,
        folder: Path | None = None,
        show_folder: Callable[[Path], None] = open_folder,
    ) -> None:
        """Args:
        vault: the unlocked vault.
        session_ids: the sessions to export (each must be approved).
        pool: where the preview and the export run (default: Qt's global pool).
        folder: where the suggested target goes (default: the home folder).
        show_folder: opens a folder for the person (a fake in tests).
        """
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.vault = vault
        self.session_ids = list(session_ids)
        self.pool = pool or QThreadPool.globalInstance()
        self.result_path: Path | None = None
        self.preview_result: ExportPreview | None = None
        self._keep: list[Task] = []
        self._cancel = threading.Event()
        self._running = False
        self._previewing = False
        self._progress = _Progress()
        self._progress.changed.connect(self._progressed)
        self._folder = folder or Path.home()
        self.show_folder = show_folder
        self._build()
        self.refusal = self._check_approved()
        if self.refusal:
            self._refuse(self.refusal)
        else:
            self._start_preview()

    def chosen_format(self) -> str:
        """The format chosen (its name, as the CLI's --format takes it)."""
        return str(self.format.currentData())

    def choose_format(self, name: str) -> None:
        """Choose a format by its name."""
        self.format.setCurrentIndex(self.format.findData(name))

    def _refuse(self, refusal: str) -> None:
        """Nothing can be exported: say why and what to do; no preview, no progress."""
        self.status.setText(refusal)
        self.summary.setPlainText(
            "Nothing is exported until you have reviewed the session and approved it: in the "
            "review window (Review… in the tray's menu), black out or delete what should not "
            "leave this computer, then press Approve…; Export… then shows a preview of exactly "
            "what will be written."
        )
        self.progress.setVisible(False)
        self.export_button.setEnabled(False)
        for w in self._choices():
            w.setEnabled(False)

    def _build(self) -> None:
        self.format = QComboBox()
        for name in FORMATS:
            purpose = FORMAT_PURPOSES.get(name, "")
            self.format.addItem(f"{name}: {purpose}" if purpose else name, name)
        self.format.currentIndexChanged.connect(self._suggest_path)
        self.path = QLineEdit()
        self.browse_button = QPushButton("Browse…")
        self.browse_button.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.browse_button)
        self.recipient = QLineEdit()
        self.recipient.setPlaceholderText("none: the export is not encrypted")
        self.recipient.textChanged.connect(self._suggest_path)
        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("Save to", path_row)
        form.addRow("Encrypt to (age key)", self.recipient)

        self.summary = QPlainTextEdit()
        self.summary.setReadOnly(True)
        self.summary.setPlainText("Preparing a preview…")
        self.thumbs = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy while the preview is prepared
        self.status = QLabel("")
        self.status.setWordWrap(True)

        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(
            "Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.clicked.connect(self.cancel)
        self.show_button = self.buttons.addButton(
            "Show in folder", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.show_button.setVisible(False)
        self.show_button.clicked.connect(self._show_result)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary, 1)
        layout.addLayout(self.thumbs)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    # --- approval and preview -------------------------------------------------------------

    def _check_approved(self) -> str | None:
        """One sentence refusing the export when a session is missing or not approved."""
        if not self.session_ids:
            return "No sessions to export."
        reviews = {s.id: s.review for s in self.vault.vault.sessions()}
        for sid in self.session_ids:
            if sid not in reviews:
                return f"Session {sid} is not in this vault."
            if reviews[sid] != "approved":
                return f"Session {sid} is not approved; review and approve it before exporting."
        return None

    def _start_preview(self) -> None:
        vault, ids = self.vault, self.session_ids
        cancel = self._cancel

        def check(what: str = "", done: int = 0, total: int = 0) -> None:
            if cancel.is_set():
                raise ExportCancelled

        def work() -> tuple[ExportPreview, str | None, list[QImage]]:
            readers = [vault.open_session(sid) for sid in ids]
            keys = {study_recipient(r.consent) for r in readers}
            study = keys.pop() if len(keys) == 1 else None
            dismissed = dismissed_keys(vault.home, ids)
            shown = preview(readers, study, dismissed=dismissed, progress=check)
            by_id = {r.summary.id: r for r in readers}
            images = []
            for sid, index in shown.samples[:6]:
                check()
                img = by_id[sid].frame_image(index)
                img.thumbnail(THUMB)
                images.append(to_qimage(img))
            return shown, study, images

        self._previewing = True
        submit(self.pool, work, self._previewed, self._preview_failed, self._keep)

    def _preview_failed(self, message: str) -> None:
        self._previewing = False
        self._failed(message)

    def _previewed(self, result: tuple[ExportPreview, str | None, list[QImage]]) -> None:
        self._previewing = False
        shown, study, images = result
        self.preview_result = shown
        if study and not self.recipient.text():
            self.recipient.setText(study)
        lines = shown.lines(max_titles=20)
        if shown.unresolved:
            kinds = sorted({s.kind for s in shown.unresolved})
            lines.append(
                f"Warning: {len(shown.unresolved)} possibly sensitive item(s) "
                f"({', '.join(kinds)}) were neither redacted nor dismissed."
            )
        self.summary.setPlainText("\n".join(lines))
        self.progress.setVisible(False)  # until an export runs
        for image in images:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            self.thumbs.addWidget(label)
        self.thumbs.addStretch(1)
        self._suggest_path()
        self.export_button.setEnabled(True)
        self.previewReady.emit(shown)

    # --- path -----------------------------------------------------------------------------

    def _suggest_path(self, *_: Any) -> None:
        """Fill in (or re-suffix) a default target while the person has not typed one."""
        if self.path.isModified():
            return
        target = default_target(
            self._folder, self.chosen_format(), bool(self.recipient.text().strip())
        )
        self.path.setText(str(target))

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, "Export to", self.path.text())
        if chosen:
            self.path.setText(chosen)
            self.path.setModified(True)

    # --- export ---------------------------------------------------------------------------

    def start_export(self) -> None:
        """Start writing the export in the pool; the dialog stays responsive."""
        if self._running or self.refusal:
            return
        target = Path(self.path.text().strip()).expanduser()
        if not self.path.text().strip():
            self.status.setText("Choose where to save the export.")
            return
        fmt = self.chosen_format()
        recipient = self.recipient.text().strip() or None
        vault, ids = self.vault, self.session_ids
        cancel = self._cancel
        cancel.clear()
        signal = self._progress.changed

        def progress(what: str, done: int, total: int) -> None:
            if cancel.is_set():
                raise ExportCancelled
            signal.emit(what, done, total)

        def work() -> Path:
            readers = [vault.open_session(sid) for sid in ids]
            export_sessions(
                readers, fmt, target, recipient=recipient, progress=progress, home=vault.home
            )
            return target

        self._running = True
        self.export_button.setEnabled(False)
        for w in self._choices():
            w.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.status.setText("Exporting…")
        submit(self.pool, work, self._exported, self._failed, self._keep)

    def _progressed(self, what: str, done: int, total: int) -> None:
        if not self._running:
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status.setText(f"Exporting {what}: {done}/{total}")

    def _exported(self, target: Path) -> None:
        self._running = False
        self.result_path = target
        size = (
            target.stat().st_size
            if target.is_file()
            else sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
        )
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        message = f"Exported {len(self.session_ids)} session(s) to {target} ({human_size(size)})."
        self.status.setText(message)
        self.cancel_button.setText("Close")
        self.show_button.setVisible(True)
        self.show_button.setFocus()
        self.finished_export.emit(message)

    def _choices(self) -> tuple[QWidget, ...]:
        """What the person chooses before an export; fixed while it runs and once it is done."""
        return (self.format, self.path, self.browse_button, self.recipient)

    def _show_result(self) -> None:
        if self.result_path is not None:
            self.show_folder(self.result_path.parent)

    def _failed(self, message: str) -> None:
        was_running = self._running
        self._running = False
        self.status.setText(message)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setVisible(was_running)
        for w in self._choices():
            w.setEnabled(True)
        self.export_button.setEnabled(self.preview_result is not None)
        if was_running:
            self.finished_export.emit(message)

    def cancel(self) -> None:
        """Stop a running export (nothing is left behind), else close the dialog."""
        self.reject()

    def reject(self) -> None:
        """Cancel (and Escape) stops a running export first; a second press then closes.

        While the preview is being computed, Cancel stops it and closes the dialog.
        """
        if self._running:
            self._cancel.set()
            self.status.setText("Cancelling…")
            return
        if self._previewing:
            self._cancel.set()
        super().reject()

    def busy(self) -> bool:
        """True while an export or a preview is running in the pool."""
        return self._running or bool(self._keep)


def export_button(window: Any) -> QPushButton:
    """An "Export…" button for the review window: opens the dialog for its current session.

    Hook (app/review/tools_row.py, after the Approve… button):
    ``layout.addWidget(export_button(window))``, ``export_button`` from this module.
    The dialog itself refuses sessions that are not approved.
    """
    button = QPushButton("Export…")

    def clicked() -> None:
        session = getattr(window, "session", None)
        if session is None:
            return
        dialog = ExportDialog(window.vault, [session.session_id], window)
        dialog.show()

    button.clicked.connect(clicked)
    return button
