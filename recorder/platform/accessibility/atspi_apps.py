"""The applications on the AT-SPI bus, cached between lookups, and a lookup's deadline.

Asking the registry for its children is one call; each new application's pid (from the bus
daemon), name and toolkit are asked once and kept while it stays registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from recorder.platform.accessibility.atspi_bus import (
    REGISTRY,
    AtspiBus,
    CallFailed,
    CallTimedOut,
    Ref,
)

APPS_TTL_S = 1.0  # how long the registry's application list is trusted


class Deadline:
    """One lookup's time limit, shared by all its calls."""

    def __init__(self, clock: Callable[[], float], seconds: float) -> None:
        self._clock = clock
        self.end = clock() + seconds

    def left(self) -> float:
        """Seconds left for the next call.

        Raises:
            CallTimedOut: none are.
        """
        remaining = self.end - self._clock()
        if remaining <= 0:
            raise CallTimedOut("deadline")
        return remaining


@dataclass
class AppEntry:
    """One application on the accessibility bus.

    Attributes:
        ref: its root accessible; pid: its process; name: the application's name;
        toolkit: "gtk", "Qt", ...; collection: whether it answers Collection.GetMatches
        (set to False the first time it does not).
    """

    ref: Ref
    pid: int | None
    name: str
    toolkit: str
    collection: bool = True


class ApplicationCache:
    """The registry's applications, listed again after APPS_TTL_S or when asked to."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._apps: dict[Ref, AppEntry] = {}
        self._listed_at = -APPS_TTL_S

    def expire(self) -> None:
        """List the applications again next time (one went away)."""
        self._listed_at = -APPS_TTL_S

    def clear(self) -> None:
        self._apps.clear()
        self.expire()

    def listed(self, bus: AtspiBus, d: Deadline, refresh: bool = False) -> list[AppEntry]:
        if refresh or self._clock() - self._listed_at >= APPS_TTL_S:
            fresh: dict[Ref, AppEntry] = {}
            for ref in bus.children(REGISTRY, d.left()):
                entry = self._apps.get(ref)
                fresh[ref] = entry if entry is not None else self._new(bus, ref, d)
            self._apps = fresh
            self._listed_at = self._clock()
        return list(self._apps.values())

    @staticmethod
    def _new(bus: AtspiBus, ref: Ref, d: Deadline) -> AppEntry:
        try:
            pid: int | None = bus.pid(ref[0], d.left())
        except CallFailed:
            pid = None
        try:
            toolkit = bus.toolkit(ref, d.left())
        except CallFailed:
            toolkit = ""
        return AppEntry(ref, pid, bus.name(ref, d.left()), toolkit)
