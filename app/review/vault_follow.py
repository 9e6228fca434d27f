"""The review window follows the vault: it opens on the newest session, and says when the
session shown was deleted elsewhere (Withdraw…, `overt delete` in a terminal, retention expiry)
instead of naming a missing file.
"""

from __future__ import annotations

from collections.abc import Callable

from app.qt.core import SignalInstance
from app.qt.loader import CurrentLoader
from app.qt.widgets import QListWidget, QPlainTextEdit, QStatusBar
from app.review.frame_panel import FramePanel
from app.review.model import ReviewModel
from app.review.scan import FrameTextScan
from app.review.session import ReviewSession
from app.review.session_list import SessionList
from storage import UnlockedVault

NO_SESSIONS = "No sessions yet: choose Record… in the tray icon's menu to record one."
GONE = (
    "This session is no longer in the vault: it was deleted elsewhere (by Withdraw…, "
    "overt delete, or when its retention ended)."
)


class FollowsTheVault:
    """What ReviewWindow (app/review/window.py) does when the vault changes under it.

    Attributes:
        _opening: the id of the session shown or opening, else None.
    """

    vault: UnlockedVault
    session: ReviewSession | None
    model: ReviewModel | None
    loader: CurrentLoader
    sessions: SessionList
    frame_panel: FramePanel
    frame_scan: FrameTextScan
    actions_list: QListWidget
    text_view: QPlainTextEdit
    failed: SignalInstance
    _opening: str | None
    open_session: Callable[..., None]
    statusBar: Callable[[], QStatusBar]
    _set_tools_enabled: Callable[[bool], None]
    _fail: Callable[[str], None]

    def _open_newest(self) -> None:
        """Open the session recorded last; with none, say so (never a false "Loading…")."""
        newest = self.sessions.newest()
        if newest is not None:
            self.open_session(newest)
        else:
            self.frame_panel.close_session(NO_SESSIONS)
            self.statusBar().showMessage(NO_SESSIONS)

    def _vault_changed(self) -> None:
        """Sessions were added or deleted elsewhere: is the one shown still there?"""
        shown = self._opening
        if shown is not None and shown not in self.sessions.ids:
            self._session_gone(shown)
        elif shown is None and self.frame_panel.view.placeholder == NO_SESSIONS:
            self._open_newest()  # the first session arrived while the window waited

    def _session_gone(self, session_id: str) -> None:
        self.loader.renew()
        self.frame_scan.stop()
        self._set_tools_enabled(False)
        self.close_session(GONE)
        self.sessions.refresh()
        self.statusBar().showMessage(f"Session {session_id}: {GONE}")
        self.failed.emit(GONE)

    def close_session(self, message: str) -> None:
        """Show no session any more, and ``message`` where its frame was."""
        self._opening = self.session = self.model = None
        self.frame_panel.close_session(message)
        self.actions_list.clear()
        self.text_view.clear()

    def _load_failed(self, message: str) -> None:
        """A session deleted while it loads fails to read: say it went, not which file."""
        if self._opening is not None and self._opening not in self.vault.vault.session_ids():
            self._session_gone(self._opening)
        else:
            self._fail(message)
