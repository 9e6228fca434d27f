"""The pause hotkey, recognised in the pipeline without ever recording its own keystrokes,
and the one check of whether a chord can serve as a hotkey (pause and task hotkeys).

While only some of the hotkey's modifiers are held, everything is held back (in order); when
the hotkey's key completes the chord, the held key events are discarded (other held events
go on) and the chord's releases are swallowed; anything else releases what was held.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from recorder.capture.keys import MODIFIER_OF
from recorder.capture.policy import MODIFIER_NAMES, parse_hotkey

P = TypeVar("P")


@dataclass
class GateItem(Generic[P]):
    """One item offered to the gate: a key event (name, down, mods after it) or another."""

    t: float
    payload: P
    key: str | None = None
    down: bool = False
    mods: tuple[str, ...] = ()
    pressed: frozenset[str] = frozenset()


class HotkeyGate(Generic[P]):
    """Recognises one chord, e.g. ctrl+alt+shift+p.

    Args:
        mods: the chord's modifiers ("ctrl", "alt", "shift", "super").
        key: the chord's key name ("p").
        max_hold: held items are released after this long without the chord completing.
    """

    def __init__(self, mods: frozenset[str], key: str, max_hold: float = 2.0) -> None:
        self.mods = mods
        self.key = key
        self.max_hold = max_hold
        self._held: list[GateItem[P]] = []
        self._swallow: set[str] = set()

    def offer(self, item: GateItem[P]) -> tuple[list[GateItem[P]], bool]:
        """Returns the items to process now (in order) and whether the chord fired."""
        name = item.key
        if name is not None and name in self._swallow:
            if not item.down:
                self._swallow.discard(name)
            return [], False  # the chord's releases and auto-repeats
        if name is not None and item.down and name == self.key and set(item.mods) == self.mods:
            released = [h for h in self._held if h.key is None]
            self._swallow |= {h.key for h in self._held if h.key is not None and h.down}
            self._swallow |= {n for n in item.pressed if MODIFIER_OF.get(n) in self.mods}
            self._swallow.add(name)
            self._held = []
            return released, True
        chord_mod = name is not None and MODIFIER_OF.get(name) in self.mods
        if self._held:
            too_old = item.t - self._held[0].t > self.max_hold
            if chord_mod and not too_old:
                self._held.append(item)
                if not any(MODIFIER_OF.get(n) in self.mods for n in item.pressed):
                    return self._release(), False
                return [], False
            if name is None and not too_old:
                self._held.append(item)
                return [], False
            out = self._release()
            out.append(item)
            return out, False
        only_chord_mods = all(MODIFIER_OF.get(n) in self.mods for n in item.pressed)
        if chord_mod and item.down and only_chord_mods:
            self._held.append(item)
            return [], False
        return [item], False

    def flush(self) -> list[GateItem[P]]:
        """Everything still held (at stop)."""
        return self._release()

    def _release(self) -> list[GateItem[P]]:
        out, self._held = self._held, []
        return out


#: Keys a hotkey may end with besides letters, digits and F1-F24 (the names keys resolve to).
NAMED_KEYS = frozenset(
    {
        "space", "enter", "tab", "backspace", "delete", "insert", "home", "end", "page_up",
        "page_down", "up", "down", "left", "right", "pause", "print_screen", "scroll_lock",
        "esc",
    }
)  # fmt: skip
#: Chords the desktop or common apps already use, and what for.
RESERVED = {
    **{
        f"ctrl+{key}": f"{what} in most apps"
        for key, what in (
            ("c", "copy"),
            ("v", "paste"),
            ("x", "cut"),
            ("z", "undo"),
            ("y", "redo"),
            ("a", "select all"),
            ("s", "save"),
            ("f", "find"),
            ("w", "close a tab"),
            ("t", "a new tab"),
            ("q", "quit"),
            ("n", "a new window"),
            ("o", "open"),
            ("p", "print"),
            ("r", "reload"),
        )
    },
    "ctrl+shift+z": "redo in most apps",
    "ctrl+shift+t": "reopening a closed tab in browsers",
    "ctrl+shift+esc": "the task manager",
    "ctrl+esc": "the desktop's start menu",
    "alt+tab": "switching windows",
    "alt+shift+tab": "switching windows",
    "alt+esc": "switching windows",
    "alt+space": "the window menu",
    "alt+f1": "the desktop's menu",
    "alt+f2": "the desktop's run dialog",
    "alt+f4": "closing the window",
    "ctrl+alt+delete": "the system's security screen",
    "ctrl+alt+backspace": "killing the X server on some systems",
    "ctrl+alt+t": "opening a terminal on many desktops",
    "ctrl+alt+l": "locking the screen on many desktops",
    **{f"ctrl+alt+{arrow}": "switching workspaces" for arrow in ("left", "right", "up", "down")},
    **{f"ctrl+alt+f{n}": "switching to a text console" for n in range(1, 13)},
}
#: Other spellings of key names, as people write them.
KEY_ALIASES = {
    "escape": "esc", "return": "enter", "del": "delete", "ins": "insert", "pgup": "page_up",
    "pgdn": "page_down", "prior": "page_up", "next": "page_down", "print": "print_screen",
}  # fmt: skip


class HotkeyError(ValueError):
    """A hotkey that cannot be used, in one sentence for the person."""


def check_hotkey(spec: str, what: str = "hotkey") -> tuple[frozenset[str], str]:
    """The modifiers and key of a usable hotkey (the pause hotkey, a task hotkey).

    Usable: at least one of ctrl, alt or super plus one real key (a letter, a digit, F1-F24
    or a named key such as space or home), and not a chord the desktop or common apps use.
    Shift alone types a capital, alt with a letter opens menus, super with a key is the
    desktop's, and "ctrl+c" is everyone's copy: a hotkey on them would pause the recording
    while the person means something else.

    Args:
        spec: the chord as written, e.g. "ctrl+alt+shift+p".
        what: what the sentence calls it, e.g. "pause hotkey".

    Raises:
        HotkeyError: why ``spec`` cannot be used, in one sentence.
    """
    try:
        mods, key = parse_hotkey(spec)
    except ValueError:
        raise HotkeyError(
            f"The {what} {spec!r} must be modifiers and one key joined by '+', "
            "such as ctrl+alt+shift+p."
        ) from None
    key = KEY_ALIASES.get(key, key)
    if not _real_key(key):
        raise HotkeyError(
            f"The {what} {spec!r} ends in {key!r}, which is not a key: use a letter, a digit, "
            "F1-F24 or a key such as space, home or page_up."
        )
    if not mods & {"ctrl", "alt", "super"}:
        raise HotkeyError(
            f"The {what} {spec!r} needs ctrl, alt or super: without one, typing would pause "
            "the recording."
        )
    chord = hotkey_text(mods, key)
    if chord in RESERVED:
        raise HotkeyError(f"The {what} {spec!r} is taken: {chord} is used for {RESERVED[chord]}.")
    if mods == {"alt"} and len(key) == 1:
        raise HotkeyError(
            f"The {what} {spec!r} is taken: alt with a letter or digit opens apps' menus."
        )
    if mods <= {"super", "shift"} and "super" in mods:
        raise HotkeyError(
            f"The {what} {spec!r} is taken: the desktop uses super with a key; add ctrl or alt."
        )
    if mods == {"ctrl"} and len(key) == 1:
        raise HotkeyError(
            f"The {what} {spec!r} is taken: apps use ctrl with a letter or digit; add alt or shift."
        )
    return mods, key


def hotkey_text(mods: frozenset[str], key: str) -> str:
    """The chord in its one spelling: modifiers in ctrl, alt, shift, super order, then the key."""
    return "+".join([*(m for m in MODIFIER_NAMES if m in mods), key])


def hotkey_label(spec: str) -> str:
    """A chord as keyboards print it: 'ctrl+alt+shift+p' -> 'Ctrl+Alt+Shift+P'."""
    return "+".join(k.upper() if len(k) == 1 else k.capitalize() for k in spec.split("+"))


def _real_key(key: str) -> bool:
    if len(key) == 1:
        return key.isascii() and key.isalnum()
    if key[0] == "f" and key[1:].isdigit():
        return 1 <= int(key[1:]) <= 24
    return key in NAMED_KEYS
