"""Pick apps for the settings' only-record and never-record lists from the windows open now.

People know their apps by their windows, not by WM_CLASS names; the picker shows each open
app with its window titles and stores the identity the recorder matches
(recorder/capture/policy.py).
Listing windows needs X11 (recorder/platform/x11.py); elsewhere the person types names instead.

Signals:
    (none: a modal dialog; read ``chosen()`` after it is accepted.)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.qt.core import Qt
from app.qt.widgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)
from recorder.capture.policy import WindowInfo
from recorder.consent.record import DEFAULT_DENY_APPS
from recorder.platform.environment import detect_display_server

WindowLister = Callable[[], list[WindowInfo]]


@dataclass(frozen=True)
class OpenApp:
    """One app with windows open now.

    Attributes:
        app: the name stored in the lists: lower-cased WM_CLASS class (or instance, or process).
        titles: its windows' titles, as shown to the person.
    """

    app: str
    titles: tuple[str, ...]


def open_apps(list_windows: WindowLister, own_pid: int | None = None) -> list[OpenApp]:
    """The apps with windows open now, one entry per app, sorted by name; Overt's own left out.

    Raises:
        recorder.errors.CaptureUnavailable: the display cannot be reached.
    """
    own = os.getpid() if own_pid is None else own_pid
    titles: dict[str, list[str]] = {}
    for window in list_windows():
        name = (window.app or window.instance).strip().lower()
        if not name or window.pid == own:
            continue
        titles.setdefault(name, [])
        if window.title and window.title not in titles[name]:
            titles[name].append(window.title)
    return [OpenApp(app, tuple(titles[app])) for app in sorted(titles)]


def default_lister() -> WindowLister | None:
    """The platform's window lister, or None where windows cannot be listed (not X11)."""
    if detect_display_server() != "x11":
        return None
    from recorder.platform.x11_windows import open_windows

    return open_windows


class WindowPicker(QDialog):
    """A list of the apps open now with a checkbox each; OK adds the ticked ones.

    Attributes:
        items: app name -> its list item.
    """

    def __init__(
        self,
        apps: Sequence[OpenApp],
        heading: str,
        *,
        never_recorded: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """Args:
        apps: what open_apps() found.
        heading: what the ticked apps are added to, for the person.
        never_recorded: mark (and refuse) the built-in never-recorded apps, for the
            only-record list where choosing them would record nothing.
        """
        super().__init__(parent)
        self.setWindowTitle("Overt: pick apps from open windows")
        self.setMinimumWidth(460)
        self.list = QListWidget()
        self.items: dict[str, QListWidgetItem] = {}
        for app in apps:
            shown = ", ".join(app.titles[:2]) + (" …" if len(app.titles) > 2 else "")
            text = f"{app.app} — {shown}" if shown else app.app
            item = QListWidgetItem(text)
            flags = Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
            if never_recorded and app.app in DEFAULT_DENY_APPS:
                item.setText(f"{text} (never recorded)")
                flags = Qt.ItemFlag.NoItemFlags
            item.setFlags(flags)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, app.app)
            self.list.addItem(item)
            self.items[app.app] = item
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add ticked apps")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        label = QLabel(f"Tick the apps to add to {heading}. These are the windows open now.")
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def chosen(self) -> list[str]:
        """The ticked apps' names, in list order."""
        return [
            name for name, item in self.items.items() if item.checkState() == Qt.CheckState.Checked
        ]
