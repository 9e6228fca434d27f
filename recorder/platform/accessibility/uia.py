"""UI Automation element lookup (Windows): ``ElementFromPoint`` and ``GetFocusedElement``.

Roles are reported in AT-SPI's vocabulary (``push button``, ``menu item``) so a dataset reads
the same from every platform. States come from ``GetCurrentPropertyValue``, which answers a
harmless default when a control lacks the pattern, so no pattern object is ever fetched. UIA
calls cannot be interrupted: the deadline is UIA's own transaction timeout where
IUIAutomation2 has one, and is checked between calls. A password field (``IsPassword``) is
reported as ``password text`` and its name is never read.

comtypes is imported only on Windows, on the lookup thread; tests pass a fake ``automation``.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import Any

from recorder.platform.accessibility.element import (
    FAILED,
    MAX_DEPTH,
    NOTHING_AT_POINT,
    PASSWORD_ROLE,
    TIMED_OUT,
    Element,
    Missing,
    PathStep,
    make_element,
    states_from,
)

DEADLINE_S = 0.05
UIA_E_TIMEOUT = -2146233083  # 0x80131505
UIA_E_ELEMENTNOTAVAILABLE = -2147220991  # 0x80040201
IS_SELECTED = 30079  # UIA_SelectionItemIsSelectedPropertyId
TOGGLE_STATE = 30086  # UIA_ToggleToggleStatePropertyId: 1 = on
EXPAND_STATE = 30070  # UIA_ExpandCollapseExpandCollapseStatePropertyId: 1 = expanded
VALUE_READ_ONLY = 30046  # UIA_ValueIsReadOnlyPropertyId
VALUE_VALUE = 30045  # UIA_ValueValuePropertyId (a combo box's selected text)
FIRST_SELECTED = 30168  # UIA_Selection2FirstSelectedItemPropertyId (Windows 10 1709+)
EDIT = 50004
ROLES = {
    50000: "push button", 50001: "calendar", 50002: "check box", 50003: "combo box",
    50004: "text", 50005: "link", 50006: "image", 50007: "list item", 50008: "list",
    50009: "menu", 50010: "menu bar", 50011: "menu item", 50012: "progress bar",
    50013: "radio button", 50014: "scroll bar", 50015: "slider", 50016: "spin button",
    50017: "status bar", 50018: "page tab list", 50019: "page tab", 50020: "label",
    50021: "tool bar", 50022: "tool tip", 50023: "tree", 50024: "tree item",
    50025: "unknown", 50026: "panel", 50027: "slider", 50028: "table", 50029: "table cell",
    50030: "document frame", 50031: "push button", 50032: "frame", 50033: "panel",
    50034: "header", 50035: "column header", 50036: "table", 50037: "title bar",
    50038: "separator", 50039: "panel", 50040: "tool bar",
}  # fmt: skip
SELECTION_ROLES = frozenset({"list", "menu", "menu bar", "tree", "page tab list", "table"})


def create_automation(deadline_s: float = DEADLINE_S) -> Any:
    """IUIAutomation on this thread (COM initialised for it), with UIA's own timeouts set."""
    import comtypes
    import comtypes.client

    comtypes.CoInitializeEx()
    comtypes.client.GetModule("UIAutomationCore.dll")
    from comtypes.gen import UIAutomationClient as uia

    automation = comtypes.client.CreateObject(uia.CUIAutomation, interface=uia.IUIAutomation)
    with contextlib.suppress(Exception):  # before Windows 8 there is no IUIAutomation2
        second = automation.QueryInterface(uia.IUIAutomation2)
        second.TransactionTimeout = max(1, int(deadline_s * 1000))
        second.ConnectionTimeout = max(1, int(deadline_s * 1000))
        automation = second
    automation.overt_point = uia.tagPOINT
    return automation


def process_name(pid: int) -> str | None:
    """An executable's file name from its process id (QueryFullProcessImageNameW)."""
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32")  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return None
    try:
        size = wintypes.DWORD(260)
        buffer = ctypes.create_unicode_buffer(260)
        if not kernel32.QueryFullProcessImageNameW(handle, 0, buffer, ctypes.byref(size)):
            return None
        return buffer.value.rsplit("\\", 1)[-1] or None
    finally:
        kernel32.CloseHandle(handle)


