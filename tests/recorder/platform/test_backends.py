"""Windows and macOS window readers and the polling source, with fakes for the OS APIs."""

from __future__ import annotations

import ctypes
from typing import Any

from recorder.capture.policy import WindowInfo
from recorder.capture.rawinput import RawInput
from recorder.platform.macos import MacBackend, frontmost_window
from recorder.platform.polling import PollingWindows
from recorder.platform.pynput_input import button_name, generic_key_info
from recorder.platform.windows import WindowsBackend, foreground_window
from tests.recorder.fakes import FakeKey, wait_for


class FakeUser32:
    def __init__(self, hwnd: int, title: str, pid: int, rect: tuple[int, int, int, int]) -> None:
        self.hwnd, self.title, self.pid, self.rect = hwnd, title, pid, rect

    def GetForegroundWindow(self) -> int:
        return self.hwnd

    def GetWindowTextLengthW(self, hwnd: int) -> int:
        return len(self.title)

    def GetWindowTextW(self, hwnd: int, buffer: Any, size: int) -> int:
        buffer.value = self.title[: size - 1]
        return len(buffer.value)

    def GetWindowThreadProcessId(self, hwnd: int, pid: Any) -> int:
        pid.contents.value = self.pid
        return 1

    def GetWindowRect(self, hwnd: int, rect: Any) -> int:
        r = rect.contents
        r.left, r.top, r.right, r.bottom = self.rect
        return 1


class FakeKernel32:
    def __init__(self, image: str | None) -> None:
        self.image = image
        self.closed = 0

    def OpenProcess(self, access: int, inherit: bool, pid: int) -> int:
        return 99 if self.image is not None else 0

    def QueryFullProcessImageNameW(self, handle: int, flags: int, buf: Any, size: Any) -> int:
        buf.value = self.image
        size.contents.value = len(self.image or "")
        return 1

    def CloseHandle(self, handle: int) -> int:
        self.closed += 1
        return 1


def test_windows_foreground_window() -> None:
    user32 = FakeUser32(0x1234, "Budget 2026.xlsx - Excel", 808, (-8, 10, 1912, 1050))
    kernel32 = FakeKernel32(r"C:\Program Files\Microsoft Office\EXCEL.EXE")
    info = foreground_window(user32, kernel32)
    assert info == WindowInfo("EXCEL", "Budget 2026.xlsx - Excel", 808, -8, 10, 1920, 1040, 0x1234)
    assert kernel32.closed == 1


def test_windows_no_foreground_window_and_unreadable_process() -> None:
    assert foreground_window(FakeUser32(0, "", 0, (0, 0, 0, 0)), FakeKernel32(None)) is None
    info = foreground_window(FakeUser32(5, "x", 4, (0, 0, 1, 1)), FakeKernel32(None))
    assert info is not None
    assert info.app == ""


class FakeApp:
    def processIdentifier(self) -> int:
        return 77

    def localizedName(self) -> str:
        return "Safari"

    def bundleIdentifier(self) -> str:
        return "com.apple.Safari"


class FakeWorkspace:
    def __init__(self, app: FakeApp | None) -> None:
        self.app = app

    def frontmostApplication(self) -> FakeApp | None:
        return self.app


def test_macos_frontmost_window() -> None:
    windows = [
        {"kCGWindowOwnerPID": 5, "kCGWindowLayer": 0, "kCGWindowName": "other"},
        {"kCGWindowOwnerPID": 77, "kCGWindowLayer": 25, "kCGWindowName": "menu"},
        {
            "kCGWindowOwnerPID": 77,
            "kCGWindowLayer": 0,
            "kCGWindowName": "Apple — Private Browsing",
            "kCGWindowNumber": 3,
            "kCGWindowBounds": {"X": 10, "Y": 25, "Width": 800, "Height": 600},
        },
    ]
    info = frontmost_window(FakeWorkspace(FakeApp()), lambda: windows)
    assert info == WindowInfo(
        "Safari", "Apple — Private Browsing", 77, 10, 25, 800, 600, 3, "com.apple.Safari"
    )
    assert frontmost_window(FakeWorkspace(None), list) is None
    bare = frontmost_window(FakeWorkspace(FakeApp()), list)
    assert bare is not None
    assert (bare.app, bare.title) == ("Safari", "")


def test_polling_reports_changes_only() -> None:
    states = iter([None, None, WindowInfo("a", "t", 1, 0, 0, 1, 1, 1)] + [None] * 1000)
    seen: list[WindowInfo | None] = []
    source = PollingWindows(lambda: next(states), interval=0.001)
    source.start(seen.append)
    wait_for(lambda: len(seen) >= 3)
    source.stop()
    assert seen[:3] == [None, WindowInfo("a", "t", 1, 0, 0, 1, 1, 1), None]


def test_generic_keys_and_buttons() -> None:
    class Value:
        vk = 13

    class Enter:
        name = "enter"
        value = Value()

    assert generic_key_info(Enter()).name == "enter"  # type: ignore[union-attr]
    key = FakeKey("x", "X")
    key.vk = 88  # type: ignore[attr-defined]
    del key.name
    info = generic_key_info(key)
    assert info is not None
    assert (info.name, info.char, info.code) == ("x", "X", 88)
    assert generic_key_info(None) is None

    class Btn:
        def __init__(self, name: str) -> None:
            self.name = name

    assert [button_name(Btn(n)) for n in ("left", "button8", "scroll_up")] == [
        "left",
        "x1",
        "unknown",
    ]


def test_backends_share_the_interface() -> None:
    for backend in (WindowsBackend(lambda: None), MacBackend(lambda: None)):
        seen: list[object] = []
        raw = RawInput()
        raw.on_window = lambda info, t=None, seen=seen: seen.append(info)  # type: ignore[method-assign]
        backend.start_windows(raw)
        wait_for(lambda seen=seen: seen == [None])
        backend.stop_windows()
        assert backend.button_name("left") == "left"
    assert ctypes.sizeof(ctypes.c_long) in (4, 8)


def test_logind_locked_hint() -> None:
    import subprocess

    from recorder.platform.x11_windows import logind_locked_hint

    assert logind_locked_hint({}) is None
    calls: list[list[str]] = []

    def run(argv: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
        calls.append(argv)
        return subprocess.CompletedProcess(argv, 0, "yes\n", "")

    reader = logind_locked_hint({"XDG_SESSION_ID": "c2"}, run)
    if reader is None:  # no loginctl on this machine
        return
    assert reader() is True
    assert calls[0][1:] == ["show-session", "c2", "-p", "LockedHint", "--value"]
