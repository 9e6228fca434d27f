"""app/review/session_index.py: frames and windows looked up by time."""

from __future__ import annotations

from app.review.model import ReviewModel


def test_frame_at_follows_capture_time_not_index() -> None:
    # A pre-action frame (index 2) is captured before frame 1 but written after it.
    model = ReviewModel([{"t": 0.4}, {"t": 0.73}, {"t": 0.67}, {"t": 2.0}])
    assert model.frame_at(0.7) == 2
    assert model.frame_at(0.8) == 1
    assert model.frame_at(0.1) == 0
    assert model.frame_at(5.0) == 3
    assert model.duration == 2.0
