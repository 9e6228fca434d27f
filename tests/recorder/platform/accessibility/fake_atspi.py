"""A fake accessibility bus: a tree of accessibles answering AtspiBus's questions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from recorder.platform.accessibility.atspi_bus import REGISTRY, CallFailed, CallTimedOut, Ref
from recorder.platform.accessibility.element import contains
from recorder.platform.accessibility.x11_windows import WindowHint

SHOWING, ACTIVE, FOCUSED = 25, 1, 12
ROLE_NUMBERS = {"menu": 33, "menu item": 35, "check menu item": 8, "radio menu item": 45}


@dataclass
class Node:
    role: str
    name: str = ""
    extents: tuple[int, int, int, int] = (0, 0, 0, 0)
    states: set[int] = field(default_factory=lambda: {SHOWING})
    description: str = ""
    children: list[Node] = field(default_factory=list)
    selected: Node | None = None
    ref: Ref = ("", "")
    parent: Node | None = None


class FakeClock:
    """Time that moves only when the fake bus answers a call."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class FakeBus:
    """Answers like AtspiBus from a tree of Nodes; every call costs ``call_s`` of FakeClock.

    Attributes:
        calls: (method, ref) of every call, to check what was (not) read.
    """

    def __init__(self, clock: FakeClock | None = None, call_s: float = 0.0001) -> None:
        self.clock = clock or FakeClock()
        self.call_s = call_s
        self.apps: list[tuple[Node, int, str]] = []
        self.nodes: dict[Ref, Node] = {}
        self.calls: list[tuple[str, Ref]] = []
        self.no_collection: set[str] = set()
        self.hang: Callable[[str, Ref], bool] = lambda method, ref: False
        self.closed = False

    def add_app(self, app: Node, pid: int, toolkit: str = "gtk") -> Node:
        bus_name = f":1.{len(self.apps) + 1}"
        self._register(app, bus_name, None)
        app.ref = (bus_name, "/org/a11y/atspi/accessible/root")
        self.nodes[app.ref] = app
        self.apps.append((app, pid, toolkit))
        return app

    def _register(self, node: Node, bus_name: str, parent: Node | None) -> None:
        node.parent = parent
        node.ref = (bus_name, f"/org/a11y/atspi/accessible/{len(self.nodes) + 1}")
        self.nodes[node.ref] = node
        for child in node.children:
            self._register(child, bus_name, node)

    def _tick(self, method: str, ref: Ref, timeout: float) -> Node | None:
        self.calls.append((method, ref))
        if self.hang(method, ref):
            self.clock.now += timeout
            raise CallTimedOut(method)
        self.clock.now += self.call_s
        if ref == REGISTRY:
            return None
        if ref not in self.nodes:
            raise CallFailed("org.freedesktop.DBus.Error.UnknownObject")
        return self.nodes[ref]

    def close(self) -> None:
        self.closed = True

    def children(self, ref: Ref, timeout: float) -> list[Ref]:
        node = self._tick("children", ref, timeout)
        if node is None:
            return [app.ref for app, _, _ in self.apps]
        return [child.ref for child in node.children]

    def role(self, ref: Ref, timeout: float) -> str:
        node = self._tick("role", ref, timeout)
        assert node is not None
        return node.role

    def name(self, ref: Ref, timeout: float) -> str:
        node = self._tick("name", ref, timeout)
        assert node is not None
        return node.name

    def description(self, ref: Ref, timeout: float) -> str:
        node = self._tick("description", ref, timeout)
        assert node is not None
        return node.description

    def parent(self, ref: Ref, timeout: float) -> Ref | None:
        node = self._tick("parent", ref, timeout)
        assert node is not None
        return node.parent.ref if node.parent is not None else None

    def state(self, ref: Ref, timeout: float) -> int:
        node = self._tick("state", ref, timeout)
        assert node is not None
        return sum(1 << bit for bit in node.states)

    def extents(self, ref: Ref, timeout: float) -> tuple[int, int, int, int]:
        node = self._tick("extents", ref, timeout)
        assert node is not None
        return node.extents

    def at_point(self, ref: Ref, x: int, y: int, timeout: float) -> Ref | None:
        node = self._tick("at_point", ref, timeout)
        assert node is not None
        for child in node.children:  # like ATK: the first child whose extents hold the point
            if SHOWING in child.states and contains(child.extents, x, y):
                return child.ref
        return None

    def selected_child(self, ref: Ref, timeout: float) -> Ref | None:
        node = self._tick("selected_child", ref, timeout)
        assert node is not None
        return node.selected.ref if node.selected is not None else None

    def matches(
        self, ref: Ref, states: list[int], roles: list[int], count: int, timeout: float
    ) -> list[Ref]:
        node = self._tick("matches", ref, timeout)
        assert node is not None
        if ref[0] in self.no_collection:
            raise CallFailed("org.freedesktop.DBus.Error.UnknownMethod")
        found: list[Ref] = []
        stack = list(reversed(node.children))
        while stack:
            current = stack.pop()
            role_ok = not roles or ROLE_NUMBERS.get(current.role) in roles
            if role_ok and all(bit in current.states for bit in states):
                found.append(current.ref)
            stack.extend(reversed(current.children))
        return found[:count] if count else found

    def pid(self, bus_name: str, timeout: float) -> int:
        self._tick("pid", REGISTRY, timeout)
        return next(pid for app, pid, _ in self.apps if app.ref[0] == bus_name)

    def toolkit(self, app: Ref, timeout: float) -> str:
        self._tick("toolkit", app, timeout)
        return next(tk for node, _, tk in self.apps if node.ref == app)


