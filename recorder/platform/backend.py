"""The platform seam: what a capture backend provides to a session, and picking one."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, Protocol

from recorder.capture.grabs import ScreenSource
from recorder.capture.keys import KeyInfo
from recorder.capture.rawinput import RawInput, RawItem

SentinelCheck = Callable[[RawItem], bool]


class Backend(Protocol):
    """Input, window and screen sources of one platform.

    A backend may also have ``make_element_source() -> ElementSource`` (the real ones do):
    the Recorder then records the UI element of each action with it.

    Attributes:
        reports_visible_windows: ``start_windows`` also reports every visible window (so
            frames can blank out-of-scope ones, and wait for that list before the first).
    """

    reports_visible_windows: bool

    def start_input(self, raw: RawInput) -> None:
        """Start the input listeners; they call ``raw``'s callbacks."""

    def inject_sentinel(self) -> list[SentinelCheck]:
        """Inject harmless input; returns checks that must match raw items, in order."""

    def stop_input(self) -> None:
        """Stop the listeners; returns only once they are stopped."""

    def start_windows(self, raw: RawInput) -> None:
        """Report the active window now and on every change (including its title) through
        ``raw.on_window``, and screen locks through ``raw.on_lock`` where detectable."""

    def stop_windows(self) -> None: ...

    def resolve_key(self, key: Any) -> KeyInfo | None:
        """A listener's key object as a KeyInfo (called from the pipeline thread only)."""

    def button_name(self, button: Any) -> str: ...

    def make_screen(self) -> ScreenSource:
        """A new screen source (called in the frame thread)."""


def default_backend() -> Backend:
    """The backend for this platform.

    Raises:
        CaptureUnavailable: the platform's libraries cannot capture here.
    """
    if sys.platform == "win32":
        from recorder.platform.windows import WindowsBackend

        return WindowsBackend()
    if sys.platform == "darwin":
        from recorder.platform.macos import MacBackend

        return MacBackend()
    from recorder.platform.x11 import X11Backend

    return X11Backend()
