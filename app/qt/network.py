"""PySide6.QtNetwork, taken through app.qt so the guard is applied first."""

from PySide6.QtNetwork import *  # noqa: F403
