"""Whether anything on the X screen was drawn since the last look: the X DAMAGE extension.

The grab loop looks at the screen up to 15 times a second while input is recent, and once a
second otherwise; most looks find the screen as it was. With DAMAGE on the root window, the
X server says when something was drawn, so a look with nothing drawn and no input since
reuses the previous grab instead of copying 8 MB (recorder/capture/frames.py). The report
level is "non-empty": one event when the damaged region stops being empty, re-armed by
subtracting the region. Anything uncertain answers "changed": a watcher that cannot start
is None, and the screen is then grabbed every time as before.
"""

from __future__ import annotations

import contextlib
from typing import Any


class DamageWatch:
    """One X connection with a DAMAGE object on the root window; its user's thread only."""

    def __init__(self, display: Any, damage_id: int, notify_type: int) -> None:
        self._display = display
        self._damage = damage_id
        self._notify = notify_type
        self._first = True

    @classmethod
    def open(cls) -> DamageWatch | None:
        """A watcher on the default display, or None without the extension (or a display)."""
        try:
            import Xlib.display
            from Xlib.ext import damage

            display = Xlib.display.Display()
        except Exception:  # noqa: BLE001 - no python-xlib or no display: grab every time
            return None
        try:
            if not display.has_extension(damage.extname):
                display.close()
                return None
            display.damage_query_version()
            root = display.screen().root
            damage_id = root.damage_create(damage.DamageReportNonEmpty)
            notify = display.extension_event.DamageNotify
            display.sync()
        except Exception:  # noqa: BLE001 - the server refused: grab every time
            display.close()
            return None
        return cls(display, damage_id, notify)

    def changed(self) -> bool:
        """Whether anything was drawn since the previous call (the first call says yes).

        A drawing between the event and the subtract below is cleared without an event of
        its own, but it happened before this returns, so the grab that follows holds it.
        The subtract is synced, so that grab (another connection) comes after it.
        """
        drawn = self._first
        self._first = False
        try:
            while self._display.pending_events():
                event = self._display.next_event()
                if event.type == self._notify:
                    drawn = True
            if drawn:
                self._display.damage_subtract(self._damage)
                self._display.sync()
        except Exception:  # noqa: BLE001 - connection trouble: say changed, and keep saying it
            self._first = True
            return True
        return drawn

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing a dead connection
            self._display.close()
