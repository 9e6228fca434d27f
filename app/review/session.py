"""One session opened for review: serialised reader access and the vault's changes (no Qt).

The storage reader is not documented as thread-safe, and the review window reads frames from
worker threads; every access goes through one lock here. After a change (redaction,
approval) the reader is reopened, because the session's files were rewritten.
"""

from __future__ import annotations

import threading
from typing import Any

from PIL import Image

from storage import SessionReader, UnlockedVault, text_reach
from storage.scan import text as scanner

#: (events, actions, redactions, the scanner's suggestions, task episodes, the other streams
#: text removal reads, the UI elements by action seq) of one session, as the window loads them.
Records = tuple[
    list[dict[str, Any]],
    list[dict[str, Any]],
    list[dict[str, Any]],
    list[scanner.Suggestion],
    list[dict[str, Any]],
    dict[str, list[dict[str, Any]]],
    dict[int, dict[str, Any]],
]


class ReviewSession:
    """A session's reader plus the changes the review window can make.

    Attributes:
        vault: the unlocked vault.
        session_id: the session under review.
    """

    def __init__(self, vault: UnlockedVault, session_id: str) -> None:
        self.vault = vault
        self.session_id = session_id
        self._lock = threading.Lock()
        self._reader: SessionReader = vault.open_session(session_id)

    def frames(self) -> list[dict[str, Any]]:
        """Every frame's metadata."""
        with self._lock:
            return self._reader.frames()

    def records(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """(events, actions), each in seq order."""
        with self._lock:
            return list(self._reader.events()), list(self._reader.actions())

    def elements(self) -> dict[int, dict[str, Any]]:
        """Action seq -> the UI element it was on, or ``{"missing": reason}``
        (storage/elements.py)."""
        with self._lock:
            return self._reader.elements()

    def text_streams(self) -> dict[str, list[dict[str, Any]]]:
        """The streams text removal reads besides events and actions (``storage/text_reach.py``:
        task episodes...), so the review's preview counts what the redaction will."""
        with self._lock:
            return {
                name: text_reach.stored(self._reader, name)
                for name in text_reach.streams()
                if name not in ("events", "actions")
            }

    def frame_image(self, index: int) -> Image.Image:
        """Frame ``index`` as RGB pixels."""
        with self._lock:
            return self._reader.frame_image(index)

    def redactions(self) -> list[dict[str, Any]]:
        """The redaction log (kinds and counts, no content)."""
        with self._lock:
            return self._reader.redactions()

    def episodes(self) -> list[dict[str, Any]]:
        """The task episodes, in time order (with the actions' seq bounds)."""
        with self._lock:
            return [dict(e) for e in self._reader.episodes()]

    def review_state(self) -> str:
        """'unreviewed' or 'approved'."""
        with self._lock:
            return str(self._reader.summary.review)

    # --- changes --------------------------------------------------------------------------

    def redact_region(self, rect: tuple[int, int, int, int], ranges: list[range]) -> int:
        """Black out ``rect`` in each frame range; returns frames changed."""
        with self._lock:
            n = 0
            for r in ranges:
                n += self.vault.redact_region(self.session_id, rect, r)
            self._reopen()
            return n

    def redact_text(self, needle: str) -> int:
        """Remove every occurrence of ``needle``; returns occurrences removed."""
        with self._lock:
            n = self.vault.redact_text(self.session_id, needle)
            self._reopen()
            return n

    def redact_typed_spans(self, spans: list[tuple[int, int, int]]) -> int:
        """Remove only these spans (type action seq, start, end); returns characters removed."""
        with self._lock:
            n = self.vault.redact_typed_spans(self.session_id, spans)
            self._reopen()
            return n

    def delete_frames(self, frames: set[int]) -> int:
        """Delete these frames (the rest are renumbered); returns frames deleted."""
        with self._lock:
            n = self.vault.delete_frames(self.session_id, frames)
            self._reopen()
            return n

    def delete_range(self, seqs: range, frames: set[int]) -> tuple[int, int]:
        """Delete these events (and their actions), then these frames; returns both counts.

        Two redactions, each logged: events first, since deleting frames renumbers them
        and event seqs do not change.
        """
        with self._lock:
            try:
                events = self.vault.redact_events(self.session_id, seqs) if seqs else 0
                deleted = self.vault.delete_frames(self.session_id, frames) if frames else 0
            finally:
                self._reopen()
            return events, deleted

    def redact_events(self, seqs: range) -> int:
        """Delete these events (and actions built on them); returns events removed."""
        with self._lock:
            n = self.vault.redact_events(self.session_id, seqs)
            self._reopen()
            return n

    def redact_window_titles(self, seqs: range | None) -> int:
        """Blank window titles (all, or these seqs); returns titles blanked."""
        with self._lock:
            n = self.vault.redact_window_titles(self.session_id, seqs)
            self._reopen()
            return n

    def set_episodes(self, episodes: list[dict[str, Any]]) -> int:
        """Replace the task episodes (validated whole by storage); returns how many there are."""
        with self._lock:
            try:
                self.vault.set_episodes(self.session_id, episodes)
            finally:
                self._reopen()
            return len(episodes)

    def approve(self) -> None:
        """Mark the session approved."""
        with self._lock:
            self.vault.approve(self.session_id)
            self._reopen()

    def delete(self) -> None:
        """Delete the whole session irrecoverably."""
        with self._lock:
            self.vault.vault.delete_session(self.session_id)

    def _reopen(self) -> None:
        self._reader = self.vault.open_session(self.session_id)
