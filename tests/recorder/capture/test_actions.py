"""Action derivation: examples, and Hypothesis-generated gesture scripts."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from recorder.capture.actions import ActionDeriver

Record = dict[str, Any]


class Stream:
    """Builds event records the way the pipeline writes them (seq assigned in order)."""

    def __init__(self) -> None:
        self.events: list[Record] = []
        self.t = 0.0

    def add(self, kind: str, dt: float = 0.01, **fields: Any) -> Record:
        self.t += dt
        event = {"seq": len(self.events), "t": self.t, "wall": 1000 + self.t, "kind": kind}
        event.update(fields)
        self.events.append(event)
        return event

    def click(self, x: int, y: int, button: str = "left", dt: float = 0.01) -> None:
        self.add("button", dt, button=button, down=True, x=x, y=y)
        self.add("button", button=button, down=False, x=x, y=y)

    def drag(self, x: int, y: int, x2: int, y2: int, dt: float = 0.01) -> None:
        self.add("button", dt, button="left", down=True, x=x, y=y)
        self.add("move", x=(x + x2) // 2, y=(y + y2) // 2)
        self.add("move", x=x2, y=y2)
        self.add("button", button="left", down=False, x=x2, y=y2)

    def key(self, name: str, char: str | None, mods: list[str], down: bool, dt: float) -> None:
        self.add("key", dt, key=name, char=char, vk=None, mods=mods, down=down)

    def type(self, text: str, dt: float = 0.01) -> None:
        for i, char in enumerate(text):
            shifted = char.isupper()
            first = dt if i == 0 else 0.01
            if shifted:
                self.key("shift", None, ["shift"], True, first)
            mods = ["shift"] if shifted else []
            self.key(char.lower(), char, mods, True, 0.001 if shifted else first)
            self.key(char.lower(), None, ["shift"] if shifted else [], False, 0.005)
            if shifted:
                self.key("shift", None, [], False, 0.001)

    def hotkey(self, mods: list[str], name: str, dt: float = 0.01) -> None:
        held: list[str] = []
        for i, mod in enumerate(mods):
            held.append(mod)
            self.key(mod, None, list(held), True, dt if i == 0 else 0.01)
        self.key(name, None, list(held), True, 0.01 if mods else dt)
        self.key(name, None, list(held), False, 0.01)
        for mod in reversed(mods):
            held.remove(mod)
            self.key(mod, None, list(held), False, 0.01)

    def scroll(self, x: int, y: int, steps: int, dy: int = -1, dt: float = 0.01) -> None:
        for i in range(steps):
            self.add("scroll", dt if i == 0 else 0.05, x=x, y=y, dx=0, dy=dy)


def derive(stream: Stream, end_pause: float = 5.0) -> list[Record]:
    deriver = ActionDeriver()
    out: list[Record] = []
    for event in stream.events:
        out.extend(deriver.feed(event))
        out.extend(deriver.tick(event["t"]))
    out.extend(deriver.tick(stream.t + end_pause))
    out.extend(deriver.flush())
    return out


def test_click_double_click_and_drag() -> None:
    s = Stream()
    s.click(10, 10)
    s.click(11, 10, dt=0.1)  # same place, quickly: a double-click
    s.click(500, 500, dt=1.0)
    s.drag(100, 100, 300, 200, dt=1.0)
    actions = derive(s)
    assert [a["kind"] for a in actions] == ["double_click", "click", "drag"]
    assert actions[0]["events"] == [0, 1, 2, 3]
    assert (actions[1]["x"], actions[1]["y"]) == (500, 500)
    drag = actions[2]
    assert (drag["x"], drag["y"], drag["x2"], drag["y2"]) == (100, 100, 300, 200)
    assert drag["events"] == [6, 7, 8, 9]


def test_typed_run_with_shift_backspace_and_a_pause() -> None:
    s = Stream()
    s.type("Hello")
    s.key("backspace", None, [], True, 0.01)
    s.key("backspace", None, [], False, 0.01)
    s.type("p!", dt=0.01)
    s.type("world", dt=2.0)  # after a pause: a new run
    actions = derive(s)
    assert [a["kind"] for a in actions] == ["type", "type"]
    assert actions[0]["text"] == "Hellp!"
    assert actions[1]["text"] == "world"


def test_cursor_keys_edit_the_run_being_typed() -> None:
    """The recorder replays a run the way redaction and the scanner do (storage/typed_text.py):
    Left/Home/Delete inside a run edit its text; on their own, or Shift+Left, they are keys."""
    s = Stream()
    s.type("99")
    for name in ("left", "left"):
        s.key(name, None, [], True, 0.01)
        s.key(name, None, [], False, 0.01)
    s.type("password")
    s.key("home", None, [], True, 0.01)
    s.key("delete", None, [], True, 0.01)
    s.type("P")
    s.key("left", None, ["shift"], True, 0.01)  # selecting: not an edit this run can follow
    s.key("left", None, [], True, 2.0)  # after a pause, with no run open: a key
    actions = derive(s)
    assert [a["kind"] for a in actions] == ["type", "hotkey", "hotkey"]
    assert actions[0]["text"] == "Password99"
    assert actions[1]["keys"] == ["shift", "left"]
    assert actions[2]["keys"] == ["left"]


def test_hotkeys_and_special_keys() -> None:
    s = Stream()
    s.type("ab")
    s.hotkey(["ctrl"], "c")
    s.hotkey(["ctrl", "shift"], "t")
    s.hotkey([], "enter")
    actions = derive(s)
    assert [a["kind"] for a in actions] == ["type", "hotkey", "hotkey", "hotkey"]
    assert actions[1]["keys"] == ["ctrl", "c"]
    assert actions[2]["keys"] == ["ctrl", "shift", "t"]
    assert actions[3]["keys"] == ["enter"]
    ctrl_c = actions[1]
    assert [s.events[i]["key"] for i in ctrl_c["events"]] == ["ctrl", "c"]


def test_scroll_runs_are_summed_and_split_by_pauses() -> None:
    s = Stream()
    s.scroll(50, 60, 4, dy=-1)
    s.scroll(50, 60, 2, dy=1, dt=2.0)
    actions = derive(s)
    assert [(a["kind"], a["dy"]) for a in actions] == [("scroll", -4), ("scroll", 2)]


def test_window_change_ends_runs_and_sets_window_seq() -> None:
    s = Stream()
    s.add("window", app="a", title="", pid=None, x=0, y=0, w=1, h=1, wid=1)
    s.type("abc")
    s.add("window", app="b", title="", pid=None, x=0, y=0, w=1, h=1, wid=2)
    s.click(5, 5)
    actions = derive(s)
    assert [(a["kind"], a["window_seq"]) for a in actions] == [("type", 0), ("click", 7)]


def test_a_click_that_activates_a_window_is_still_a_click() -> None:
    """The press activates the window under it, and the window change is seen between the
    press and the release: the click is kept, in the window it activated."""
    s = Stream()
    s.add("window", app="a", title="", pid=None, x=0, y=0, w=1, h=1, wid=1)
    s.add("button", button="left", down=True, x=800, y=180)
    s.add("window", app="b", title="", pid=None, x=0, y=0, w=1, h=1, wid=2)
    s.add("button", button="left", down=False, x=800, y=180)
    actions = derive(s)
    assert [(a["kind"], a["x"], a["events"], a["window_seq"]) for a in actions] == [
        ("click", 800, [1, 3], 2)
    ]


def test_keys_mode_runs_have_no_text_but_link_events() -> None:
    s = Stream()
    for name in "abc":
        s.key(name, None, [], True, 0.01)
        s.key(name, None, [], False, 0.01)
    (action,) = derive(s)
    assert action["kind"] == "type"
    assert action["text"] == ""
    assert action["events"] == [0, 1, 2, 3, 4, 5]


def test_pre_and_post_frame_triggers() -> None:
    deriver = ActionDeriver()
    s = Stream()
    down = s.add("button", button="left", down=True, x=1, y=1)
    up = s.add("button", button="left", down=False, x=1, y=1)
    assert deriver.starts_action(down)
    assert deriver.ends_action(up)
    first = s.add("key", key="a", char="a", vk=None, mods=[], down=True)
    assert deriver.starts_action(first)
    deriver.feed(first)
    second = s.add("key", key="b", char="b", vk=None, mods=[], down=True)
    assert not deriver.starts_action(second)  # the run is open: one pre-frame per run
    hot = s.add("key", key="s", char="s", vk=None, mods=["ctrl"], down=True)
    assert deriver.starts_action(hot)
    assert deriver.ends_action(hot)


def test_a_scroll_run_asks_for_a_pre_action_frame_at_its_first_notch() -> None:
    deriver = ActionDeriver(scroll_gap_s=0.5)
    s = Stream()
    notches = [s.add("scroll", x=5, y=5, dx=0, dy=-1) for _ in range(3)]
    starts = []
    for notch in notches:
        starts.append(deriver.starts_action(notch))
        deriver.feed(notch)
    assert starts == [True, False, False]  # one run, one pre-action frame
    later = s.add("scroll", 0.6, x=5, y=5, dx=0, dy=1)  # after the gap: a new run
    assert deriver.starts_action(later)
    assert not deriver.ends_action(later)  # its post-action frame comes when the run ends


# --- generated gesture scripts -------------------------------------------------------------

coords = st.integers(0, 1900)
gesture = st.one_of(
    st.tuples(st.just("click"), coords, coords),
    st.tuples(st.just("drag"), coords, coords, st.integers(20, 400), st.integers(20, 400)),
    st.tuples(st.just("type"), st.text("abcdefgXYZ ", min_size=1, max_size=12)),
    st.tuples(
        st.just("hotkey"),
        st.lists(st.sampled_from(["ctrl", "alt", "super"]), min_size=1, max_size=2, unique=True),
        st.sampled_from(["c", "v", "t", "f4"]),
    ),
    st.tuples(st.just("scroll"), coords, coords, st.integers(1, 6)),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(gesture, min_size=1, max_size=12))
def test_each_gesture_becomes_one_action_with_disjoint_ordered_events(
    script: list[tuple[Any, ...]],
) -> None:
    s = Stream()
    for g in script:
        gap = 1.5  # longer than every merging window: gestures stay apart
        if g[0] == "click":
            s.click(g[1], g[2], dt=gap)
        elif g[0] == "drag":
            s.drag(g[1], g[2], g[1] + g[3], g[2] + g[4], dt=gap)
        elif g[0] == "type":
            s.type(g[1], dt=gap)
        elif g[0] == "hotkey":
            s.hotkey(g[1], g[2], dt=gap)
        else:
            s.scroll(g[1], g[2], g[3], dt=gap)
    actions = derive(s)
    assert [a["kind"] for a in actions] == [g[0] for g in script]
    seen: set[int] = set()
    for action, g in zip(actions, script, strict=True):
        assert action["events"] == sorted(action["events"])
        assert not seen & set(action["events"])
        seen |= set(action["events"])
        assert action["t"] <= action["t_end"]
        if g[0] == "type":
            assert action["text"] == g[1]
        elif g[0] == "click":
            assert (action["x"], action["y"]) == (g[1], g[2])
        elif g[0] == "drag":
            assert (action["x2"], action["y2"]) == (g[1] + g[3], g[2] + g[4])
        elif g[0] == "hotkey":
            order = ["ctrl", "alt", "shift", "super"]
            assert action["keys"] == [m for m in order if m in g[1]] + [g[2]]
        else:
            assert action["dy"] == -g[3]
    assert [a["t"] for a in actions] == sorted(a["t"] for a in actions)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.floats(0.0, 0.8)), min_size=1, max_size=30))
def test_clicks_in_bursts_never_lose_or_share_events(clicks: list[tuple[int, float]]) -> None:
    s = Stream()
    for spot, gap in clicks:
        s.click(spot * 3, 0, dt=gap + 0.001)
    actions = derive(s)
    used = [seq for a in actions for seq in a["events"]]
    assert sorted(used) == list(range(len(s.events)))
    assert all(a["kind"] in ("click", "double_click") for a in actions)
    doubles = sum(a["kind"] == "double_click" for a in actions)
    assert len(actions) + doubles == len(clicks)
