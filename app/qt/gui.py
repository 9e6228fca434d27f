"""PySide6.QtGui, taken through app.qt so the guard is applied first."""

from PySide6.QtGui import *  # noqa: F403
