"""A small synthetic session's records (frames, events, actions) for the review model's tests."""

from __future__ import annotations

from typing import Any

from app.review.model import ReviewModel


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
