"""The review window's "Typed text" tab: the session's typing as one document, searchable."""

from __future__ import annotations

from collections.abc import Callable

from app.qt.core import Qt
from app.qt.gui import QTextCharFormat, QTextCursor
from app.qt.widgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)
from app.review.model import ReviewModel


class TypedTextPanel(QWidget):
    """A search box, the typed text (open suggestions in cyan, matches in yellow), and the
    two ways to remove text: the selection only, or every occurrence.

    Attributes:
        search: the search box.
        search_result: "3 match(es)".
        text_view: the typed text, read-only.
        redact_text_button: "Remove selected text…".
        redact_all_button: "Remove every occurrence…".
    """

    def __init__(
        self, model: Callable[[], ReviewModel | None], parent: QWidget | None = None
    ) -> None:
        """Args:
        model: the window's model now (None while a session opens).
        parent: the owning widget.
        """
        super().__init__(parent)
        self._model = model
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search typed text…")
        self.search.textChanged.connect(self._search_changed)
        self.search_result = QLabel("")
        self.text_view = QPlainTextEdit()
        self.text_view.setReadOnly(True)
        self.text_view.setPlaceholderText("No typed text in this session.")
        self.redact_text_button = QPushButton("Remove selected text…")
        self.redact_text_button.setToolTip("Removes only the text selected above")
        self.redact_all_button = QPushButton("Remove every occurrence…")
        self.redact_all_button.setToolTip(
            "Removes every occurrence of the selected or searched text, titles included"
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.search_result)
        layout.addWidget(self.text_view, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.redact_text_button)
        buttons.addWidget(self.redact_all_button)
        layout.addLayout(buttons)

    def fill(self, model: ReviewModel) -> None:
        """Show this model's typed text (call :meth:`highlight` once suggestions are in)."""
        self.text_view.setPlainText(model.typed_text())

    def highlight(self) -> None:
        """Mark the open suggestions and the search's matches again."""
        self._search_changed(self.search.text())

    def selected_text(self) -> str:
        """The text selected in the typed-text view, else what is in the search box."""
        return self.text_view.textCursor().selectedText() or self.search.text()

    def selection(self) -> tuple[int, int]:
        """The selection's (start, end) offsets in the typed text."""
        cursor = self.text_view.textCursor()
        return cursor.selectionStart(), cursor.selectionEnd()

    def _suggestion_highlights(self) -> list[QTextEdit.ExtraSelection]:
        """Cyan highlights in the typed text for every open suggestion."""
        out: list[QTextEdit.ExtraSelection] = []
        model = self._model()
        if model is None:
            return out
        fmt = QTextCharFormat()
        fmt.setBackground(Qt.GlobalColor.cyan)
        for s in model.suggestions:
            for start, end in model.suggestion_spans(s):
                cursor = QTextCursor(self.text_view.document())
                cursor.setPosition(start)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                sel = QTextEdit.ExtraSelection()
                sel.cursor = cursor
                sel.format = fmt
                out.append(sel)
        return out

    def _search_changed(self, needle: str) -> None:
        selections = self._suggestion_highlights()
        doc = self.text_view.document()
        fmt = QTextCharFormat()
        fmt.setBackground(Qt.GlobalColor.yellow)
        count = 0
        if needle:
            cursor = doc.find(needle)
            while not cursor.isNull():
                sel = QTextEdit.ExtraSelection()
                sel.cursor = cursor
                sel.format = fmt
                selections.append(sel)
                count += 1
                cursor = doc.find(needle, cursor)
        self.text_view.setExtraSelections(selections)
        self.search_result.setText(f"{count} match(es)" if needle else "")
        if count:
            self.text_view.setTextCursor(QTextCursor(selections[-count].cursor))
