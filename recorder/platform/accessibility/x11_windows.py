"""Which X11 window, and so which process, is on top at a screen point.

AT-SPI has no stacking order: two overlapping windows both "contain" a point, and a Tk window
(not accessible) over a GTK one would otherwise be reported as the GTK widget beneath it. The
X server knows: XTranslateCoordinates names the topmost mapped child at a point; descending
through the window manager's frame reaches the client window and its ``_NET_WM_PID``.
Override-redirect windows (menus, combo box lists) are reported as popups.

One Display connection per instance; not thread-safe (the lookup worker owns it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MAX_DESCENT = 6  # root > frame > client > ...: a few levels at most


@dataclass(frozen=True)
class WindowHint:
    """The topmost window at a point.

    Attributes:
        pid: its process (``_NET_WM_PID``), None when the window does not say.
        rect: the top-level window's screen rectangle (x, y, w, h), frame included.
        popup: an override-redirect window (a menu, a combo box list, a tooltip).
        name: its WM_CLASS class or title, for doctor's report.
    """

    pid: int | None
    rect: tuple[int, int, int, int]
    popup: bool
    name: str = ""


class X11Windows:
    """Window hints from the X server (python-xlib, which pynput already needs)."""

    def __init__(self, display: Any = None) -> None:
        if display is None:
            from Xlib import display as xdisplay

            display = xdisplay.Display()
        self._display = display
        self._root = display.screen().root
        self._pid_atom = display.intern_atom("_NET_WM_PID")
        self._active_atom = display.intern_atom("_NET_ACTIVE_WINDOW")
        self._clients_atom = display.intern_atom("_NET_CLIENT_LIST")

    def close(self) -> None:
        self._display.close()

    def window_at(self, x: int, y: int) -> WindowHint | None:
        """The topmost window at (x, y), or None over the bare root window."""
        top = self._root.translate_coords(self._root, x, y).child
        if not top:
            return None
        attributes = top.get_attributes()
        geometry = top.get_geometry()
        rect = (int(geometry.x), int(geometry.y), int(geometry.width), int(geometry.height))
        window, pid, name = top, self._pid(top), self._name(top)
        for _ in range(MAX_DESCENT):
            if pid is not None:
                break
            child = window.translate_coords(self._root, x, y).child
            if not child:
                break
            window, pid = child, self._pid(child)
            name = name or self._name(child)  # the client's WM_CLASS, under the WM's frame
        return WindowHint(pid, rect, bool(attributes.override_redirect), name)

    def active_pid(self) -> int | None:
        """The process of the window the window manager calls active."""
        prop = self._root.get_full_property(self._active_atom, 0)
        if prop is None or not prop.value or not prop.value[0]:
            return None
        return self._pid(self._display.create_resource_object("window", int(prop.value[0])))

    def clients(self) -> list[tuple[int | None, str]]:
        """Every managed top-level window's process and name (for doctor)."""
        prop = self._root.get_full_property(self._clients_atom, 0)
        out: list[tuple[int | None, str]] = []
        for wid in prop.value if prop is not None else ():
            window = self._display.create_resource_object("window", int(wid))
            out.append((self._pid(window), self._name(window)))
        return out

    def _pid(self, window: Any) -> int | None:
        try:
            prop = window.get_full_property(self._pid_atom, 0)
        except Exception:  # noqa: BLE001 - the window went away meanwhile (BadWindow)
            return None
        if prop is None or not prop.value:
            return None
        return int(prop.value[0])

    @staticmethod
    def _name(window: Any) -> str:
        try:
            wm_class = window.get_wm_class()
            if wm_class:
                return str(wm_class[-1])
            return str(window.get_wm_name() or "")
        except Exception:  # noqa: BLE001 - BadWindow, or a name that does not decode
            return ""
