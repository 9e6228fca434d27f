"""build_steps: observations, coordinate spaces, monitors, episodes, and the AgentNet layout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from storage.export import export_sessions
from storage.export.steps import build_steps
from tests.storage.export.agentnet_grammar import check_task, coordinates, parse
from tests.storage.export.fakes import FakeReader, frame, make_session

LEFT = {"index": 1, "x": 0, "y": 0, "w": 320, "h": 200, "scale": 1.0}
RIGHT = {"index": 2, "x": 320, "y": 0, "w": 320, "h": 200, "scale": 1.0}


def two_monitors(actions: list[dict[str, Any]], frames: int = 4) -> FakeReader:
    """Frames alternate left, right at t = 0, 1, 2...; the given actions."""
    reader = make_session("m", frames=frames)
    reader._actions = actions
    for i, meta in enumerate(reader._metas):
        meta["monitor"] = LEFT if i % 2 == 0 else RIGHT
    return reader


def action(seq: int, kind: str, t: float, **fields: Any) -> dict[str, Any]:
    return {
        "seq": seq,
        "kind": kind,
        "t": t,
        "t_end": t + 0.1,
        "wall": t,
        "events": [],
        "frame_before": None,
        "frame_after": None,
        "window_seq": 0,
        **fields,
    }


def test_a_drag_across_monitors_keeps_the_end_monitors_coordinates() -> None:
    drag = action(0, "drag", 0.5, x=300, y=100, x2=400, y2=50, button="left", frame_before=0)
    steps = list(build_steps(two_monitors([drag]), None, "normalized"))
    shaped = steps[0]["action"]
    assert (shaped["x"], shaped["y"]) == (0.9375, 0.5)
    assert (shaped["x2"], shaped["y2"]) == (0.25, 0.25)  # on the right monitor, not clamped
    assert (shaped["x2_px"], shaped["y2_px"]) == (400, 50)
    assert shaped["monitor"] == LEFT
    assert shaped["end_monitor"] == RIGHT
    assert steps[0]["code"] == (
        "pyautogui.moveTo(x=0.9375, y=0.5)\npyautogui.dragTo(x=0.25, y=0.25, button='left')"
    )
    assert all(0 <= v <= 1 for v in coordinates(steps[0]["code"]))


def test_an_action_without_frames_takes_the_last_frame_before_it_on_its_monitor() -> None:
    scroll = action(0, "scroll", 2.5, x=400, y=100, dx=0, dy=-3)
    steps = list(build_steps(two_monitors([scroll], frames=5), None, "normalized"))
    assert steps[0]["observation"]["seq"] == 1  # right monitor, t=1 (frame 2 is the left one)
    assert steps[0]["next_observation"]["seq"] == 3  # the right monitor's first after t_end
    assert steps[0]["code"] == "pyautogui.moveTo(x=0.25, y=0.5)\npyautogui.scroll(-3)"


def test_a_step_without_an_observation_is_never_written() -> None:
    early = action(0, "click", -1.0, x=10, y=10, button="left")
    later = action(1, "click", 1.5, x=10, y=10, button="left")
    steps = list(build_steps(two_monitors([early, later]), None, "normalized"))
    assert [s["action_seq"] for s in steps] == [1, None]
    assert [s["index"] for s in steps] == [0, 1]
    assert all(s["observation"] is not None for s in steps)


@pytest.mark.parametrize(
    ("space", "xy"),
    [("normalized", (0.25, 0.5)), ("pixels", (80, 100)), ("0-1000", (250, 500))],
)
def test_coordinate_spaces(space: str, xy: tuple[Any, Any]) -> None:
    click = action(0, "click", 0.5, x=400, y=100, button="left", frame_before=1)
    step = next(build_steps(two_monitors([click]), None, space))
    assert (step["action"]["x"], step["action"]["y"]) == xy
    assert parse(step["code"]) == [("pyautogui.click", {"x": xy[0], "y": xy[1]})]


def test_each_episode_ends_with_terminate_and_keeps_its_outcome() -> None:
    reader = make_session("e")
    reader.episodes = lambda: [  # type: ignore[attr-defined]
        {"id": "t1", "instruction": "click", "start_seq": 0, "end_seq": 1, "outcome": "success"},
        {"id": "t2", "instruction": "keys", "start_seq": 2, "end_seq": 3, "outcome": "abandoned"},
    ]
    first, second = ([*build_steps(reader, e, "normalized")] for e in reader.episodes())  # type: ignore[attr-defined]
    assert [s["action_seq"] for s in first] == [0, 1, None]
    assert first[-1]["code"] == "computer.terminate(status='success')"
    assert second[-1]["code"] == "computer.terminate(status='failure')"
    assert second[-1]["episode"]["outcome"] == "abandoned"
    assert [s["index"] for s in second] == [0, 1, 2]


def test_episodes_hold_the_actions_inside_their_time_bounds() -> None:
    reader = make_session("e")
    for position, a in enumerate(reader._actions):
        a["t"], a["t_end"] = float(position), position + 0.1
    bounds = {"id": "t1", "instruction": "", "outcome": None, "start_seq": None, "end_seq": None}
    inside = [*build_steps(reader, {**bounds, "t_start": 0.5, "t_end": 2.5}, "normalized")]
    assert [s["action_seq"] for s in inside] == [1, 2, None]
    assert [*build_steps(reader, {**bounds, "t_start": 9.0, "t_end": 9.5}, "normalized")] == []
    assert [*build_steps(reader, bounds, "normalized")] == []  # no bounds at all: nothing


def test_frames_jsonl_is_in_capture_time_order(tmp_path: Path) -> None:
    reader = make_session("f", frames=4)
    reader._metas[3]["t"] = 0.5  # a pre-action frame from the ring, written after frame 2
    export_sessions([reader], "folder", tmp_path / "out")
    lines = (tmp_path / "out" / "sessions" / "f" / "frames.jsonl").read_text().splitlines()
    metas = [json.loads(line) for line in lines]
    assert [m["index"] for m in metas] == [0, 3, 1, 2]
    assert [m["t"] for m in metas] == sorted(m["t"] for m in metas)


def test_agentnet_layout(tmp_path: Path) -> None:
    out = tmp_path / "an"
    export_sessions([make_session("a")], "agentnet", out)
    files = sorted((out / "trajectories").iterdir())
    assert [f.name for f in files] == ["a.json"]
    record = json.loads(files[0].read_text())
    check_task(record)
    assert record["task_id"] == "a"
    assert record["coordinate_space"] == "normalized"
    assert [s["value"]["code"].split("(")[0] for s in record["traj"]] == [
        "pyautogui.click",
        "pyautogui.write",
        "pyautogui.moveTo",
        "pyautogui.hotkey",
        "computer.terminate",
    ]
    assert record["traj"][0]["image"] == "a_000000.png"
    for step in record["traj"]:
        assert (out / "images" / step["image"]).is_file()
    from PIL import Image

    with Image.open(out / "images" / record["traj"][1]["image"]) as image:
        assert image.tobytes() == frame(1).tobytes()


def test_agentnet_writes_one_file_per_episode(tmp_path: Path) -> None:
    reader = make_session("a")
    reader.episodes = lambda: [  # type: ignore[attr-defined]
        {"id": "t1", "instruction": "first", "start_seq": 0, "end_seq": 1, "outcome": "success"},
        {"id": "t2", "instruction": "second", "start_seq": 2, "end_seq": 3, "outcome": None},
    ]
    export_sessions([reader], "agentnet", tmp_path / "an")
    records = [
        json.loads(p.read_text()) for p in sorted((tmp_path / "an" / "trajectories").iterdir())
    ]
    assert [(r["task_id"], r["instruction"], r["task_completed"]) for r in records] == [
        ("a_t1", "first", True),
        ("a_t2", "second", False),
    ]
    for record in records:
        check_task(record)
