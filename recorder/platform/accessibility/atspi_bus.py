"""The AT-SPI accessibility bus over D-Bus, with jeepney (pure Python, no PyGObject).

The session bus's ``org.a11y.Bus`` names the accessibility bus; every application that
exposes elements registers there, under the registry root. Each call takes its own timeout
(what is left of a lookup's deadline); a reply that arrives after it is dropped unread.

An ``AtspiBus`` is one socket and is not thread-safe: each thread that looks things up (the
lookup worker, the password guard) opens its own.
"""

from __future__ import annotations

import os
from typing import Any, cast

Ref = tuple[str, str]  # (bus name, object path): how AT-SPI names an accessible

NULL_PATH = "/org/a11y/atspi/null"
REGISTRY: Ref = ("org.a11y.atspi.Registry", "/org/a11y/atspi/accessible/root")
ACCESSIBLE = "org.a11y.atspi.Accessible"
COMPONENT = "org.a11y.atspi.Component"
SELECTION = "org.a11y.atspi.Selection"
COLLECTION = "org.a11y.atspi.Collection"
APPLICATION = "org.a11y.atspi.Application"
PROPERTIES = "org.freedesktop.DBus.Properties"
SCREEN = 0  # ATSPI_COORD_TYPE_SCREEN: global screen pixels
MATCH_ALL, MATCH_ANY = 1, 2
SORT_CANONICAL = 1
MATCH_RULE = "(aiia{ss}iaiiasib)uib"

#: AtspiRole numbers to AT-SPI's own role names (at-spi2-core 2.46). A toolkit's GetRoleName
#: may disagree (Qt 6 names a password field "text" while its role number says "password text").
ROLE_NAMES = (
    "invalid", "accelerator label", "alert", "animation", "arrow", "calendar", "canvas",
    "check box", "check menu item", "color chooser", "column header", "combo box", "date editor",
    "desktop icon", "desktop frame", "dial", "dialog", "directory pane", "drawing area",
    "file chooser", "filler", "focus traversable", "font chooser", "frame", "glass pane",
    "html container", "icon", "image", "internal frame", "label", "layered pane", "list",
    "list item", "menu", "menu bar", "menu item", "option pane", "page tab", "page tab list",
    "panel", "password text", "popup menu", "progress bar", "push button", "radio button",
    "radio menu item", "root pane", "row header", "scroll bar", "scroll pane", "separator",
    "slider", "spin button", "split pane", "status bar", "table", "table cell",
    "table column header", "table row header", "tearoff menu item", "terminal", "text",
    "toggle button", "tool bar", "tool tip", "tree", "tree table", "unknown", "viewport",
    "window", "extended", "header", "footer", "paragraph", "ruler", "application", "autocomplete",
    "editbar", "embedded", "entry", "chart", "caption", "document frame", "heading", "page",
    "section", "redundant object", "form", "link", "input method window", "table row",
    "tree item", "document spreadsheet", "document presentation", "document text", "document web",
    "document email", "comment", "list box", "grouping", "image map", "notification", "info bar",
    "level bar", "title bar", "block quote", "audio", "video", "definition", "article",
    "landmark", "log", "marquee", "math", "rating", "timer", "static", "math fraction",
    "math root", "subscript", "superscript", "description list", "description term",
    "description value", "footnote", "content deletion", "content insertion", "mark",
    "suggestion", "push button menu",
)  # fmt: skip

# D-Bus errors that mean "this object or app is gone or does not do that".
GONE_ERRORS = (
    "org.freedesktop.DBus.Error.ServiceUnknown",
    "org.freedesktop.DBus.Error.UnknownObject",
    "org.freedesktop.DBus.Error.NoReply",
    "org.freedesktop.DBus.Error.Disconnected",
)
UNSUPPORTED_ERRORS = (
    "org.freedesktop.DBus.Error.UnknownMethod",
    "org.freedesktop.DBus.Error.UnknownInterface",
    "org.freedesktop.DBus.Error.UnknownProperty",
    "org.freedesktop.DBus.Error.InvalidArgs",
)


class BusUnavailable(Exception):
    """No session bus, or it names no accessibility bus, or that bus cannot be reached."""


