"""The review window: see everything a session holds, redact, delete, approve.

Storage work (opening, decoding frames, redacting) runs in a QThreadPool; the GUI thread
only paints. The window puts its panels together (sessions, frame, tools, and the tabs of
actions, typed text, suggestions and the redaction log), loads a session into them, and runs
every change through one ChangeRunner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.qt.core import QRect, Qt, QThreadPool, Signal
from app.qt.loader import CurrentLoader
from app.qt.widgets import (
    QAbstractItemView,
    QListWidget,
    QPlainTextEdit,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from app.review.change_runner import ChangeRunner
from app.review.commands import ReviewCommands
from app.review.dialogs import PreviewDialog, ask_frames_too
from app.review.frame_panel import FramePanel
from app.review.labels import redaction_label
from app.review.model import ReviewModel
from app.review.previews import Preview
from app.review.scan import FrameTextScan
from app.review.session import Records, ReviewSession
from app.review.session_list import SessionList
from app.review.suggestions_panel import SuggestionsPanel
from app.review.task_commands import TaskCommands, ask_instruction
from app.review.tasks_panel import TasksPanel
from app.review.text_panel import TypedTextPanel
from app.review.tools_row import ToolsRow
from app.review.vault_follow import FollowsTheVault
from app.review.window_keys import bind_keys, fit_to_screen
from storage import UnlockedVault
from storage.elements import by_action
from storage.scan import text as scanner


class ReviewWindow(FollowsTheVault, ReviewCommands, TaskCommands):
    """Sessions on top; the frame, timeline and tools in the middle; actions and text right.

    Attributes:
        vault: the unlocked vault.
        session: the session under review (None until one is opened).
        model: its records for display (None until loaded).
        index: the frame shown (or wanted).
        confirm: asks the person to confirm a preview (a dialog; tests replace it).
        ask_frames_too: asks whether deleting actions deletes their frames (tests replace it).
        pool: the worker threads.
        sessions, frame_panel, tools, tabs, text_panel, suggestions_panel: the panels; their
            widgets the tests and the demo reach (view, timeline, position, actions_list,
            search, text_view, suggestions_list, log_view...) are attributes here too.

    Signals:
        sessionOpened(str): a session's frame list is loaded.
        recordsLoaded(str): its events and actions are loaded.
        frameShown(int): a frame is on screen.
        changed(str): a change was applied (its one-line result).
        frameTextFound(int): a frame scan finished; how many suggestions it added.
        textChangeOffered(bool): *Remove every occurrence…* searched the frames and offered
            its change; whether the person confirmed it (it then runs).
        failed(str): something failed (one sentence, also shown to the person).
        studiesRead(): the session list's Study column was filled from the consents.
    """

    sessionOpened = Signal(str)
    recordsLoaded = Signal(str)
    frameShown = Signal(int)
    changed = Signal(str)
    failed = Signal(str)
    studiesRead = Signal()
    frameTextFound = Signal(int)
    textChangeOffered = Signal(bool)

    def __init__(self, vault: UnlockedVault, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault = vault
        self.session: ReviewSession | None = None
        self.model: ReviewModel | None = None
        self.confirm: Callable[[Preview], bool] = self._confirm_dialog
        self.ask_frames_too: Callable[[range], bool | None] = lambda f: ask_frames_too(self, f)
        self.ask_instruction: Callable[[str, str], str | None] = lambda title, current: (
            ask_instruction(self, title, current)
        )
        self.episodes: list[dict[str, Any]] = []
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self.loader = CurrentLoader(self.pool)
        self.runner = ChangeRunner(self.pool, lambda preview: self.confirm(preview), self)
        self.runner.status.connect(lambda line: self.statusBar().showMessage(line))
        self.runner.started.connect(self._change_started)
        self.runner.applied.connect(self._change_applied)
        self.runner.failed.connect(self._change_failed)
        self._records_after_first_frame = False
        self._opening: str | None = None  # the session shown, or opening
        self.setWindowTitle("Overt: review")
        fit_to_screen(self)
        self._build()
        bind_keys(self)
        self.refresh_sessions()
        self._open_newest()

    @property
    def index(self) -> int:
        """The frame shown (or wanted)."""
        return self.frame_panel.index

    # --- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.sessions = SessionList(self.vault, self.pool)
        self.sessions.chosen.connect(self._session_chosen)
        self.sessions.studiesRead.connect(self.studiesRead)
        self.sessions.vaultChanged.connect(self._vault_changed)
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.addWidget(self._build_frame_panel(), 1)
        centre_layout.addWidget(self._build_tools())
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(centre)
        split.addWidget(self._build_tabs())
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([1000, 400])
        root = QSplitter(Qt.Orientation.Vertical)
        root.addWidget(self.sessions)
        root.addWidget(split)
        root.setStretchFactor(0, 0)
        root.setStretchFactor(1, 1)
        root.setSizes([110, 800])
        outer = QWidget()
        outer_layout = QVBoxLayout(outer)
        outer_layout.setContentsMargins(8, 8, 8, 4)
        outer_layout.addWidget(root)
        self.setCentralWidget(outer)
        self.statusBar().setSizeGripEnabled(False)
        self._set_tools_enabled(False)

    def _build_frame_panel(self) -> FramePanel:
        panel = self.frame_panel = FramePanel(self.loader)
        panel.shown.connect(self._frame_shown)
        panel.failed.connect(self._load_failed)
        panel.view.regionSelected.connect(self._region_drawn)
        self.view, self.timeline, self.position = panel.view, panel.timeline, panel.position
        return panel

    def _build_tools(self) -> ToolsRow:
        tools = self.tools = ToolsRow(self)
        tools.redact_region_button.clicked.connect(self._redact_region_clicked)
        tools.delete_events_button.clicked.connect(self._delete_selected_clicked)
        tools.delete_range_button.clicked.connect(self._delete_range_clicked)
        tools.titles_button.clicked.connect(self._titles_clicked)
        tools.delete_session_button.clicked.connect(self._delete_session_clicked)
        tools.approve_button.clicked.connect(self._approve_clicked)
        self.approve_button = tools.approve_button
        return tools

    def _build_tabs(self) -> QTabWidget:
        self.actions_list = QListWidget()
        self.actions_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.actions_list.currentRowChanged.connect(self.frame_panel.show_action)
        text = self.text_panel = TypedTextPanel(lambda: self.model)
        text.redact_text_button.clicked.connect(self._redact_selection_clicked)
        text.redact_all_button.clicked.connect(self._redact_text_clicked)
        self.search, self.text_view = text.search, text.text_view
        self.search_result = text.search_result
        self.frame_scan = FrameTextScan(self.vault, self.pool, self._session_id)
        self.frame_scan.message.connect(self.statusBar().showMessage)
        found = SuggestionsPanel(
            self.vault.home,
            lambda: self.model,
            self._session_id,
            self.frame_scan.button,
        )
        self.suggestions_panel = found
        self.frame_scan.found.connect(found.scan_found)
        found.chosen.connect(self.frame_panel.show_suggestion)
        found.counted.connect(self._suggestions_counted)
        found.dismissed.connect(text.highlight)
        found.frameTextFound.connect(self.frameTextFound)
        found.status.connect(self.statusBar().showMessage)
        found.failed.connect(self._fail)
        found.accept_suggestion_button.clicked.connect(lambda: self.accept_suggestion())
        found.dismiss_suggestion_button.clicked.connect(lambda: self.dismiss_suggestion())
        self.suggestions_list, self.suggestions_tab = found.suggestions_list, found
        self.log_view = QPlainTextEdit()
        self.log_view.setReadOnly(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.actions_list, "Actions")
        self.tabs.addTab(text, "Typed text")
        self.tabs.addTab(found, "Suggestions")
        self.tasks_panel = TasksPanel()
        self.tasks_panel.requested.connect(self._task_requested)
        self.tasks_panel.chosen.connect(self._task_chosen)
        self.tabs.addTab(self.tasks_panel, "Tasks")
        self.tabs.addTab(self.log_view, "Redaction log")
        return self.tabs

    def _set_tools_enabled(self, on: bool) -> None:
        text = self.text_panel
        for w in (
            *self.tools.buttons(),
            text.redact_text_button,
            text.redact_all_button,
            *self.suggestions_panel.buttons(),
            *self.frame_panel.step_buttons(),
        ):
            w.setEnabled(on)
        self.frame_scan.set_available(on)
        self.tasks_panel.set_editable(on)

    # --- sessions -------------------------------------------------------------------------

    def refresh_sessions(self) -> None:
        """Re-read the session list from the vault's index (studies from the consents)."""
        self.sessions.refresh()

    def _session_id(self) -> str | None:
        return self.session.session_id if self.session else None

    def _session_chosen(self, session_id: str) -> None:
        if self.session is None or self.session.session_id != session_id:
            self.open_session(session_id)

    def open_session(self, session_id: str, at_frame: int = 0) -> None:
        """Open a session: frames first (to show ``at_frame`` fast), then events and actions."""
        self.loader.renew()
        self._opening = session_id
        self.session = None
        self.model = None
        self.frame_panel.reset()
        self._records_after_first_frame = False
        self.frame_scan.stop(unless=session_id)
        self._set_tools_enabled(False)
        self.statusBar().showMessage(f"Opening {session_id}…")
        self.sessions.select(session_id)

        def load() -> tuple[ReviewSession, list[dict[str, Any]]]:
            session = ReviewSession(self.vault, session_id)
            return session, session.frames()

        def opened(result: tuple[ReviewSession, list[dict[str, Any]]]) -> None:
            self.session, frames = result
            self.model = ReviewModel(frames)
            self.frame_panel.open(self.session, self.model)
            self.sessionOpened.emit(session_id)
            if frames:
                # Events and actions load once the first frame is up: it comes first.
                self._records_after_first_frame = True
                self.show_frame(min(at_frame, len(frames) - 1))
            else:
                self._load_records()

        self.loader.start(load, opened, self._load_failed)

    def _load_records(self) -> None:
        session = self.session
        assert session is not None

        def load() -> Records:
            events, actions = session.records()
            streams = session.text_streams()
            elements = by_action(streams.get("elements", []))
            found = scanner.scan_session(events, actions, elements)
            done = session.redactions(), found, session.episodes(), streams, elements
            return events, actions, *done

        def loaded(result: Records) -> None:
            model = self.model
            if model is None:
                return
            events, actions, redactions, found, episodes, text_streams, elements = result
            model.set_records(events, actions)
            model.elements = elements
            model.text_streams = text_streams
            self.episodes = episodes
            dismissed = self.suggestions_panel.dismissed_keys(session.session_id)
            model.set_suggestions(found, dismissed)
            scanned = self.suggestions_panel.last_scan(session.session_id, model.frame_count)
            if scanned is not None:
                model.add_frame_suggestions(scanned, dismissed)
            self._fill_records(model, redactions)
            self._set_tools_enabled(True)
            self.statusBar().showMessage(
                f"{model.frame_count} frames, {len(actions)} actions, {len(events)} events."
            )
            self.recordsLoaded.emit(session.session_id)
            self.frame_panel.show_if_cached(self.index)

        self.loader.start(load, loaded, self._load_failed)

    def _fill_records(self, model: ReviewModel, redactions: list[dict[str, Any]]) -> None:
        self.actions_list.blockSignals(True)
        self.actions_list.clear()
        self.actions_list.addItems(model.action_labels())
        for row in range(self.actions_list.count()):
            item = self.actions_list.item(row)
            item.setToolTip(item.text())
        self.actions_list.blockSignals(False)
        self.text_panel.fill(model)
        self.suggestions_panel.fill()
        self.text_panel.highlight()
        self.frame_panel.show_records()
        self.show_tasks(model)
        self.log_view.setPlainText(
            "\n".join(redaction_label(r) for r in redactions) or "No redactions yet."
        )

    # --- frames and actions ---------------------------------------------------------------

    def step_frame(self, delta: int) -> None:
        """Show the frame ``delta`` steps away."""
        self.frame_panel.step_frame(delta)

    def step_action(self, delta: int) -> None:
        """Show the frame of the action ``delta`` steps away."""
        self.frame_panel.step_action(delta)

    def show_frame(self, index: int, action: int | None = None) -> None:
        """Show frame ``index`` now if cached, else load it off the GUI thread."""
        self.frame_panel.show_frame(index, action)

    def _frame_shown(self, index: int, action: int | None) -> None:
        self.actions_list.blockSignals(True)
        if action is not None and action < self.actions_list.count():
            self.actions_list.setCurrentRow(action)
            self.actions_list.scrollToItem(self.actions_list.item(action))
        self.actions_list.blockSignals(False)
        self.frameShown.emit(index)
        if self._records_after_first_frame:
            self._records_after_first_frame = False
            self._load_records()

    def focus_search(self) -> None:
        """Ctrl+F: the Typed text tab with its search box."""
        self.tabs.setCurrentIndex(1)
        self.search.setFocus()

    def selected_text(self) -> str:
        """The text selected in the typed-text view, else what is in the search box."""
        return self.text_panel.selected_text()

    # --- suggestions ----------------------------------------------------------------------

    def _suggestions_counted(self, n: int) -> None:
        self.tabs.setTabText(
            self.tabs.indexOf(self.suggestions_tab),
            f"Suggestions ({n})" if n else "Suggestions",
        )

    def dismiss_suggestion(self, row: int | None = None) -> bool:
        """Dismiss suggestion ``row`` (remembered beside the vault: its key only)."""
        return self.suggestions_panel.dismiss(row)

    # --- changes --------------------------------------------------------------------------

    def _confirm_dialog(self, preview: Preview) -> bool:
        dialog = PreviewDialog(preview, self)
        return bool(dialog.exec() == PreviewDialog.DialogCode.Accepted)

    def _change_started(self) -> None:
        self.frame_scan.stop()  # it reads the files this change replaces; scan again after
        self._set_tools_enabled(False)

    def _change_applied(self, message: str, session_id: str, closes: bool) -> None:
        self.statusBar().showMessage(message)
        self.view.clear_selection()
        self.refresh_sessions()
        if not closes:
            self.open_session(session_id, at_frame=self.index)  # stay where the person was
        else:
            self.close_session("Session deleted.")
        self.changed.emit(message)

    def _change_failed(self, message: str) -> None:
        self._set_tools_enabled(True)
        self._fail(message)

    def _region_drawn(self, rect: QRect) -> None:
        self.statusBar().showMessage(
            f"Selected {rect.width()}×{rect.height()} at ({rect.x()}, {rect.y()}): "
            "press 'Black out region…' to choose frames."
        )

    def _fail(self, message: str) -> None:
        self.statusBar().showMessage(message)
        self.failed.emit(message)

    def closeEvent(self, event: Any) -> None:
        self.frame_panel.stop_thumbnails()
        self.loader.renew()
        self.frame_scan.stop()
        self.pool.waitForDone(5000)
        super().closeEvent(event)
