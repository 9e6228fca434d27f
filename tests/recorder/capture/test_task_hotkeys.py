"""The task hotkeys: checked against each other and the pause hotkey, chained after it."""

from __future__ import annotations

import pytest

from recorder.capture.hotkey import GateItem
from recorder.capture.task_hotkeys import DEFAULT_TASK_HOTKEYS, HotkeyChain, parse_task_hotkeys
from tests.recorder.capture.test_hotkey import Keys

PAUSE = "ctrl+alt+shift+p"


def test_the_defaults_parse_and_differ_from_the_pause_hotkey() -> None:
    chords = parse_task_hotkeys(PAUSE, DEFAULT_TASK_HOTKEYS)
    assert chords["new"] == (frozenset({"ctrl", "alt", "shift"}), "n")
    assert len(set(chords.values())) == 3


@pytest.mark.parametrize(
    ("tasks", "says"),
    [
        ({"done": "ctrl+alt+shift+p"}, "already the pause hotkey"),
        ({"done": "ctrl+d", "failed": "control+d"}, "already the done hotkey"),
        ({"done": "d"}, "needs a modifier"),
        ({"done": "ctrl+"}, "empty part"),
        ({"later": "ctrl+l"}, "no task hotkey called"),
    ],
)
def test_bad_task_hotkeys_are_refused(tasks: dict[str, str], says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_task_hotkeys(PAUSE, tasks)


def _chord(k: Keys, *names: str) -> list[GateItem[object]]:
    return [k.item(n, True) for n in names] + [k.item(n, False) for n in reversed(names)]


def test_each_chord_fires_once_and_lets_nothing_of_itself_through() -> None:
    chain: HotkeyChain[object] = HotkeyChain(PAUSE, DEFAULT_TASK_HOTKEYS)
    k = Keys()
    items = [
        k.item("a", True),
        k.item("a", False),
        *_chord(k, "ctrl_l", "alt_l", "shift", "n"),
        *_chord(k, "ctrl_l", "alt_l", "shift", "p"),
        *_chord(k, "ctrl_l", "alt_l", "shift", "f"),
        *_chord(k, "ctrl_l", "s"),  # an ordinary chord goes through whole
    ]
    passed: list[object] = []
    pauses = 0
    fired: list[str] = []
    for item in items:
        out, paused, tasks = chain.offer(item)
        passed += [o.payload for o in out]
        pauses += paused
        fired += [name for name, _t in tasks]
    passed += [o.payload for o in chain.flush()]
    assert fired == ["new", "failed"]
    assert pauses == 1
    assert passed == [
        ("a", True),
        ("a", False),
        ("ctrl_l", True),
        ("s", True),
        ("s", False),
        ("ctrl_l", False),
    ]


def test_held_modifiers_come_out_at_the_end() -> None:
    chain: HotkeyChain[object] = HotkeyChain(PAUSE, DEFAULT_TASK_HOTKEYS)
    k = Keys()
    for item in (k.item("ctrl_l", True), k.item("alt_l", True)):
        assert chain.offer(item)[0] == []
    assert [o.payload for o in chain.flush()] == [("ctrl_l", True), ("alt_l", True)]