class CallFailed(Exception):
    """A D-Bus error reply; ``name`` is the error's name."""

    def __init__(self, name: str, message: str = "") -> None:
        super().__init__(f"{name}: {message}" if message else name)
        self.name = name

    @property
    def unsupported(self) -> bool:
        """The object exists but lacks that interface or method (a toolkit's choice)."""
        return self.name in UNSUPPORTED_ERRORS


class CallTimedOut(Exception):
    """No reply within the time allowed."""


def bitset(values: list[int], words: int) -> list[int]:
    """AT-SPI's bit sets (states, roles in match rules) as ``words`` 32-bit integers."""
    out = [0] * words
    for value in values:
        out[value // 32] |= 1 << (value % 32)
    # D-Bus 'i' is signed: a set top bit must travel as a negative number.
    return [word - (1 << 32) if word >= 1 << 31 else word for word in out]


def accessibility_bus_address(timeout: float = 1.0) -> str:
    """Where the accessibility bus is: ``AT_SPI_BUS_ADDRESS`` when set (as libatspi, GTK and
    Qt read it), else the session bus's answer (which starts the bus if needed).

    Raises:
        BusUnavailable: no session bus, or it does not answer.
    """
    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    if os.environ.get("AT_SPI_BUS_ADDRESS"):
        return os.environ["AT_SPI_BUS_ADDRESS"]
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        raise BusUnavailable("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
    try:
        session = open_dbus_connection("SESSION", auth_timeout=timeout)
    except (OSError, ValueError, KeyError) as error:
        raise BusUnavailable(f"the session bus cannot be reached: {error}") from error
    try:
        address = DBusAddress("/org/a11y/bus", "org.a11y.Bus", "org.a11y.Bus")
        reply = session.send_and_get_reply(new_method_call(address, "GetAddress"), timeout=timeout)
    except (OSError, TimeoutError) as error:
        raise BusUnavailable(f"org.a11y.Bus did not answer: {error}") from error
    finally:
        session.close()
    body = reply.body
    if not body or not isinstance(body[0], str) or not body[0]:
        detail = body[0] if body else "no address"
        raise BusUnavailable(f"org.a11y.Bus gave no accessibility bus address ({detail})")
    return body[0]


class AtspiBus:
    """Calls on the accessibility bus, one method per AT-SPI question this package asks."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    @classmethod
    def connect(cls, timeout: float = 1.0) -> AtspiBus:
        """Open the accessibility bus.

        Raises:
            BusUnavailable: see accessibility_bus_address, or the bus refused the connection.
        """
        from jeepney.io.blocking import open_dbus_connection

        address = accessibility_bus_address(timeout)
        try:
            return cls(open_dbus_connection(address, auth_timeout=timeout))
        except (OSError, ValueError, TimeoutError) as error:
            raise BusUnavailable(f"the accessibility bus cannot be reached: {error}") from error

    def close(self) -> None:
        self._connection.close()

    def call(
        self,
        ref: Ref,
        interface: str,
        method: str,
        timeout: float,
        signature: str | None = None,
        body: tuple[Any, ...] = (),
    ) -> tuple[Any, ...]:
        """One method call's reply body.

        Raises:
            CallTimedOut: no reply in ``timeout`` seconds.
            CallFailed: an error reply.
            BusUnavailable: the connection broke.
        """
        from jeepney import DBusAddress, MessageType, new_method_call
        from jeepney.low_level import HeaderFields

        if timeout <= 0:
            raise CallTimedOut(method)
        message = new_method_call(DBusAddress(ref[1], ref[0], interface), method, signature, body)
        try:
            reply = self._connection.send_and_get_reply(message, timeout=timeout)
        except TimeoutError as error:
            raise CallTimedOut(method) from error
        except OSError as error:
            raise BusUnavailable(f"the accessibility bus connection broke: {error}") from error
        if reply.header.message_type == MessageType.error:
            name = str(reply.header.fields.get(HeaderFields.error_name, "error"))
            text = reply.body[0] if reply.body and isinstance(reply.body[0], str) else ""
            raise CallFailed(name, text)
        return cast(tuple[Any, ...], reply.body)

    def get(self, ref: Ref, interface: str, prop: str, timeout: float) -> Any:
        """One property's value."""
        body = self.call(ref, PROPERTIES, "Get", timeout, "ss", (interface, prop))
        return body[0][1]  # a variant: (signature, value)

    def set(self, ref: Ref, interface: str, prop: str, value: tuple[str, Any], t: float) -> None:
        """Set one property to a (signature, value) variant."""
        self.call(ref, PROPERTIES, "Set", t, "ssv", (interface, prop, value))

    # --- the questions -------------------------------------------------------------------

    def children(self, ref: Ref, timeout: float) -> list[Ref]:
        found = self.call(ref, ACCESSIBLE, "GetChildren", timeout)[0]
        return [(str(bus), str(path)) for bus, path in found]

    def role(self, ref: Ref, timeout: float) -> str:
        """The role's name, from its number (GetRoleName where the number is new to us)."""
        number = int(self.call(ref, ACCESSIBLE, "GetRole", timeout)[0])
        if 0 < number < len(ROLE_NAMES):
            return ROLE_NAMES[number]
        return str(self.call(ref, ACCESSIBLE, "GetRoleName", timeout)[0])

    def name(self, ref: Ref, timeout: float) -> str:
        return str(self.get(ref, ACCESSIBLE, "Name", timeout))

    def description(self, ref: Ref, timeout: float) -> str:
        return str(self.get(ref, ACCESSIBLE, "Description", timeout))

    def parent(self, ref: Ref, timeout: float) -> Ref | None:
        value = self.get(ref, ACCESSIBLE, "Parent", timeout)
        return None if value[1] == NULL_PATH else (str(value[0]), str(value[1]))

    def state(self, ref: Ref, timeout: float) -> int:
        """The state set as one integer (bit n = AT-SPI state n)."""
        words = self.call(ref, ACCESSIBLE, "GetState", timeout)[0]
        return sum((int(word) & 0xFFFFFFFF) << (32 * i) for i, word in enumerate(words))

    def extents(self, ref: Ref, timeout: float) -> tuple[int, int, int, int]:
        x, y, w, h = self.call(ref, COMPONENT, "GetExtents", timeout, "u", (SCREEN,))[0]
        return int(x), int(y), int(w), int(h)

    def at_point(self, ref: Ref, x: int, y: int, timeout: float) -> Ref | None:
        hit = self.call(ref, COMPONENT, "GetAccessibleAtPoint", timeout, "iiu", (x, y, SCREEN))[0]
        return None if hit[1] == NULL_PATH else (str(hit[0]), str(hit[1]))

    def selected_child(self, ref: Ref, timeout: float) -> Ref | None:
        hit = self.call(ref, SELECTION, "GetSelectedChild", timeout, "i", (0,))[0]
        return None if hit[1] == NULL_PATH else (str(hit[0]), str(hit[1]))

    def matches(
        self, ref: Ref, states: list[int], roles: list[int], count: int, timeout: float
    ) -> list[Ref]:
        """Descendants with all of ``states`` and any of ``roles`` (Collection.GetMatches),
        searched by the application itself: one call instead of a walk."""
        rule: tuple[Any, ...] = (
            bitset(states, 2),
            MATCH_ALL,
            {},
            MATCH_ALL,
            bitset(roles, 4),
            MATCH_ANY if roles else MATCH_ALL,
            [],
            MATCH_ALL,
            False,
        )
        body = (rule, SORT_CANONICAL, count, True)
        found = self.call(ref, COLLECTION, "GetMatches", timeout, MATCH_RULE, body)[0]
        return [(str(bus), str(path)) for bus, path in found]

    def pid(self, bus_name: str, timeout: float) -> int:
        """The process behind an application's connection (asked of the bus itself)."""
        daemon = ("org.freedesktop.DBus", "/org/freedesktop/DBus")
        body = self.call(
            daemon, "org.freedesktop.DBus", "GetConnectionUnixProcessID", timeout, "s", (bus_name,)
        )
        return int(body[0])

    def toolkit(self, app: Ref, timeout: float) -> str:
        return str(self.get(app, APPLICATION, "ToolkitName", timeout))
