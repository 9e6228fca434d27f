"""The review window's commands: every change a person can ask for, previewed, then run.

Each command builds a Change from the open model (app/review/changes.py) and hands it to the
window's ChangeRunner; the buttons' handlers first ask what they need (app/review/dialogs.py).
"""

from __future__ import annotations

from collections.abc import Callable

from app.qt.core import SignalInstance
from app.qt.widgets import QListWidget, QMainWindow
from app.review import changes
from app.review.change_runner import ChangeRunner
from app.review.dialogs import ask_delete_range, ask_region_frames, tell
from app.review.frame_panel import FramePanel
from app.review.model import ReviewModel
from app.review.previews import FrameHits
from app.review.scan import NOT_INSTALLED, FrameTextScan
from app.review.session import ReviewSession
from app.review.suggestions_panel import SuggestionsPanel
from app.review.text_panel import TypedTextPanel


class ReviewCommands(QMainWindow):
    """The changes the review window offers, as methods: its buttons and the tests call them.

    ReviewWindow (app/review/window.py) builds the panels and the runner these use.

    Attributes:
        model: the open session's records (None while one opens).
        session: the open session (None while one opens).
        runner: previews, confirms and applies each change.
        ask_frames_too: asks whether deleting actions deletes their frames (None: cancel).
    """

    model: ReviewModel | None
    session: ReviewSession | None
    runner: ChangeRunner
    ask_frames_too: Callable[[range], bool | None]
    frame_panel: FramePanel
    text_panel: TypedTextPanel
    suggestions_panel: SuggestionsPanel
    frame_scan: FrameTextScan
    textChangeOffered: SignalInstance
    actions_list: QListWidget

    def _run(self, change: changes.Change) -> bool:
        return self.runner.run(change, self.session)

    def _open_model(self) -> ReviewModel:
        assert self.model is not None
        return self.model

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
        spans = self.model.typed_spans_at(*self.text_panel.selection())
        if not spans:
            return False
        return self.redact_typed_spans(spans)

    def redact_text(self, needle: str) -> bool:
        """Remove every occurrence of ``needle`` and black out where OCR reads it in the
        frames, after one preview of both (the frames are searched first, in the pool; without
        OCR the preview says they were not searched). True if it was started (the search, or
        the change); ``textChangeOffered`` says when the change was offered and confirmed."""
        model, session = self._open_model(), self.session
        if session is None or not needle:
            return False
        if not self.frame_scan.available:
            hits = FrameHits(not_searched=NOT_INSTALLED)
            started = self._run(changes.redact_text(model, needle, hits))
            self.textChangeOffered.emit(started)
            return started

        def searched(hits: FrameHits) -> None:
            if self.model is not model or self.session is not session:
                self.statusBar().showMessage(
                    "The session changed while its frames were searched; nothing was removed."
                )
                self.textChangeOffered.emit(False)
                return
            self.textChangeOffered.emit(self._run(changes.redact_text(model, needle, hits)))

        self.frame_scan.search_text(session.session_id, needle, searched)
        return True

    def delete_events(self, seqs: range) -> bool:
        """Delete these events (and the actions built on them), after a preview."""
        return self._run(changes.delete_events(self._open_model(), seqs))

    def delete_frames(self, frames: set[int]) -> bool:
        """Delete these frames (the others are kept exactly), after a preview."""
        return self._run(changes.delete_frames(self._open_model(), frames))

    def delete_frame_range_events(self, first: int, last: int) -> bool:
        """Delete every event captured from frame ``first`` to ``last`` (inclusive)."""
        return self.delete_range(first, last, frames=False, events=True)

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

    def accept_suggestion(self, row: int | None = None) -> bool:
        """Redact suggestion ``row`` (default: the selected one) after a preview."""
        picked = self.suggestions_panel.selected(row)
        if picked is None or self.model is None:
            return False
        s = picked[1]
        started = self._run(changes.accept_suggestion(self.model, s))
        if started and s.source == "frame":
            self.suggestions_panel.forget(s)
        return started

    # --- the buttons --------------------------------------------------------------------

    def _redact_region_clicked(self) -> None:
        model, sel = self.model, self.frame_panel.view.selection
        if model is None or sel is None or sel.width() < 2:
            tell(self, "First drag a rectangle on the frame.")
            return
        ranges = ask_region_frames(self, model, self.frame_panel.index)
        if ranges is not None:
            self.redact_region((sel.x(), sel.y(), sel.width(), sel.height()), ranges)

    def _delete_selected_clicked(self) -> None:
        model = self.model
        rows = sorted(i.row() for i in self.actions_list.selectedIndexes())
        if model is None or not rows:
            tell(self, "First select actions in the list.")
            return
        with_frames = self.ask_frames_too(model.frames_of_actions(rows[0], rows[-1]))
        if with_frames is not None:
            self.delete_actions(rows[0], rows[-1], with_frames=with_frames)

    def _delete_range_clicked(self) -> None:
        if self.model is None or self.model.frame_count == 0:
            return
        asked = ask_delete_range(self, self.frame_panel.index, self.model.frame_count)
        if asked is not None and (asked[2] or asked[3]):
            first, last, frames, events = asked
            self.delete_range(first, last, frames=frames, events=events)

    def _titles_clicked(self) -> None:
        self.blank_titles(None)

    def _redact_selection_clicked(self) -> None:
        if not self.redact_selection():
            tell(self, "Select the typed text to remove in the view above.")

    def _redact_text_clicked(self) -> None:
        needle = self.text_panel.selected_text()
        if not needle:
            tell(self, "Select text in the view, or type it in the search box.")
            return
        self.redact_text(needle)

    def _approve_clicked(self) -> None:
        self.approve()

    def _delete_session_clicked(self) -> None:
        self.delete_session()
