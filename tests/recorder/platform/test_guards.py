"""Sensitive-input guards beyond titles: each probe with fakes, failures as "no information",
and a session that suppresses key text while a focused-field guard applies and says which."""

from __future__ import annotations

import threading

import pytest

from recorder.consent.record import ConsentScope
from recorder.platform import guards
from recorder.platform.accessibility.atspi import AtspiClient
from recorder.platform.accessibility.atspi_bus import BusUnavailable
from recorder.platform.guards import (
    ES_PASSWORD,
    AtspiPasswordRole,
    GuardWatcher,
    MacSecureInput,
    WindowsPasswordField,
    probe,
)
from tests.recorder.fakes import wait_for
from tests.recorder.platform.accessibility.fake_atspi import (
    FOCUSED,
    SHOWING,
    FakeBus,
    FakeHints,
    gtk_like_app,
)
from tests.recorder.session_driver import Session

GTK_PID = 100
FRAME_RECT = (100, 80, 522, 385)


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


def atspi_guard(focused: str | None, active: bool = True) -> tuple[AtspiPasswordRole, FakeBus]:
    """The guard over a fake accessibility bus holding a GTK-shaped app whose field with
    the focus (None: no field has it) is ``focused``."""
    bus = FakeBus()
    app, widgets = gtk_like_app()
    widgets["button"].states = {SHOWING}
    if focused is not None:
        widgets[focused].states = {SHOWING, FOCUSED}
    if not active:
        widgets["frame"].states = {SHOWING}
    bus.add_app(app, GTK_PID)
    hints = FakeHints([(FRAME_RECT, GTK_PID, False)])
    hints.active = GTK_PID
    client = AtspiClient(lambda: bus, hints=hints, clock=bus.clock)  # type: ignore[arg-type,return-value]
    return AtspiPasswordRole(client), bus


def test_atspi_password_role_of_the_focused_field_in_the_active_window() -> None:
    guard, bus = atspi_guard("password")
    assert guard.sensitive() is True
    assert ("name", guard_ref(bus, "password text")) not in bus.calls  # never read
    assert atspi_guard("entry")[0].sensitive() is False
    assert atspi_guard(None)[0].sensitive() is None  # no focused field: nothing known
    assert atspi_guard("password", active=False)[0].sensitive() is None


def test_atspi_guard_fails_closed_while_the_bus_is_slow() -> None:
    guard, bus = atspi_guard("password")
    assert guard.sensitive() is True
    bus.hang = lambda method, ref: True  # every call runs out of time
    assert guard.sensitive() is True  # a look that timed out ends no suppression
    bus.hang = lambda method, ref: False
    password = next(n for n in bus.nodes.values() if n.role == "password text")
    entry = next(n for n in bus.nodes.values() if n.role == "text")
    password.states, entry.states = {SHOWING}, {SHOWING, FOCUSED}
    assert guard.sensitive() is False


def guard_ref(bus: FakeBus, role: str) -> object:
    return next(ref for ref, node in bus.nodes.items() if node.role == role)


def test_atspi_guard_without_a_bus_knows_nothing_and_closes() -> None:
    def refuse() -> FakeBus:
        raise BusUnavailable("no session bus")

    guard = AtspiPasswordRole(AtspiClient(refuse, hints=False))  # type: ignore[arg-type]
    assert guard.sensitive() is None
    assert probe(guard) is None
    guard.close()


def test_default_guards_are_the_platform_s_own() -> None:
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
