"""The capture backend of platforms whose window context is polled (Windows, macOS).

pynput gives input and mss gives frames the same way there; only the function that reads the
active window differs, so each platform passes its own.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from recorder.capture.grabs import ScreenSource
from recorder.capture.keys import KeyInfo
from recorder.capture.rawinput import RawInput, RawItem
from recorder.platform.accessibility.element import ElementSource
from recorder.platform.accessibility.lookup import platform_source
from recorder.platform.polling import PollingWindows, ReadWindow
from recorder.platform.pynput_input import (
    PynputInput,
    button_name,
    generic_key_info,
    pointer_sentinel,
)
from recorder.platform.screen import MssScreen


class PollingBackend:
    """pynput input, polled window context, mss frames."""

    reports_visible_windows = False

    def __init__(self, read_window: ReadWindow) -> None:
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

    def make_element_source(self) -> ElementSource:
        """The accessibility source UI elements are looked up with (on the lookup thread)."""
        return platform_source(sys.platform)
