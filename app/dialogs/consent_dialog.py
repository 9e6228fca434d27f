"""The consent dialog: what this one session will capture, affirmed by the person, or not.

Signals:
    (none: the dialog is modal; read ``record`` after ``exec()`` returns Accepted.)
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

from app.qt.core import Qt
from app.qt.widgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from recorder.consent.text import STATEMENTS, affirm, describe

START_ACTION = "consent dialog: 'Start recording' button"


class ConsentDialog(QDialog):
    """Shows the consent text generated from a draft record; Start needs every statement ticked.

    Attributes:
        record: the affirmed consent record after the person pressed Start, else None.
        checkboxes: statement id -> its checkbox (never pre-ticked).
    """

    def __init__(
        self,
        draft: dict[str, Any],
        *,
        open_windows: Sequence[tuple[str, str]] = (),
        in_scope: Callable[[str, str], bool] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """Args:
        draft: the consent record to show (scope, study, retention).
        open_windows: (app, title) of windows open now, to mark in or out of scope.
        in_scope: decides whether an (app, title) would be recorded.
        """
        super().__init__(parent)
        self.draft = draft
        self.record: dict[str, Any] | None = None
        study = draft.get("study")
        title = study.get("title") if isinstance(study, dict) else None
        # The body below is the hashed consent text; the title only says which study it is.
        self.setWindowTitle(
            f"Overt: record this session for the study '{title}'?"
            if title
            else "Overt: record this session?"
        )
        self.setMinimumSize(620, 560)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        for section in describe(draft):
            heading = QLabel(f"<b>{html.escape(section.title)}</b>")
            body_layout.addWidget(heading)
            items = "".join(f"<li>{html.escape(line)}</li>" for line in section.lines)
            lines = QLabel(f"<ul style='margin:0'>{items}</ul>")
            lines.setWordWrap(True)
            lines.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            body_layout.addWidget(lines)
        if open_windows and in_scope is not None:
            body_layout.addWidget(QLabel("<b>Windows open right now</b>"))
            rows = []
            for app, title in open_windows:
                recorded = in_scope(app, title)
                mark = "recorded" if recorded else "NOT recorded"
                rows.append(f"<li>{html.escape(app)}: {html.escape(title)} ({mark})</li>")
            windows = QLabel(f"<ul style='margin:0'>{''.join(rows)}</ul>")
            windows.setWordWrap(True)
            body_layout.addWidget(windows)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)

        self.checkboxes: dict[str, QCheckBox] = {}
        affirm_box = QVBoxLayout()
        affirm_box.addWidget(QLabel("<b>Tick each statement that is true for you:</b>"))
        for statement_id, text in STATEMENTS:
            box = QCheckBox(text)
            box.setChecked(False)
            box.toggled.connect(self._update_start)
            self.checkboxes[statement_id] = box
            affirm_box.addWidget(box)

        self.not_now = QPushButton("Not now")
        self.start = QPushButton("Start recording")
        for button in (self.not_now, self.start):
            button.setMinimumHeight(36)
            button.setAutoDefault(False)
        self.start.setEnabled(False)
        self.not_now.clicked.connect(self.reject)
        self.start.clicked.connect(self._accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.not_now, 1)
        buttons.addWidget(self.start, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(affirm_box)
        layout.addLayout(buttons)

    def _update_start(self) -> None:
        self.start.setEnabled(all(box.isChecked() for box in self.checkboxes.values()))

    def _accept(self) -> None:
        ticked = [sid for sid, box in self.checkboxes.items() if box.isChecked()]
        self.record = affirm(self.draft, statements=ticked, action=START_ACTION)
        self.accept()
