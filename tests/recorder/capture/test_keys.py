"""Key identity and modifier state through X11's quirks.

Releases report the unshifted key ('H' down, 'h' up; '!' down, '1' up), shift+Tab presses as
ISO_Left_Tab and releases as Tab, and xdotool may release a modifier before the key.
"""

from __future__ import annotations

from recorder.capture.keys import KeyInfo, KeyTracker


def key(name: str, char: str | None = None, code: int | None = None) -> KeyInfo:
    return KeyInfo(name, char, None, code)


def test_shifted_letter_release_reports_the_press_identity() -> None:
    tracker = KeyTracker()
    tracker.press(key("shift", code=50))
    down = tracker.press(key("h", "H", code=43))
    tracker.release(key("shift", code=50))
    up = tracker.release(key("h", "h", code=43))  # X reports the unshifted key on release
    assert (down.name, down.char, down.mods) == ("h", "H", ("shift",))
    assert (up.name, up.char, up.mods) == ("h", None, ())


def test_symbol_release_pairs_by_code_not_by_text() -> None:
    tracker = KeyTracker()
    tracker.press(key("shift_r", code=62))
    down = tracker.press(key("1", "!", code=10))
    up = tracker.release(key("vk49", "1", code=10))
    assert down.char == "!"
    assert up.name == down.name == "1"


def test_iso_left_tab_pairs_with_tab() -> None:
    tracker = KeyTracker()
    tracker.press(key("shift", code=50))
    down = tracker.press(key("tab", code=23))
    up = tracker.release(key("iso_left_tab", code=23))
    assert up.name == down.name == "tab"
    assert tracker.pressed_names() == {"shift"}


def test_modifier_released_before_the_key_keeps_state_right() -> None:
    tracker = KeyTracker()
    tracker.press(key("ctrl_l", code=37))
    down = tracker.press(key("c", "c", code=54))
    after_ctrl = tracker.release(key("ctrl_l", code=37))
    up = tracker.release(key("c", code=54))
    assert down.mods == ("ctrl",)
    assert after_ctrl.mods == ()
    assert up.name == "c"
    assert tracker.mods() == ()


def test_release_without_code_falls_back_to_name_and_unknown_release_passes() -> None:
    tracker = KeyTracker()
    tracker.press(key("a", "a", code=38))
    assert tracker.release(key("a")).name == "a"
    assert tracker.pressed_names() == set()
    stray = tracker.release(key("b", code=56))  # pressed before recording began
    assert stray.name == "b"
    assert not stray.down


def test_auto_repeat_is_flagged_and_left_right_modifiers_count_once() -> None:
    tracker = KeyTracker()
    tracker.press(key("shift_l", code=50))
    tracker.press(key("shift_r", code=62))
    assert tracker.mods() == ("shift",)
    tracker.release(key("shift_l", code=50))
    assert tracker.mods() == ("shift",)
    first = tracker.press(key("x", "x", code=53))
    again = tracker.press(key("x", "x", code=53))
    assert not first.repeat
    assert again.repeat
