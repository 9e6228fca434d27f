"""Key identity and modifier state, tracked by the recorder, not taken from pynput.

On X11 a release can report a different key than its press ('H' down, 'h' up; '!' down, '1'
up; ISO_Left_Tab down, Tab up) and xdotool may release a modifier before the key. So each
release is paired with its press by physical key code, and the press's identity is reused.
"""

from __future__ import annotations

from dataclasses import dataclass

MODIFIER_OF: dict[str, str] = {
    "ctrl": "ctrl",
    "ctrl_l": "ctrl",
    "ctrl_r": "ctrl",
    "alt": "alt",
    "alt_l": "alt",
    "alt_r": "alt",
    "alt_gr": "alt",
    "shift": "shift",
    "shift_l": "shift",
    "shift_r": "shift",
    "cmd": "super",
    "cmd_l": "super",
    "cmd_r": "super",
    "super": "super",
    "super_l": "super",
    "super_r": "super",
}
MODIFIER_ORDER = ("ctrl", "alt", "shift", "super")


@dataclass(frozen=True)
class KeyInfo:
    """One key event as a platform backend resolved it.

    Attributes:
        name: the physical key's identity, the same for press and release ("a", "1", "tab").
        char: the text the press produced ("A", "!"), or None.
        vk: the platform's virtual key / keysym, or None.
        code: the physical key code used to pair releases with presses, or None.
    """

    name: str
    char: str | None
    vk: int | None
    code: int | None


@dataclass(frozen=True)
class TrackedKey:
    """A key event with the identity of its press and the modifiers held after it."""

    down: bool
    name: str
    char: str | None
    vk: int | None
    mods: tuple[str, ...]
    repeat: bool = False


class KeyTracker:
    """Pairs releases with presses by key code and keeps the modifier state."""

    def __init__(self) -> None:
        self._pressed: dict[object, KeyInfo] = {}

    @staticmethod
    def _slot(info: KeyInfo) -> object:
        return info.code if info.code is not None else ("name", info.name)

    def mods(self) -> tuple[str, ...]:
        held = {MODIFIER_OF[k.name] for k in self._pressed.values() if k.name in MODIFIER_OF}
        return tuple(m for m in MODIFIER_ORDER if m in held)

    def pressed_names(self) -> set[str]:
        return {k.name for k in self._pressed.values()}

    def press(self, info: KeyInfo) -> TrackedKey:
        slot = self._slot(info)
        repeat = slot in self._pressed
        self._pressed[slot] = info
        return TrackedKey(True, info.name, info.char, info.vk, self.mods(), repeat)

    def release(self, info: KeyInfo) -> TrackedKey:
        press = self._pressed.pop(self._slot(info), None)
        if press is None:
            # Released under another identity than its press and without a code: fall back
            # to the name, else report it as it came (pressed before recording started).
            for slot, held in list(self._pressed.items()):
                if held.name == info.name:
                    press = self._pressed.pop(slot)
                    break
        source = press or info
        return TrackedKey(False, source.name, None, source.vk, self.mods())

    def reset(self) -> None:
        self._pressed.clear()


def is_modifier(name: str) -> bool:
    return name in MODIFIER_OF
