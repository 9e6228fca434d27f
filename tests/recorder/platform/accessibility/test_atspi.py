"""AtspiClient's logic on a fake bus: descent, stacking, popups, focus, cache, deadline."""

from __future__ import annotations

import pytest

from recorder.platform.accessibility import atspi
from recorder.platform.accessibility.atspi import AtspiClient, decode_states
from recorder.platform.accessibility.atspi_bus import REGISTRY, BusUnavailable
from recorder.platform.accessibility.element import (
    AMBIGUOUS,
    MAX_DEPTH,
    NO_BUS,
    NO_FOCUS,
    NOT_ACCESSIBLE,
    NOTHING_AT_POINT,
    TIMED_OUT,
    Element,
    Missing,
)
from tests.recorder.platform.accessibility.fake_atspi import (
    ACTIVE,
    FOCUSED,
    SHOWING,
    FakeBus,
    FakeHints,
    Node,
    gtk_like_app,
)

GTK_PID, TK_PID = 100, 200
FRAME_RECT = (100, 80, 522, 385)


def centre(node: Node) -> tuple[int, int]:
    x, y, w, h = node.extents
    return x + w // 2, y + h // 2


def client_for(
    bus: FakeBus, hints: FakeHints | bool | None = None
) -> tuple[AtspiClient, FakeHints | None]:
    if hints is None:
        hints = FakeHints([(FRAME_RECT, GTK_PID, False)])
    client = AtspiClient(lambda: bus, hints=hints or False, clock=bus.clock)  # type: ignore[arg-type,return-value]
    return client, hints or None


@pytest.fixture
def gtk() -> tuple[FakeBus, dict[str, Node]]:
    bus = FakeBus()
    app, widgets = gtk_like_app()
    bus.add_app(app, GTK_PID)
    return bus, widgets


def test_the_deepest_element_with_role_name_bounds_and_path(gtk) -> None:
    bus, w = gtk
    client, _ = client_for(bus)
    found = client.element_at(*centre(w["button"]))
    assert isinstance(found, Element)
    assert (found.role, found.name, found.bounds) == (
        "push button",
        "Save report",
        w["button"].extents,
    )
    assert found.states == {"focused"}
    assert [level["role"] for level in found.path] == [
        "application",
        "frame",
        "filler",
        "push button",
    ]
    assert found.path[0]["name"] == "gtkapp"
    assert found.path[1]["name"] == "Overt grounding GTK"


def test_a_password_field_s_name_and_description_are_never_read(gtk) -> None:
    bus, w = gtk
    client, _ = client_for(bus)
    found = client.element_at(*centre(w["password"]))
    assert isinstance(found, Element)
    assert found.role == "password text"
    assert found.name is None
    assert found.description is None
    assert "password" in found.states
    read = {(method, ref) for method, ref in bus.calls}
    assert ("name", w["password"].ref) not in read
    assert ("description", w["password"].ref) not in read


def test_a_combo_box_reports_its_selected_item(gtk) -> None:
    bus, w = gtk
    client, _ = client_for(bus)
    found = client.element_at(*centre(w["combo"]))
    assert isinstance(found, Element)
    assert found.role == "combo box"
    assert found.selected == {"role": "menu item", "name": "Alpha"}


def test_a_window_of_an_app_not_on_the_bus_is_missing_not_the_widget_beneath(gtk) -> None:
    bus, _w = gtk
    # A Tk window (not accessible) lies over the GTK button.
    hints = FakeHints([((300, 120, 200, 100), TK_PID, False), (FRAME_RECT, GTK_PID, False)])
    client, _ = client_for(bus, hints)
    found = client.element_at(400, 150)
    assert isinstance(found, Missing)
    assert found.reason == NOT_ACCESSIBLE
    assert "200" in found.detail
    assert isinstance(client.element_at(150, 192), Element)  # the entry, beside the Tk window


def test_nothing_at_a_point_with_no_window(gtk) -> None:
    bus, _ = gtk
    client, _ = client_for(bus)
    found = client.element_at(1500, 900)
    assert found == Missing(NOTHING_AT_POINT, "no window at this point")


def test_a_window_that_names_no_process(gtk) -> None:
    bus, _ = gtk
    client, _ = client_for(bus, FakeHints([((0, 0, 50, 50), None, False)]))
    assert client.element_at(10, 10).reason == NOT_ACCESSIBLE  # type: ignore[union-attr]


def open_file_menu(w: dict[str, Node]) -> FakeHints:
    w["open"].states = {SHOWING}
    w["quit"].states = {SHOWING}
    w["file"].states = {SHOWING, 23}
    popup = (101, 125, 139, 50)
    return FakeHints([(popup, GTK_PID, True), (FRAME_RECT, GTK_PID, False)])


