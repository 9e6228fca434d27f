"""`overt record --task` and `overt task mark|new` from another terminal, on a real display."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.helpers.overt_cli import run_overt
from tests.helpers.xserver import XDisplay, XDoTool


def test_tasks_marked_from_another_process_reach_the_session(
    x_display: XDisplay, xdo: XDoTool, tmp_path: Path
) -> None:
    (tmp_path / "pw").write_text("tasks passphrase\n")
    home, pw = str(tmp_path / "vault"), str(tmp_path / "pw")
    env = dict(x_display.env, OVERT_HOME=home, OVERT_PASSPHRASE_FILE=pw)
    assert run_overt("init", env=env).returncode == 0
    recording = subprocess.Popen(
        [sys.executable, "-m", "app", "record", "--i-consent", "--no-frames",
         "--task", "Move the pointer about", "--duration", "60"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert recording.stdout is not None
        first = recording.stdout.readline()
        assert first.startswith("Recording session "), first + (recording.stderr.read() or "")
        session_id = first.split()[2].rstrip(";")
        xdo.move(300, 300)
        done = run_overt("task", "mark", "done", env=env)
        assert (done.returncode, done.stdout) == (0, "Task e1 marked success.\n"), done.stderr
        new = run_overt("task", "new", "Then click once", env=env)
        assert new.returncode == 0, new.stderr
        xdo.move(320, 320)
        xdo.click(3)
        failed = run_overt("task", "mark", "failed", env=env)
        assert failed.stdout == "Task e2 marked failure.\n", failed.stderr
        again = run_overt("task", "mark", "failed", env=env)
        assert again.returncode == 1
        assert again.stderr == "overt: No task is open in this recording.\n"
    finally:
        recording.send_signal(signal.SIGTERM)
        _out, err = recording.communicate(timeout=60)
    assert recording.returncode == 0, err
    after = run_overt("task", "mark", "done", env=env)
    assert "No recording into this vault takes task commands" in after.stderr
    shown = run_overt("show", session_id, "--tasks", "--json", env=env)
    got = json.loads(shown.stdout)["tasks"]
    assert [(t["id"], t["instruction"], t["outcome"]) for t in got] == [
        ("e1", "Move the pointer about", "success"),
        ("e2", "Then click once", "failure"),
    ]
    assert got[0]["t_end"] <= got[1]["t_start"] < got[1]["t_end"]
    assert not any(p.is_file() for p in (tmp_path / "vault" / "control").iterdir())
