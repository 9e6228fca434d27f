"""Grounding through a whole session (fake backend, fake accessibility source, real lookup
thread): each action's element is linked to its seq, asked for at the action's time, kept as
the consent scope allows, and missing with its reason rather than guessed."""

from __future__ import annotations

import threading
from typing import Any

from recorder.capture.grounding import ANSWER_WAIT_S, Grounding
from recorder.consent.record import ConsentScope
from recorder.platform.accessibility.element import (
    NOT_ACCESSIBLE,
    Element,
    Missing,
    make_element,
)
from storage.elements import by_action
from tests.recorder.fakes import ManualClock, MemorySink, wait_for, window
from tests.recorder.session_driver import Session

FRAME = {"role": "frame", "name": "Report - Editor"}
APP = {"role": "application", "name": "editor"}


def widget(role: str, name: str, bounds: tuple[int, int, int, int], **kw: Any) -> Element:
    return make_element(
        role,
        name,
        kw.get("description"),
        kw.get("states", ()),
        bounds,
        [APP, FRAME, {"role": role, "name": name}],
        kw.get("selected"),
        "editor",
    )


class FakeScreenTree:
    """An accessibility source over a list of widgets the test changes as it goes."""

    def __init__(self, widgets: list[Element], focused: Element | Missing | None = None) -> None:
        self.widgets = widgets
        self.focused = focused or Missing("no focused element")
        self.threads: set[str] = set()
        self.points: list[tuple[int, int]] = []

    def element_at(self, x: int, y: int, deadline_s: float) -> Element | Missing:
        self.threads.add(threading.current_thread().name)
        self.points.append((x, y))
        for w in reversed(self.widgets):
            bx, by, bw, bh = w.bounds or (0, 0, 0, 0)
            if bx <= x < bx + bw and by <= y < by + bh:
                return w
        return Missing(NOT_ACCESSIBLE, "nothing exposed here")

    def focused_element(self, deadline_s: float) -> Element | Missing:
        self.threads.add(threading.current_thread().name)
        return self.focused

    def close(self) -> None:
        pass


BUTTON = widget("push button", "Save report", (100, 100, 80, 30))
COMBO = widget(
    "combo box", "Alpha", (100, 200, 120, 30), selected={"role": "menu item", "name": "Alpha"}
)
POPUP_ITEM = widget("menu item", "Alpha", (100, 195, 120, 40))
FIELD = widget("text", "Subject", (100, 300, 200, 30), states={"focused", "editable"})


def session_with(tree: FakeScreenTree, scope: ConsentScope | None = None) -> Session:
    return Session(scope or ConsentScope(frames=False), elements=lambda: tree)


def elements(sink: MemorySink) -> dict[int, dict[str, Any]]:
    return by_action(sink.elements)


def action(sink: MemorySink, kind: str) -> dict[str, Any]:
    return next(a for a in sink.actions if a["kind"] == kind)


def test_a_click_records_the_element_under_it_linked_to_its_action() -> None:
    tree = FakeScreenTree([BUTTON])
    s = session_with(tree)
    assert s.backend.on_window is not None
    s.backend.on_window(window("editor", "Report - Editor"))
    s.click(140, 115)
    sink = s.stop()
    click = action(sink, "click")
    found = elements(sink)[click["seq"]]
    assert (found["role"], found["name"], found["bounds"]) == (
        "push button",
        "Save report",
        [100, 100, 80, 30],
    )
    assert found["path"][-1] == {"role": "push button", "name": "Save report"}
    assert found["app"] == "editor"
    assert tree.threads == {"overt-elements"}  # never the input callback's thread
    stats = sink.stats["elements"]
    assert (stats["clicks"], stats["clicks_with_element"]) == (1, 1)
    assert stats["by_app"] == {"editor": {"clicks": 1, "with_element": 1, "coverage": 1.0}}


