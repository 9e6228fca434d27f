"""Qt tests of the app: guard against PySide6 6.12.0's None reference leak (app/qt/guard.py)."""

from __future__ import annotations

from app.qt.guard import guard_none_refcount

guard_none_refcount()
