"""The review window's size on screen and its keyboard: frames, actions, search."""

from __future__ import annotations

from typing import Any

from app.qt.gui import QKeySequence, QShortcut
from app.qt.widgets import QWidget


def fit_to_screen(window: QWidget) -> None:
    """Take most of the screen, centred, without spilling off it."""
    screen = window.screen().availableGeometry()
    w = min(1400, int(screen.width() * 0.9))
    h = min(900, int(screen.height() * 0.9))
    window.resize(w, h)
    window.move(screen.x() + (screen.width() - w) // 2, screen.y() + (screen.height() - h) // 2)


def bind_keys(window: Any) -> None:
    """Arrows step frames; PgUp/PgDown and Ctrl+arrows step actions; Home/End; Ctrl+F searches.

    ``window`` is the ReviewWindow (app/review/window.py): its stepping methods and model.
    """
    bindings = [
        ("Right", lambda: window.step_frame(1)),
        ("Left", lambda: window.step_frame(-1)),
        ("PgDown", lambda: window.step_action(1)),
        ("PgUp", lambda: window.step_action(-1)),
        ("Ctrl+Right", lambda: window.step_action(1)),
        ("Ctrl+Left", lambda: window.step_action(-1)),
        ("Home", lambda: window.show_frame(0)),
        ("End", lambda: window.show_frame((window.model.frame_count - 1) if window.model else 0)),
        ("Ctrl+F", window.focus_search),
    ]
    for keys, fn in bindings:
        shortcut = QShortcut(QKeySequence(keys), window)
        shortcut.activated.connect(fn)
