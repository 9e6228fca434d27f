"""What the person sees of Overt: the tray icon (or the status window), its tooltip, menu, notices.

It only shows what the state machine (app/tray/state.py) says; the menu's entries call the
handlers it is given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from app.qt.core import QObject, QPoint, QRect
from app.qt.gui import QAction
from app.qt.widgets import QSystemTrayIcon
from app.tray.icons import ICONS
from app.tray.menu import TrayMenu, menu_origin
from app.tray.state import Icon, TrayState
from app.tray.widgets import StatusWindow

MENU_ORDER = (
    "status",
    None,
    "record",
    "pause",
    "stop",
    None,
    "new_task",
    "task_done",
    "task_failed",
    None,
    "review",
    "studies",
    "withdraw",
    "settings",
    None,
    "quit",
)


class TrayView(QObject):
    """The tray icon, or where no system tray exists a status window, and the menu of both.

    Attributes:
        menu: the menu; ``actions`` maps names to its entries.
        tray: the system tray icon, or None when there is no tray.
        status_window: the stand-in when there is no tray.
    """

    def __init__(
        self,
        handlers: Mapping[str, Callable[[], object]],
        can_close: Callable[[], bool],
        *,
        tray_available: bool | None = None,
        parent: QObject | None = None,
    ) -> None:
        """Args:
        handlers: what each menu entry does, by name (the status line has none).
        can_close: whether the status window may close now (never while recording).
        tray_available: force the tray (True) or the status window (False).
        """
        super().__init__(parent)
        self._icons = {name: make() for name, make in ICONS.items()}
        self.menu = TrayMenu(self.icon_geometry)
        self.actions: dict[str, QAction] = {}
        for name in MENU_ORDER:
            if name is None:
                self.menu.addSeparator()
                continue
            action = QAction(name, self.menu)
            if name in handlers:
                action.triggered.connect(handlers[name])
            self.menu.addAction(action)
            self.actions[name] = action
        available = (
            QSystemTrayIcon.isSystemTrayAvailable() if tray_available is None else tray_available
        )
        self.tray: QSystemTrayIcon | None = None
        self.status_window: StatusWindow | None = None
        if available:
            self.tray = QSystemTrayIcon(self._icons["idle"], self)
            self.tray.setContextMenu(self.menu)
        else:
            self.status_window = StatusWindow(self.menu, can_close)

    def show(self) -> None:
        """Show the icon, or the status window in the screen's corner."""
        if self.tray is not None:
            self.tray.show()
        if self.status_window is not None:
            self.status_window.show()
            self.status_window.place_in_corner()
            self.status_window.raise_()

    def render(self, state: TrayState) -> None:
        """Make the icon, tooltip and menu match the state."""
        icon = self._icons[state.icon]
        for name, item in state.menu().items():
            self.actions[name].setText(item.label)
            self.actions[name].setEnabled(item.enabled)
        if self.tray is not None:
            self.tray.setIcon(icon)
            self.tray.setToolTip(state.tooltip())
        if self.status_window is not None:
            self.status_window.set_state(icon, state.tooltip())

    def show_message(self, title: str, message: str, icon: Icon) -> None:
        """A desktop notification, where the tray supports them."""
        if self.tray is not None and QSystemTrayIcon.supportsMessages():
            self.tray.showMessage(title, message, self._icons[icon], 5000)

    def hide(self) -> None:
        """Take the icon or the status window away (on quit)."""
        if self.tray is not None:
            self.tray.hide()
        if self.status_window is not None:
            self.status_window.can_close = lambda: True
            self.status_window.close()

    def icon_geometry(self) -> QRect:
        """The tray icon's global geometry (empty when unknown, or without a tray)."""
        return self.tray.geometry() if self.tray is not None else QRect()

    def menu_position(self) -> QPoint:
        """Where the menu opens: beside the tray icon when its place is known."""
        icon = self.icon_geometry()
        if icon.isEmpty():
            return QPoint(0, 0)
        return menu_origin(icon, self.menu.sizeHint(), self.menu.screen().availableGeometry())
