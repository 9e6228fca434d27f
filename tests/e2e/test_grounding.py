"""Element lookup on Xvfb with a real accessibility bus: real GTK3, Qt and Tk windows.

Each test app reports its widgets' screen rectangles (GTK: translate_coordinates and the
allocation; Qt: mapToGlobal; Tk: winfo_root*); the lookup at each widget's centre must give
the widget's role, name and exactly that rectangle. GTK3 runs under Debian's python3
(python3-gi), Qt under the venv's PySide6.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from recorder.platform.accessibility.atspi import AtspiClient
from recorder.platform.accessibility.element import (
    NOT_ACCESSIBLE,
    Element,
    ElementRecord,
    Missing,
    to_record,
)
from recorder.platform.accessibility.lookup import ElementLookup, LookupRequest
from recorder.platform.accessibility.status import (
    enable_accessibility,
    probe,
    read_status,
    set_accessibility,
)
from tests.conftest import IN_CI
from tests.helpers.a11ybus import (
    SYSTEM_PYTHON,
    ReportingApp,
    SessionBus,
    centre,
    gtk_missing,
    missing_bus_tools,
    start_app,
    start_session_bus,
    wait_registered,
)
from tests.helpers.xserver import XDisplay, XDoTool

GTK_SECRET = "hunter2-gtk-7Q"
QT_SECRET = "qt-secret-77"
LOOKUP_S = 1.0  # generous: correctness here; tests/bench/bench_grounding.py measures speed


def need(problem: str | None) -> None:
    if problem:
        if IN_CI:
            pytest.fail(problem + " (CI=true: a missing accessibility bus is a failure)")
        pytest.skip(problem)


@pytest.fixture(scope="module")
def a11y_bus(x_display: XDisplay) -> Iterator[SessionBus]:
    """A private session bus for this module, its address in this process's environment."""
    missing = missing_bus_tools()
    need(f"accessibility bus tools missing: {', '.join(missing)}" if missing else None)
    bus = start_session_bus(x_display.env)
    saved = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    os.environ["DBUS_SESSION_BUS_ADDRESS"] = bus.address
    try:
        yield bus
    finally:
        bus.stop()
        if saved is None:
            os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
        else:
            os.environ["DBUS_SESSION_BUS_ADDRESS"] = saved


@pytest.fixture
def client(a11y_bus: SessionBus) -> Iterator[AtspiClient]:
    atspi = AtspiClient()
    try:
        yield atspi
    finally:
        atspi.close()


@pytest.fixture(scope="module")
def gtk_app(a11y_bus: SessionBus) -> Iterator[ReportingApp]:
    need(gtk_missing())
    app = start_app(SYSTEM_PYTHON, "gtk_widgets.py", a11y_bus.env, GTK_SECRET)
    try:
        registrar = AtspiClient(hints=False)
        registered = wait_registered(registrar, app.pid)
        registrar.close()
        assert registered is not None, "the GTK3 app never registered on the accessibility bus"
        assert registered.toolkit == "gtk"
        yield app
    finally:
        app.stop()


def element_at(client: AtspiClient, rect: list[int]) -> Element:
    found = client.element_at(*centre(rect), deadline_s=LOOKUP_S)
    assert isinstance(found, Element), found
    return found


