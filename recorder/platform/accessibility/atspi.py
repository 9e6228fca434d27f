"""AT-SPI element lookup (Linux): the deepest accessible at a point, and the focused one.

Which application is at a point comes from the X server (``x11_windows``: AT-SPI has no
stacking order), then that application's windows and ``Component.GetAccessibleAtPoint``
repeated down to the deepest hit. Open menus live in their own override-redirect windows but
sit in the tree under their menu bar, so when the point is on a popup that matches no window,
the showing menu items are asked for in one ``Collection.GetMatches`` call. The focused
element is one ``GetMatches(FOCUSED)`` on the active window (a bounded walk where a toolkit
lacks Collection). Every call shares one deadline; when it runs out the answer is
``Missing("timed out")``, never the partial descent.

A password-role element's name and description are never even read.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from typing import Protocol

from recorder.platform.accessibility.atspi_apps import AppEntry, ApplicationCache, Deadline
from recorder.platform.accessibility.atspi_bus import (
    GONE_ERRORS,
    AtspiBus,
    BusUnavailable,
    CallFailed,
    CallTimedOut,
    Ref,
)
from recorder.platform.accessibility.element import (
    AMBIGUOUS,
    FAILED,
    MAX_DEPTH,
    NO_BUS,
    NO_FOCUS,
    NOT_ACCESSIBLE,
    NOTHING_AT_POINT,
    PASSWORD_ROLE,
    TIMED_OUT,
    Element,
    Missing,
    PathStep,
    contains,
    make_element,
    overlap,
)
from recorder.platform.accessibility.x11_windows import WindowHint

DEADLINE_S = 0.05
RETRY_BUS_S = 5.0  # after "no bus", how long before connecting is tried again
MAX_WINDOWS = 32  # top-level windows looked at per application
MAX_HOPS = 40  # GetAccessibleAtPoint steps in one descent
MAX_WALK = 300  # accessibles visited when a toolkit has no Collection interface

# AT-SPI state numbers (AtspiStateType) and role numbers (AtspiRole).
ACTIVE, CHECKED, EDITABLE, EXPANDED, FOCUSED, SELECTED, SHOWING = 1, 4, 7, 10, 12, 23, 25
STATE_BITS = {
    "checked": CHECKED,
    "editable": EDITABLE,
    "expanded": EXPANDED,
    "focused": FOCUSED,
    "selected": SELECTED,
}
MENU_ITEM_ROLES = [8, 33, 35, 45]  # check menu item, menu, menu item, radio menu item
SELECTION_ROLES = frozenset(
    {"menu", "menu bar", "list", "list box", "combo box", "page tab list", "tree", "tree table"}
)


def decode_states(bits: int) -> frozenset[str]:
    """The states Overt reports, from an AT-SPI state set."""
    return frozenset(name for name, bit in STATE_BITS.items() if bits >> bit & 1)


class WindowHints(Protocol):
    """Where the stacking order comes from (``X11Windows`` on X11; a fake in tests)."""

    def window_at(self, x: int, y: int) -> WindowHint | None: ...

    def active_pid(self) -> int | None: ...

    def close(self) -> None: ...


X11_SOCKETS = "/tmp/.X11-unix"  # noqa: S108 - where X servers put their local sockets


def local_display(display: str, sockets: str = X11_SOCKETS) -> bool:
    """Whether ``display`` (":0", ":99.0") is an X server on this machine's socket: Xlib
    falls back to TCP when the socket is missing, and element lookups open no network."""
    if not display.startswith(":"):
        return False
    number = display[1:].split(".", 1)[0]
    return number.isdigit() and os.path.exists(os.path.join(sockets, f"X{number}"))


def x11_hints() -> WindowHints | None:
    """X11Windows on this display, or None where there is no local X server to ask."""
    if not local_display(os.environ.get("DISPLAY", "")):
        return None
    try:
        from recorder.platform.accessibility.x11_windows import X11Windows

        return X11Windows()
    except Exception:  # noqa: BLE001 - no Xlib, no display: lookups go without stacking order
        return None


class AtspiClient:
    """An ``ElementSource`` over AT-SPI. Used from one thread (it owns one bus socket).

    Args:
        connect: opens the accessibility bus (``AtspiBus.connect``; a fake in tests).
        hints: the stacking order; ``x11_hints()`` when not given, None for none at all.
        clock: for deadlines.
    """

    def __init__(
        self,
        connect: Callable[[], AtspiBus] = AtspiBus.connect,
        hints: WindowHints | bool | None = True,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self._connect = connect
        self._hints: WindowHints | None = x11_hints() if hints is True else hints or None
        self._clock = clock
        self._bus: AtspiBus | None = None
        self._no_bus_until = 0.0
        self._no_bus_detail = ""
        self._apps = ApplicationCache(clock)

    # --- the ElementSource interface ---------------------------------------------------

    def element_at(self, x: int, y: int, deadline_s: float = DEADLINE_S) -> Element | Missing:
        return self._answer(lambda bus, d: self._element_at(bus, x, y, d), deadline_s)

    def focused_element(self, deadline_s: float = DEADLINE_S) -> Element | Missing:
        return self._answer(self._focused, deadline_s)

    def close(self) -> None:
        if self._bus is not None:
            with contextlib.suppress(OSError):
                self._bus.close()
            self._bus = None
        if self._hints is not None:
            with contextlib.suppress(Exception):
                self._hints.close()

    def prepare(self, deadline_s: float = 1.0) -> None:
        """Connect and list the applications now, with a generous deadline, so the first
        lookup of a session is not the one that pays for it (ElementLookup calls it once)."""
        with contextlib.suppress(BusUnavailable, CallFailed, CallTimedOut):
            self._apps.listed(self._open(), Deadline(self._clock, deadline_s))

    # --- for the password guard and doctor -----------------------------------------------

    def focused_role(self, deadline_s: float = DEADLINE_S) -> str | None:
        """The focused element's role ("password text" for a password field), or None when
        nothing is known (no bus, no focus, timed out)."""
        answer = self.focused_element(deadline_s)
        return answer.role if isinstance(answer, Element) else None

    def applications(self, deadline_s: float = 1.0) -> list[AppEntry]:
        """The applications on the accessibility bus.

        Raises:
            BusUnavailable: no accessibility bus.
        """
        bus = self._open()
        return self._apps.listed(bus, Deadline(self._clock, deadline_s), refresh=True)

    def window_count(self, app: AppEntry, deadline_s: float = 1.0) -> int:
        """How many top-level windows an application exposes."""
        return len(self._open().children(app.ref, deadline_s))

    # --- the lookups -----------------------------------------------------------------------

    def _answer(
        self, lookup: Callable[[AtspiBus, Deadline], Element | Missing], deadline_s: float
    ) -> Element | Missing:
        try:
            bus = self._open()
        except BusUnavailable as error:
            return Missing(NO_BUS, str(error))
        try:
            return lookup(bus, Deadline(self._clock, deadline_s))
        except CallTimedOut:
            return Missing(TIMED_OUT, f"no answer within {deadline_s * 1000:.0f} ms")
        except BusUnavailable as error:
            self._drop_bus(str(error))
            return Missing(NO_BUS, str(error))
        except CallFailed as error:
            if error.name in GONE_ERRORS:
                self._apps.expire()  # an application went away: list them again
                return Missing(NOT_ACCESSIBLE, f"the application stopped answering ({error.name})")
            return Missing(FAILED, str(error))

    def _element_at(self, bus: AtspiBus, x: int, y: int, d: Deadline) -> Element | Missing:
        hint: WindowHint | None = None
        apps = self._apps.listed(bus, d)
        if self._hints is not None:
            hint = self._hints.window_at(x, y)
            if hint is None:
                return Missing(NOTHING_AT_POINT, "no window at this point")
            if hint.pid is None:
                return Missing(NOT_ACCESSIBLE, f"window {hint.name!r} names no process")
            apps = [app for app in apps if app.pid == hint.pid]
            if not apps:
                apps = [a for a in self._apps.listed(bus, d, refresh=True) if a.pid == hint.pid]
            if not apps:
                what = hint.name or "the window"
                return Missing(NOT_ACCESSIBLE, f"{what} (pid {hint.pid}) is not on the bus")
        showing: list[tuple[AppEntry, Ref, tuple[int, int, int, int], int]] = []
        for app in apps:
            for window in bus.children(app.ref, d.left())[:MAX_WINDOWS]:
                state = bus.state(window, d.left())
                if state >> SHOWING & 1:
                    showing.append((app, window, bus.extents(window, d.left()), state))
        windows = [w for w in showing if contains(w[2], x, y)]
        if hint is not None and hint.popup:
            windows = [w for w in windows if overlap(w[2], hint.rect) > 0.5]
            if not windows:
                # A popup that is no window of its own in the tree: an open menu, or something
                # the app does not expose (a tooltip). Never the window underneath it.
                for app, window, _, _ in sorted(showing, key=lambda w: -(w[3] >> ACTIVE & 1)):
                    item = self._open_menu_item(bus, app, window, x, y, d)
                    if item is not None:
                        return self._describe(bus, app, item, self._ancestors(bus, item, d), d)
                return Missing(NOT_ACCESSIBLE, "a popup window the application does not expose")
        if not windows:
            return Missing(NOTHING_AT_POINT, "no accessible window here")
        if hint is not None:
            windows.sort(key=lambda w: (-overlap(w[2], hint.rect), -(w[3] >> ACTIVE & 1)))
        elif len(windows) > 1:
            active = [w for w in windows if w[3] >> ACTIVE & 1]
            if len(active) != 1:
                return Missing(AMBIGUOUS, "overlapping windows and no stacking order")
            windows = active
        app, window, _, _ = windows[0]
        chain = [window]
        for _ in range(MAX_HOPS):
            try:
                hit = bus.at_point(chain[-1], x, y, d.left())
            except CallFailed as error:
                if not error.unsupported:
                    raise
                break
            if hit is None or hit in chain:
                break
            chain.append(hit)
        return self._describe(bus, app, chain[-1], chain, d)

    def _open_menu_item(
        self, bus: AtspiBus, app: AppEntry, window: Ref, x: int, y: int, d: Deadline
    ) -> Ref | None:
        """The smallest showing menu item at the point (an open menu's popup), if any."""
        if not app.collection:
            return None
        try:
            items = bus.matches(window, [SHOWING], MENU_ITEM_ROLES, 0, d.left())
        except CallFailed as error:
            if not error.unsupported:
                raise
            app.collection = False
            return None
        best: tuple[int, Ref] | None = None
        for item in items[:MAX_WALK]:
            extents = bus.extents(item, d.left())
            if contains(extents, x, y) and (best is None or extents[2] * extents[3] < best[0]):
                best = (extents[2] * extents[3], item)
        return best[1] if best else None

    def _focused(self, bus: AtspiBus, d: Deadline) -> Element | Missing:
        apps = self._apps.listed(bus, d)
        pid = self._hints.active_pid() if self._hints is not None else None
        if pid is not None:
            apps = [app for app in apps if app.pid == pid]
            if not apps:
                apps = [a for a in self._apps.listed(bus, d, refresh=True) if a.pid == pid]
            if not apps:
                return Missing(NOT_ACCESSIBLE, f"the active window (pid {pid}) is not on the bus")
        for app in apps:
            for window in bus.children(app.ref, d.left())[:MAX_WINDOWS]:
                if not bus.state(window, d.left()) >> ACTIVE & 1:
                    continue
                focused = self._focused_in(bus, app, window, d)
                if focused is not None:
                    return self._describe(bus, app, focused, self._ancestors(bus, focused, d), d)
        return Missing(NO_FOCUS, "no element of the active window has the focus")

    def _focused_in(self, bus: AtspiBus, app: AppEntry, window: Ref, d: Deadline) -> Ref | None:
        if bus.state(window, d.left()) >> FOCUSED & 1:
            return window
        if app.collection:
            try:
                found = bus.matches(window, [FOCUSED], [], 1, d.left())
                return found[0] if found else None
            except CallFailed as error:
                if not error.unsupported:
                    raise
                app.collection = False
        queue, visited = [window], 0
        while queue and visited < MAX_WALK:
            node = queue.pop(0)
            visited += 1
            state = bus.state(node, d.left())
            if state >> FOCUSED & 1:
                return node
            if node == window or state >> SHOWING & 1:
                queue.extend(bus.children(node, d.left()))
        return None

    # --- describing what was found ---------------------------------------------------------

    def _ancestors(self, bus: AtspiBus, ref: Ref, d: Deadline) -> list[Ref]:
        """The chain from the element's top-level window down to it (bounded)."""
        chain = [ref]
        while len(chain) < MAX_DEPTH + 2:
            parent = bus.parent(chain[-1], d.left())
            if parent is None or parent[1].endswith("/root") or parent in chain:
                break
            chain.append(parent)
        return chain[::-1]

    def _describe(
        self, bus: AtspiBus, app: AppEntry, ref: Ref, chain: list[Ref], d: Deadline
    ) -> Element:
        levels = chain[:-1]
        if len(levels) > MAX_DEPTH - 2:  # keep the window and the nearest levels
            levels = levels[:1] + levels[-(MAX_DEPTH - 3) :]
        path: list[PathStep] = [{"role": "application", "name": app.name}]
        roles: list[str] = []
        for level in levels:
            role = bus.role(level, d.left())
            roles.append(role)
            name = None if role == PASSWORD_ROLE else bus.name(level, d.left())
            path.append({"role": role, "name": name})
        role = bus.role(ref, d.left())
        password = role == PASSWORD_ROLE
        name = None if password else bus.name(ref, d.left())
        description = None if password else bus.description(ref, d.left())
        states = decode_states(bus.state(ref, d.left()))
        try:
            bounds: tuple[int, int, int, int] | None = bus.extents(ref, d.left())
        except CallFailed as error:
            if not error.unsupported:
                raise
            bounds = None
        path.append({"role": role, "name": name})
        selected = None
        if not password:
            owners = [(role, ref)] + ([(roles[-1], levels[-1])] if levels else [])
            owner = next((r for kind, r in owners if kind in SELECTION_ROLES), None)
            if owner is not None:
                selected = self._selected(bus, owner, d)
        return make_element(role, name, description, states, bounds, path, selected, app.name)

    def _selected(self, bus: AtspiBus, owner: Ref, d: Deadline) -> PathStep | None:
        try:
            child = bus.selected_child(owner, d.left())
            if child is None:
                return None
            role = bus.role(child, d.left())
            name = None if role == PASSWORD_ROLE else bus.name(child, d.left())
        except CallFailed as error:
            # Qt names a combo box's selected row before its list exists (UnknownObject).
            if error.unsupported or error.name in GONE_ERRORS:
                return None
            raise
        return {"role": role, "name": name}

    # --- the bus and the application cache --------------------------------------------------

    def _open(self) -> AtspiBus:
        if self._bus is not None:
            return self._bus
        if self._clock() < self._no_bus_until:
            raise BusUnavailable(self._no_bus_detail)
        try:
            self._bus = self._connect()
        except BusUnavailable as error:
            self._drop_bus(str(error))
            raise
        return self._bus

    def _drop_bus(self, detail: str) -> None:
        if self._bus is not None:
            with contextlib.suppress(OSError):
                self._bus.close()
        self._bus = None
        self._apps.clear()
        self._no_bus_until = self._clock() + RETRY_BUS_S
        self._no_bus_detail = detail
