"""AT-SPI on or off, and what it exposes: for ``overt doctor`` and the consent dialog.

Many toolkits register on the accessibility bus only when told that assistive technology is
running: ``org.a11y.Status`` ``IsEnabled`` (and ``ScreenReaderEnabled``, which Qt and Chromium
watch) on the session bus. ``enable_accessibility`` sets them, only when called: the user
agrees first, because it makes every application expose its elements to every client of the
bus, and it lasts: at-spi2-core keeps the properties in GSettings
(org.gnome.desktop.a11y.applications screen-reader-enabled, org.gnome.desktop.interface
toolkit-accessibility), as GNOME's own switch does. ``set_accessibility(False)`` undoes it.
Applications started before it may need a restart.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from recorder.platform.accessibility.atspi_bus import BusUnavailable, CallFailed, CallTimedOut

STATUS_PROPERTIES = ("IsEnabled", "ScreenReaderEnabled")
STATUS = "org.a11y.Status"


@dataclass
class ExposedApp:
    """One application seen by the probe.

    Attributes:
        name: its accessible name or window class; toolkit: "gtk", "Qt", "" when unknown;
        pid: its process; windows: top-level windows it exposes (0: registered, but shows
        nothing, as an app started before accessibility was enabled may).
    """

    name: str
    toolkit: str
    pid: int | None
    windows: int


@dataclass
class AccessibilityReport:
    """What ``probe`` found.

    Attributes:
        bus: whether the accessibility bus answered; detail: one sentence why (not).
        enabled: the org.a11y.Status properties (None where unreadable).
        exposed: applications that expose elements; silent: windows of processes that are
            not on the bus (their elements cannot be recorded, e.g. Tk, or Qt without
            accessibility turned on).
    """

    bus: bool
    detail: str
    enabled: dict[str, bool | None] = field(default_factory=dict)
    exposed: list[ExposedApp] = field(default_factory=list)
    silent: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _session_status_call(method: str, body: tuple[Any, ...], signature: str, t: float) -> Any:
    from jeepney import DBusAddress, MessageType, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    try:
        session = open_dbus_connection("SESSION", auth_timeout=t)
    except (OSError, ValueError, KeyError) as error:
        raise BusUnavailable(f"the session bus cannot be reached: {error}") from error
    try:
        address = DBusAddress("/org/a11y/bus", "org.a11y.Bus", "org.freedesktop.DBus.Properties")
        reply = session.send_and_get_reply(
            new_method_call(address, method, signature, body), timeout=t
        )
    except TimeoutError as error:
        raise CallTimedOut(method) from error
    finally:
        session.close()
    if reply.header.message_type == MessageType.error:
        raise CallFailed(str(reply.body[0]) if reply.body else "error")
    return reply.body


def read_status(timeout: float = 1.0) -> dict[str, bool | None]:
    """The org.a11y.Status properties (None for one the bus would not give)."""
    out: dict[str, bool | None] = {}
    for prop in STATUS_PROPERTIES:
        try:
            body = _session_status_call("Get", (STATUS, prop), "ss", timeout)
            out[prop] = bool(body[0][1])
        except (BusUnavailable, CallFailed, CallTimedOut):
            out[prop] = None
    return out


def set_accessibility(enabled: bool, screen_reader: bool = True, timeout: float = 1.0) -> None:
    """Turn org.a11y.Status on or off (on only after the user agreed; it persists).

    Args:
        screen_reader: also set ScreenReaderEnabled, which Qt and Chromium watch.

    Raises:
        BusUnavailable: no session bus; CallFailed: the bus refused.
    """
    props = STATUS_PROPERTIES if screen_reader else STATUS_PROPERTIES[:1]
    for prop in props:
        _session_status_call("Set", (STATUS, prop, ("b", enabled)), "ssv", timeout)


def enable_accessibility(screen_reader: bool = True, timeout: float = 1.0) -> None:
    """Tell applications to expose their elements (see set_accessibility)."""
    set_accessibility(True, screen_reader, timeout)


def probe(
    client: Any = None, clients: Callable[[], list[tuple[int | None, str]]] | None = None
) -> AccessibilityReport:
    """Whether the accessibility bus answers, and which running applications expose elements.

    Args:
        client: an AtspiClient (made here when None); clients: the X server's managed
            windows as (pid, name) (``X11Windows.clients``), to name the silent ones.
    """
    from recorder.platform.accessibility.atspi import AtspiClient

    own = client is None
    client = AtspiClient(hints=False) if client is None else client
    try:
        try:
            apps = client.applications()
        except (BusUnavailable, CallFailed, CallTimedOut) as error:
            return AccessibilityReport(False, f"no accessibility bus: {error}", read_status())
        exposed = []
        for app in apps:
            try:
                windows = client.window_count(app)
            except (CallFailed, CallTimedOut):
                windows = 0
            exposed.append(ExposedApp(app.name, app.toolkit, app.pid, windows))
        pids = {app.pid for app in apps}
        silent: list[str] = []
        for pid, name in _x_clients(clients):
            label = f"{name or 'unnamed window'} (pid {pid})" if pid else name or "unnamed window"
            if (pid is None or pid not in pids) and label not in silent:
                silent.append(label)
        detail = f"the accessibility bus answers; {len(exposed)} application(s) registered"
        return AccessibilityReport(True, detail, read_status(), exposed, silent)
    finally:
        if own:
            client.close()


def _x_clients(
    clients: Callable[[], list[tuple[int | None, str]]] | None,
) -> list[tuple[int | None, str]]:
    if clients is not None:
        return clients()
    from recorder.platform.accessibility.atspi import x11_hints

    hints = x11_hints()
    if hints is None:
        return []
    try:
        return list(hints.clients())  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - doctor reports what it can
        return []
    finally:
        with contextlib.suppress(Exception):
            hints.close()
