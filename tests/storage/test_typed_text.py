"""storage/typed_text.py: the one replay of typed text, corrections and cursor keys included."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from storage.typed_text import (
    REMOVED,
    TypedBuffer,
    action_chars,
    field_runs,
    mark_removed,
)

EDITS = ["backspace", "delete", "left", "right", "home", "end"]


def replay(presses: list[str]) -> TypedBuffer:
    """Each item a character typed or an edit key's name; press i has seq i."""
    buf = TypedBuffer()
    for seq, p in enumerate(presses):
        buf.press(seq, p, None) if p in EDITS else buf.press(seq, p, p)
    return buf


def test_a_corrected_away_press_goes_with_the_text_around_it() -> None:
    buf = replay([*"pasx", "backspace", *"sword99"])
    assert buf.text == "password99"
    assert buf.presses(0, 10) == set(range(12))  # p a s x BackSpace s w o r d 9 9
    assert buf.presses(3, 10) == {3, 4} | set(range(5, 12))  # "sword99" and the correction
    assert buf.presses(4, 10) == set(range(6, 12))  # "word99": not the x after "pas"


def test_cursor_keys_move_where_text_goes() -> None:
    buf = replay([*"99", "left", "left", *"password"])
    assert buf.text == "password99"
    assert buf.presses(0, 10) == set(range(12))
    buf = replay([*"abc", "home", "delete", "end", "x", "left", "left", "backspace", "Y"])
    assert buf.text == "Ycx"
    assert [o[0] for o in buf.owners] == [10, 2, 6]


def test_edits_at_the_ends_change_nothing_but_are_kept() -> None:
    buf = replay(["backspace", "left", "a", "delete", "right"])
    assert buf.text == "a"
    assert buf.gap(0) == (0, 1)
    assert buf.gap(1) == (3, 4)
    assert buf.presses(0, 1) == {0, 1, 2, 3, 4}


class _Model:
    """A text field as the simplest code can say it."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self.cursor = 0

    def press(self, p: str) -> None:
        if p == "backspace" and self.cursor:
            del self.text[self.cursor - 1]
            self.cursor -= 1
        elif p == "delete" and self.cursor < len(self.text):
            del self.text[self.cursor]
        elif p == "left":
            self.cursor = max(self.cursor - 1, 0)
        elif p == "right":
            self.cursor = min(self.cursor + 1, len(self.text))
        elif p == "home":
            self.cursor = 0
        elif p == "end":
            self.cursor = len(self.text)
        elif p not in EDITS:
            self.text.insert(self.cursor, p)
            self.cursor += 1


presses_strategy = st.lists(st.sampled_from([*"abc", *EDITS]), max_size=40)


@given(presses_strategy)
def test_the_buffer_is_a_text_field(presses: list[str]) -> None:
    model = _Model()
    for p in presses:
        model.press(p)
    buf = replay(presses)
    assert buf.text == "".join(model.text)
    assert buf.cursor == model.cursor
    # Each character is owned by the press that typed it.
    assert all(presses[o[0]] == c for o, c in zip(buf.owners, buf.text, strict=True))


@given(presses_strategy, st.data())
def test_every_press_is_in_exactly_one_place(presses: list[str], data: st.DataObject) -> None:
    buf = replay(presses)
    n = len(buf.text)
    places = [list(o) for o in buf.owners] + [list(buf.gap(i)) for i in range(n + 1)]
    every = [s for place in places for s in place]
    assert sorted(every) == list(range(len(presses)))
    # Removing all the text takes every press; a part takes its own and no more than its gaps.
    assert buf.presses(0, n) == set(range(len(presses)))
    start = data.draw(st.integers(0, n))
    end = data.draw(st.integers(start, n))
    inner = {s for o in buf.owners[start:end] for s in o}
    gaps = {s for i in range(start, end + 1) for s in buf.gap(i)}
    assert buf.presses(start, end) == inner | gaps


def key(seq: int, name: str, char: str | None = None, mods: list[str] | None = None) -> Any:
    return {"seq": seq, "kind": "key", "down": True, "key": name, "char": char, "mods": mods or []}


def typed(text: str, start: int) -> list[dict[str, Any]]:
    return [key(start + i, c, c) for i, c in enumerate(text)]


def test_runs_end_where_the_field_may_change_and_not_at_a_pause() -> None:
    window = {"seq": 100, "kind": "window", "title": "B"}
    click = {"seq": 101, "kind": "button", "down": True}
    pause = {"seq": 102, "kind": "marker", "what": "pause"}
    events = [
        *typed("ab", 0),
        *typed("cd", 10),  # after a typing pause (a new type action): same field
        window,
        *typed("ef", 20),
        click,
        *typed("gh", 30),
        key(40, "enter"),
        *typed("ij", 50),
        key(60, "c", "c", ["ctrl"]),
        *typed("kl", 70),
        key(80, "left", None, ["shift"]),  # selecting: what typing replaces is unknown
        *typed("mn", 90),
        pause,
        *typed("op", 110),
        {"seq": 120, "kind": "key", "down": True, "key": "shift", "char": None, "mods": []},
        *typed("QR", 121),
    ]
    runs = field_runs(events)
    assert [r.text for r in runs] == ["abcd", "ef", "gh", "ij", "kl", "mn", "opQR"]
    assert runs[0].window_seq is None
    assert runs[1].window_seq == 100
    assert runs[0].event_seqs == [0, 1, 10, 11]


def test_an_action_maps_its_text_to_its_presses_markers_included() -> None:
    events = [*typed("ab", 0), key(2, "backspace"), *typed("cd", 3)]
    by_seq = {e["seq"]: e for e in events}
    action = {"kind": "type", "events": [0, 1, 2, 3, 4], "text": "acd"}
    mapped = action_chars(action, by_seq)
    assert mapped is not None
    assert mapped[0].text == "acd"
    assert mapped[1] == [0, 1, 2]
    # "a" was removed earlier (its press scrubbed): the marker maps to no character.
    scrubbed = {**by_seq, 0: {**by_seq[0], "key": "redacted", "char": None}}
    marked = {**action, "text": f"{REMOVED}cd"}
    mapped = action_chars(marked, scrubbed)
    assert mapped is not None
    assert mapped[1] == [None] * len(REMOVED) + [0, 1]
    assert action_chars({**action, "text": "other"}, by_seq) is None


def test_removed_runs_are_marked_once() -> None:
    assert mark_removed("echo secret now", [False] * 5 + [True] * 6 + [False] * 4) == (
        f"echo {REMOVED} now"
    )
    text = f"a{REMOVED}b"
    gone = [False] + [True] * len(REMOVED) + [True]
    assert mark_removed(text, gone) == f"a{REMOVED}"
