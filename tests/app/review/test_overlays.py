"""app/review/overlays.py: marks over a frame and the timeline's activity plot."""

from __future__ import annotations

from app.review.model import ReviewModel
from tests.app.review.session_records import frame, model


def test_overlay_is_in_frame_pixels() -> None:
    m = model()
    ov = m.overlay(1)
    assert ov.path == [(50, 50), (60, 60)]  # monitor x=100 subtracted
    assert ov.clicks == [(60, 60, "left")]
    assert ov.window == (10, 10, 300, 200)
    assert ov.drags == [(60, 60, 200, 90)]  # at 1.8 s: between frames 1 and 2
    assert m.overlay(2).drags == []


def test_activity_counts_events_by_kind() -> None:
    act = model().activity(4)
    assert sum(act["move"]) == 2
    assert sum(act["window"]) == 2
    assert act["key"][3] == 1


def test_a_click_before_the_first_frame_is_marked_on_the_frame_shown_for_it() -> None:
    m = ReviewModel([frame(1.0, 0), frame(2.0, 1)])
    click = {
        "seq": 0,
        "t": 0.4,
        "t_end": 0.5,
        "kind": "click",
        "events": [],
        "button": "left",
        "frame_before": None,
        "frame_after": None,
        "window_seq": None,
        "x": 500,
        "y": 80,
    }
    m.set_records([], [click])
    assert m.action_frame(0) == 0
    assert m.overlay(0).clicks == [(400, 80, "left")]
    assert m.overlay(1).clicks == []


def test_activity_bins_are_wide_enough_for_short_sessions() -> None:
    model = ReviewModel([{"t": 0.0}, {"t": 3.0}])
    assert model.activity_bins(900) == 12  # 3 s in quarter-second bins, not 300 slivers
    long = ReviewModel([{"t": 0.0}, {"t": 3600.0}])
    assert long.activity_bins(900) == 300  # an hour: about 3 pixels a bin
    assert long.activity_bins(0) == 1
