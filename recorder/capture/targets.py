"""Which window an input goes to: the window under the pointer for a click, the focused
window for keys, decided in the pipeline in time order (the input callbacks only enqueue).

The active-window report arrives a moment after the click that changed it (the window
manager focuses on the press, and the report is read after that). Labelling a click, and what
is typed right after it, with the window that was active before would record a click in a
never-record app under the previous app's name, and split text typed after a switch across
two apps. So a click moves the label to the window under the pointer at once (from the last
visible-window report, in time order with the input), and the focus report that follows for
the same window changes nothing.
"""

from __future__ import annotations

from recorder.capture.policy import Policy, WindowInfo

#: Keys are stamped when the listener's callback runs, which under load lags the key press by
#: up to ~0.1 s (seen on Xvfb with two busy cores): the last key typed into a never-record app
#: can then be stamped after the focus left it. Keys this soon after the focus leaves an
#: out-of-scope window are dropped.
KEY_LAG_S = 0.25


class WindowTargets:
    """The label input carries now, and the windows it is chosen from.

    Attributes:
        label: the window the last window record named (None: the desktop).
        focus: the window the platform last reported active.
        visible: the last visible-window report: managed windows bottom to top, then popups.
    """

    def __init__(self, policy: Policy) -> None:
        self._policy = policy
        self.label: WindowInfo | None = None
        self.focus: WindowInfo | None = None
        self.visible: list[WindowInfo] = []
        self._clicked_at = float("-inf")
        self._keys_from = float("-inf")

    def focus_changed(self, window: WindowInfo | None, t: float) -> bool:
        """The platform reports ``window`` active since ``t``; whether the label must change.

        Not when a click already moved the label to this very window, nor when the report
        is older than the last click that moved the label (it arrived late, and describes
        the screen before that click).
        """
        if not self._policy.in_scope(self.focus) and self._policy.in_scope(window):
            self._keys_from = t + KEY_LAG_S
        self.focus = window
        if window == self.label or t < self._clicked_at:
            return False
        self.label = window
        return True

    def under_pointer(self, x: int, y: int) -> WindowInfo | None:
        """The managed window a click at (x, y) moves the label to, or None to keep it.

        None when the click is on a popup (a menu belongs to the app that opened it), on the
        desktop, or on the window already labelled.
        """
        for window in reversed(self.visible):
            if not window.covers(x, y):
                continue
            if window.popup or window == self.label:
                return None
            return window
        return None

    def clicked(self, window: WindowInfo, t: float) -> None:
        """A click at ``t`` moved the label to ``window``."""
        self.label = window
        self._clicked_at = t

    def keys_in_scope(self, t: float) -> bool:
        """Whether a key at ``t`` goes to a window that may be recorded.

        Keys go to the focused window. Right after a click away from a never-record app
        the focus report may not have arrived yet; keys typed then are dropped, not labelled
        with the clicked app, so a click on a window that does not take the focus never lets
        keys typed into a denied app through. So are keys within KEY_LAG_S of the focus
        leaving an out-of-scope window.
        """
        return t >= self._keys_from and self._policy.in_scope(self.focus)

    def pointer_in_scope(self, x: int, y: int) -> bool:
        """Whether the window under (x, y) may be recorded: a scroll goes to it unfocused, and
        a button press or release over a never-record window is never kept, whatever the
        focus reports say (under load a late one can briefly name another window)."""
        for window in reversed(self.visible):
            if window.covers(x, y):
                return window.popup or self._policy.in_scope(window)
        return True
