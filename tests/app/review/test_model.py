"""The review window's Qt-free model: labels, navigation, overlays, previews."""

from __future__ import annotations

from typing import Any

from app.core.formatting import format_size
from app.review.model import ReviewModel, session_row
from storage import SessionSummary


def frame(t: float, i: int) -> dict[str, Any]:
    return {
        "index": i,
        "t": t,
        "wall": 1.0,
        "reason": "periodic",
        "monitor": {"index": 0, "x": 100, "y": 0, "w": 800, "h": 600, "scale": 1.0},
    }


def model() -> ReviewModel:
    m = ReviewModel([frame(float(i), i) for i in range(5)])
    events = [
        {
            "seq": 0,
            "t": 0.0,
            "kind": "window",
            "app": "Firefox",
            "title": "Bank — Firefox",
            "x": 110,
            "y": 10,
            "w": 300,
            "h": 200,
            "pid": 1,
            "wid": 5,
        },
        {"seq": 1, "t": 0.5, "kind": "move", "x": 150, "y": 50},
        {"seq": 2, "t": 0.8, "kind": "move", "x": 160, "y": 60},
        {"seq": 3, "t": 1.2, "kind": "button", "button": "left", "down": True, "x": 160, "y": 60},
        {
            "seq": 4,
            "t": 2.5,
            "kind": "window",
            "app": "Terminal",
            "title": "",
            "x": 100,
            "y": 0,
            "w": 800,
            "h": 600,
            "pid": 2,
            "wid": 6,
        },
        {"seq": 5, "t": 3.1, "kind": "key", "down": True, "key": "p", "char": "p", "mods": []},
    ]
    actions = [
        {
            "seq": 0,
            "t": 1.2,
            "t_end": 1.3,
            "kind": "click",
            "events": [3],
            "frame_before": 1,
            "frame_after": 2,
            "window_seq": 0,
            "x": 160,
            "y": 60,
            "button": "left",
        },
        {
            "seq": 1,
            "t": 1.8,
            "t_end": 1.9,
            "kind": "drag",
            "events": [3],
            "frame_before": None,
            "frame_after": None,
            "window_seq": 0,
            "x": 160,
            "y": 60,
            "x2": 300,
            "y2": 90,
        },
        {
            "seq": 2,
            "t": 3.1,
            "t_end": 3.5,
            "kind": "type",
            "events": [5],
            "frame_before": 3,
            "frame_after": 4,
            "window_seq": 4,
            "text": "pass word",
        },
        {
            "seq": 3,
            "t": 3.9,
            "t_end": 3.9,
            "kind": "hotkey",
            "events": [5],
            "frame_before": None,
            "frame_after": None,
            "window_seq": 4,
            "keys": ["ctrl", "c"],
        },
    ]
    m.set_records(events, actions)
    return m


def test_action_labels_say_what_and_where() -> None:
    labels = [model().action_label(a) for a in model().actions]
    assert labels == [
        "click at (160, 60) in Firefox — Bank — Firefox",
        "drag from (160, 60) to (300, 90) in Firefox — Bank — Firefox",
        "typed 'pass word' in Terminal",
        "hotkey ctrl+c in Terminal",
    ]


def test_stepping_by_frame_is_clamped() -> None:
    m = model()
    assert m.step_frame(0, -1) == 0
    assert m.step_frame(3, 1) == 4
    assert m.step_frame(4, 1) == 4


def test_stepping_by_action_follows_the_actions_frames() -> None:
    m = model()
    assert m.step_action(0, 1) == 0  # before any action: the first
    assert m.action_frame(0) == 1  # its pre-action frame
    assert m.action_frame(1) == 1  # no frame_before: the frame at its time
    assert m.step_action(1, 1, current=0) == 1  # two actions on one frame: both visited
    assert m.step_action(1, -1, current=1) == 0
    assert m.step_action(3, -1) == 1
    assert m.step_action(4, 1) == 3  # nothing later: the last action
    assert m.step_action(4, 1, current=3) == 3  # clamped


def test_overlay_is_in_frame_pixels() -> None:
    m = model()
    ov = m.overlay(1)
    assert ov.path == [(50, 50), (60, 60)]  # monitor x=100 subtracted
    assert ov.clicks == [(60, 60, "left")]
    assert ov.window == (10, 10, 300, 200)
    assert ov.drags == [(60, 60, 200, 90)]  # at 1.8 s: between frames 1 and 2
    assert m.overlay(2).drags == []


def test_typed_text_is_one_searchable_document() -> None:
    m = model()
    assert m.typed_text() == "[0:03] Terminal: pass word"
    assert m.find_text("WORD") == [2]
    assert m.find_text("nothing") == []


def test_activity_counts_events_by_kind() -> None:
    act = model().activity(4)
    assert sum(act["move"]) == 2
    assert sum(act["window"]) == 2
    assert act["key"][3] == 1


def test_previews_say_what_will_change() -> None:
    m = model()
    assert not m.preview_text("word").empty
    assert m.preview_text("absent").empty
    assert "1 occurrence(s)" in m.preview_text("word").lines[0]
    seqs = m.event_range_of_actions(0, 1)
    assert seqs == range(3, 4)
    p = m.preview_events(seqs)
    assert p.lines[0].startswith("1 event(s)")
    assert "2 action(s)" in p.lines[1]
    assert m.event_range_of_frames(0, 0) == range(0, 3)
    assert m.preview_titles(None).lines[1].strip() == "Bank — Firefox"
    assert m.preview_region((0, 0, 10, 10), [range(1, 3)]).lines[1].startswith("2 frame(s)")
    assert m.frames_while_window(m.events[0]) == [range(0, 3)]
    summary = m.approve_summary()
    assert "Apps: Firefox, Terminal." in summary.lines
    assert "pass word" in summary.lines[2]


def test_session_row() -> None:
    s = SessionSummary(
        "s1",
        1_700_000_000.0,
        3600.0,
        "complete",
        "unreviewed",
        10,
        2,
        3,
        3 * 1024 * 1024,
        "study-x",
    )
    row = session_row(s)
    assert row[1:] == [
        "1:00:00",
        "study-x",
        "3 frames, 2 actions, 10 events",
        "unreviewed",
        "3.1 MB",  # decimal units: 3 MiB is 3.1 MB
    ]
    assert format_size(12) == "12 B"


def test_the_action_a_frame_shows() -> None:
    m = model()
    assert m.action_at_frame(0) is None
    assert m.action_at_frame(1) == 0  # the click's pre-action frame
    assert m.action_at_frame(3) == 2  # the typed run's pre-action frame
    assert m.action_at_frame(4) == 3  # no action's frame: the last one begun by then


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


def test_frame_at_follows_capture_time_not_index() -> None:
    # A pre-action frame (index 2) is captured before frame 1 but written after it.
    model = ReviewModel([{"t": 0.4}, {"t": 0.73}, {"t": 0.67}, {"t": 2.0}])
    assert model.frame_at(0.7) == 2
    assert model.frame_at(0.8) == 1
    assert model.frame_at(0.1) == 0
    assert model.frame_at(5.0) == 3
    assert model.duration == 2.0
