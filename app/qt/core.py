"""PySide6.QtCore, taken through app.qt so the guard is applied first."""

from PySide6.QtCore import *  # noqa: F403
