"""A guard against a PySide6 6.12.0 bug that crashes Qt apps on Python 3.11.

Measured here (PySide6-Essentials 6.12.0, shiboken6 6.12.0, CPython 3.11.7): every call of a
Qt method that returns nothing (``QWidget.update()``, ``QPainter.drawLine()``,
``QPointF.setX()``...) *drops* a reference to ``None`` instead of leaving it alone. On Python
3.12+ ``None`` is immortal and nothing happens; on 3.11 its count reaches zero after a few
thousand calls and the interpreter aborts ("none_dealloc: deallocating None") — within
minutes for a tray that repaints each second, within one scroll of the review window.

The real fix is a PySide6 without the bug (pin it in pyproject); until then, when a probe
shows the bug, we give ``None`` a reference count so large that no run can exhaust it, which
is what Python 3.12 does for every immortal object. ``None`` is static: nothing is leaked.
"""

from __future__ import annotations

import ctypes
import sys

HEADROOM = 1 << 48
_applied = False


def none_refcount_leaks() -> bool:
    """True if a void Qt call drops a reference to None (the bug is present)."""
    from PySide6.QtCore import QPointF

    point = QPointF()
    before = sys.getrefcount(None)
    for _ in range(16):
        point.setX(1.0)
    return sys.getrefcount(None) < before - 8


def guard_none_refcount() -> bool:
    """Apply the workaround once if needed; returns True if it was applied (now or before)."""
    global _applied
    if _applied:
        return True
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if not none_refcount_leaks():
        return False
    # ob_refcnt is the first field of every CPython object (a Py_ssize_t).
    ctypes.c_ssize_t.from_address(id(None)).value += HEADROOM
    _applied = True
    return True
