"""The dialogs and windows the tray has open: kept alive while shown, forgotten once closed.

Not WA_DeleteOnClose for dialogs: once forgotten, Python frees them (and tests may still hold
them).
"""

from __future__ import annotations

from collections.abc import Callable

from app.qt.widgets import QDialog, QMessageBox, QWidget


class OpenWindows:
    """The tray's open dialogs and windows, and its one-sentence error boxes.

    Attributes:
        widgets: the open ones, oldest first.
        announce: called with ("Overt", sentence) for every error shown.
    """

    def __init__(self, announce: Callable[[str, str], None]) -> None:
        self.widgets: list[QWidget] = []
        self.announce = announce

    def keep(self, widget: QWidget) -> None:
        """Hold ``widget`` until ``forget``."""
        self.widgets.append(widget)

    def forget(self, widget: QWidget) -> None:
        """Let a closed widget go."""
        if widget in self.widgets:
            self.widgets.remove(widget)

    def open(self, dialog: QDialog, *, bring_to_front: bool = True) -> None:
        """Open ``dialog`` without blocking; it is forgotten once it finishes."""
        dialog.finished.connect(lambda _r: self.forget(dialog))
        self.keep(dialog)
        dialog.open()
        if bring_to_front:
            dialog.raise_()

    def error(self, message: str) -> None:
        """Say a problem in a (non-modal) warning box, and announce it."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Overt", message)
        self.open(box, bring_to_front=False)
        self.announce("Overt", message)
