"""Sensitive-input guards beyond titles: each probe with fakes, failures as "no information",
and a session that suppresses key text while a focused-field guard applies and says which."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from recorder.consent.record import ConsentScope
from recorder.platform import guards
from recorder.platform.guards import (
    ES_PASSWORD,
    AtspiPasswordRole,
    GuardWatcher,
    MacSecureInput,
    WindowsPasswordField,
    probe,
)
from tests.recorder.fakes import wait_for
from tests.recorder.session_driver import Session


class Boom:
    name = "boom"

    def sensitive(self) -> bool | None:
        raise OSError("the accessibility bus went away")


class Switch:
    """A guard whose answer the test sets."""

    def __init__(self, name: str = "fake_field") -> None:
        self.name = name
        self.answer: bool | None = False

    def sensitive(self) -> bool | None:
        return self.answer


def test_a_failing_or_odd_probe_means_no_information() -> None:
    assert probe(Boom()) is None
    odd = Switch()
    odd.answer = "yes"  # type: ignore[assignment]
    assert probe(odd) is None


def test_macos_secure_input() -> None:
    assert MacSecureInput(lambda: 1).sensitive() is True
    assert MacSecureInput(lambda: 0).sensitive() is False


@pytest.mark.parametrize(
    ("control", "expected"),
    [
        (("Edit", 0x50010000 | ES_PASSWORD), True),
        (("RichEdit20W", ES_PASSWORD), True),
        (("Edit", 0x50010000), False),
        (("Button", ES_PASSWORD), False),  # the bit means something else for buttons
        (None, None),
    ],
)
def test_windows_password_field(control: tuple[str, int] | None, expected: bool | None) -> None:
    assert WindowsPasswordField(lambda: control).sensitive() is expected


class Node:
    """An accessible: role, states, children."""

    def __init__(self, role: str = "panel", states: tuple[str, ...] = (), *kids: Node) -> None:
        self.role, self.states, self.kids = role, set(states), list(kids)

    def get_role(self) -> str:
        return self.role

    def get_state_set(self) -> Any:
        return self

    def contains(self, state: str) -> bool:
        return state in self.states

    def get_child_count(self) -> int:
        return len(self.kids)

    def get_child_at_index(self, i: int) -> Node:
        return self.kids[i]


class FakeAtspi:
    class Role:
        PASSWORD_TEXT = "password text"

    class StateType:
        ACTIVE = "active"
        FOCUSED = "focused"

    def __init__(self, desktop: Node) -> None:
        self.desktop = desktop

    def get_desktop(self, i: int) -> Node:
        return self.desktop


def desktop(field_role: str, focused: bool = True, active: bool = True) -> Node:
    field = Node(field_role, ("focused",) if focused else ())
    other_app = Node("application", (), Node("frame", (), Node("text", ("focused",))))
    window = Node("frame", ("active",) if active else (), Node("panel", (), Node("label"), field))
    return Node("desktop", (), other_app, Node("application", (), window))


def test_atspi_password_role_of_the_focused_field_in_the_active_window() -> None:
    assert AtspiPasswordRole(FakeAtspi(desktop("password text"))).sensitive() is True
    assert AtspiPasswordRole(FakeAtspi(desktop("text"))).sensitive() is False
    # no focused field in the active window (the other app's focus does not count)
    assert AtspiPasswordRole(FakeAtspi(desktop("password text", focused=False))).sensitive() is None


def test_default_guards_never_need_their_libraries(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> Any:
        raise ImportError("no gi")

    monkeypatch.setattr(guards, "_load_atspi", missing)
    assert guards.default_guards("linux") == []
    monkeypatch.setattr(guards, "_load_atspi", lambda: FakeAtspi(desktop("text")))
    assert [g.name for g in guards.default_guards("linux")] == ["atspi_password_role"]
    assert [g.name for g in guards.default_guards("darwin")] == ["macos_secure_input"]
    assert [g.name for g in guards.default_guards("win32")] == ["windows_password_field"]


def test_watcher_reports_changes_and_survives_a_broken_probe() -> None:
    switch = Switch()
    seen: list[str | None] = []
    changed = threading.Event()

    def on_change(name: str | None) -> None:
        seen.append(name)
        changed.set()

    watcher = GuardWatcher([Boom(), switch], on_change, poll_s=0.01)
    watcher.start()
    try:
        switch.answer = True
        assert changed.wait(2.0)
        wait_for(lambda: seen == ["fake_field"])
        switch.answer = None
        wait_for(lambda: seen == ["fake_field", None])
    finally:
        watcher.stop()


def test_a_password_field_suppresses_key_text_and_the_session_says_which_guard() -> None:
    switch = Switch()
    s = Session(ConsentScope(frames=False), guards=[switch])
    s.type("ok")
    s.settle()
    switch.answer = True
    wait_for(lambda: s.recorder.pipeline is not None and s.recorder.pipeline.sensitive)
    s.type("hunter2")
    s.settle()
    switch.answer = False
    wait_for(lambda: s.recorder.pipeline is not None and not s.recorder.pipeline.sensitive)
    s.type("ls")
    s.settle()
    sink = s.stop()
    markers = [e for e in sink.events if e["kind"] == "marker" and "sensitive" in e["what"]]
    assert [(m["what"], m["guard"]) for m in markers] == [
        ("sensitive_start", "fake_field"),
        ("sensitive_end", "fake_field"),
    ]
    typed = "".join(k["char"] or "" for k in sink.kinds("key") if k["down"])
    assert typed == "okls"
    assert sink.stats["input_guards"] == ["title", "fake_field"]
