"""UiaSource with a fake IUIAutomation: roles, states, path, password, errors, deadline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from recorder.platform.accessibility import uia
from recorder.platform.accessibility.element import (
    FAILED,
    NOTHING_AT_POINT,
    TIMED_OUT,
    Element,
    Missing,
)
from recorder.platform.accessibility.uia import UiaSource


@dataclass
class Rect:
    left: int
    top: int
    right: int
    bottom: int


@dataclass
class FakeElement:
    CurrentControlType: int
    CurrentName: str = ""
    CurrentHelpText: str = ""
    CurrentBoundingRectangle: Rect = field(default_factory=lambda: Rect(0, 0, 0, 0))
    CurrentHasKeyboardFocus: bool = False
    CurrentIsPassword: bool = False
    CurrentProcessId: int = 42
    properties: dict[int, Any] = field(default_factory=dict)
    parent: FakeElement | None = None
    reads: list[str] = field(default_factory=list)

    def GetCurrentPropertyValue(self, prop: int) -> Any:
        return self.properties.get(prop, False)

    def __getattribute__(self, name: str) -> Any:
        if name.startswith("Current"):
            object.__getattribute__(self, "reads").append(name)
        return object.__getattribute__(self, name)


class Walker:
    def GetParentElement(self, element: FakeElement) -> FakeElement | None:
        return element.parent


class FakeAutomation:
    def __init__(self, at_point: FakeElement | None, focused: FakeElement | None = None) -> None:
        self.root = FakeElement(50033, "Desktop")
        self.at_point = at_point
        self.focused = focused
        self.ControlViewWalker = Walker()
        self.points: list[Any] = []

    def ElementFromPoint(self, point: Any) -> FakeElement | None:
        self.points.append(point)
        return self.at_point

    def GetFocusedElement(self) -> FakeElement | None:
        return self.focused

    def GetRootElement(self) -> FakeElement:
        return self.root


def window_with(child: FakeElement, automation: FakeAutomation) -> FakeElement:
    window = FakeElement(50032, "Report - Notepad", parent=automation.root)
    pane = FakeElement(50033, "", parent=window)
    child.parent = pane
    return window


def test_a_button_with_role_name_bounds_states_and_path() -> None:
    button = FakeElement(
        50000, "Save", "Saves it", Rect(10, 20, 110, 50), properties={uia.IS_SELECTED: False}
    )
    automation = FakeAutomation(button)
    window_with(button, automation)
    source = UiaSource(automation, process_name=lambda pid: "notepad.exe")
    found = source.element_at(60, 30)
    assert isinstance(found, Element)
    assert (found.role, found.name, found.description) == ("push button", "Save", "Saves it")
    assert found.bounds == (10, 20, 100, 30)
    assert [(s["role"], s["name"]) for s in found.path] == [
        ("application", "notepad.exe"),
        ("frame", "Report - Notepad"),
        ("panel", None),
        ("push button", "Save"),
    ]
    assert automation.points == [(60, 30)]


def test_states_from_pattern_properties() -> None:
    box = FakeElement(
        50002,
        "Bold",
        CurrentHasKeyboardFocus=True,
        properties={uia.TOGGLE_STATE: 1, uia.EXPAND_STATE: 0},
    )
    automation = FakeAutomation(box)
    window_with(box, automation)
    found = UiaSource(automation, process_name=lambda pid: None).element_at(1, 1)
    assert isinstance(found, Element)
    assert found.states == {"checked", "focused"}
    edit = FakeElement(50004, "Subject", properties={uia.VALUE_READ_ONLY: False})
    automation = FakeAutomation(None, focused=edit)
    window_with(edit, automation)
    found = UiaSource(automation, process_name=lambda pid: None).focused_element()
    assert isinstance(found, Element)
    assert "editable" in found.states


def test_a_password_edit_is_password_text_and_its_name_is_never_read() -> None:
    field_ = FakeElement(50004, "hunter2", "hint", CurrentIsPassword=True)
    automation = FakeAutomation(None, focused=field_)
    window_with(field_, automation)
    found = UiaSource(automation, process_name=lambda pid: "app.exe").focused_element()
    assert isinstance(found, Element)
    assert found.role == "password text"
    assert found.name is None
    assert found.description is None
    assert "password" in found.states
    assert "CurrentName" not in field_.reads
    assert "CurrentHelpText" not in field_.reads


def test_a_combo_box_s_selection_is_its_value() -> None:
    combo = FakeElement(50003, "Size", properties={uia.VALUE_VALUE: "Large"})
    automation = FakeAutomation(combo)
    window_with(combo, automation)
    found = UiaSource(automation, process_name=lambda pid: None).element_at(1, 1)
    assert isinstance(found, Element)
    assert found.selected == {"role": "list item", "name": "Large"}


def test_nothing_and_com_errors_become_missing_reasons() -> None:
    assert UiaSource(FakeAutomation(None)).element_at(1, 1).reason == NOTHING_AT_POINT  # type: ignore[union-attr]

    class ComError(Exception):
        def __init__(self, hresult: int) -> None:
            super().__init__(hresult, "text")
            self.hresult = hresult

    class Failing(FakeAutomation):
        def __init__(self, code: int) -> None:
            super().__init__(None)
            self.code = code

        def ElementFromPoint(self, point: Any) -> FakeElement | None:
            raise ComError(self.code)

    assert UiaSource(Failing(uia.UIA_E_TIMEOUT)).element_at(1, 1).reason == TIMED_OUT  # type: ignore[union-attr]
    gone = UiaSource(Failing(uia.UIA_E_ELEMENTNOTAVAILABLE)).element_at(1, 1)
    assert isinstance(gone, Missing)
    assert gone.reason == NOTHING_AT_POINT
    assert UiaSource(Failing(-1)).element_at(1, 1).reason == FAILED  # type: ignore[union-attr]


def test_the_deadline_is_checked_between_calls() -> None:
    button = FakeElement(50000, "Save")
    automation = FakeAutomation(button)
    window_with(button, automation)
    ticks = iter([0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    source = UiaSource(automation, process_name=lambda pid: None, clock=lambda: next(ticks))
    found = source.element_at(1, 1, deadline_s=0.05)
    assert isinstance(found, Missing)
    assert found.reason == TIMED_OUT
