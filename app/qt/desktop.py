"""What Overt asks of the desktop: only to show a folder in its file manager."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices


def open_folder(path: Path) -> None:
    """Show a folder in the desktop's file manager (a local file URL: no network)."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