class FakeHints:
    """The X server's stacking order, as a list of (rect, pid, popup), topmost first."""

    def __init__(self, windows: list[tuple[tuple[int, int, int, int], int | None, bool]]) -> None:
        self.windows = windows
        self.active: int | None = None
        self.closed = False

    def window_at(self, x: int, y: int) -> WindowHint | None:
        for rect, pid, popup in self.windows:
            if contains(rect, x, y):
                return WindowHint(pid, rect, popup, f"app{pid}")
        return None

    def active_pid(self) -> int | None:
        return self.active

    def close(self) -> None:
        self.closed = True


def gtk_like_app() -> tuple[Node, dict[str, Node]]:
    """A GTK3-shaped tree: frame > filler > (menu bar > File > items, widgets, combo)."""
    open_item = Node("menu item", "Open report", (101, 125, 139, 25), states=set())
    quit_item = Node("menu item", "Quit now", (101, 150, 139, 25), states=set())
    file_menu = Node("menu", "File", (101, 100, 39, 25), children=[open_item, quit_item])
    bar = Node("menu bar", "", (101, 100, 520, 25), children=[file_menu])
    button = Node("push button", "Save report", (101, 133, 520, 34), states={SHOWING, FOCUSED})
    entry = Node("text", "Subject", (101, 175, 520, 34), states={SHOWING, 7})
    password = Node("password text", "Password", (101, 217, 520, 34), description="secret hint")
    alpha = Node("menu item", "Alpha", states={23})
    combo_menu = Node("menu", "", children=[alpha, Node("menu item", "Beta")], states=set())
    combo = Node("combo box", "Alpha", (101, 259, 520, 34), children=[combo_menu], selected=alpha)
    filler = Node(
        "filler", "", (101, 100, 520, 360), children=[bar, button, entry, password, combo]
    )
    frame = Node(
        "frame", "Overt grounding GTK", (100, 80, 522, 385), {SHOWING, ACTIVE}, children=[filler]
    )
    app = Node("application", "gtkapp", children=[frame])
    widgets = {
        "frame": frame,
        "filler": filler,
        "button": button,
        "entry": entry,
        "password": password,
        "combo": combo,
        "file": file_menu,
        "open": open_item,
        "quit": quit_item,
        "alpha": alpha,
    }
    return app, widgets
