"""The review window's row of tools under the frame: redact, delete, approve, export."""

from __future__ import annotations

from typing import Any

from app.dialogs.export_dialog import export_button
from app.qt.widgets import QHBoxLayout, QPushButton, QWidget


class ToolsRow(QWidget):
    """The buttons for changes to the whole session or the frame on screen, then Export….

    The window connects each button to what it does; every change is previewed first.

    Attributes:
        redact_region_button: "Black out region…" (drag on the frame first).
        delete_events_button: "Delete selected actions…".
        delete_range_button: "Delete frames…".
        titles_button: "Blank window titles…".
        delete_session_button: "Delete session…".
        approve_button: "Approve…".
    """

    def __init__(self, window: Any, parent: QWidget | None = None) -> None:
        """Args:
        window: the review window, for Export… (app/dialogs/export_dialog.py reads its
            ``vault`` and ``session``).
        parent: the owning widget.
        """
        super().__init__(parent)
        self.redact_region_button = QPushButton("Black out region…")
        self.redact_region_button.setToolTip("Drag on the frame first")
        self.delete_events_button = QPushButton("Delete selected actions…")
        self.delete_events_button.setToolTip("Select actions in the list first")
        self.delete_range_button = QPushButton("Delete frames…")
        self.delete_range_button.setToolTip(
            "Delete this frame or a range of frames, and what happened meanwhile"
        )
        self.titles_button = QPushButton("Blank window titles…")
        self.delete_session_button = QPushButton("Delete session…")
        self.approve_button = QPushButton("Approve…")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for b in self.buttons()[:-1]:
            layout.addWidget(b)
        layout.addStretch(1)
        layout.addWidget(self.approve_button)
        layout.addWidget(export_button(window))

    def buttons(self) -> tuple[QPushButton, ...]:
        """Every tool but Export… (on only while a session is open), in their order on screen."""
        return (
            self.redact_region_button,
            self.delete_events_button,
            self.delete_range_button,
            self.titles_button,
            self.delete_session_button,
            self.approve_button,
        )
