"""The pause hotkey gate: the chord is recognised and none of its keys get through; and the
check that a chord can serve as a hotkey."""

from __future__ import annotations

import pytest

from recorder.capture.hotkey import (
    GateItem,
    HotkeyError,
    HotkeyGate,
    check_hotkey,
    hotkey_label,
)
from recorder.capture.keys import MODIFIER_OF
from recorder.capture.task_hotkeys import DEFAULT_TASK_HOTKEYS
from recorder.consent.record import DEFAULT_PAUSE_HOTKEY


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


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("p", "needs ctrl, alt or super"),
        ("shift+a", "needs ctrl, alt or super"),
        ("ctrl+banana", "'banana', which is not a key"),
        ("ctrl+", "one key joined by '+'"),
        ("ctrl+alt", "one key joined by '+'"),
        ("ctrl+c", "ctrl+c is used for copy"),
        ("control+v", "ctrl+v is used for paste"),
        ("ctrl+z", "undo"),
        ("ctrl+w", "close a tab"),
        ("ctrl+b", "apps use ctrl with a letter"),
        ("alt+tab", "switching windows"),
        ("alt+f4", "closing the window"),
        ("ctrl+alt+del", "ctrl+alt+delete is used for the system's security screen"),
        ("ctrl+alt+f2", "text console"),
        ("alt+f", "opens apps' menus"),
        ("super+l", "the desktop uses super"),
        ("win+shift+s", "the desktop uses super"),
    ],
)
def test_unusable_hotkeys_are_refused_in_one_sentence(spec: str, words: str) -> None:
    with pytest.raises(HotkeyError) as caught:
        check_hotkey(spec, "pause hotkey")
    message = str(caught.value)
    assert words in message
    assert message.startswith(f"The pause hotkey {spec!r} ")
    assert message.count(". ") == 0
    assert message.endswith(".")


@pytest.mark.parametrize(
    ("spec", "chord"),
    [
        ("ctrl+alt+shift+p", ({"ctrl", "alt", "shift"}, "p")),
        ("Ctrl+Shift+P", ({"ctrl", "shift"}, "p")),
        ("ctrl+alt+shift+escape", ({"ctrl", "alt", "shift"}, "esc")),
        ("ctrl+super+f9", ({"ctrl", "super"}, "f9")),
        ("alt+f9", ({"alt"}, "f9")),
        ("ctrl+alt+home", ({"ctrl", "alt"}, "home")),
    ],
)
def test_usable_hotkeys_pass(spec: str, chord: tuple[set[str], str]) -> None:
    assert check_hotkey(spec) == (frozenset(chord[0]), chord[1])


def test_the_default_and_task_hotkeys_are_usable() -> None:
    for spec in (DEFAULT_PAUSE_HOTKEY, *DEFAULT_TASK_HOTKEYS.values()):
        check_hotkey(spec)
    assert hotkey_label("ctrl+alt+shift+p") == "Ctrl+Alt+Shift+P"
