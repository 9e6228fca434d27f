"""AxSource with a fake AX API: roles, frame, path, password, errors, the messaging timeout."""

from __future__ import annotations

from typing import Any

from recorder.platform.accessibility.ax import (
    AX_ERROR_API_DISABLED,
    AX_ERROR_CANNOT_COMPLETE,
    AxError,
    AxSource,
)
from recorder.platform.accessibility.element import (
    NOT_ACCESSIBLE,
    NOTHING_AT_POINT,
    TIMED_OUT,
    Element,
)


class FakeAx:
    def __init__(self, hit: dict[str, Any] | None, focused: dict[str, Any] | None = None) -> None:
        self.hit = hit
        self.focused_element = focused
        self.reads: list[tuple[str, str]] = []
        self.timeouts: list[float] = []
        self.error: int | None = None

    def element_at(self, x: float, y: float) -> Any:
        if self.error is not None:
            raise AxError(self.error)
        return self.hit

    def focused(self) -> Any:
        return self.focused_element

    def attribute(self, element: dict[str, Any], name: str) -> Any:
        self.reads.append((str(element.get("AXRole")), name))
        return element.get(name)

    def set_timeout(self, seconds: float) -> None:
        self.timeouts.append(seconds)


def in_window(element: dict[str, Any]) -> dict[str, Any]:
    app = {"AXRole": "AXApplication", "AXTitle": "TextEdit"}
    window = {"AXRole": "AXWindow", "AXTitle": "Untitled", "AXParent": app}
    element["AXParent"] = window
    return element


def test_a_button_with_role_name_frame_and_path() -> None:
    button = in_window(
        {
            "AXRole": "AXButton",
            "AXTitle": "Save",
            "AXPosition": (10.0, 20.0),
            "AXSize": (80.0, 24.0),
        }
    )
    api = FakeAx(button)
    found = AxSource(api).element_at(50, 30)
    assert isinstance(found, Element)
    assert (found.role, found.name, found.bounds) == ("push button", "Save", (10, 20, 80, 24))
    assert [(s["role"], s["name"]) for s in found.path] == [
        ("application", "TextEdit"),
        ("frame", "Untitled"),
        ("push button", "Save"),
    ]
    assert found.app == "TextEdit"
    assert api.timeouts == [0.05]


def test_a_check_box_value_is_its_checked_state_and_unnamed_buttons_use_description() -> None:
    box = in_window(
        {"AXRole": "AXCheckBox", "AXDescription": "Bold", "AXValue": 1, "AXFocused": True}
    )
    found = AxSource(FakeAx(box)).element_at(1, 1)
    assert isinstance(found, Element)
    assert found.name == "Bold"
    assert found.states == {"checked", "focused"}


def test_a_secure_text_field_reads_no_title_description_or_value() -> None:
    secret = in_window(
        {
            "AXRole": "AXTextField",
            "AXSubrole": "AXSecureTextField",
            "AXTitle": "hunter2",
            "AXValue": "hunter2",
            "AXHelp": "hunter2",
        }
    )
    api = FakeAx(None, focused=secret)
    found = AxSource(api).focused_element()
    assert isinstance(found, Element)
    assert found.role == "password text"
    assert found.name is None
    assert found.description is None
    read = {name for role, name in api.reads if role == "AXTextField"}
    assert not read & {"AXTitle", "AXValue", "AXHelp", "AXDescription"}


def test_a_list_reports_its_selected_child() -> None:
    row = {"AXRole": "AXStaticText", "AXTitle": "Inbox"}
    listing = in_window({"AXRole": "AXList", "AXSelectedChildren": [row]})
    found = AxSource(FakeAx(listing)).element_at(1, 1)
    assert isinstance(found, Element)
    assert found.selected == {"role": "label", "name": "Inbox"}


def test_ax_errors_become_missing_reasons() -> None:
    api = FakeAx(None)
    assert AxSource(api).element_at(1, 1).reason == NOTHING_AT_POINT  # type: ignore[union-attr]
    api.error = AX_ERROR_API_DISABLED
    assert AxSource(api).element_at(1, 1).reason == NOT_ACCESSIBLE  # type: ignore[union-attr]
    api.error = AX_ERROR_CANNOT_COMPLETE
    assert AxSource(api).element_at(1, 1).reason == TIMED_OUT  # type: ignore[union-attr]
