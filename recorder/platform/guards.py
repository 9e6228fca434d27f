"""Sensitive-input guards beyond window titles: the focused field says it takes a password.

A title such as "Sign in" is only a hint; the platform often knows better. Each guard asks
one source and answers True (a password field or secure input has the keyboard), False, or
None (no information). They are best effort and fail safe: an exception in a probe counts as
"no information" and never reaches capture, and the libraries they use are optional.

- ``AtspiPasswordRole`` (Linux): the focused accessible's role is "password text", asked
  over the accessibility bus by the same jeepney client element lookups use
  (recorder/platform/accessibility/atspi.py), so it works in the shipped venv and bundle.
- ``MacSecureInput`` (macOS): ``IsSecureEventInputEnabled()``, which password fields and
  terminals' "secure keyboard entry" turn on.
- ``WindowsPasswordField`` (Windows): the focused control is an edit control with the
  ``ES_PASSWORD`` style.

``GuardWatcher`` polls them off the input path and reports which one applies.
"""

from __future__ import annotations

import contextlib
import ctypes
import sys
import threading
from collections.abc import Callable
from typing import Any, Protocol

from recorder.platform.accessibility.element import (
    FAILED,
    PASSWORD_ROLE,
    TIMED_OUT,
    Element,
    Missing,
)

POLL_S = 0.1
ATSPI_DEADLINE_S = 0.1  # one look at the focused field; past it, the last answer stands
ES_PASSWORD = 0x0020
GWL_STYLE = -16


class InputGuard(Protocol):
    """One source of "a secret is being typed" information.

    Attributes:
        name: how the session names this guard when it applies.
    """

    name: str

    def sensitive(self) -> bool | None:
        """True, False, or None when this source knows nothing right now."""


def probe(guard: InputGuard) -> bool | None:
    """Ask a guard, turning any failure into "no information"."""
    try:
        answer = guard.sensitive()
    except Exception:  # noqa: BLE001 - a broken probe must never break capture
        return None
    return answer if isinstance(answer, bool) else None


class MacSecureInput:
    """macOS secure event input (on while a password field or secure entry has focus)."""

    name = "macos_secure_input"

    def __init__(self, is_enabled: Callable[[], Any] | None = None) -> None:
        self._is_enabled = is_enabled

    def sensitive(self) -> bool | None:
        if self._is_enabled is None:
            carbon = ctypes.CDLL("/System/Library/Frameworks/Carbon.framework/Carbon")
            function = carbon.IsSecureEventInputEnabled
            function.restype = ctypes.c_bool
            function.argtypes = []
            self._is_enabled = function
        return bool(self._is_enabled())


FocusedControl = Callable[[], "tuple[str, int] | None"]


def _win32_focused_control() -> tuple[str, int] | None:
    """The focused control's window class and style, from the foreground thread."""
    from ctypes import wintypes

    class GuiThreadInfo(ctypes.Structure):
        _fields_ = [
            ("cbSize", wintypes.DWORD),
            ("flags", wintypes.DWORD),
            ("hwndActive", wintypes.HWND),
            ("hwndFocus", wintypes.HWND),
            ("hwndCapture", wintypes.HWND),
            ("hwndMenuOwner", wintypes.HWND),
            ("hwndMoveSize", wintypes.HWND),
            ("hwndCaret", wintypes.HWND),
            ("rcCaret", wintypes.RECT),
        ]

    user32 = ctypes.WinDLL("user32")  # type: ignore[attr-defined]
    info = GuiThreadInfo()
    info.cbSize = ctypes.sizeof(GuiThreadInfo)
    if not user32.GetGUIThreadInfo(0, ctypes.byref(info)) or not info.hwndFocus:
        return None
    name = ctypes.create_unicode_buffer(256)
    user32.GetClassNameW(info.hwndFocus, name, 256)
    style = user32.GetWindowLongW(info.hwndFocus, GWL_STYLE)
    return name.value, int(style) & 0xFFFFFFFF


class WindowsPasswordField:
    """The focused Win32 control is an edit control that masks its text (ES_PASSWORD)."""

    name = "windows_password_field"

    def __init__(self, focused_control: FocusedControl = _win32_focused_control) -> None:
        self._focused_control = focused_control

    def sensitive(self) -> bool | None:
        control = self._focused_control()
        if control is None:
            return None
        class_name, style = control
        if "edit" not in class_name.lower():
            return False  # ES_PASSWORD's bit means something else for other classes
        return bool(style & ES_PASSWORD)


class FocusedSource(Protocol):
    """What the AT-SPI guard asks (``AtspiClient``; a client over a fake bus in tests)."""

    def focused_element(self, deadline_s: float) -> Element | Missing: ...


def _atspi_client() -> FocusedSource:
    from recorder.platform.accessibility.atspi import AtspiClient

    return AtspiClient()


class AtspiPasswordRole:
    """The focused accessible in the active window has the "password text" role (AT-SPI).

    The client is made on first use, on the thread that polls (it owns one bus socket). A
    look that runs out of time or fails says nothing new: the last answer stands, so a
    slow bus while a password is typed never ends the suppression (it fails closed).
    """

    name = "atspi_password_role"

    def __init__(self, client: FocusedSource | None = None) -> None:
        self._client = client
        self._last: bool | None = None

    def sensitive(self) -> bool | None:
        if self._client is None:
            self._client = _atspi_client()
        found = self._client.focused_element(ATSPI_DEADLINE_S)
        if isinstance(found, Element):
            self._last = found.role == PASSWORD_ROLE
        elif found.reason in (TIMED_OUT, FAILED):
            return self._last
        else:
            self._last = None  # no bus, no focus, an app that exposes nothing: nothing known
        return self._last

    def close(self) -> None:
        """Release the bus connection (the watcher calls it from its own thread)."""
        client, self._client = self._client, None
        close = getattr(client, "close", None)
        if close is not None:
            close()


def default_guards(platform: str = sys.platform) -> list[InputGuard]:
    """This platform's focused-field guard (each fails safe where its API is missing)."""
    if platform == "darwin":
        return [MacSecureInput()]
    if platform == "win32":
        return [WindowsPasswordField()]
    return [AtspiPasswordRole()]


GuardCallback = Callable[[str | None], None]


class GuardWatcher:
    """Polls guards in a thread; calls ``on_change(name)`` with the first guard that says
    "sensitive" (or None) whenever that changes. Never raises into capture."""

    def __init__(
        self, guards: list[InputGuard], on_change: GuardCallback, poll_s: float = POLL_S
    ) -> None:
        self.guards = list(guards)
        self._on_change = on_change
        self._poll_s = poll_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="overt-guards", daemon=True)
        self.current: str | None = None

    def start(self) -> None:
        if self.guards:
            self._thread.start()

    def check(self) -> str | None:
        """The name of the first guard that says a secret is being typed, if any."""
        for guard in self.guards:
            if probe(guard):
                return guard.name
        return None

    def _run(self) -> None:
        while not self._stop.is_set():
            name = self.check()
            if name != self.current:
                self.current = name
                with contextlib.suppress(Exception):  # capture is ending: nobody listens
                    self._on_change(name)
            self._stop.wait(self._poll_s)
        for guard in self.guards:  # on this thread: a guard's connection belongs to it
            with contextlib.suppress(Exception):
                close = getattr(guard, "close", None)
                if close is not None:
                    close()

    def stop(self, timeout: float = 1.0) -> None:
        """Stop polling (a probe stuck in a library call is left behind: the thread is a
        daemon, and nothing it reports is written after the pipeline stopped)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