def test_an_open_menu_s_item_wins_over_the_widget_under_its_popup(gtk) -> None:
    bus, w = gtk
    client, _ = client_for(bus, open_file_menu(w))
    # (150, 140) is inside both "Open report" and the "Save report" button under the popup.
    found = client.element_at(150, 140)
    assert isinstance(found, Element)
    assert (found.role, found.name) == ("menu item", "Open report")
    assert found.bounds == (101, 125, 139, 25)
    assert [(s["role"], s["name"]) for s in found.path[-3:]] == [
        ("menu bar", None),
        ("menu", "File"),
        ("menu item", "Open report"),
    ]


def test_a_popup_the_app_does_not_expose_is_missing_not_the_window_beneath(gtk) -> None:
    bus, _w = gtk
    hints = FakeHints([((120, 140, 80, 20), GTK_PID, True), (FRAME_RECT, GTK_PID, False)])
    client, _ = client_for(bus, hints)  # a tooltip over the button: no menu is open
    found = client.element_at(150, 145)
    assert isinstance(found, Missing)
    assert found.reason == NOT_ACCESSIBLE


def test_a_popup_that_is_a_window_of_its_own_is_descended(gtk) -> None:
    bus = FakeBus()
    item = Node("menu item", "Beta", (101, 293, 520, 29))
    popup = Node("window", "", (101, 260, 520, 95), {SHOWING, ACTIVE}, children=[
        Node("menu", "", (101, 260, 520, 95), children=[item])
    ])  # fmt: skip
    app, _ = gtk_like_app()
    app.children.append(popup)
    bus.add_app(app, GTK_PID)
    hints = FakeHints([((101, 260, 520, 95), GTK_PID, True), (FRAME_RECT, GTK_PID, False)])
    client, _ = client_for(bus, hints)
    found = client.element_at(300, 300)
    assert isinstance(found, Element)
    assert (found.role, found.name) == ("menu item", "Beta")


def test_the_deadline_runs_out_as_timed_out_never_a_partial_answer(gtk) -> None:
    bus, w = gtk
    bus.hang = lambda method, ref: method == "at_point" and ref == w["filler"].ref
    client, _ = client_for(bus)
    started = bus.clock.now
    found = client.element_at(*centre(w["button"]), deadline_s=0.05)
    assert isinstance(found, Missing)
    assert found.reason == TIMED_OUT
    assert "50 ms" in found.detail
    assert bus.clock.now - started <= 0.05 + 0.01


def test_no_bus_is_missing_and_connecting_is_not_retried_at_once() -> None:
    attempts = []

    def refuse() -> FakeBus:
        attempts.append(1)
        raise BusUnavailable("no D-Bus session bus")

    clock = FakeBus().clock
    client = AtspiClient(refuse, hints=False, clock=clock)  # type: ignore[arg-type]
    assert client.element_at(1, 1) == Missing(NO_BUS, "no D-Bus session bus")
    assert client.focused_element().reason == NO_BUS  # type: ignore[union-attr]
    assert len(attempts) == 1
    clock.now += atspi.RETRY_BUS_S + 1
    client.element_at(1, 1)
    assert len(attempts) == 2


def test_the_application_list_is_cached_and_refreshed_for_a_new_process(gtk) -> None:
    bus, w = gtk
    hints = FakeHints([((700, 100, 300, 200), 300, False), (FRAME_RECT, GTK_PID, False)])
    client, _ = client_for(bus, hints)
    client.element_at(*centre(w["button"]))
    client.element_at(*centre(w["entry"]))
    registry_lists = [c for c in bus.calls if c[0] == "children" and c[1][1].endswith("root")]
    assert len([c for c in registry_lists if c[1][0] == "org.a11y.atspi.Registry"]) == 1
    assert len([c for c in bus.calls if c[0] == "pid"]) == 1
    # A Qt app registers after the list was cached: its pid is not known yet, so list again.
    qt_button = Node("push button", "Send", (720, 120, 100, 30))
    qt = Node("application", "qtapp", children=[
        Node("frame", "Qt", (700, 100, 300, 200), {SHOWING, ACTIVE}, children=[qt_button])
    ])  # fmt: skip
    bus.add_app(qt, 300, "Qt")
    found = client.element_at(*centre(qt_button))
    assert isinstance(found, Element)
    assert found.name == "Send"
    assert found.app == "qtapp"


def test_an_app_that_went_away_is_missing_and_the_list_is_asked_again(gtk) -> None:
    bus, w = gtk
    client, _ = client_for(bus)
    client.element_at(*centre(w["button"]))
    del bus.nodes[w["frame"].ref]
    found = client.element_at(*centre(w["button"]))
    assert isinstance(found, Missing)
    assert found.reason == NOT_ACCESSIBLE
    before = len(bus.calls)
    client.element_at(*centre(w["button"]))
    assert (
        "children",
        ("org.a11y.atspi.Registry", "/org/a11y/atspi/accessible/root"),
    ) in bus.calls[before:]


