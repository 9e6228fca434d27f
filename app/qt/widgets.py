"""PySide6.QtWidgets, taken through app.qt so the guard is applied first."""

from PySide6.QtWidgets import *  # noqa: F403
