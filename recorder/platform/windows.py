"""The Windows backend: pynput input, the foreground window through user32, mss frames.

Implemented behind the same interfaces as X11 and unit-tested with fakes; not yet tested on
a real Windows desktop.
"""

from __future__ import annotations

import ctypes
from pathlib import PureWindowsPath
from typing import Any

from recorder.capture.policy import WindowInfo
from recorder.platform.polling import ReadWindow
from recorder.platform.polling_backend import PollingBackend

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


class WindowsBackend(PollingBackend):
    """Capture on a Windows desktop."""

    def __init__(self, read_window: ReadWindow = foreground_window) -> None:
        super().__init__(read_window)
