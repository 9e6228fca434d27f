"""`overt show --stats`'s lines, from statistics shaped by the recorder's own classes."""

from __future__ import annotations

from typing import Any

from app.core.session_stats import stats_lines
from recorder.capture.grounding import GroundingStats


def recorded_stats(**grounding: Any) -> dict[str, Any]:
    elements = GroundingStats(**grounding).to_dict(
        {"submitted": 9, "answered": 7, "dropped": 2, "late": 0}
    )
    summary = {"reason": "stopped", "drops": 0, "frame_drops": 1, "pre_frames_missed": 0}
    return {**summary, "suppressed": 12, "elements": elements}


def test_clicks_with_their_element_overall_and_per_app_most_clicked_first() -> None:
    stats = recorded_stats(
        actions=9,
        with_element=6,
        missing={"app not accessible": 2, "timed out": 1},
        clicks={"Tk": [2, 0], "gedit": [5, 5]},
        timings=[3.0, 4.5, 12.25],
    )
    lines = stats_lines(stats)
    assert lines[0] == "Stopped   by you"
    assert lines[1] == (
        "Lost      0 input events, 1 screenshot, 0 screenshots before an action; "
        "12 inputs held back by the privacy guards"
    )
    assert lines[2] == "Elements  5 of 7 (71%) clicks have their UI element; 6 of 9 (67%) actions"
    assert lines[3:5] == [
        "          gedit: 5 of 5 (100%) clicks",
        "          Tk: 0 of 2 (0%) clicks",
    ]
    assert lines[5] == "          none found: app not accessible 2, timed out 1"
    assert lines[6].endswith(
        "4.5 ms (median), 12.2 ms (95th percentile); 2 not made (too many at once)"
    )


def test_a_session_without_grounding_or_without_statistics_says_so() -> None:
    stats = recorded_stats()
    del stats["elements"]
    assert stats_lines(stats)[-1] == "Elements  not recorded in this session"
    assert stats_lines({}) == ["Stopped   no recording statistics in this session"]
    assert stats_lines({}, "interrupted") == [
        "Stopped   not cleanly (interrupted): no recording statistics were kept"
    ]


def test_no_clicks_is_not_a_division_by_zero() -> None:
    lines = stats_lines(recorded_stats(actions=1, with_element=1))
    assert lines[2] == "Elements  0 of 0 clicks have their UI element; 1 of 1 (100%) actions"
