"""Small pieces the settings dialog's groups share: a muted note, a field with its button."""

from __future__ import annotations

from app.qt.widgets import QHBoxLayout, QLabel, QPushButton, QWidget


def note(text: str = "") -> QLabel:
    """A wrapped, muted line under a field: what it means, or what choosing it will do."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


def with_button(field: QWidget, button: QPushButton) -> QWidget:
    """``field`` stretched, with ``button`` at its right."""
    row = QWidget()
    box = QHBoxLayout(row)
    box.setContentsMargins(0, 0, 0, 0)
    box.addWidget(field, 1)
    box.addWidget(button)
    return row
