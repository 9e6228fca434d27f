"""Starting the tray app: one instance per vault, the Qt event loop, and the hand-over."""

from __future__ import annotations

import sys
from pathlib import Path

from app.qt.widgets import QApplication
from app.tray.app import TrayApp
from app.tray.single_instance import SingleInstance, server_name


def run_tray_app(home: Path) -> int:
    """Run the Qt event loop with the tray icon (or a status window when no tray exists).

    A second launch for the same vault asks the running one to show itself, and exits.
    """
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Overt")
    app.setQuitOnLastWindowClosed(False)
    single = SingleInstance(server_name(home))
    if not single.claim():
        print("Overt is already running; it was asked to show itself.", file=sys.stderr)
        return 0
    tray = TrayApp(home)
    single.activated.connect(tray.activate)
    tray.show()
    try:
        return int(app.exec())
    finally:
        single.release()
