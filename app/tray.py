"""The tray icon: Overt's always-visible state. (The full menu arrives with the app issue.)"""

from __future__ import annotations

import argparse
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QSystemTrayIcon, QWidget


def idle_icon() -> QIcon:
    """A hollow circle: 'not recording' (recording will be a filled dot, paused two bars)."""
    pixmap = QPixmap(64, 64)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = painter.pen()
    pen.setWidth(8)
    pen.setColor(QColor("#5f6b7a"))
    painter.setPen(pen)
    painter.drawEllipse(8, 8, 48, 48)
    painter.end()
    return QIcon(pixmap)


def run_tray_app(args: argparse.Namespace) -> int:
    """Run the Qt event loop with the tray icon (or a status window when no tray exists)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Overt")
    app.setQuitOnLastWindowClosed(False)
    menu = QMenu()
    status = QAction("Overt is not recording", menu)
    status.setEnabled(False)
    menu.addAction(status)
    menu.addSeparator()
    quit_action = QAction("Quit", menu)
    quit_action.triggered.connect(app.quit)
    menu.addAction(quit_action)
    fallback: QWidget | None = None
    if QSystemTrayIcon.isSystemTrayAvailable():
        tray = QSystemTrayIcon(idle_icon(), app)
        tray.setToolTip("Overt: not recording")
        tray.setContextMenu(menu)
        tray.show()
    else:
        fallback = QLabel("Overt: not recording")
        fallback.setWindowTitle("Overt")
        fallback.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)
        fallback.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        fallback.customContextMenuRequested.connect(
            lambda pos: menu.exec(fallback.mapToGlobal(pos))
        )
        fallback.setMargin(12)
        fallback.show()
    return int(app.exec())
