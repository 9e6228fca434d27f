"""A session recorded on two monitors, exported in every format, read as a trainer reads it.

Its own Xvfb (1600x600) split into two 800x600 monitors (tests/helpers/monitors.py); two Tk
apps, "notes" on the left monitor and "sketch" on the right. `overt record` records clicks on
both monitors and in both windows, typing, a shortcut, a scroll and a drag from one monitor
onto the other; `overt export` writes every format. Every step must have its observation, the
code must parse under AgentNet's grammar (tests/storage/export/agentnet_grammar.py) with all
coordinates in [0, 1], and each click must be labelled with the window it was made in.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from storage import Vault
from storage.export import FORMATS
from tests.conftest import ROOT
from tests.helpers.monitors import set_monitors
from tests.helpers.overt_cli import run_overt
from tests.helpers.xserver import XDisplay, XDoTool, XServerError, missing_tools, start_display
from tests.storage.export.agentnet_grammar import check_task, coordinates, parse

PASSPHRASE = "two monitors"
LEFT, RIGHT = (0, 0, 800, 600), (800, 0, 800, 600)
TK_APP = r"""
import sys, tkinter as tk
klass, x = sys.argv[1], sys.argv[2]
root = tk.Tk(className=klass)
root.title(klass.capitalize() + " window")
root.geometry(f"500x400+{x}+80")
entry = tk.Entry(root)
entry.place(x=10, y=10, width=300, height=30)
items = tk.Listbox(root)
for i in range(200):
    items.insert("end", f"{klass} item {i}")
