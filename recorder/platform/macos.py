"""The macOS backend: pynput input, the frontmost app and window through AppKit/Quartz, mss.

Implemented behind the same interfaces as X11 and unit-tested with fakes; not yet tested on
a real Mac. Input capture there needs the Accessibility and Input Monitoring permissions, and
frames need Screen Recording: a listener without them sees nothing, which the readiness
sentinel turns into a clear refusal instead of a silent, empty session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from recorder.capture.policy import WindowInfo
from recorder.errors import CaptureUnavailable
from recorder.platform.polling import ReadWindow
from recorder.platform.polling_backend import PollingBackend

WindowList = Callable[[], list[dict[str, Any]]]


def frontmost_window(
    workspace: Any = None, window_list: WindowList | None = None
) -> WindowInfo | None:
    """The frontmost app (name, pid) and its frontmost on-screen window (title, bounds).

    Args:
        workspace: ``NSWorkspace.sharedWorkspace()`` (injectable for tests).
        window_list: returns Quartz's on-screen window dicts, front to back.
    """
    if workspace is None or window_list is None:
        workspace, window_list = _appkit()
    app = workspace.frontmostApplication()
    if app is None:
        return None
    pid = int(app.processIdentifier())
    name = str(app.localizedName() or "")
    bundle = str(app.bundleIdentifier() or "")
    for window in window_list():
        if int(window.get("kCGWindowOwnerPID", -1)) != pid:
            continue
        if int(window.get("kCGWindowLayer", 0)) != 0:
            continue
        bounds = window.get("kCGWindowBounds", {})
        return WindowInfo(
            app=name,
            title=str(window.get("kCGWindowName") or ""),
            pid=pid,
            x=int(bounds.get("X", 0)),
            y=int(bounds.get("Y", 0)),
            w=int(bounds.get("Width", 0)),
            h=int(bounds.get("Height", 0)),
            wid=int(window.get("kCGWindowNumber", 0)) or None,
            instance=bundle,
        )
    return WindowInfo(name, "", pid, 0, 0, 0, 0, None, bundle)


def _appkit() -> tuple[Any, WindowList]:
    try:
        import AppKit
        import Quartz
    except ImportError:
        raise CaptureUnavailable(
            "Window capture on macOS needs pyobjc (AppKit and Quartz), which is not installed."
        ) from None

    def window_list() -> list[dict[str, Any]]:
        options = (
            Quartz.kCGWindowListOptionOnScreenOnly | Quartz.kCGWindowListExcludeDesktopElements
        )
        return list(Quartz.CGWindowListCopyWindowInfo(options, Quartz.kCGNullWindowID) or [])

    return AppKit.NSWorkspace.sharedWorkspace(), window_list


class MacBackend(PollingBackend):
    """Capture on a macOS desktop."""

    def __init__(self, read_window: ReadWindow = frontmost_window) -> None:
        super().__init__(read_window)