def test_the_element_the_pointer_rested_on_answers_for_the_press() -> None:
    """A press opens a combo box's popup over it at once: what was clicked is the combo box
    the pointer rested on, not the popup a lookup after the press would find."""
    tree = FakeScreenTree([COMBO])
    s = session_with(tree)
    s.raw.on_move(150, 215)
    wait_for(lambda: (150, 215) in tree.points)  # the rest lookup
    tree.widgets = [COMBO, POPUP_ITEM]  # the popup is up by the time the press is asked about
    s.click(150, 215)
    sink = s.stop()
    found = elements(sink)[action(sink, "click")["seq"]]
    assert (found["role"], found["name"]) == ("combo box", "Alpha")
    assert found["selected"] == {"role": "menu item", "name": "Alpha"}
    assert sink.elements[0]["element"]["lag_ms"] < 0  # looked up before the press
    assert sink.stats["elements"]["from_rest"] == 1


def test_input_after_the_rest_means_the_press_is_looked_up_itself() -> None:
    tree = FakeScreenTree([COMBO])
    s = session_with(tree)
    s.raw.on_move(150, 215)
    wait_for(lambda: (150, 215) in tree.points)
    tree.widgets = [COMBO, POPUP_ITEM]
    s.raw.on_move(151, 215)  # moved after the rest lookup: that lookup says nothing of now
    s.raw.on_move(150, 215)
    s.click(150, 215)
    sink = s.stop()
    found = elements(sink)[action(sink, "click")["seq"]]
    assert (found["role"], found["bounds"]) == ("menu item", [100, 195, 120, 40])
    assert sink.elements[0]["element"]["lag_ms"] >= 0


def test_a_drag_records_its_start_and_end_elements() -> None:
    tree = FakeScreenTree([BUTTON, FIELD])
    s = session_with(tree)
    s.raw.on_click(110, 110, "left", True)
    s.raw.on_move(150, 250)
    s.raw.on_move(150, 310)
    s.raw.on_click(150, 310, "left", False)
    sink = s.stop()
    found = elements(sink)[action(sink, "drag")["seq"]]
    assert found["name"] == "Save report"
    assert found["end"]["name"] == "Subject"


def test_scroll_and_typing_and_a_hotkey_each_get_their_element() -> None:
    tree = FakeScreenTree([BUTTON], focused=FIELD)
    s = session_with(tree)
    s.raw.on_scroll(120, 110, 0, -1)
    s.raw.on_scroll(120, 110, 0, -1)
    s.type("hi")
    s.chord("ctrl_l", "s")
    sink = s.stop()
    found = elements(sink)
    assert found[action(sink, "scroll")["seq"]]["name"] == "Save report"
    assert found[action(sink, "type")["seq"]]["name"] == "Subject"
    assert found[action(sink, "hotkey")["seq"]]["states"] == ["editable", "focused"]
    assert len(sink.elements) == len(sink.actions) == 3
    scroll_lookups = [p for p in tree.points if p == (120, 110)]
    assert len(scroll_lookups) <= 2  # the run's first notch (and a rest), not every notch


def test_a_missing_element_is_recorded_with_its_reason() -> None:
    tree = FakeScreenTree([BUTTON])
    s = session_with(tree)
    s.click(5, 5)
    sink = s.stop()
    assert elements(sink)[action(sink, "click")["seq"]] == {"missing": NOT_ACCESSIBLE}
    assert sink.stats["elements"]["missing"] == {NOT_ACCESSIBLE: 1}
    assert sink.stats["elements"]["click_coverage"] == 0.0


def test_text_mode_none_keeps_roles_and_bounds_only() -> None:
    tree = FakeScreenTree([COMBO])
    s = session_with(tree, ConsentScope(frames=False, text_mode="none"))
    s.click(150, 215)
    sink = s.stop()
    stored = sink.elements[0]["element"]
    assert stored["role"] == "combo box"
    assert stored["bounds"] == [100, 200, 120, 30]
    assert stored["name"] is None
    assert stored["description"] is None
    assert {level["name"] for level in stored["path"]} == {None}
    assert stored["selected"] == {"role": "menu item", "name": None}
    assert "Alpha" not in repr(sink.elements)
    assert "Report" not in repr(sink.elements)


