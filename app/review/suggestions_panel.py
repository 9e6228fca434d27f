"""The review window's "Suggestions" tab: what the scanners found, to redact or dismiss."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.core.dismissals import load_dismissals, save_dismissal
from app.qt.core import Signal
from app.qt.widgets import QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget
from app.review.model import ReviewModel
from storage.scan.text import Suggestion


class SuggestionsPanel(QWidget):
    """The open suggestions of the session, the frame-scan button, Redact… and Dismiss.

    It also remembers the last frame scan's findings, so they are listed again when the
    session reloads after a change (until the frames change under them). Dismissals are
    saved beside the vault (app/core/dismissals.py: suggestion keys only).

    Attributes:
        suggestions_list: one line per open suggestion (masked; never the content).
        accept_suggestion_button: "Redact…".
        dismiss_suggestion_button: "Dismiss".

    Signals:
        chosen(object): the person picked this Suggestion in the list.
        counted(int): the list was filled; how many suggestions are open.
        dismissed(): a suggestion was dismissed (the typed text's highlights are stale).
        frameTextFound(int): a frame scan's findings were added; how many.
        status(str): a line for the status bar.
        failed(str): a dismissal could not be saved (one sentence).
    """

    chosen = Signal(object)
    counted = Signal(int)
    dismissed = Signal()
    frameTextFound = Signal(int)
    status = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        home: Path,
        model: Callable[[], ReviewModel | None],
        session_id: Callable[[], str | None],
        scan_button: QPushButton,
        parent: QWidget | None = None,
    ) -> None:
        """Args:
        home: the vault's folder, where dismissals are kept.
        model: the window's model now (None while a session opens).
        session_id: the session open in the window now.
        scan_button: "Scan frames for text" (app/review/scan.py), placed above the others.
        parent: the owning widget.
        """
        super().__init__(parent)
        self.home = home
        self._model = model
        self._session_id = session_id
        #: The last frame scan: (session id, frame count, its suggestions still open).
        self._frame_found: tuple[str, int, list[Suggestion]] | None = None
        self.suggestions_list = QListWidget()
        self.suggestions_list.currentRowChanged.connect(self._row_chosen)
        self.accept_suggestion_button = QPushButton("Redact…")
        self.dismiss_suggestion_button = QPushButton("Dismiss")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Possibly sensitive items found by the scanner:"))
        layout.addWidget(self.suggestions_list, 1)
        scan_row = QHBoxLayout()
        scan_row.addWidget(scan_button)
        scan_row.addStretch(1)
        layout.addLayout(scan_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_suggestion_button)
        buttons.addWidget(self.dismiss_suggestion_button)
        layout.addLayout(buttons)

    def buttons(self) -> tuple[QPushButton, ...]:
        """Redact… and Dismiss (on only while a session is open)."""
        return (self.accept_suggestion_button, self.dismiss_suggestion_button)

    def fill(self) -> int:
        """List the model's open suggestions; returns how many there are."""
        model = self._model()
        self.suggestions_list.blockSignals(True)
        self.suggestions_list.clear()
        if model is not None:
            self.suggestions_list.addItems([model.suggestion_label(s) for s in model.suggestions])
        for row in range(self.suggestions_list.count()):
            item = self.suggestions_list.item(row)
            item.setToolTip(item.text())  # the list is narrow; labels are whole sentences
        self.suggestions_list.blockSignals(False)
        n = len(model.suggestions) if model is not None else 0
        self.counted.emit(n)
        return n

    def selected(self, row: int | None = None) -> tuple[int, Suggestion] | None:
        """Suggestion ``row`` (default: the selected one) with its row, or None."""
        model = self._model()
        row = self.suggestions_list.currentRow() if row is None else row
        if model is None or not 0 <= row < len(model.suggestions):
            return None
        return row, model.suggestions[row]

    def dismissed_keys(self, session_id: str) -> list[str]:
        """The suggestion keys dismissed in this session."""
        return load_dismissals(self.home).get(session_id, [])

    def dismiss(self, row: int | None = None) -> bool:
        """Dismiss suggestion ``row`` (default: the selected one) and remember its key."""
        picked = self.selected(row)
        model, sid = self._model(), self._session_id()
        if picked is None or model is None or sid is None:
            return False
        row, s = picked
        model.suggestions.pop(row)
        try:
            save_dismissal(self.home, sid, s.key())
        except OSError as exc:
            model.suggestions.insert(row, s)
            self.failed.emit(f"The dismissal could not be saved: {exc}.")
            return False
        self.forget(s)
        self.fill()
        self.dismissed.emit()
        self.status.emit(
            "Dismissed." if s.source == "frame" else "Dismissed; export will not warn about it."
        )
        return True

    def scan_found(self, session_id: str, found: list[Suggestion]) -> None:
        """A frame scan finished: list what it found (if its session is still the one open)."""
        model = self._model()
        if model is None or self._session_id() != session_id:
            return
        self._frame_found = (session_id, model.frame_count, list(found))
        added = model.add_frame_suggestions(found, self.dismissed_keys(session_id))
        self.fill()
        self.status.emit(
            f"Found {added} possibly sensitive item(s) of text in the frames."
            if added
            else "The frame scan found no sensitive text in the frames."
        )
        self.frameTextFound.emit(added)

    def last_scan(self, session_id: str, frame_count: int) -> list[Suggestion] | None:
        """The last frame scan's findings still open, if they are of these very frames."""
        scanned = self._frame_found
        if scanned and scanned[:2] == (session_id, frame_count):
            return scanned[2]
        return None

    def forget(self, s: Suggestion) -> None:
        """A suggestion was redacted or dismissed: do not list it again after a reload."""
        if self._frame_found is not None and s in self._frame_found[2]:
            self._frame_found[2].remove(s)

    def _row_chosen(self, row: int) -> None:
        picked = self.selected(row)
        if picked is not None:
            self.chosen.emit(picked[1])
