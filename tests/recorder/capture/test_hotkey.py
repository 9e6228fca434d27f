"""The pause hotkey gate: the chord is recognised and none of its keys get through."""

from __future__ import annotations

from recorder.capture.hotkey import GateItem, HotkeyGate
from recorder.capture.keys import MODIFIER_OF


class Keys:
    def __init__(self) -> None:
        self.pressed: set[str] = set()
        self.t = 0.0

    def item(self, name: str, down: bool) -> GateItem:
        self.t += 0.01
        if down:
            self.pressed.add(name)
        else:
            self.pressed.discard(name)
        mods = tuple(sorted({MODIFIER_OF[n] for n in self.pressed if n in MODIFIER_OF}))
        return GateItem(self.t, (name, down), name, down, mods, frozenset(self.pressed))


def feed(gate: HotkeyGate, items: list[GateItem]) -> tuple[list[object], int]:
    out: list[object] = []
    fired = 0
    for item in items:
        released, hit = gate.offer(item)
        out.extend(r.payload for r in released)
        fired += hit
    return out, fired


def test_the_chord_fires_and_leaves_no_key_events() -> None:
    gate = HotkeyGate(frozenset({"ctrl", "alt", "shift"}), "p")
    k = Keys()
    seq = [
        k.item("ctrl_l", True),
        k.item("alt_l", True),
        GateItem(k.t, "a mouse move"),
        k.item("shift", True),
        k.item("p", True),
        k.item("p", True),  # auto-repeat
        k.item("shift", False),
        k.item("p", False),
        k.item("alt_l", False),
        k.item("ctrl_l", False),
    ]
    out, fired = feed(gate, seq)
    assert fired == 1
    assert out == ["a mouse move"]


def test_a_different_chord_releases_everything_in_order() -> None:
    gate = HotkeyGate(frozenset({"ctrl", "alt", "shift"}), "p")
    k = Keys()
    seq = [k.item("ctrl_l", True), k.item("c", True), k.item("c", False), k.item("ctrl_l", False)]
    out, fired = feed(gate, seq)
    assert fired == 0
    assert out == [("ctrl_l", True), ("c", True), ("c", False), ("ctrl_l", False)]


def test_modifiers_pressed_and_released_alone_are_released() -> None:
    gate = HotkeyGate(frozenset({"ctrl", "alt", "shift"}), "p")
    k = Keys()
    out, fired = feed(gate, [k.item("shift", True), k.item("shift", False), k.item("a", True)])
    assert fired == 0
    assert out == [("shift", True), ("shift", False), ("a", True)]


def test_plain_p_is_just_a_key() -> None:
    gate = HotkeyGate(frozenset({"ctrl", "alt", "shift"}), "p")
    k = Keys()
    out, fired = feed(gate, [k.item("p", True), k.item("p", False)])
    assert fired == 0
    assert out == [("p", True), ("p", False)]


def test_held_items_are_released_after_max_hold() -> None:
    gate = HotkeyGate(frozenset({"ctrl"}), "p", max_hold=0.5)
    down = GateItem(0.0, "ctrl down", "ctrl_l", True, ("ctrl",), frozenset({"ctrl_l"}))
    assert gate.offer(down) == ([], False)
    late = GateItem(1.0, "move")
    released, fired = gate.offer(late)
    assert [r.payload for r in released] == ["ctrl down", "move"]
    assert not fired
