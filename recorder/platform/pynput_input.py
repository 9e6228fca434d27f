"""Input listeners through pynput (imported lazily: it needs a display to import on X11)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from recorder.capture.keys import KeyInfo
from recorder.capture.rawinput import RawInput, RawItem, RawMove
from recorder.errors import CaptureUnavailable

BUTTON_NAMES = {"button8": "x1", "button9": "x2", "x1": "x1", "x2": "x2"}


class PynputInput:
    """A mouse and a keyboard listener feeding a RawInput's callbacks.

    Attributes:
        mouse, keyboard: the running listeners (None before start / after stop).
    """

    def __init__(self) -> None:
        self.mouse: Any = None
        self.keyboard: Any = None

    def start(self, raw: RawInput) -> None:
        try:
            from pynput import keyboard, mouse
        except Exception as error:  # noqa: BLE001 - pynput raises ImportError without a display
            raise CaptureUnavailable(f"Input capture is unavailable here: {error}.") from None
        self.mouse = mouse.Listener(
            on_move=raw.on_move, on_click=raw.on_click, on_scroll=raw.on_scroll
        )
        self.keyboard = keyboard.Listener(on_press=raw.on_press, on_release=raw.on_release)
        self.mouse.start()
        self.keyboard.start()
        self.mouse.wait()
        self.keyboard.wait()

    def stop(self) -> None:
        for listener in (self.mouse, self.keyboard):
            if listener is not None:
                self._stop_listener(listener)
        self.mouse = self.keyboard = None

    def _stop_listener(self, listener: Any) -> None:
        listener.stop()
        listener.join(3.0)


def pointer_sentinel() -> list[Callable[[RawItem], bool]]:
    """Nudge the pointer one pixel and back through pynput; the checks match both moves."""
    from pynput import mouse

    controller = mouse.Controller()
    x, y = (int(v) for v in controller.position)
    nudge = x + 1 if x == 0 else x - 1
    controller.position = (nudge, y)
    controller.position = (x, y)
    return [
        lambda item: isinstance(item, RawMove) and (int(item.x), int(item.y)) == (nudge, y),
        lambda item: isinstance(item, RawMove) and (int(item.x), int(item.y)) == (x, y),
    ]


def generic_key_info(key: Any) -> KeyInfo | None:
    """KeyInfo where the platform's virtual key is the same for press and release."""
    if key is None:
        return None
    name = getattr(key, "name", None)
    value = getattr(key, "value", None)
    if name is not None and value is not None:  # a pynput Key member
        vk = getattr(value, "vk", None)
        return KeyInfo(name, " " if name == "space" else None, vk, vk)
    vk = getattr(key, "vk", None)
    char = getattr(key, "char", None)
    base = char.lower() if char else f"vk{vk}"
    return KeyInfo(base, char, vk, vk)


def button_name(button: Any) -> str:
    name = str(getattr(button, "name", button))
    if name in ("left", "right", "middle"):
        return name
    return BUTTON_NAMES.get(name, "unknown")