class UiaSource:
    """An ``ElementSource`` over UI Automation. Create it on the thread that uses it."""

    def __init__(
        self,
        automation: Any = None,
        process_name: Callable[[int], str | None] = process_name,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self._automation = create_automation() if automation is None else automation
        self._process_name = process_name
        self._clock = clock

    def element_at(self, x: int, y: int, deadline_s: float = DEADLINE_S) -> Element | Missing:
        make_point = getattr(self._automation, "overt_point", None)
        point = make_point(x, y) if make_point is not None else (x, y)
        return self._answer(lambda: self._automation.ElementFromPoint(point), deadline_s)

    def focused_element(self, deadline_s: float = DEADLINE_S) -> Element | Missing:
        return self._answer(self._automation.GetFocusedElement, deadline_s)

    def close(self) -> None:
        self._automation = None

    def _answer(self, find: Callable[[], Any], deadline_s: float) -> Element | Missing:
        end = self._clock() + deadline_s
        try:
            element = find()
            if element is None:
                return Missing(NOTHING_AT_POINT, "UI Automation found no element")
            return self._describe(element, end)
        except TimeoutError:
            return Missing(TIMED_OUT, f"no answer within {deadline_s * 1000:.0f} ms")
        except OSError as error:  # comtypes' COMError is not one; see below
            return self._com_failure(error, deadline_s)
        except Exception as error:  # noqa: BLE001 - COMError and friends
            return self._com_failure(error, deadline_s)

    @staticmethod
    def _com_failure(error: Exception, deadline_s: float) -> Missing:
        code = getattr(error, "hresult", None) or (error.args[0] if error.args else None)
        if code == UIA_E_TIMEOUT:
            return Missing(TIMED_OUT, f"no answer within {deadline_s * 1000:.0f} ms")
        if code == UIA_E_ELEMENTNOTAVAILABLE:
            return Missing(NOTHING_AT_POINT, "the element went away")
        return Missing(FAILED, f"UI Automation: {error}")

    def _check(self, end: float) -> None:
        if self._clock() > end:
            raise TimeoutError

    def _describe(self, element: Any, end: float) -> Element:
        role = self._role(element)
        password = role == PASSWORD_ROLE
        name = None if password else element.CurrentName
        description = None if password else element.CurrentHelpText
        rect = element.CurrentBoundingRectangle
        width, height = int(rect.right - rect.left), int(rect.bottom - rect.top)
        bounds = (int(rect.left), int(rect.top), width, height) if width > 0 < height else None
        value = element.GetCurrentPropertyValue
        states = states_from(
            {
                "focused": bool(element.CurrentHasKeyboardFocus),
                "selected": bool(value(IS_SELECTED)),
                "checked": value(TOGGLE_STATE) == 1,
                "expanded": value(EXPAND_STATE) == 1,
                "editable": role in ("text", PASSWORD_ROLE) and not value(VALUE_READ_ONLY),
                "password": password,
            }
        )
        self._check(end)
        path = self._path(element, end)
        path.append({"role": role, "name": name})
        selected: PathStep | None = None
        if not password and role == "combo box":
            text = value(VALUE_VALUE)
            selected = {"role": "list item", "name": text} if text else None
        elif not password and role in SELECTION_ROLES:
            item = value(FIRST_SELECTED)
            if item is not None and hasattr(item, "CurrentName"):
                selected = {"role": self._role(item), "name": item.CurrentName}
        app = self._process_name(int(element.CurrentProcessId))
        path.insert(0, {"role": "application", "name": app})
        return make_element(role, name, description, states, bounds, path, selected, app)

    def _role(self, element: Any) -> str:
        control = int(element.CurrentControlType)
        if control == EDIT and element.CurrentIsPassword:
            return PASSWORD_ROLE
        return ROLES.get(control, "unknown")

    def _path(self, element: Any, end: float) -> list[PathStep]:
        """Window > ... > parent of the element (the desktop root left out)."""
        walker = self._automation.ControlViewWalker
        root = self._automation.GetRootElement()
        levels: list[PathStep] = []
        node = walker.GetParentElement(element)
        while node is not None and len(levels) < MAX_DEPTH and not self._same(node, root):
            self._check(end)
            role = self._role(node)
            levels.append(
                {"role": role, "name": None if role == PASSWORD_ROLE else node.CurrentName}
            )
            node = walker.GetParentElement(node)
        return levels[::-1]

    def _same(self, a: Any, b: Any) -> bool:
        compare = getattr(self._automation, "CompareElements", None)
        return bool(compare(a, b)) if compare is not None else a is b
