"""The review window: see everything a session holds, redact, delete, approve.

Storage work (opening, decoding frames, redacting) runs in a QThreadPool; the GUI thread
only paints. Frames load lazily into a small LRU cache, and the next frame is prefetched.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PIL import Image

from app.core.dismissals import load_dismissals, save_dismissal
from app.core.formatting import format_duration
from app.dialogs.export_dialog import export_button
from app.qt.core import QRect, Qt, QThreadPool, QTimer, Signal
from app.qt.gui import QImage, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from app.qt.images import to_qimage
from app.qt.loader import CurrentLoader
from app.qt.widgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from app.qt.workers import Task, submit
from app.review import changes
from app.review.change_runner import ChangeRunner
from app.review.dialogs import DeleteRangeDialog, PreviewDialog, RegionScopeDialog
from app.review.labels import redaction_label, session_row, study_label
from app.review.lru_cache import LruCache
from app.review.model import ReviewModel
from app.review.previews import Preview
from app.review.scan import FrameTextScan
from app.review.session import ReviewSession
from app.review.widgets import FrameView, Timeline
from storage import StorageError, UnlockedVault
from storage.scan import text as scanner

log = logging.getLogger(__name__)

FRAME_CACHE = 8
THUMB_IDLE_MS = 250
SESSION_COLUMNS = ["Date", "Duration", "Study", "Counts", "Review", "Size"]
STUDY_COLUMN = 2


class ReviewWindow(QMainWindow):
    """Sessions on the left; the frame, timeline and tools in the middle; actions and text right.

    Attributes:
        vault: the unlocked vault.
        session: the session under review (None until one is opened).
        model: its records for display (None until loaded).
        index: the frame shown (or wanted).
        confirm: asks the person to confirm a preview (a dialog; tests replace it).
        pool: the worker threads.

    Signals:
        sessionOpened(str): a session's frame list is loaded.
        recordsLoaded(str): its events and actions are loaded.
        frameShown(int): a frame is on screen.
        changed(str): a change was applied (its one-line result).
        frameTextFound(int): a frame scan finished; how many suggestions it added.
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

    def __init__(self, vault: UnlockedVault, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault = vault
        self.session: ReviewSession | None = None
        self.model: ReviewModel | None = None
        self.index = 0
        self.confirm: Callable[[Preview], bool] = self._confirm_dialog
        self.ask_frames_too: Callable[[range], bool | None] = self._ask_frames_too
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self.runner = ChangeRunner(self.pool, lambda preview: self.confirm(preview), self)
        self.runner.status.connect(lambda line: self.statusBar().showMessage(line))
        self.runner.started.connect(self._change_started)
        self.runner.applied.connect(self._change_applied)
        self.runner.failed.connect(self._change_failed)
        self._tasks: list[Task] = []
        self._cache: LruCache[int, QImage] = LruCache(FRAME_CACHE)
        self._loading: int | None = None
        self._wanted_action: int | None = None
        self._records_after_first_frame = False
        self.loader = CurrentLoader(self.pool)
        self._studies: dict[str, str] = {}  # session id -> Study column (from its consent)
        self._thumb_queue: list[tuple[int, int]] = []  # (slot, frame) still to load
        self._thumb_images: dict[int, QImage] = {}  # frame -> its thumbnail
        self._thumb_loading = False
        self._last_step = 0.0
        self.setWindowTitle("Overt: review")
        self._fit_to_screen()
        self._build()
        self._shortcuts()
        self.refresh_sessions()

    # --- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.sessions = QTreeWidget()
        self.sessions.setHeaderLabels(SESSION_COLUMNS)
        self.sessions.setRootIsDecorated(False)
        self.sessions.setAlternatingRowColors(True)
        self.sessions.itemActivated.connect(self._session_activated)
        self.sessions.itemClicked.connect(self._session_activated)

        self.view = FrameView()
        self.view.regionSelected.connect(self._region_drawn)
        self.timeline = Timeline()
        self.timeline.seek.connect(self._seek_time)
        self.timeline.resized.connect(self._start_thumbnails)
        # Thumbnails load one at a time, and only once stepping has paused for a moment:
        # a frame the person asked for never waits behind a batch of them.
        self._thumb_timer = QTimer(self)
        self._thumb_timer.setSingleShot(True)
        self._thumb_timer.setInterval(THUMB_IDLE_MS)
        self._thumb_timer.timeout.connect(self._next_thumbnail)
        self.position = QLabel("No session open")
        self.position.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.prev_action = QPushButton("◀◀ Action")
        self.prev_frame = QPushButton("◀ Frame")
        self.next_frame = QPushButton("Frame ▶")
        self.next_action = QPushButton("Action ▶▶")
        self.prev_action.clicked.connect(lambda: self.step_action(-1))
        self.prev_frame.clicked.connect(lambda: self.step_frame(-1))
        self.next_frame.clicked.connect(lambda: self.step_frame(1))
        self.next_action.clicked.connect(lambda: self.step_action(1))
        nav = QHBoxLayout()
        for b in (self.prev_action, self.prev_frame, self.next_frame, self.next_action):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            nav.addWidget(b)
        nav.addWidget(self.position, 1)

        self.redact_region_button = QPushButton("Black out region…")
        self.redact_region_button.setToolTip("Drag on the frame first")
        self.redact_region_button.clicked.connect(self._redact_region_clicked)
        self.delete_events_button = QPushButton("Delete selected actions…")
        self.delete_events_button.setToolTip("Select actions in the list first")
        self.delete_events_button.clicked.connect(self._delete_selected_clicked)
        self.delete_range_button = QPushButton("Delete frames…")
        self.delete_range_button.setToolTip(
            "Delete this frame or a range of frames, and what happened meanwhile"
        )
        self.delete_range_button.clicked.connect(self._delete_range_clicked)
        self.titles_button = QPushButton("Blank window titles…")
        self.titles_button.clicked.connect(self._titles_clicked)
        self.delete_session_button = QPushButton("Delete session…")
        self.delete_session_button.clicked.connect(self._delete_session_clicked)
        self.approve_button = QPushButton("Approve…")
        self.approve_button.clicked.connect(self._approve_clicked)
        tools = QHBoxLayout()
        for b in (
            self.redact_region_button,
            self.delete_events_button,
            self.delete_range_button,
            self.titles_button,
            self.delete_session_button,
        ):
            tools.addWidget(b)
        tools.addStretch(1)
        tools.addWidget(self.approve_button)
        tools.addWidget(export_button(self))

        centre = QWidget()
        cl = QVBoxLayout(centre)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.view, 1)
        cl.addWidget(self.timeline)
        cl.addLayout(nav)
        cl.addLayout(tools)

        self.actions_list = QListWidget()
        self.actions_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.actions_list.currentRowChanged.connect(self._action_chosen)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search typed text…")
        self.search.textChanged.connect(self._search_changed)
        self.search_result = QLabel("")
        self.text_view = QPlainTextEdit()
        self.text_view.setReadOnly(True)
        self.text_view.setPlaceholderText("No typed text in this session.")
        self.redact_text_button = QPushButton("Remove selected text…")
        self.redact_text_button.setToolTip("Removes only the text selected above")
        self.redact_text_button.clicked.connect(self._redact_selection_clicked)
        self.redact_all_button = QPushButton("Remove every occurrence…")
        self.redact_all_button.setToolTip(
            "Removes every occurrence of the selected or searched text, titles included"
        )
        self.redact_all_button.clicked.connect(self._redact_text_clicked)
        text_tab = QWidget()
        tl = QVBoxLayout(text_tab)
        tl.addWidget(self.search)
        tl.addWidget(self.search_result)
        tl.addWidget(self.text_view, 1)
        text_buttons = QHBoxLayout()
        text_buttons.addWidget(self.redact_text_button)
        text_buttons.addWidget(self.redact_all_button)
        tl.addLayout(text_buttons)
        self.suggestions_list = QListWidget()
        self.suggestions_list.currentRowChanged.connect(self._suggestion_chosen)
        self.accept_suggestion_button = QPushButton("Redact…")
        self.accept_suggestion_button.clicked.connect(lambda: self.accept_suggestion())
        self.dismiss_suggestion_button = QPushButton("Dismiss")
        self.dismiss_suggestion_button.clicked.connect(lambda: self.dismiss_suggestion())
        self.frame_scan = FrameTextScan(
            self.vault, self.pool, lambda: self.session.session_id if self.session else None
        )
        self.frame_scan.found.connect(self._frame_text_found)
        self.frame_scan.message.connect(self.statusBar().showMessage)
        #: The last frame scan: (session id, frame count, its suggestions still open).
        self._frame_found: tuple[str, int, list[scanner.Suggestion]] | None = None
        suggestions_tab = QWidget()
        self.suggestions_tab = suggestions_tab
        sl = QVBoxLayout(suggestions_tab)
        sl.addWidget(QLabel("Possibly sensitive items found by the scanner:"))
        sl.addWidget(self.suggestions_list, 1)
        scan_row = QHBoxLayout()
        scan_row.addWidget(self.frame_scan.button)
        scan_row.addStretch(1)
        sl.addLayout(scan_row)
        sb = QHBoxLayout()
        sb.addWidget(self.accept_suggestion_button)
        sb.addWidget(self.dismiss_suggestion_button)
        sl.addLayout(sb)
        self.log_view = QPlainTextEdit()
        self.log_view.setReadOnly(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.actions_list, "Actions")
        self.tabs.addTab(text_tab, "Typed text")
        self.tabs.addTab(suggestions_tab, "Suggestions")
        self.tabs.addTab(self.log_view, "Redaction log")

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(centre)
        split.addWidget(self.tabs)
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
        self.statusBar().showMessage("Pick a session to review.")
        self._set_tools_enabled(False)

    def _fit_to_screen(self) -> None:
        """Take most of the screen, centred, without spilling off it."""
        screen = self.screen().availableGeometry()
        w = min(1400, int(screen.width() * 0.9))
        h = min(900, int(screen.height() * 0.9))
        self.resize(w, h)
        self.move(screen.x() + (screen.width() - w) // 2, screen.y() + (screen.height() - h) // 2)

    def _shortcuts(self) -> None:
        bindings = [
            ("Right", lambda: self.step_frame(1)),
            ("Left", lambda: self.step_frame(-1)),
            ("PgDown", lambda: self.step_action(1)),
            ("PgUp", lambda: self.step_action(-1)),
            ("Ctrl+Right", lambda: self.step_action(1)),
            ("Ctrl+Left", lambda: self.step_action(-1)),
            ("Home", lambda: self.show_frame(0)),
            ("End", lambda: self.show_frame((self.model.frame_count - 1) if self.model else 0)),
            ("Ctrl+F", self._focus_search),
        ]
        for keys, fn in bindings:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(fn)

    def _set_tools_enabled(self, on: bool) -> None:
        for w in (
            self.redact_region_button,
            self.delete_events_button,
            self.delete_range_button,
            self.titles_button,
            self.delete_session_button,
            self.approve_button,
            self.redact_text_button,
            self.redact_all_button,
            self.accept_suggestion_button,
            self.dismiss_suggestion_button,
            self.prev_action,
            self.prev_frame,
            self.next_frame,
            self.next_action,
        ):
            w.setEnabled(on)
        self.frame_scan.set_available(on)

    # --- sessions -------------------------------------------------------------------------

    def refresh_sessions(self) -> None:
        """Re-read the session list from the vault's index (studies from the consents)."""
        self.sessions.clear()
        unknown = []
        for summary in self.vault.vault.sessions():
            row = session_row(summary)
            row[STUDY_COLUMN] = self._studies.get(summary.id, "…")
            if summary.id not in self._studies:
                unknown.append(summary.id)
            item = QTreeWidgetItem(row)
            item.setData(0, Qt.ItemDataRole.UserRole, summary.id)
            self.sessions.addTopLevelItem(item)
        for col in range(len(SESSION_COLUMNS)):
            self.sessions.resizeColumnToContents(col)
        if unknown:
            vault = self.vault

            def read() -> dict[str, str]:
                out = {}
                for sid in unknown:
                    try:
                        out[sid] = study_label(vault.open_session(sid).consent)
                    except (StorageError, OSError):
                        continue  # damaged or gone: the cell says "?"; nothing to cache
                return out

            submit(self.pool, read, self._studies_read, lambda _message: None, self._tasks)

    def _studies_read(self, studies: dict[str, str]) -> None:
        self._studies.update(studies)
        for row in range(self.sessions.topLevelItemCount()):
            item = self.sessions.topLevelItem(row)
            if item is None:
                continue
            sid = str(item.data(0, Qt.ItemDataRole.UserRole))
            item.setText(STUDY_COLUMN, self._studies.get(sid, "?"))
            item.setToolTip(STUDY_COLUMN, item.text(STUDY_COLUMN))
        self.sessions.resizeColumnToContents(STUDY_COLUMN)
        self.studiesRead.emit()

    def _session_activated(self, item: QTreeWidgetItem) -> None:
        sid = item.data(0, Qt.ItemDataRole.UserRole)
        if self.session is None or self.session.session_id != sid:
            self.open_session(str(sid))

    def open_session(self, session_id: str) -> None:
        """Open a session: frames first (to show frame 0 fast), then events and actions."""
        self.loader.renew()
        self.session = None
        self.model = None
        self._cache.clear()
        self._loading = None
        self._thumb_queue = []
        self._thumb_images = {}
        self._thumb_timer.stop()
        self.index = 0
        self._wanted_action = None
        self._records_after_first_frame = False
        self.view.image = None
        self.view.clear_selection()
        self.frame_scan.stop(unless=session_id)
        self._set_tools_enabled(False)
        self.statusBar().showMessage(f"Opening {session_id}…")
        for row in range(self.sessions.topLevelItemCount()):
            item = self.sessions.topLevelItem(row)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == session_id:
                self.sessions.setCurrentItem(item)

        def load() -> tuple[ReviewSession, list[dict[str, Any]]]:
            session = ReviewSession(self.vault, session_id)
            return session, session.frames()

        def opened(result: tuple[ReviewSession, list[dict[str, Any]]]) -> None:
            self.session, frames = result
            self.model = ReviewModel(frames)
            self.sessionOpened.emit(session_id)
            if frames:
                # Events and actions load once the first frame is up: it comes first.
                self._records_after_first_frame = True
                self.show_frame(0)
            else:
                self._load_records()

        self.loader.start(load, opened, self._fail)

    def _load_records(self) -> None:
        session = self.session
        assert session is not None

        def loaded(
            result: tuple[
                list[dict[str, Any]],
                list[dict[str, Any]],
                list[dict[str, Any]],
                list[scanner.Suggestion],
            ],
        ) -> None:
            if self.model is None:
                return
            events, actions, redactions, found = result
            self.model.set_records(events, actions)
            dismissed = load_dismissals(self.vault.home).get(session.session_id, [])
            self.model.set_suggestions(found, dismissed)
            scanned = self._frame_found
            if scanned and scanned[:2] == (session.session_id, self.model.frame_count):
                self.model.add_frame_suggestions(scanned[2], dismissed)
            self._fill_records(redactions)
            self._set_tools_enabled(True)
            self.statusBar().showMessage(
                f"{self.model.frame_count} frames, {len(actions)} actions, {len(events)} events."
            )
            self.recordsLoaded.emit(session.session_id)
            self._show_cached(self.index)

        def load() -> tuple[
            list[dict[str, Any]],
            list[dict[str, Any]],
            list[dict[str, Any]],
            list[scanner.Suggestion],
        ]:
            events, actions = session.records()
            found = scanner.scan_session(events, actions)
            return events, actions, session.redactions(), found

        self.loader.start(load, loaded, self._fail)

    def _fill_records(self, redactions: list[dict[str, Any]]) -> None:
        model = self.model
        assert model is not None
        self.actions_list.blockSignals(True)
        self.actions_list.clear()
        self.actions_list.addItems(model.action_labels())
        for row in range(self.actions_list.count()):
            item = self.actions_list.item(row)
            item.setToolTip(item.text())
        self.actions_list.blockSignals(False)
        self.text_view.setPlainText(model.typed_text())
        self._fill_suggestions()
        self._search_changed(self.search.text())
        self.timeline.set_data(
            model.activity(model.activity_bins(self.timeline.width())),
            [model.frame_time(i) for i in range(model.frame_count)],
            model.duration,
        )
        self._start_thumbnails()
        self.log_view.setPlainText(
            "\n".join(redaction_label(r) for r in redactions) or "No redactions yet."
        )

    # --- frames ---------------------------------------------------------------------------

    def step_frame(self, delta: int) -> None:
        """Show the frame ``delta`` steps away."""
        if self.model is not None:
            self.show_frame(self.model.step_frame(self.index, delta))

    def step_action(self, delta: int) -> None:
        """Show the frame of the action ``delta`` steps away."""
        if self.model is None:
            return
        target = self.model.step_action(self.index, delta, self._wanted_action)
        if target is not None:
            self.show_frame(self.model.action_frame(target), action=target)

    def _seek_time(self, t: float) -> None:
        if self.model is not None:
            self.show_frame(self.model.frame_at(t))

    def show_frame(self, index: int, action: int | None = None) -> None:
        """Show frame ``index`` now if cached, else load it off the GUI thread."""
        if self.model is None or self.model.frame_count == 0:
            return
        self.index = index
        self._wanted_action = action
        self._last_step = time.monotonic()
        if self._thumb_queue:
            self._thumb_timer.start()  # wait until stepping pauses
        if not self._show_cached(index):
            self._request(index)

    def _show_cached(self, index: int) -> bool:
        model = self.model
        image = self._cache.get(index)
        if image is None or model is None:
            return False
        self.view.show_frame(image, model.overlay(index))
        t = model.frame_time(index)
        self.timeline.set_position(t)
        meta = model.frames[index]
        where = model.window_label(model.window_at(t))
        self.position.setText(
            f"Frame {index + 1} / {model.frame_count}  ·  {format_duration(t)}  ·  "
            f"{meta.get('reason', '')}" + (f"  ·  {where}" if where else "")
        )
        action = self._wanted_action
        if action is None:
            action = model.action_at_frame(index)
        self.actions_list.blockSignals(True)
        if action is not None and action < self.actions_list.count():
            self.actions_list.setCurrentRow(action)
            self.actions_list.scrollToItem(self.actions_list.item(action))
        self.actions_list.blockSignals(False)
        self.frameShown.emit(index)
        if self._records_after_first_frame:
            self._records_after_first_frame = False
            self._load_records()
        self._prefetch(index + 1)
        return True

    def _start_thumbnails(self) -> None:
        """Plan one thumbnail per timeline slot: the frame on screen at that slot's time."""
        model = self.model
        if model is None or model.frame_count == 0:
            return
        slots = self.timeline.thumbnail_slots(model.frame_aspect())
        self.timeline.thumbnails = {}
        self._thumb_queue = [
            (slot, model.frame_at(self.timeline.slot_time(slot, slots))) for slot in range(slots)
        ]
        self._thumb_timer.start()

    def _next_thumbnail(self) -> None:
        session = self.session
        while self._thumb_queue and self._thumb_queue[0][1] in self._thumb_images:
            slot, frame = self._thumb_queue.pop(0)
            self.timeline.set_thumbnail(slot, self._thumb_images[frame])
        if not self._thumb_queue or session is None or self._thumb_loading:
            return
        idle_ms = (time.monotonic() - self._last_step) * 1000
        if self._loading is not None or idle_ms < THUMB_IDLE_MS:
            self._thumb_timer.start()  # a frame the person wants comes first
            return
        slot, frame = self._thumb_queue[0]
        height = self.timeline.THUMB_H * 2  # twice the strip: sharp on high-DPI screens
        self._thumb_loading = True

        def load() -> QImage:
            image = session.frame_image(frame)
            image.thumbnail((height * 4, height), Image.Resampling.BILINEAR)
            return to_qimage(image)

        def done(image: QImage) -> None:
            self._thumb_images[frame] = image
            self._next_thumbnail()

        def failed(message: str) -> None:
            log.info("a thumbnail could not be loaded: %s", message)
            if self._thumb_queue[:1] == [(slot, frame)]:
                self._thumb_queue.pop(0)  # the slot stays empty; the rest still load
                self._thumb_timer.start()

        def settled() -> None:
            self._thumb_loading = False

        self.loader.start(load, done, failed, settled=settled)

    def _request(self, index: int) -> None:
        if self._loading is not None or self.session is None:
            return  # one at a time; when it lands we load whatever is wanted then
        self._loading = index
        session = self.session

        def done(image: QImage) -> None:
            self._cache.put(index, image)
            if self.index == index:
                self._show_cached(index)
            elif self.index not in self._cache:
                self._request(self.index)

        def settled() -> None:
            self._loading = None

        self.loader.start(
            lambda: to_qimage(session.frame_image(index)), done, self._fail, settled=settled
        )

    def _prefetch(self, index: int) -> None:
        if self.model is not None and index < self.model.frame_count and index not in self._cache:
            self._request(index)

    def _action_chosen(self, row: int) -> None:
        if self.model is not None and 0 <= row < len(self.model.actions):
            self.show_frame(self.model.action_frame(row), action=row)

    # --- typed text -----------------------------------------------------------------------

    def _focus_search(self) -> None:
        self.tabs.setCurrentIndex(1)
        self.search.setFocus()

    def _fill_suggestions(self) -> None:
        model = self.model
        self.suggestions_list.blockSignals(True)
        self.suggestions_list.clear()
        if model is not None:
            self.suggestions_list.addItems([model.suggestion_label(s) for s in model.suggestions])
        for row in range(self.suggestions_list.count()):
            item = self.suggestions_list.item(row)
            item.setToolTip(item.text())  # the list is narrow; labels are whole sentences
        self.suggestions_list.blockSignals(False)
        n = len(model.suggestions) if model is not None else 0
        self.tabs.setTabText(
            self.tabs.indexOf(self.suggestions_tab),
            f"Suggestions ({n})" if n else "Suggestions",
        )

    def _suggestion_highlights(self) -> list[QTextEdit.ExtraSelection]:
        """Orange highlights in the typed text for every open suggestion."""
        out: list[QTextEdit.ExtraSelection] = []
        if self.model is None:
            return out
        fmt = QTextCharFormat()
        fmt.setBackground(Qt.GlobalColor.cyan)
        for s in self.model.suggestions:
            for start, end in self.model.suggestion_spans(s):
                cursor = QTextCursor(self.text_view.document())
                cursor.setPosition(start)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                sel = QTextEdit.ExtraSelection()
                sel.cursor = cursor
                sel.format = fmt
                out.append(sel)
        return out

    def _frame_text_found(self, session_id: str, found: list[scanner.Suggestion]) -> None:
        """A frame scan finished: list what it found (if its session is still the one open)."""
        model, session = self.model, self.session
        if model is None or session is None or session.session_id != session_id:
            return
        self._frame_found = (session_id, model.frame_count, list(found))
        dismissed = load_dismissals(self.vault.home).get(session_id, [])
        added = model.add_frame_suggestions(found, dismissed)
        self._fill_suggestions()
        self.statusBar().showMessage(
            f"Found {added} possibly sensitive item(s) of text in the frames."
            if added
            else "The frame scan found no sensitive text in the frames."
        )
        self.frameTextFound.emit(added)

    def _forget_frame_suggestion(self, s: scanner.Suggestion) -> None:
        if self._frame_found is not None and s in self._frame_found[2]:
            self._frame_found[2].remove(s)

    def _suggestion_chosen(self, row: int) -> None:
        model = self.model
        if model is None or not 0 <= row < len(model.suggestions):
            return
        s = model.suggestions[row]
        if s.source == "frame" and s.frames is not None and s.box is not None:
            self.show_frame(s.frames[0])
            self.view.selection = QRect(*s.box)  # shown as the region Redact… will black out
            self.view.update()
            return
        if s.action_seq is not None:
            for i, a in enumerate(model.actions):
                if a.get("seq") == s.action_seq:
                    self.show_frame(model.action_frame(i), action=i)
                    break

    def accept_suggestion(self, row: int | None = None) -> bool:
        """Redact suggestion ``row`` (default: the selected one) after a preview."""
        model = self.model
        row = self.suggestions_list.currentRow() if row is None else row
        if model is None or not 0 <= row < len(model.suggestions):
            return False
        s = model.suggestions[row]
        started = self._run(changes.accept_suggestion(model, s))
        if started and s.source == "frame":
            self._forget_frame_suggestion(s)
        return started

    def dismiss_suggestion(self, row: int | None = None) -> bool:
        """Dismiss suggestion ``row`` (remembered beside the vault: its key only)."""
        model = self.model
        row = self.suggestions_list.currentRow() if row is None else row
        if model is None or self.session is None or not 0 <= row < len(model.suggestions):
            return False
        s = model.suggestions.pop(row)
        try:
            save_dismissal(self.vault.home, self.session.session_id, s.key())
        except OSError as exc:
            model.suggestions.insert(row, s)
            self._fail(f"The dismissal could not be saved: {exc}.")
            return False
        self._forget_frame_suggestion(s)
        self._fill_suggestions()
        self._search_changed(self.search.text())
        self.statusBar().showMessage(
            "Dismissed." if s.source == "frame" else "Dismissed; export will not warn about it."
        )
        return True

    def _search_changed(self, needle: str) -> None:
        selections = self._suggestion_highlights()
        doc = self.text_view.document()
        fmt = QTextCharFormat()
        fmt.setBackground(Qt.GlobalColor.yellow)
        count = 0
        if needle:
            cursor = doc.find(needle)
            while not cursor.isNull():
                sel = QTextEdit.ExtraSelection()
                sel.cursor = cursor
                sel.format = fmt
                selections.append(sel)
                count += 1
                cursor = doc.find(needle, cursor)
        self.text_view.setExtraSelections(selections)
        self.search_result.setText(f"{count} match(es)" if needle else "")
        if count:
            self.text_view.setTextCursor(QTextCursor(selections[-count].cursor))

    def selected_text(self) -> str:
        """The text selected in the typed-text view, else what is in the search box."""
        return self.text_view.textCursor().selectedText() or self.search.text()

    # --- changes --------------------------------------------------------------------------

    def _confirm_dialog(self, preview: Preview) -> bool:
        dialog = PreviewDialog(preview, self)
        return bool(dialog.exec() == PreviewDialog.DialogCode.Accepted)

    def _open_model(self) -> ReviewModel:
        assert self.model is not None
        return self.model

    def _run(self, change: changes.Change) -> bool:
        return self.runner.run(change, self.session)

    def _change_started(self) -> None:
        self.frame_scan.stop()  # it reads the files this change replaces; scan again after
        self._set_tools_enabled(False)

    def _change_applied(self, message: str, session_id: str, closes: bool) -> None:
        self.statusBar().showMessage(message)
        self.view.clear_selection()
        self.refresh_sessions()
        if not closes:
            self.open_session(session_id)
        else:
            self.session = None
            self.model = None
            self.view.image = None
            self.view.update()
            self.actions_list.clear()
            self.text_view.clear()
            self.position.setText("Session deleted.")
        self.changed.emit(message)

    def _change_failed(self, message: str) -> None:
        self._set_tools_enabled(True)
        self._fail(message)

    def redact_region(self, rect: tuple[int, int, int, int], ranges: list[range]) -> bool:
        """Black out ``rect`` (frame pixels) in these frame ranges, after a preview."""
        return self._run(changes.redact_region(self._open_model(), rect, ranges))

    def redact_typed_spans(self, spans: list[tuple[int, int, int]]) -> bool:
        """Remove only these spans of typed text (action index, start, end), after a preview."""
        return self._run(changes.redact_typed_spans(self._open_model(), spans))

    def redact_selection(self) -> bool:
        """Remove the text selected in the typed-text view (that span only)."""
        if self.model is None:
            return False
        cursor = self.text_view.textCursor()
        spans = self.model.typed_spans_at(cursor.selectionStart(), cursor.selectionEnd())
        if not spans:
            return False
        return self.redact_typed_spans(spans)

    def redact_text(self, needle: str) -> bool:
        """Remove every occurrence of ``needle``, after a preview."""
        return self._run(changes.redact_text(self._open_model(), needle))

    def delete_events(self, seqs: range) -> bool:
        """Delete these events (and the actions built on them), after a preview."""
        return self._run(changes.delete_events(self._open_model(), seqs))

    def delete_frame_range_events(self, first: int, last: int) -> bool:
        """Delete every event captured from frame ``first`` to ``last`` (inclusive)."""
        return self.delete_range(first, last, frames=False, events=True)

    def delete_frames(self, frames: set[int]) -> bool:
        """Delete these frames (the others are kept exactly), after a preview."""
        return self._run(changes.delete_frames(self._open_model(), frames))

    def delete_range(self, first: int, last: int, *, frames: bool, events: bool) -> bool:
        """Delete frames ``first..last`` (inclusive) and/or the events captured meanwhile."""
        model = self._open_model()
        seqs = model.event_range_of_frames(first, last) if events else range(0)
        doomed = set(range(first, last + 1)) if frames else set()
        return self._run(changes.delete_events_and_frames(model, seqs, doomed))

    def delete_actions(self, first: int, last: int, *, with_frames: bool) -> bool:
        """Delete actions ``first..last`` (list rows, inclusive) and their events, and
        optionally the frames they show."""
        model = self._open_model()
        doomed = set(model.frames_of_actions(first, last)) if with_frames else set()
        seqs = model.event_range_of_actions(first, last)
        return self._run(changes.delete_events_and_frames(model, seqs, doomed))

    def blank_titles(self, seqs: range | None = None) -> bool:
        """Blank window titles, after a preview."""
        return self._run(changes.blank_titles(self._open_model(), seqs))

    def approve(self) -> bool:
        """Approve the session after showing what will leave."""
        return self._run(changes.approve(self._open_model()))

    def delete_session(self) -> bool:
        """Delete the whole session, after a preview."""
        assert self.session is not None
        return self._run(changes.delete_session(self._open_model(), self.session.session_id))

    # --- buttons --------------------------------------------------------------------------

    def _region_drawn(self, rect: QRect) -> None:
        self.statusBar().showMessage(
            f"Selected {rect.width()}×{rect.height()} at ({rect.x()}, {rect.y()}): "
            "press 'Black out region…' to choose frames."
        )

    def _redact_region_clicked(self) -> None:
        model = self.model
        sel = self.view.selection
        if model is None or sel is None or sel.width() < 2:
            QMessageBox.information(self, "Overt", "First drag a rectangle on the frame.")
            return
        window = model.window_at(model.frame_time(self.index))
        dialog = RegionScopeDialog(self.index, model.frame_count, model.window_label(window), self)
        if dialog.exec() != RegionScopeDialog.DialogCode.Accepted:
            return
        ranges = {
            "this": [range(self.index, self.index + 1)],
            "range": [dialog.frame_range()],
            "all": [range(0, model.frame_count)],
            "window": model.frames_while_window(window) if window else [],
        }[dialog.choice]
        self.redact_region((sel.x(), sel.y(), sel.width(), sel.height()), ranges)

    def _ask_frames_too(self, frames: range) -> bool | None:
        """Also delete the frames the actions show? None: cancel."""
        if not frames:
            return False
        span = f"{frames.start + 1}" if len(frames) == 1 else f"{frames.start + 1}–{frames.stop}"
        answer = QMessageBox.question(
            self,
            "Overt: delete actions",
            f"Also delete the frames these actions show (frame {span})?",
            QMessageBox.StandardButton.Yes
            | QMessageBox.StandardButton.No
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Cancel:
            return None
        return answer == QMessageBox.StandardButton.Yes

    def _delete_selected_clicked(self) -> None:
        model = self.model
        rows = sorted(i.row() for i in self.actions_list.selectedIndexes())
        if model is None or not rows:
            QMessageBox.information(self, "Overt", "First select actions in the list.")
            return
        with_frames = self.ask_frames_too(model.frames_of_actions(rows[0], rows[-1]))
        if with_frames is not None:
            self.delete_actions(rows[0], rows[-1], with_frames=with_frames)

    def _delete_range_clicked(self) -> None:
        if self.model is None or self.model.frame_count == 0:
            return
        dialog = DeleteRangeDialog(self.index, self.index, self.model.frame_count, self)
        if dialog.exec() != DeleteRangeDialog.DialogCode.Accepted:
            return
        frames, events = dialog.with_frames.isChecked(), dialog.with_events.isChecked()
        if frames or events:
            self.delete_range(*dialog.frames(), frames=frames, events=events)

    def _titles_clicked(self) -> None:
        self.blank_titles(None)

    def _redact_selection_clicked(self) -> None:
        if not self.redact_selection():
            QMessageBox.information(
                self, "Overt", "Select the typed text to remove in the view above."
            )

    def _redact_text_clicked(self) -> None:
        needle = self.selected_text()
        if not needle:
            QMessageBox.information(
                self, "Overt", "Select text in the view, or type it in the search box."
            )
            return
        self.redact_text(needle)

    def _approve_clicked(self) -> None:
        self.approve()

    def _delete_session_clicked(self) -> None:
        self.delete_session()

    def _fail(self, message: str) -> None:
        self.statusBar().showMessage(message)
        self.failed.emit(message)

    def closeEvent(self, event: Any) -> None:
        self.loader.renew()
        self.frame_scan.stop()
        self.pool.waitForDone(5000)
        super().closeEvent(event)
