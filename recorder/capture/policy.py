"""Which windows are in scope, which titles mean sensitive input, and the pause hotkey."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass

from recorder.consent.record import PRIVATE_TITLE_MARKERS, ConsentScope

#: Title words that suggest a password or similar secret is being typed.
SENSITIVE_TITLE = re.compile(
    r"pass(word|phrase|code)|\bsudo\b|\blog ?in\b|\bsign ?in\b|\bpin\b|authenticat|unlock",
    re.IGNORECASE,
)
MODIFIER_NAMES = ("ctrl", "alt", "shift", "super")


@dataclass(frozen=True)
class WindowInfo:
    """The active window, as a platform backend reports it.

    Attributes:
        app: WM_CLASS class (or the process name); "" when unknown.
        instance: WM_CLASS instance name; "" when unknown.
        title: the window title (UTF-8).
        pid: the owning process id, if known.
        x, y, w, h: the client area in global screen coordinates.
        wid: the platform window id.
        frame: the window with its window manager's decorations (title bar, borders) as
            (x, y, w, h) in global screen coordinates, where known; None: the client area.
        popup: an unmanaged window (a menu, a tooltip) that belongs to no app the recorder
            can name; a click on it does not change which window input goes to.
    """

    app: str
    title: str
    pid: int | None
    x: int
    y: int
    w: int
    h: int
    wid: int | None
    instance: str = ""
    frame: tuple[int, int, int, int] | None = None
    popup: bool = False

    @property
    def outer(self) -> tuple[int, int, int, int]:
        """What the window covers on screen, decorations included where known."""
        return self.frame if self.frame is not None else (self.x, self.y, self.w, self.h)

    def covers(self, x: int, y: int) -> bool:
        """Whether the screen point (x, y) lies on the window or its decorations."""
        left, top, width, height = self.outer
        return left <= x < left + width and top <= y < top + height


#: Called as ``on_window(info)`` or ``on_window(info, t)`` with the monotonic time it was seen.
WindowCallback = Callable[..., None]


class Policy:
    """Applies a consent scope to windows: in scope, denied, or sensitive."""

    def __init__(self, scope: ConsentScope, *, own_pid: int | None = None) -> None:
        self.scope = scope
        self._allow = {a.lower() for a in scope.apps_allow}
        self._deny = {a.lower() for a in scope.apps_deny}
        self._own_pid = os.getpid() if own_pid is None else own_pid

    def in_scope(self, window: WindowInfo | None) -> bool:
        """Whether input, frames and the title may be recorded while ``window`` is active.

        No active window (the desktop) is in scope unless an allow list is set.
        """
        if window is None:
            return not self._allow
        names = {n.lower() for n in (window.app, window.instance) if n}
        if window.pid is not None and window.pid == self._own_pid:
            return False
        if names & self._deny:
            return False
        title = window.title.lower()
        if any(marker in title for marker in PRIVATE_TITLE_MARKERS):
            return False
        return not self._allow or bool(names & self._allow)

    @staticmethod
    def is_sensitive(window: WindowInfo | None) -> bool:
        """Whether the window's title suggests a secret is being typed."""
        return window is not None and bool(SENSITIVE_TITLE.search(window.title))


def parse_hotkey(spec: str) -> tuple[frozenset[str], str]:
    """Split "ctrl+alt+shift+p" into its modifiers and its key.

    Raises:
        ValueError: no key, more than one non-modifier key, or an empty part.
    """
    parts = [p.strip().lower() for p in spec.split("+")]
    if not parts or any(not p for p in parts):
        raise ValueError(f"the hotkey {spec!r} has an empty part")
    aliases = {"control": "ctrl", "cmd": "super", "win": "super", "meta": "super"}
    parts = [aliases.get(p, p) for p in parts]
    mods = frozenset(p for p in parts if p in MODIFIER_NAMES)
    keys = [p for p in parts if p not in MODIFIER_NAMES]
    if len(keys) != 1:
        raise ValueError(f"the hotkey {spec!r} needs exactly one non-modifier key")
    return mods, keys[0]
