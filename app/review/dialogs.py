"""The review window's dialogs: a change's preview, and which frames a change covers.

The ``ask_*`` functions put a question to the person and return the answer (None: cancelled).
"""

from __future__ import annotations

from app.qt.core import Qt
from app.qt.widgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from app.review.model import ReviewModel
from app.review.previews import Preview


class PreviewDialog(QDialog):
    """Shows what a change will do; Apply or Cancel."""

    def __init__(self, preview: Preview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Overt: {preview.title.lower()}")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        heading = QLabel(f"<b>{preview.title}</b>")
        layout.addWidget(heading)
        body = QLabel(
            "\n".join(f"• {line}" if not line.startswith(" ") else line for line in preview.lines)
        )
        body.setWordWrap(True)
        body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(body)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Apply
        )
        self.apply = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.apply.setText(preview.verb)
        self.apply.clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        if preview.empty:
            self.apply.setEnabled(False)
            layout.addWidget(QLabel("Nothing would change."))
        layout.addWidget(self.buttons)


class RegionScopeDialog(QDialog):
    """Where to black out the selected region: this frame, a range, all, or a window's frames.

    Attributes:
        choice: "this" | "range" | "all" | "window".
    """

    def __init__(
        self, current: int, count: int, window_label: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Overt: black out which frames?")
        self.current = current
        self.count = count
        layout = QVBoxLayout(self)
        self.group = QButtonGroup(self)
        self.this = QRadioButton(f"This frame only ({current + 1})")
        self.from_to = QRadioButton("Frames from")
        self.every = QRadioButton(f"Every frame ({count})")
        self.by_window = QRadioButton(f"Every frame while this window was active: {window_label}")
        self.by_window.setEnabled(bool(window_label))
        self.this.setChecked(True)
        self.first = QSpinBox()
        self.last = QSpinBox()
        for box in (self.first, self.last):
            box.setRange(1, max(count, 1))
        self.first.setValue(current + 1)
        self.last.setValue(min(current + 10, count))
        row = QHBoxLayout()
        row.addWidget(self.from_to)
        row.addWidget(self.first)
        row.addWidget(QLabel("to"))
        row.addWidget(self.last)
        row.addStretch(1)
        for i, b in enumerate((self.this, self.from_to, self.every, self.by_window)):
            self.group.addButton(b, i)
        layout.addWidget(self.this)
        layout.addLayout(row)
        layout.addWidget(self.every)
        layout.addWidget(self.by_window)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @property
    def choice(self) -> str:
        """The chosen scope."""
        return ("this", "range", "all", "window")[max(self.group.checkedId(), 0)]

    def frame_range(self) -> range:
        """The chosen range (for "range"), 0-based."""
        a, b = sorted((self.first.value(), self.last.value()))
        return range(a - 1, b)


class DeleteRangeDialog(QDialog):
    """Pick frames A..B (1-based, inclusive) and what to delete there: the frames, and/or
    the events and actions captured between them.

    Attributes:
        with_frames: checkbox, the frames themselves (screenshots).
        with_events: checkbox, the events and actions from frame A up to frame B + 1.
    """

    def __init__(self, first: int, last: int, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Overt: delete a range")
        self.first = QSpinBox()
        self.last = QSpinBox()
        for box in (self.first, self.last):
            box.setRange(1, max(count, 1))
        self.first.setValue(first + 1)
        self.last.setValue(last + 1)
        row = QHBoxLayout()
        row.addWidget(QLabel("From frame"))
        row.addWidget(self.first)
        row.addWidget(QLabel("to frame"))
        row.addWidget(self.last)
        row.addWidget(QLabel(f"of {count}"))
        row.addStretch(1)
        self.with_frames = QCheckBox("the frames (screenshots)")
        self.with_events = QCheckBox("the events and actions captured while they were shown")
        self.with_frames.setChecked(True)
        self.with_events.setChecked(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(QLabel("Delete:"))
        layout.addWidget(self.with_frames)
        layout.addWidget(self.with_events)
        layout.addWidget(QLabel("You will see what this deletes before anything changes."))
        layout.addWidget(buttons)

    def frames(self) -> tuple[int, int]:
        """(first, last) 0-based, inclusive."""
        a, b = sorted((self.first.value(), self.last.value()))
        return a - 1, b - 1


def tell(parent: QWidget, text: str) -> None:
    """A short note to the person (what to do first)."""
    QMessageBox.information(parent, "Overt", text)


def ask_region_frames(parent: QWidget, model: ReviewModel, index: int) -> list[range] | None:
    """In which frames to black out the region selected on frame ``index``."""
    window = model.window_at(model.frame_time(index))
    dialog = RegionScopeDialog(index, model.frame_count, model.window_label(window), parent)
    if dialog.exec() != RegionScopeDialog.DialogCode.Accepted:
        return None
    return {
        "this": [range(index, index + 1)],
        "range": [dialog.frame_range()],
        "all": [range(0, model.frame_count)],
        "window": model.frames_while_window(window) if window else [],
    }[dialog.choice]


def ask_frames_too(parent: QWidget, frames: range) -> bool | None:
    """Also delete the frames the actions show?"""
    if not frames:
        return False
    span = f"{frames.start + 1}" if len(frames) == 1 else f"{frames.start + 1}–{frames.stop}"
    answer = QMessageBox.question(
        parent,
        "Overt: delete actions",
        f"Also delete the frames these actions show (frame {span})?",
        QMessageBox.StandardButton.Yes
        | QMessageBox.StandardButton.No
        | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.No,
    )
    if answer == QMessageBox.StandardButton.Cancel:
        return None
    return answer == QMessageBox.StandardButton.Yes


def ask_delete_range(parent: QWidget, index: int, count: int) -> tuple[int, int, bool, bool] | None:
    """Which frames (first, last) around frame ``index``, and whether to delete the frames
    and/or the events captured meanwhile."""
    dialog = DeleteRangeDialog(index, index, count, parent)
    if dialog.exec() != DeleteRangeDialog.DialogCode.Accepted:
        return None
    first, last = dialog.frames()
    return first, last, dialog.with_frames.isChecked(), dialog.with_events.isChecked()
