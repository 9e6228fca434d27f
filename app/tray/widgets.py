"""The tray's own small windows: the status window where no tray exists, and "Keep recording?"."""

from __future__ import annotations

from collections.abc import Callable

from app.qt.core import Qt, Signal
from app.qt.gui import QCloseEvent, QIcon
from app.qt.widgets import QHBoxLayout, QLabel, QMenu, QPushButton, QVBoxLayout, QWidget


class StatusWindow(QWidget):
    """The stand-in for a tray icon: small, always on top, not closable while recording.

    Attributes:
        icon: the state icon.
        text: the status line.
        menu_button: opens the tray menu.
        can_close: asked before closing (False while recording).
    """

    def __init__(self, menu: QMenu, can_close: Callable[[], bool]) -> None:
        super().__init__(None, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle("Overt")
        self.can_close = can_close
        self.icon = QLabel()
        self.text = QLabel("Overt: not recording")
        self.menu_button = QPushButton("Menu")
        self.menu_button.setMenu(menu)
        self.text.setMinimumWidth(340)  # room for "Recording 1:02:03 · 12345 events, …"
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 6, 8, 6)
        row.addWidget(self.icon)
        row.addWidget(self.text, 1)
        row.addWidget(self.menu_button)

    def place_in_corner(self) -> None:
        """Top right of the screen: always visible, out of the way."""
        area = self.screen().availableGeometry()
        self.adjustSize()
        # The window manager's frame is not known yet: leave room for it.
        self.move(area.right() - self.width() - 40, area.top() + 40)

    def set_state(self, icon: QIcon, text: str) -> None:
        """Show the state."""
        self.icon.setPixmap(icon.pixmap(20, 20))
        self.text.setText(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.can_close():
            event.accept()
        else:
            event.ignore()  # the recording indicator can never be hidden


class ReconfirmPrompt(QWidget):
    """A non-modal 'Keep recording?' question.

    Signals:
        answered(bool): True to continue, False to pause.
    """

    answered = Signal(bool)

    def __init__(self, timeout_min: float) -> None:
        super().__init__(None, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle("Overt: keep recording?")
        label = QLabel(
            "Overt has been recording for a while. Keep recording?\n"
            f"With no answer within {timeout_min:g} minutes, recording pauses."
        )
        label.setWordWrap(True)
        self.keep = QPushButton("Keep recording")
        self.pause = QPushButton("Pause")
        self.keep.clicked.connect(lambda: self._answer(True))
        self.pause.clicked.connect(lambda: self._answer(False))
        buttons = QHBoxLayout()
        buttons.addWidget(self.pause)
        buttons.addWidget(self.keep)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(buttons)

    def _answer(self, keep: bool) -> None:
        self.hide()
        self.answered.emit(keep)