def poll(get: Callable[[], Any], ok: Callable[[Any], bool], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    value = get()
    while not ok(value) and time.monotonic() < deadline:
        time.sleep(0.1)
        value = get()
    assert ok(value), value
    return value


SEEN: list[ElementRecord] = []  # every GTK/Qt result, checked for the secrets at the end


def seen(answer: Element | Missing) -> Element | Missing:
    SEEN.append(to_record(answer, 0.0))
    return answer


@pytest.mark.parametrize(
    ("widget", "role", "name"),
    [
        ("button", "push button", "Save report"),
        ("entry", "text", "Subject"),
        ("combo", "combo box", "Alpha"),
        ("file", "menu", "File"),
    ],
)
def test_gtk_widget_role_name_and_bounds(
    client: AtspiClient, gtk_app: ReportingApp, widget: str, role: str, name: str
) -> None:
    rect = gtk_app.first["widgets"][widget]
    found = seen(element_at(client, rect))
    assert isinstance(found, Element)
    assert (found.role, found.name) == (role, name)
    assert list(found.bounds or ()) == rect
    assert found.path[0] == {"role": "application", "name": "gtk_widgets.py"}
    assert found.path[1] == {"role": "frame", "name": "Overt grounding GTK"}
    assert found.path[-1] == {"role": role, "name": name}


def test_gtk_password_entry_is_password_text_without_name_or_text(
    client: AtspiClient, gtk_app: ReportingApp, xdo: XDoTool
) -> None:
    rect = gtk_app.first["widgets"]["password"]
    xdo.move(*centre(rect))
    xdo.click()
    xdo.type("typedmore")
    found = seen(element_at(client, rect))
    assert isinstance(found, Element)
    assert found.role == "password text"
    assert found.name is None
    assert found.description is None
    assert list(found.bounds or ()) == rect
    assert "password" in found.states
    focused = poll(lambda: seen(client.focused_element(LOOKUP_S)), lambda f: isinstance(f, Element))
    assert focused.role == "password text"
    assert focused.name is None
    assert "focused" in focused.states
    assert client.focused_role() == "password text"


def test_gtk_focused_entry_after_a_click(
    client: AtspiClient, gtk_app: ReportingApp, xdo: XDoTool
) -> None:
    xdo.move(*centre(gtk_app.first["widgets"]["entry"]))
    xdo.click()
    focused = poll(
        lambda: seen(client.focused_element(LOOKUP_S)),
        lambda f: isinstance(f, Element) and f.role == "text",
    )
    assert focused.name == "Subject"
    assert {"focused", "editable"} <= focused.states
    assert list(focused.bounds or ()) == gtk_app.first["widgets"]["entry"]


def test_gtk_menu_item_in_an_open_menu(
    client: AtspiClient, gtk_app: ReportingApp, xdo: XDoTool
) -> None:
    xdo.move(*centre(gtk_app.first["widgets"]["file"]))
    xdo.click()
    try:
        items = poll(gtk_app.report, lambda r: "Open report" in r["items"])["items"]
        for label in ("Open report", "Quit now"):
            found = seen(element_at(client, items[label]))
            assert isinstance(found, Element)
            assert (found.role, found.name) == ("menu item", label)
            assert list(found.bounds or ()) == items[label]
            roles = [level["role"] for level in found.path]
            assert roles[-3:] == ["menu bar", "menu", "menu item"]
    finally:
        xdo.key("Escape")
        poll(gtk_app.report, lambda r: "Open report" not in r["items"])


def test_gtk_combo_box_entry_then_its_new_selection(
    client: AtspiClient, gtk_app: ReportingApp, xdo: XDoTool
) -> None:
    combo = gtk_app.first["widgets"]["combo"]
    xdo.move(*centre(combo))
    xdo.click()
    items = poll(gtk_app.report, lambda r: "combo:1" in r["items"])["items"]
    beta = items["combo:1"]
    found = seen(element_at(client, beta))
    assert isinstance(found, Element)
    assert (found.role, found.name) == ("menu item", "Beta")
    assert list(found.bounds or ()) == beta
    xdo.move(*centre(beta))
    xdo.click()
    poll(gtk_app.report, lambda r: r["combo_text"] == "Beta" and not r["items"])
    chosen = poll(
        lambda: seen(element_at(client, combo)), lambda f: f.name == "Beta"
    )  # the combo box is named by its selection
    assert chosen.role == "combo box"
    assert chosen.selected == {"role": "menu item", "name": "Beta"}


def test_element_lookup_service_answers_off_the_calling_thread(
    gtk_app: ReportingApp, a11y_bus: SessionBus
) -> None:
    answers: list[tuple[LookupRequest, ElementRecord]] = []
    lookup = ElementLookup(AtspiClient, lambda r, e: answers.append((r, e)), deadline_s=LOOKUP_S)
    lookup.start()
    try:
        now = time.monotonic()
        assert lookup.submit("click", *centre(gtk_app.first["widgets"]["button"]), now, ref=1)
        assert lookup.submit("scroll", 1900, 1000, now, ref=2)  # the bare root window
        poll(lambda: len(answers), lambda n: n == 2)
    finally:
        lookup.stop()
    first, second = (record for _, record in sorted(answers, key=lambda a: a[0].ref))
    SEEN.extend([first, second])
    assert (first["role"], first["name"]) == ("push button", "Save report")
    assert first["bounds"] == gtk_app.first["widgets"]["button"]
    assert first["lookup_ms"] > 0
    assert second["missing_reason"] == "nothing at point"


def test_a_tk_window_is_missing_as_not_accessible(
    client: AtspiClient, a11y_bus: SessionBus, gtk_app: ReportingApp
) -> None:
    tk = start_app(SYSTEM_PYTHON, "tk_widgets.py", a11y_bus.env)
    try:
        found = client.element_at(*centre(tk.first["widgets"]["button"]), deadline_s=LOOKUP_S)
        # Tk has no AT-SPI support: it never registers, and sets no _NET_WM_PID either.
        assert isinstance(found, Missing)
        assert found.reason == NOT_ACCESSIBLE
        assert tk.pid not in {app.pid for app in client.applications()}
        report = probe().to_dict()
        assert report["bus"] is True
        exposed = {(app["pid"], app["toolkit"]) for app in report["exposed"]}
        assert (gtk_app.pid, "gtk") in exposed
        assert any("Overtgroundingtk" in name for name in report["silent"])
    finally:
        tk.stop()


def qt_env(bus: SessionBus, always_on: bool) -> dict[str, str]:
    env = dict(bus.env, QT_QPA_PLATFORM="xcb")
    env.pop("QT_LINUX_ACCESSIBILITY_ALWAYS_ON", None)
    if always_on:
        env["QT_LINUX_ACCESSIBILITY_ALWAYS_ON"] = "1"
    return env


def test_qt_with_accessibility_always_on_registers_and_answers(
    client: AtspiClient, a11y_bus: SessionBus
) -> None:
    qt = start_app(sys.executable, "qt_widgets.py", qt_env(a11y_bus, True), QT_SECRET)
    try:
        registered = wait_registered(client, qt.pid)
        assert registered is not None, "Qt with QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 did not register"
        assert registered.toolkit == "Qt"
        widgets = qt.first["widgets"]
        expected = {
            "button": ("push button", "Send form"),
            "entry": ("text", "Qt field"),
            "combo": ("combo box", "Red"),
        }
        for widget, (role, name) in expected.items():
            found = seen(element_at(client, widgets[widget]))
            assert isinstance(found, Element)
            assert (found.role, found.name) == (role, name), widget
            assert list(found.bounds or ()) == widgets[widget], widget
        # Qt's GetRoleName says "text" for a password field; its role number says otherwise.
        password = seen(element_at(client, widgets["password"]))
        assert isinstance(password, Element)
        assert password.role == "password text"
        assert password.name is None
    finally:
        qt.stop()


def test_qt_registers_without_always_on_too(client: AtspiClient, a11y_bus: SessionBus) -> None:
    """Measured with PySide6 6.11: Qt registers once an accessibility bus exists, with
    org.a11y.Status IsEnabled still false (NOTES' PyQt5 app did not)."""
    assert read_status()["IsEnabled"] is False
    qt = start_app(sys.executable, "qt_widgets.py", qt_env(a11y_bus, False))
    try:
        assert wait_registered(client, qt.pid) is not None
        found = seen(element_at(client, qt.first["widgets"]["button"]))
        assert isinstance(found, Element)
        assert found.name == "Send form"
    finally:
        qt.stop()


def test_no_secret_appears_in_any_result(gtk_app: ReportingApp) -> None:
    assert len(SEEN) >= 10
    text = json.dumps(SEEN)
    assert GTK_SECRET not in text
    assert QT_SECRET not in text
    assert "typedmore" not in text


def test_enable_accessibility_sets_the_status_properties(x_display: XDisplay) -> None:
    need(", ".join(missing_bus_tools()) or None)
    bus = start_session_bus(x_display.env)
    saved = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    os.environ["DBUS_SESSION_BUS_ADDRESS"] = bus.address
    try:
        assert read_status() == {"IsEnabled": False, "ScreenReaderEnabled": False}
        enable_accessibility()
        assert read_status() == {"IsEnabled": True, "ScreenReaderEnabled": True}
        set_accessibility(False)
        assert read_status() == {"IsEnabled": False, "ScreenReaderEnabled": False}
    finally:
        bus.stop()
        if saved is None:
            os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
        else:
            os.environ["DBUS_SESSION_BUS_ADDRESS"] = saved


def test_no_session_bus_is_missing_no_bus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.delenv("AT_SPI_BUS_ADDRESS", raising=False)
    atspi = AtspiClient()
    try:
        found = atspi.element_at(10, 10)
        assert isinstance(found, Missing)
        assert found.reason == "no accessibility bus"
        assert probe(atspi).bus is False
    finally:
        atspi.close()
