"""The pause hotkey, recognised in the pipeline without ever recording its own keystrokes.

While only some of the hotkey's modifiers are held, everything is held back (in order); when
the hotkey's key completes the chord, the held key events are discarded (other held events
go on) and the chord's releases are swallowed; anything else releases what was held.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from recorder.capture.keys import MODIFIER_OF

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