def test_focused_element_through_collection_with_its_path(gtk) -> None:
    bus, _w = gtk
    client, hints = client_for(bus)
    assert hints is not None
    hints.active = GTK_PID
    found = client.focused_element()
    assert isinstance(found, Element)
    assert (found.role, found.name) == ("push button", "Save report")
    assert [level["role"] for level in found.path] == [
        "application",
        "frame",
        "filler",
        "push button",
    ]
    assert any(method == "matches" for method, _ in bus.calls)


def test_focused_element_by_walking_where_collection_is_missing(gtk) -> None:
    bus, w = gtk
    bus.no_collection.add(w["frame"].ref[0])
    w["button"].states = {SHOWING}
    w["password"].states = {SHOWING, FOCUSED}
    client, _ = client_for(bus)
    assert client.focused_role() == "password text"
    found = client.focused_element()
    assert isinstance(found, Element)
    assert found.name is None
    # the walk is remembered: Collection is not asked again
    assert [m for m, _ in bus.calls].count("matches") == 1


def test_no_focus_and_an_active_window_of_an_app_not_on_the_bus(gtk) -> None:
    bus, w = gtk
    w["button"].states = {SHOWING}
    client, hints = client_for(bus)
    assert client.focused_element().reason == NO_FOCUS  # type: ignore[union-attr]
    assert client.focused_role() is None
    assert hints is not None
    hints.active = TK_PID
    assert client.focused_element().reason == NOT_ACCESSIBLE  # type: ignore[union-attr]


def test_without_stacking_order_overlapping_windows_are_not_guessed() -> None:
    bus = FakeBus()
    for pid in (1, 2):
        frame = Node("frame", f"w{pid}", (0, 0, 400, 400), {SHOWING}, children=[
            Node("push button", f"b{pid}", (10, 10, 100, 30))
        ])  # fmt: skip
        bus.add_app(Node("application", f"a{pid}", children=[frame]), pid)
    client, _ = client_for(bus, False)
    assert client.element_at(20, 20).reason == AMBIGUOUS  # type: ignore[union-attr]
    bus.apps[1][0].children[0].states.add(ACTIVE)
    found = client.element_at(20, 20)
    assert isinstance(found, Element)
    assert found.name == "b2"


def test_a_deep_tree_keeps_a_bounded_path_with_the_app_and_the_element() -> None:
    leaf = Node("push button", "Deep", (10, 10, 5, 5))
    node = leaf
    for depth in range(30):
        node = Node("panel", f"p{depth}", (0, 0, 500, 500), children=[node])
    frame = Node("frame", "Deep window", (0, 0, 500, 500), {SHOWING, ACTIVE}, children=[node])
    bus = FakeBus()
    bus.add_app(Node("application", "deep", children=[frame]), 5)
    client, _ = client_for(bus, FakeHints([((0, 0, 500, 500), 5, False)]))
    found = client.element_at(12, 12, deadline_s=1.0)
    assert isinstance(found, Element)
    assert len(found.path) <= MAX_DEPTH
    assert found.path[0] == {"role": "application", "name": "deep"}
    assert found.path[1] == {"role": "frame", "name": "Deep window"}
    assert found.path[-1] == {"role": "push button", "name": "Deep"}


def test_decode_states_reads_at_spi_bit_numbers() -> None:
    bits = (1 << 4) | (1 << 7) | (1 << 10) | (1 << 12) | (1 << 23) | (1 << 24) | (1 << 25)
    assert decode_states(bits) == {"checked", "editable", "expanded", "focused", "selected"}
    assert decode_states(1 << 24 | 1 << 30) == frozenset()


def test_close_releases_the_bus_and_the_hints(gtk) -> None:
    bus, w = gtk
    client, hints = client_for(bus)
    client.element_at(*centre(w["button"]))
    client.close()
    assert bus.closed
    assert hints is not None
    assert hints.closed


def test_stacking_order_comes_only_from_a_local_x_socket(tmp_path) -> None:
    from recorder.platform.accessibility.atspi import local_display

    (tmp_path / "X5").touch()
    assert local_display(":5", str(tmp_path))
    assert local_display(":5.0", str(tmp_path))
    assert not local_display(":6", str(tmp_path))  # Xlib would try TCP port 6006
    assert not local_display("localhost:10.0", str(tmp_path))
    assert not local_display("", str(tmp_path))


def test_prepare_lists_the_applications_once_ahead_of_the_first_lookup(gtk) -> None:
    bus, w = gtk
    client, _ = client_for(bus)
    client.prepare()
    listed = [m for m, ref in bus.calls if m == "children" and ref == REGISTRY]
    assert len(listed) == 1
    found = client.element_at(*centre(w["button"]))
    assert isinstance(found, Element)
    again = [m for m, ref in bus.calls if m == "children" and ref == REGISTRY]
    assert len(again) == 1  # the first lookup did not pay for the listing

    def refuse() -> FakeBus:
        raise BusUnavailable("no session bus")

    AtspiClient(refuse, hints=False).prepare()  # type: ignore[arg-type]  # no bus: no error
