"""What the review window shows, without Qt: one session's records, for display and change.

The widgets in ``app/review/window.py`` stay thin over :class:`ReviewModel`, which is built
from plain records (``storage/format/records.py`` shapes) and unit-tested without a QApplication.
Its parts live beside it, each on the time indexes of ``app/review/session_index.py``.
"""

from __future__ import annotations

from app.review.navigation import Navigation
from app.review.overlays import Overlays
from app.review.suggestions import Suggestions


class ReviewModel(Navigation, Overlays, Suggestions):
    """One session's records, indexed for the review window.

    Frame metadata arrives first (enough to show the first frame); events and actions may
    arrive later (``set_records``), after which labels and overlays are complete.

    The parts: stepping (:class:`Navigation`), frame marks and the activity plot
    (:class:`Overlays`), labels and typed text, change previews and the scanner's
    suggestions (:class:`Suggestions`, on :class:`Previews` on :class:`Labels`).

    Attributes:
        frames: FrameMeta dicts, in index order.
        events: event dicts, in seq order.
        actions: action dicts, in seq order.
        suggestions: the open scanner suggestions.
    """
