"""The review window's "Scan frames for text": OCR over a session in the background.

The scan (storage/scan/frame_text.py) opens its own readers, so stepping through frames in the
window while it runs neither waits for it nor disturbs the frames it is reading in order.
Without Tesseract the button stays off and says what to install. *Remove every occurrence…*
searches the frames for its text the same way (``FrameTextScan.search_text``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from app.qt.core import QObject, QThreadPool, Signal
from app.qt.widgets import QPushButton
from app.qt.workers import Task, submit
from app.review.previews import FrameHits
from storage import UnlockedVault
from storage.scan import ocr
from storage.scan.frame_text import Cancelled, scan_frames, text_finder
from storage.scan.text import Suggestion

#: Readers scanning at once (each OCR call is a process: two keep two cores busy).
WORKERS = 2
SCAN_LABEL = "Scan frames for text"
STOP_LABEL = "Stop scanning"
MISSING_TIP = (
    "Install Tesseract OCR (the tesseract-ocr package) to look for sensitive text in frames."
)
#: Why *Remove every occurrence…* did not search the frames.
NOT_INSTALLED = (
    "Tesseract OCR is not installed (the tesseract-ocr package), so the text may still be "
    "visible in screenshots; black it out there with Black out region."
)


class FrameTextScan(QObject):
    """A button that starts and stops a frame scan of the open session.

    Signals:
        found(str, object): the session id and its list of "frame" suggestions.
        message(str): a line for the status bar (progress, stopped, failed).

    Attributes:
        button: the button to place in the window.
        engine: the tesseract path, or None when it is not installed.
    """

    found = Signal(str, object)
    message = Signal(str)
    _progressed = Signal(int, int)
    _searched = Signal(int, int)

    def __init__(
        self,
        vault: UnlockedVault,
        pool: QThreadPool,
        session_id: Callable[[], str | None],
        engine: str | None = None,
        read: ocr.Reader | None = None,
    ) -> None:
        """Args:
        vault: where sessions are opened from.
        pool: where the scan runs.
        session_id: the session open in the window now.
        engine: tesseract's path (default: looked up on PATH).
        read: the OCR to use (default: tesseract); for tests of the window's logic.
        """
        super().__init__()
        self.vault = vault
        self.pool = pool
        self.session_id = session_id
        self.engine = engine if engine is not None else ocr.find_engine()
        self._read = read
        self._stop = threading.Event()
        self._keep: list[Task] = []
        self._scanning: str | None = None
        self.button = QPushButton(SCAN_LABEL)
        self.button.clicked.connect(self.toggle)
        self._progressed.connect(self._show_progress)
        self._searches: list[Task] = []
        self._searched.connect(
            lambda done, total: self.message.emit(
                f"Searching the frames for the text: {done}/{total}"
            )
        )
        self.set_available(False)

    @property
    def available(self) -> bool:
        """True when there is an OCR engine to scan with."""
        return self._read is not None or self.engine is not None

    @property
    def running(self) -> bool:
        """True while a scan is in the pool (until its result or failure comes back)."""
        return bool(self._keep)

    def set_available(self, session_open: bool) -> None:
        """Enable the button when a session is open and OCR is installed."""
        self.button.setEnabled(self.running or (session_open and self.available))
        self.button.setToolTip("" if self.available else MISSING_TIP)

    def toggle(self) -> None:
        """Start a scan of the open session, or stop the one running."""
        if self.running:
            self._stop.set()
            self.message.emit("Stopping the frame scan…")
            return
        sid = self.session_id()
        if sid is None or not self.available:
            return
        read = self._read
        if read is None:
            assert self.engine is not None
            read = ocr.tesseract_reader(self.engine)
        self._stop.clear()
        stop, vault, signal = self._stop, self.vault, self._progressed

        def work() -> tuple[str, Any]:
            readers = [vault.open_session(sid) for _ in range(WORKERS)]
            try:
                return "found", scan_frames(
                    readers, read, progress=signal.emit, stopped=stop.is_set
                )
            except Cancelled:
                return "stopped", None
            except ocr.OcrError as error:
                return "failed", str(error)

        self._scanning = sid
        self.button.setText(STOP_LABEL)
        self.message.emit("Scanning frames for text…")
        submit(self.pool, work, lambda result: self._done(sid, result), self._failed, self._keep)

    def search_text(self, sid: str, needle: str, done: Callable[[FrameHits], None]) -> None:
        """Look for ``needle`` itself in session ``sid``'s frames, in the pool, then call
        ``done`` with the boxes found (at once, saying why, when there is no OCR)."""
        if not self.available:
            done(FrameHits(not_searched=NOT_INSTALLED))
            return
        read = self._read
        if read is None:
            assert self.engine is not None
            read = ocr.tesseract_reader(self.engine)
        vault, signal, finder = self.vault, self._searched, text_finder(needle)

        def work() -> FrameHits:
            readers = [vault.open_session(sid) for _ in range(WORKERS)]
            try:
                found = scan_frames(readers, read, progress=signal.emit, finder=finder)
            except ocr.OcrError as error:
                return FrameHits(not_searched=f"the OCR failed ({error})")
            return FrameHits(found=tuple(found))

        self.message.emit("Searching the frames for the text…")
        submit(
            self.pool,
            work,
            done,
            lambda error: done(FrameHits(not_searched=f"they could not be read ({error})")),
            self._searches,
        )

    def stop(self, unless: str | None = None) -> None:
        """Ask a running scan to stop, unless it is of session ``unless`` (the window closes,
        another session opens, or the session is about to change under it)."""
        if self.running and self._scanning != unless:
            self._stop.set()

    def _show_progress(self, done: int, total: int) -> None:
        if self.running and not self._stop.is_set():
            self.message.emit(f"Scanning frames for text: {done}/{total}")

    def _done(self, sid: str, result: tuple[str, Any]) -> None:
        self.button.setText(SCAN_LABEL)
        self._scanning = None
        outcome, value = result
        if outcome == "stopped":
            self.message.emit("Frame scan stopped; nothing was added.")
        elif outcome == "failed":
            self.message.emit(f"The frame scan failed: {value}")
        else:
            found: list[Suggestion] = value
            self.found.emit(sid, found)

    def _failed(self, message: str) -> None:
        self.button.setText(SCAN_LABEL)
        self._scanning = None
        if self._stop.is_set():  # the session changed under it, as asked
            self.message.emit("Frame scan stopped; nothing was added.")
        else:
            self.message.emit(f"The frame scan failed: {message}")