items.place(x=10, y=60, width=480, height=320)
entry.focus_set()
root.mainloop()
"""
ENTRY = (150, 25)  # client coordinates
LIST = (200, 200)


@dataclass
class Recorded:
    home: Path
    session_id: str
    exports: dict[str, Path]
    notes_click: tuple[int, int]
    sketch_click: tuple[int, int]
    notes_list: tuple[int, int]
    drag: tuple[int, int, int, int]


def origin(display: XDisplay, wid: int) -> tuple[int, int]:
    import Xlib.display

    connection = Xlib.display.Display(display.name)
    try:
        window = connection.create_resource_object("window", wid)
        found = connection.screen().root.translate_coords(window, 0, 0)
        return int(found.x), int(found.y)
    finally:
        connection.close()


@pytest.fixture(scope="module")
def two_monitors() -> Iterator[XDisplay]:
    """A display of its own: splitting the shared one would change every other e2e test."""
    try:
        import tkinter  # noqa: F401 - the stand-in apps are Tk programs (python3-tk)
    except ImportError:
        pytest.skip("tkinter is missing (Debian: python3-tk)")
    if missing_tools():
        pytest.skip(f"X tools missing: {', '.join(missing_tools())}")
    try:
        display = start_display(1600, 600, tray=False)
    except XServerError as error:
        pytest.skip(str(error))
    try:
        set_monitors(display.name, [LEFT, RIGHT])
        yield display
    finally:
        display.stop()


@pytest.fixture(scope="module")
def recorded(two_monitors: XDisplay, tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    display = two_monitors
    xdo = XDoTool(display)
    tmp = tmp_path_factory.mktemp("training")
    (tmp / "pw").write_text(PASSPHRASE + "\n")
    env = dict(display.env, OVERT_HOME=str(tmp / "vault"), OVERT_PASSPHRASE_FILE=str(tmp / "pw"))
    assert run_overt("init", env=env).returncode == 0
    notes = display.spawn(sys.executable, "-c", TK_APP, "notes", "100")
    sketch = display.spawn(sys.executable, "-c", TK_APP, "sketch", "1000")
    try:
        notes_wid, sketch_wid = xdo.wait_window("Notes window"), xdo.wait_window("Sketch window")
        xdo.run("windowactivate", "--sync", str(notes_wid))
        recording = subprocess.Popen(
            [sys.executable, "-m", "app", "record", "--i-consent", "--duration", "16",
             "--fps", "2"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert recording.stdout is not None
        first = recording.stdout.readline()
        assert first.startswith("Recording session "), first + (recording.stderr.read() or "")
        session_id = first.split()[2].rstrip(";")
        nx, ny = origin(display, notes_wid)
        sx, sy = origin(display, sketch_wid)
        notes_click = (nx + ENTRY[0], ny + ENTRY[1])
        sketch_click = (sx + ENTRY[0], sy + ENTRY[1])
        time.sleep(0.5)
        xdo.move(*notes_click)  # left monitor, the notes window
        xdo.click(1)
        xdo.type("hello left")
        time.sleep(0.3)
        xdo.key("ctrl+a")  # a shortcut
        time.sleep(0.3)
        xdo.move(*sketch_click)  # right monitor, the sketch window: the click moves focus
        time.sleep(0.2)
        xdo.click(1)
        xdo.type("hello right")
        time.sleep(0.3)
        xdo.key("Return")
        time.sleep(0.3)
        xdo.move(sx + LIST[0], sy + LIST[1])  # a click on the right monitor, focus unchanged
        time.sleep(0.2)
        xdo.click(1)
        time.sleep(0.5)
        xdo.move(nx + LIST[0], ny + LIST[1])  # back to notes, and scroll its list
        time.sleep(0.2)
        xdo.click(1)
        time.sleep(0.3)
        xdo.click(5, repeat=3)
        time.sleep(1.2)  # the scroll run ends after its gap; its after-frame settles
        drag = (nx + 400, ny + 300, sx + 200, sy + 300)  # from the left monitor onto the right
        xdo.move(drag[0], drag[1])
        time.sleep(0.2)
        xdo.run("mousedown", "1")
        for step in range(1, 7):
            xdo.move(
                drag[0] + (drag[2] - drag[0]) * step // 6, drag[1] + (drag[3] - drag[1]) * step // 6
            )
        xdo.run("mouseup", "1")
        _, err = recording.communicate(timeout=60)
        assert recording.returncode == 0, err
    finally:
        for app in (notes, sketch):
            app.terminate()
    Vault.open(tmp / "vault").unlock(PASSPHRASE.encode()).approve(session_id)
    exports = {}
    for fmt in FORMATS:
        exports[fmt] = tmp / ("export.zip" if fmt == "zip" else f"export-{fmt}")
        done = run_overt("export", session_id, "--format", fmt, "--out", str(exports[fmt]), env=env)
        assert done.returncode == 0, done.stderr
    notes_list = (nx + LIST[0], ny + LIST[1])
    return Recorded(tmp / "vault", session_id, exports, notes_click, sketch_click, notes_list, drag)


def trajectory(recorded: Recorded) -> dict[str, Any]:
    path = recorded.exports["trajectory"] / "trajectories" / f"{recorded.session_id}.json"
    return dict(json.loads(path.read_text()))


def test_the_session_has_every_kind_of_action(recorded: Recorded) -> None:
    steps = trajectory(recorded)["traj"]
    kinds = [s["kind"] for s in steps]
    for kind in ("click", "type", "hotkey", "scroll", "drag"):
        assert kind in kinds, kinds
    assert kinds[-1] == "terminate"
    monitors = {s["observation"]["monitor"]["x"] for s in steps if s["kind"] == "click"}
    assert monitors == {0, 800}  # clicks on both monitors


def test_every_step_has_an_observation_and_agentnet_code_in_0_1(recorded: Recorded) -> None:
    document = trajectory(recorded)
    check_task(document)
    assert document["coordinate_space"] == "normalized"
    root = recorded.exports["trajectory"]
    for step in document["traj"]:
        assert step["observation"] is not None
        assert (root / step["image"]).is_file()
        values = coordinates(step["value"]["code"])
        assert all(0 <= v <= 1 for v in values), step["value"]["code"]
    scrolls = [s for s in document["traj"] if s["kind"] == "scroll"]
    assert scrolls
    for scroll in scrolls:  # the recorder took its before- and after-frames
        assert scroll["observation"]["seq"] != scroll["next_observation"]["seq"]


def test_the_drag_keeps_both_monitors(recorded: Recorded) -> None:
    (drag,) = [s for s in trajectory(recorded)["traj"] if s["kind"] == "drag"]
    action = drag["action"]
    assert (action["x_px"], action["y_px"], action["x2_px"], action["y2_px"]) == recorded.drag
    assert action["monitor"]["x"] == 0
    assert action["end_monitor"]["x"] == 800
    assert action["x2"] == round((recorded.drag[2] - 800) / 800, 4)
    calls = parse(drag["code"])
    assert [name for name, _ in calls] == ["pyautogui.moveTo", "pyautogui.dragTo"]


def test_clicks_are_labelled_with_their_window(recorded: Recorded) -> None:
    clicks = {
        (s["action"]["x_px"], s["action"]["y_px"]): (s["window"] or {}).get("app")
        for s in trajectory(recorded)["traj"]
        if s["kind"] == "click"
    }
    assert clicks.get(recorded.notes_click) == "Notes"
    # A click that moves focus from notes to sketch (the recorder's window attribution).
    assert clicks.get(recorded.sketch_click) == "Sketch"
    assert clicks.get(recorded.notes_list) == "Notes"  # and back from sketch to notes


def test_agentnet_files(recorded: Recorded) -> None:
    root = recorded.exports["agentnet"]
    (path,) = (root / "trajectories").iterdir()
    record = json.loads(path.read_text())
    check_task(record)
    assert record["task_id"] == recorded.session_id
    for step in record["traj"]:
        assert (root / "images" / step["image"]).is_file()
        assert all(0 <= v <= 1 for v in coordinates(step["value"]["code"]))


def test_webdataset_samples_all_have_their_frame(recorded: Recorded) -> None:
    members: dict[str, bytes] = {}
    for shard in sorted(recorded.exports["webdataset"].glob("shard-*.tar")):
        with tarfile.open(shard) as tar:
            members |= {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}  # type: ignore[union-attr]
    keys = sorted({name.split(".", 1)[0] for name in members})
    assert keys
    for key in keys:
        action = json.loads(members[f"{key}.action.json"])
        assert all(0 <= v <= 1 for v in coordinates(action["code"]))
        with Image.open(io.BytesIO(members[f"{key}.pre.png"])) as image:
            assert image.size == (800, 600)


def test_parquet_rows_have_monitors_and_images(recorded: Recorded) -> None:
    import pyarrow.parquet as pq

    rows = pq.read_table(recorded.exports["parquet"] / "actions.parquet").to_pylist()
    assert {r["monitor_x"] for r in rows} == {0, 800}
    for row in rows:
        assert row["pre_image"]["bytes"].startswith(b"\x89PNG")
        assert (row["image_width"], row["image_height"]) == (800, 600)
        assert row["x"] is None or 0 <= row["x"] <= 1
        parse(row["code"])


def test_folder_frames_are_in_capture_order(recorded: Recorded) -> None:
    lines = (
        recorded.exports["folder"] / "sessions" / recorded.session_id / "frames.jsonl"
    ).read_text()
    times = [json.loads(line)["t"] for line in lines.splitlines()]
    assert times == sorted(times)
    assert recorded.exports["zip"].is_file()


def test_the_display_really_had_two_monitors(two_monitors: XDisplay) -> None:
    saved = os.environ.get("DISPLAY")
    os.environ["DISPLAY"] = two_monitors.name
    try:
        from recorder.platform.screen import MssScreen

        screen = MssScreen()
        try:
            assert [(m["x"], m["w"]) for m in screen.monitors()] == [(0, 800), (800, 800)]
        finally:
            screen.close()
    finally:
        if saved is None:
            os.environ.pop("DISPLAY", None)
        else:
            os.environ["DISPLAY"] = saved
