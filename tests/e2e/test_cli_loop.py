"""The whole loop through the real `overt` command, as separate processes on a real display.

A researcher writes a study; a volunteer creates a vault, records a session with the study
(typing into a real window driven by xdotool), verifies, redacts, approves and exports it
encrypted to the study; the researcher collects it with their identity.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from storage import Vault
from tests.conftest import ROOT
from tests.helpers.overt_cli import run_overt
from tests.helpers.xserver import XDisplay, XDoTool

PASSPHRASE = "loop passphrase"
TK_ENTRY = """
import sys, tkinter as tk
root = tk.Tk(className="notes")
root.title("Loop notes")
root.geometry("500x120+200+200")
entry = tk.Entry(root, width=40)
entry.pack(padx=20, pady=40)
entry.focus_set()
root.mainloop()
"""


def overt(
    env: dict[str, str], *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return run_overt(*args, env=env, timeout=timeout)


@pytest.fixture
def env(x_display: XDisplay, tmp_path: Path) -> dict[str, str]:
    (tmp_path / "pw").write_text(PASSPHRASE + "\n")
    return dict(
        x_display.env,
        OVERT_HOME=str(tmp_path / "vault"),
        OVERT_PASSPHRASE_FILE=str(tmp_path / "pw"),
    )


def test_study_record_redact_approve_export_collect(
    env: dict[str, str], x_display: XDisplay, xdo: XDoTool, tmp_path: Path
) -> None:
    study, identity = tmp_path / "study.toml", tmp_path / "researcher.key"
    made = overt(
        env, "study", "new", "--out", str(study), "--identity-out", str(identity),
        "--id", "loop", "--title", "Loop", "--researcher", "Lab", "--contact", "lab@example.org",
        "--purpose", "testing", "--fps", "1",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert overt(env, "init").returncode == 0

    notes = x_display.spawn(sys.executable, "-c", TK_ENTRY)
    try:
        wid = xdo.wait_window("Loop notes")
        xdo.run("windowactivate", "--sync", str(wid))
        recording = subprocess.Popen(
            [sys.executable, "-m", "app", "record", "--i-consent", "--study", str(study),
             "--duration", "6"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert recording.stdout is not None
        first = recording.stdout.readline()
        assert first.startswith("Recording session "), first + (recording.stderr.read() or "")
        session_id = first.split()[2].rstrip(";")
        xdo.move(300, 280)
        xdo.click()
        xdo.type("meet at noon, code 4417")
        out, err = recording.communicate(timeout=60)
        assert recording.returncode == 0, err
        assert "Stopped (duration)" in out
    finally:
        notes.terminate()

    verified = overt(env, "verify", session_id)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    vault = Vault.open(Path(env["OVERT_HOME"]))
    reader = vault.unlock(PASSPHRASE.encode()).open_session(session_id)
    consent = reader.consent
    assert consent["study"]["id"] == "loop"
    assert consent["affirmed_by"] == "--i-consent flag"
    assert consent["scope"]["fps"] == 1.0
    typed = "".join(a.get("text", "") for a in reader.actions() if a["kind"] == "type")
    assert "meet at noon, code 4417" in typed

    assert overt(env, "redact", session_id, "--text", "4417").returncode == 0
    not_approved = overt(env, "export", session_id, "--format", "parquet",
                         "--out", str(tmp_path / "early"))  # fmt: skip
    assert not_approved.returncode == 1
    assert not (tmp_path / "early").exists()
    assert overt(env, "approve", session_id, "--yes").returncode == 0
    export = tmp_path / "export.age"
    exported = overt(env, "export", session_id, "--format", "zip", "--out", str(export))
    assert exported.returncode == 0, exported.stderr
    assert b"4417" not in export.read_bytes()

    dataset = tmp_path / "dataset"
    collected = overt(env, "collect", str(export), "--identity", str(identity),
                      "--out", str(dataset))  # fmt: skip
    assert collected.returncode == 0, collected.stdout + collected.stderr
    actions = [f for f in dataset.rglob("*.parquet") if "action" in f.name]
    assert actions, sorted(p.name for p in dataset.rglob("*"))
    rows = pq.read_table(actions[0]).to_pylist()
    # A typed run may be split where typing paused (under load, xdotool can stall), so join.
    texts = "".join(str(r.get("text") or "") for r in rows)
    assert "meet at noon, code " in texts
    assert "4417" not in json.dumps(rows, default=str)
