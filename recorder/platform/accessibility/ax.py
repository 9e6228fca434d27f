"""macOS Accessibility (AX) element lookup: ``AXUIElementCopyElementAtPosition`` and the
system-wide ``AXFocusedUIElement``.

AX hit-testing already answers the deepest element; the path comes from walking ``AXParent``
up to the application. Roles are mapped to AT-SPI's vocabulary; a secure text field
(``AXSecureTextField``) is ``password text`` and none of its attributes but role and frame are
read. ``AXValue`` is read only for check boxes and radio buttons (0 or 1), never for text.
The deadline is AX's own messaging timeout. The calls go through ``AxApi`` (pyobjc's
ApplicationServices, which pynput already needs on macOS), so tests pass a fake.
"""

from __future__ import annotations

from typing import Any, Protocol

from recorder.platform.accessibility.element import (
    FAILED,
    MAX_DEPTH,
    NOT_ACCESSIBLE,
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
AX_ERROR_API_DISABLED = -25211
AX_ERROR_CANNOT_COMPLETE = -25204
AX_ERROR_NO_VALUE = -25212
AX_ERROR_ATTRIBUTE_UNSUPPORTED = -25205
ROLES = {
    "AXApplication": "application", "AXWindow": "frame", "AXSheet": "dialog",
    "AXButton": "push button", "AXCheckBox": "check box", "AXRadioButton": "radio button",
    "AXTextField": "text", "AXTextArea": "text", "AXStaticText": "label",
    "AXComboBox": "combo box", "AXPopUpButton": "combo box", "AXMenuBar": "menu bar",
    "AXMenuBarItem": "menu", "AXMenu": "menu", "AXMenuItem": "menu item", "AXList": "list",
    "AXTable": "table", "AXOutline": "tree", "AXRow": "table row", "AXCell": "table cell",
    "AXGroup": "panel", "AXScrollArea": "scroll pane", "AXSlider": "slider",
    "AXTabGroup": "page tab list", "AXLink": "link", "AXImage": "image",
    "AXToolbar": "tool bar", "AXWebArea": "document web", "AXSplitGroup": "split pane",
}  # fmt: skip
SELECTION_ROLES = frozenset({"list", "table", "tree", "menu", "page tab list"})
TOGGLES = frozenset({"check box", "radio button"})


class AxError(Exception):
    """An AXError code other than success."""

    def __init__(self, code: int) -> None:
        super().__init__(f"AXError {code}")
        self.code = code


class AxApi(Protocol):
    """The AX calls used here. ``attribute`` answers None for an unsupported or empty one."""

    def element_at(self, x: float, y: float) -> Any: ...

    def focused(self) -> Any: ...

    def attribute(self, element: Any, name: str) -> Any: ...

    def set_timeout(self, seconds: float) -> None: ...


class PyobjcAx:
    """AxApi over pyobjc's ApplicationServices (imported on macOS only)."""

    def __init__(self) -> None:
        import ApplicationServices as ax

        self._ax = ax
        self._system = ax.AXUIElementCreateSystemWide()

    def _check(self, error: int) -> None:
        if error != 0:
            raise AxError(int(error))

    def element_at(self, x: float, y: float) -> Any:
        error, element = self._ax.AXUIElementCopyElementAtPosition(self._system, x, y, None)
        self._check(error)
        return element

    def focused(self) -> Any:
        return self.attribute(self._system, "AXFocusedUIElement")

    def attribute(self, element: Any, name: str) -> Any:
        error, value = self._ax.AXUIElementCopyAttributeValue(element, name, None)
        if error in (AX_ERROR_NO_VALUE, AX_ERROR_ATTRIBUTE_UNSUPPORTED):
            return None
        self._check(error)
        if name in ("AXPosition", "AXSize") and value is not None:
            kind = (
                self._ax.kAXValueCGPointType
                if name == "AXPosition"
                else self._ax.kAXValueCGSizeType
            )
            ok, point = self._ax.AXValueGetValue(value, kind, None)
            if not ok:
                return None
            return (point.x, point.y) if name == "AXPosition" else (point.width, point.height)
        return value

    def set_timeout(self, seconds: float) -> None:
        self._ax.AXUIElementSetMessagingTimeout(self._system, float(seconds))


class AxSource:
    """An ``ElementSource`` over macOS Accessibility (needs the Accessibility permission,
    which input capture needs anyway)."""

    def __init__(self, api: AxApi | None = None) -> None:
        self._api: AxApi = PyobjcAx() if api is None else api
        self._timeout: float | None = None

    def element_at(self, x: int, y: int, deadline_s: float = DEADLINE_S) -> Element | Missing:
        return self._answer(lambda: self._api.element_at(float(x), float(y)), deadline_s)

    def focused_element(self, deadline_s: float = DEADLINE_S) -> Element | Missing:
        return self._answer(self._api.focused, deadline_s)

    def close(self) -> None:
        """Nothing to release (AX elements are reference counted by pyobjc)."""

    def _answer(self, find: Any, deadline_s: float) -> Element | Missing:
        if self._timeout != deadline_s:
            self._api.set_timeout(deadline_s)
            self._timeout = deadline_s
        try:
            element = find()
            if element is None:
                return Missing(NOTHING_AT_POINT, "AX found no element")
            return self._describe(element)
        except AxError as error:
            if error.code == AX_ERROR_API_DISABLED:
                return Missing(NOT_ACCESSIBLE, "the Accessibility permission is not granted")
            if error.code == AX_ERROR_CANNOT_COMPLETE:
                return Missing(TIMED_OUT, f"no answer within {deadline_s * 1000:.0f} ms")
            return Missing(FAILED, str(error))

    def _role(self, element: Any) -> str:
        if self._api.attribute(element, "AXSubrole") == "AXSecureTextField":
            return PASSWORD_ROLE
        raw = str(self._api.attribute(element, "AXRole") or "AXUnknown")
        return ROLES.get(raw, raw.removeprefix("AX").lower())

    def _name(self, element: Any, role: str) -> Any:
        if role == PASSWORD_ROLE:
            return None
        attribute = self._api.attribute
        return attribute(element, "AXTitle") or attribute(element, "AXDescription")

    def _describe(self, element: Any) -> Element:
        attribute = self._api.attribute
        role = self._role(element)
        password = role == PASSWORD_ROLE
        name = self._name(element, role)
        description = None if password else attribute(element, "AXHelp")
        position, size = attribute(element, "AXPosition"), attribute(element, "AXSize")
        bounds = None
        if position is not None and size is not None:
            bounds = (int(position[0]), int(position[1]), int(size[0]), int(size[1]))
        value = attribute(element, "AXValue") if role in TOGGLES else None
        states = states_from(
            {
                "focused": bool(attribute(element, "AXFocused")),
                "selected": bool(attribute(element, "AXSelected")),
                "checked": value == 1,
                "expanded": bool(attribute(element, "AXExpanded")),
                "editable": role in ("text", PASSWORD_ROLE),
                "password": password,
            }
        )
        path, app = self._path(element)
        path.append({"role": role, "name": name})
        selected: PathStep | None = None
        if not password and role in SELECTION_ROLES:
            chosen = attribute(element, "AXSelectedChildren") or attribute(
                element, "AXSelectedRows"
            )
            if chosen:
                item_role = self._role(chosen[0])
                selected = {"role": item_role, "name": self._name(chosen[0], item_role)}
        elif not password and role == "combo box":
            text = attribute(element, "AXTitle") or attribute(element, "AXValue")
            selected = {"role": "menu item", "name": text} if isinstance(text, str) else None
        return make_element(role, name, description, states, bounds, path, selected, app)

    def _path(self, element: Any) -> tuple[list[PathStep], str | None]:
        """Application > window > ... > the element's parent, and the application's name."""
        levels: list[PathStep] = []
        node = self._api.attribute(element, "AXParent")
        app = None
        while node is not None and len(levels) < MAX_DEPTH:
            role = self._role(node)
            name = self._name(node, role)
            levels.append({"role": role, "name": name})
            if role == "application":
                app = name if isinstance(name, str) else None
                break
            node = self._api.attribute(node, "AXParent")
        return levels[::-1], app