def test_without_window_titles_the_window_levels_lose_their_names() -> None:
    tree = FakeScreenTree([BUTTON])
    s = session_with(tree, ConsentScope(frames=False, window_titles=False))
    s.click(140, 115)
    sink = s.stop()
    stored = sink.elements[0]["element"]
    assert stored["name"] == "Save report"
    assert stored["path"][1] == {"role": "frame", "name": None}
    assert "Report - Editor" not in repr(sink.elements)


def test_a_password_field_never_stores_its_name() -> None:
    secret = make_element("password text", "hunter2", "hunter2", (), (1, 1, 50, 20))
    tree = FakeScreenTree([secret], focused=secret)
    s = session_with(tree)
    s.click(10, 10)
    sink = s.stop()
    assert sink.elements[0]["element"]["role"] == "password text"
    assert "hunter2" not in repr(sink.elements)


class SilentLookups:
    """A lookup service that takes requests and never answers (or refuses them)."""

    def __init__(self, accept: bool = True) -> None:
        self.accept = accept
        self.requests: list[tuple[str, int, int]] = []

    def start(self) -> None:
        pass

    def submit(self, kind: str, x: int, y: int, t: float, ref: Any = None) -> bool:
        self.requests.append((kind, x, y))
        return self.accept

    def stop(self, timeout: float = 1.0) -> None:
        pass

    def stats(self) -> dict[str, int]:
        return {"submitted": len(self.requests)}


def click_through(grounding: Grounding, clock: ManualClock) -> None:
    from recorder.capture.rawinput import RawButton

    down = RawButton(clock(), 10, 10, "left", True)
    grounding.seen(down)
    event = {"t": down.t, "kind": "button", "down": True, "seq": 0}
    grounding.event_written(event, down, starts=True)  # type: ignore[arg-type]
    action = {"kind": "click", "events": [0, 1], "window_seq": None, "seq": 0}
    grounding.action_written(action)  # type: ignore[arg-type]


def test_a_lookup_that_never_answers_is_recorded_as_timed_out() -> None:
    clock, sink = ManualClock(), MemorySink()
    grounding = Grounding(
        lambda: FakeScreenTree([]),
        sink,
        ConsentScope(),
        t0=0.0,
        clock=clock,
        lookups=SilentLookups(),
    )
    click_through(grounding, clock)
    grounding.tick(clock(), paused=False)
    assert sink.elements == []  # still waiting
    clock.advance(ANSWER_WAIT_S + 0.1)
    grounding.tick(clock(), paused=False)
    assert sink.elements[0]["element"]["missing_reason"] == "timed out"


def test_a_full_lookup_queue_is_recorded_as_dropped() -> None:
    clock, sink = ManualClock(), MemorySink()
    grounding = Grounding(
        lambda: FakeScreenTree([]),
        sink,
        ConsentScope(),
        t0=0.0,
        clock=clock,
        lookups=SilentLookups(accept=False),
    )
    click_through(grounding, clock)
    assert sink.elements[0]["element"]["missing_reason"] == "dropped"


def test_no_rest_lookups_while_paused() -> None:
    from recorder.capture.rawinput import RawMove

    clock, lookups = ManualClock(), SilentLookups()
    grounding = Grounding(
        lambda: FakeScreenTree([]),
        MemorySink(),
        ConsentScope(),
        t0=0.0,
        clock=clock,
        lookups=lookups,
    )
    grounding.seen(RawMove(clock(), 3, 4))
    clock.advance(0.5)
    grounding.tick(clock(), paused=True)
    assert lookups.requests == []
    grounding.tick(clock(), paused=False)
    assert lookups.requests == [("hover", 3, 4)]
