"""The review window's frame panel: the frame with its marks, the timeline, and stepping.

Frames load lazily off the GUI thread, one at a time, into a small LRU cache, and the next
frame is prefetched. Timeline thumbnails load one at a time too, and only once stepping has
paused for a moment, so a frame the person asked for never waits behind a batch of them.
"""

from __future__ import annotations

import logging
import time

from PIL import Image

from app.core.formatting import format_duration
from app.qt.core import QRect, Qt, QTimer, Signal
from app.qt.gui import QImage
from app.qt.images import to_qimage
from app.qt.loader import CurrentLoader
from app.qt.widgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from app.review.elements import element_shown
from app.review.lru_cache import LruCache
from app.review.model import ReviewModel
from app.review.session import ReviewSession
from app.review.widgets import FrameView, Timeline
from storage.scan.text import Suggestion

log = logging.getLogger(__name__)

FRAME_CACHE = 8
LOADING = "Loading…"
NO_FRAMES = "This session holds no frames: its screenshots were off, or they were deleted."
THUMB_IDLE_MS = 250


class FramePanel(QWidget):
    """The frame view, the timeline under it, and a row of step buttons with where we are.

    Attributes:
        view: the frame (drag on it to select a region).
        timeline: thumbnails, activity and frame ticks across the session; click to seek.
        position: "Frame 3 / 20 · 0:02 · click · App — Title".
        element: the shown action's UI element, "Element: App › Frame › Push button “Save”",
            or why none was found (hidden for a session recorded without elements).
        index: the frame shown (or wanted).
        session: the session shown (None while one opens).
        model: its records (None while one opens).

    Signals:
        shown(int, object): a frame is on screen, and the action row it shows (or None).
        failed(str): a frame could not be loaded (one sentence).
    """

    shown = Signal(int, object)
    failed = Signal(str)

    def __init__(self, loader: CurrentLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loader = loader
        self.session: ReviewSession | None = None
        self.model: ReviewModel | None = None
        self.index = 0
        self._wanted_action: int | None = None
        self._cache: LruCache[int, QImage] = LruCache(FRAME_CACHE)
        self._loading: int | None = None
        self._thumb_queue: list[tuple[int, int]] = []  # (slot, frame) still to load
        self._thumb_images: dict[int, QImage] = {}  # frame -> its thumbnail
        self._thumb_loading = False
        self._last_step = 0.0
        self._thumb_timer = QTimer(self)
        self._thumb_timer.setSingleShot(True)
        self._thumb_timer.setInterval(THUMB_IDLE_MS)
        self._thumb_timer.timeout.connect(self._next_thumbnail)
        self.view = FrameView()
        self.timeline = Timeline()
        self.timeline.seek.connect(self._seek_time)
        self.timeline.resized.connect(self.start_thumbnails)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.element = QLabel()
        self.element.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.element.setWordWrap(True)
        self.element.hide()
        layout.addWidget(self.view, 1)
        layout.addWidget(self.element)
        layout.addWidget(self.timeline)
        layout.addLayout(self._build_steps())

    def _build_steps(self) -> QHBoxLayout:
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
        row = QHBoxLayout()
        for b in self.step_buttons():
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            row.addWidget(b)
        row.addWidget(self.position, 1)
        return row

    def step_buttons(self) -> tuple[QPushButton, ...]:
        """The four step buttons, in their order on screen."""
        return (self.prev_action, self.prev_frame, self.next_frame, self.next_action)

    # --- the session shown ----------------------------------------------------------------

    def reset(self) -> None:
        """Forget the session shown (another is opening): no frames, no thumbnails."""
        self.session = None
        self.model = None
        self._cache.clear()
        self._loading = None
        self._thumb_queue = []
        self._thumb_images = {}
        self._thumb_timer.stop()
        self.index = 0
        self._wanted_action = None
        self.view.say(LOADING)
        self.view.clear_selection()
        self.element.hide()

    def open(self, session: ReviewSession, model: ReviewModel) -> None:
        """Show this session from now on (its frames load as they are asked for)."""
        self.session = session
        self.model = model
        if model.frame_count == 0:
            self.view.say(NO_FRAMES)
            self.position.setText("No frames")

    def close_session(self, message: str) -> None:
        """The session is gone: an empty view, and ``message`` where the position was."""
        self.reset()
        self.view.say(message)
        self.position.setText(message)
        self.timeline.set_data({}, [], 0.0)

    def show_records(self) -> None:
        """Plot the model's events on the timeline (once they are loaded) and its thumbnails."""
        model = self.model
        assert model is not None
        self.timeline.set_data(
            model.activity(model.activity_bins(self.timeline.width())),
            [model.frame_time(i) for i in range(model.frame_count)],
            model.duration,
        )
        self.start_thumbnails()

    # --- stepping -------------------------------------------------------------------------

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

    def show_action(self, row: int) -> None:
        """Show the frame of action ``row`` (the action list's row)."""
        if self.model is not None and 0 <= row < len(self.model.actions):
            self.show_frame(self.model.action_frame(row), action=row)

    def show_suggestion(self, s: Suggestion) -> None:
        """Show where a suggestion is: its box selected on the first frame it is in, or the
        frame of the typed run holding it."""
        model = self.model
        if model is None:
            return
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
        if not self.show_if_cached(index):
            self._request(index)

    def show_if_cached(self, index: int) -> bool:
        """Paint frame ``index`` if it is in the cache (then prefetch the next one)."""
        model = self.model
        image = self._cache.get(index)
        if image is None or model is None:
            return False
        action = self._wanted_action
        if action is None:
            action = model.action_at_frame(index)
        overlay = model.overlay(index)
        shown = element_shown(
            model.elements,
            model.actions[action] if action is not None and action < len(model.actions) else None,
            model.frames[index].get("monitor") or {},
        )
        overlay.elements = shown.boxes
        self.element.setText(shown.line)
        self.element.setVisible(bool(shown.line))
        self.view.show_frame(image, overlay)
        t = model.frame_time(index)
        self.timeline.set_position(t)
        meta = model.frames[index]
        where = model.window_label(model.window_at(t))
        self.position.setText(
            f"Frame {index + 1} / {model.frame_count}  ·  {format_duration(t)}  ·  "
            f"{meta.get('reason', '')}" + (f"  ·  {where}" if where else "")
        )
        self.shown.emit(index, action)
        self._prefetch(index + 1)
        return True

    # --- loading --------------------------------------------------------------------------

    def _request(self, index: int) -> None:
        if self._loading is not None or self.session is None:
            return  # one at a time; when it lands we load whatever is wanted then
        self._loading = index
        session = self.session

        def done(image: QImage) -> None:
            self._cache.put(index, image)
            if self.index == index:
                self.show_if_cached(index)
            elif self.index not in self._cache:
                self._request(self.index)

        def settled() -> None:
            self._loading = None

        self.loader.start(
            lambda: to_qimage(session.frame_image(index)), done, self.failed.emit, settled=settled
        )

    def _prefetch(self, index: int) -> None:
        if self.model is not None and index < self.model.frame_count and index not in self._cache:
            self._request(index)

    def stop_thumbnails(self) -> None:
        """Load no more thumbnails (the window closes: none may arrive after it is gone)."""
        self._thumb_timer.stop()
        self._thumb_queue = []

    def start_thumbnails(self) -> None:
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
