"""The Windows backend: pynput input, the foreground window through user32, mss frames.

Implemented behind the same interfaces as X11 and unit-tested with fakes; not yet tested on
a real Windows desktop.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from pathlib import PureWindowsPath
from typing import Any

from recorder.frames import ScreenSource
from recorder.keys import KeyInfo
from recorder.policy import WindowInfo
from recorder.polling import PollingWindows
from recorder.pynput_input import PynputInput, button_name, generic_key_info, pointer_sentinel
from recorder.rawinput import RawInput, RawItem
from recorder.screen import MssScreen

PROCESS_QUERY_LIMITED_INFORMATION = 0x1000


class RECT(ctypes.Structure):
    _fields_ = (
        ("left", ctypes.c_long),
        ("top", ctypes.c_long),
        ("right", ctypes.c_long),
        ("bottom", ctypes.c_long),
    )


def foreground_window(user32: Any = None, kernel32: Any = None) -> WindowInfo | None:
    """The foreground window: its process name, title, pid and rectangle.

    Args:
        user32, kernel32: the DLLs (injectable so tests can pass fakes).
    """
    if user32 is None or kernel32 is None:
        windll = ctypes.windll  # type: ignore[attr-defined]
        user32, kernel32 = windll.user32, windll.kernel32
    hwnd = user32.GetForegroundWindow()
    if not hwnd:
        return None
    length = user32.GetWindowTextLengthW(hwnd)
    buffer = ctypes.create_unicode_buffer(length + 1)
    user32.GetWindowTextW(hwnd, buffer, length + 1)
    pid = ctypes.c_ulong(0)
    user32.GetWindowThreadProcessId(hwnd, ctypes.pointer(pid))
    rect = RECT()
    user32.GetWindowRect(hwnd, ctypes.pointer(rect))
    return WindowInfo(
        app=process_name(int(pid.value), kernel32),
        title=buffer.value,
        pid=int(pid.value) or None,
        x=int(rect.left),
        y=int(rect.top),
        w=int(rect.right - rect.left),
        h=int(rect.bottom - rect.top),
        wid=int(hwnd),
    )


def process_name(pid: int, kernel32: Any) -> str:
    """The executable's name without ".exe" ("" when it cannot be read)."""
    handle = kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
    if not handle:
        return ""
    try:
        size = ctypes.c_ulong(1024)
        buffer = ctypes.create_unicode_buffer(size.value)
        if not kernel32.QueryFullProcessImageNameW(handle, 0, buffer, ctypes.pointer(size)):
            return ""
        return PureWindowsPath(buffer.value).stem
    finally:
        kernel32.CloseHandle(handle)


class WindowsBackend:
    """Capture on a Windows desktop."""

    reports_visible_windows = False

    def __init__(self, read_window: Callable[[], WindowInfo | None] = foreground_window) -> None:
        self._input = PynputInput()
        self._windows = PollingWindows(read_window)

    def start_input(self, raw: RawInput) -> None:
        self._input.start(raw)

    def inject_sentinel(self) -> list[Callable[[RawItem], bool]]:
        return pointer_sentinel()

    def stop_input(self) -> None:
        self._input.stop()

    def start_windows(self, raw: RawInput) -> None:
        self._windows.start(raw.on_window)

    def stop_windows(self) -> None:
        self._windows.stop()

    def resolve_key(self, key: Any) -> KeyInfo | None:
        return generic_key_info(key)

    def button_name(self, button: Any) -> str:
        return button_name(button)

    def make_screen(self) -> ScreenSource:
        return MssScreen()
