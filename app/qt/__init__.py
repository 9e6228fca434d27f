"""The one place PySide6 is imported from: the guard applied once, workers, images, the desktop.

Every other app module takes Qt from here (``from app.qt.widgets import QDialog``), so the
guard against PySide6 6.12.0's ``None`` reference bug (``guard.py``) runs before any Qt call,
once, whichever window opens first; tests/test_layering.py fails on a PySide6 import elsewhere.
"""

from app.qt.guard import guard_none_refcount

guard_none_refcount()
