"""Text typed with a correction, a pause and cursor keys into a real window is removed whole.

The real `overt record` (pynput and mss on Xvfb) records xdotool typing ``pasx`` BackSpace
``sw``, a pause, ``99`` Left Left ``ord`` into a Tk entry (which then holds ``password99``);
`overt redact --text password99` must leave none of those presses, neither in
`overt show --events` nor in the decrypted event stream.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from storage import Vault
from tests.conftest import ROOT
from tests.helpers.overt_cli import run_overt
from tests.helpers.xserver import XDisplay, XDoTool

PASSPHRASE = "redact passphrase"
SECRET = "password99"
TK_ENTRY = """
import sys, tkinter as tk
root = tk.Tk(className="notes")
root.title("Redact notes")
root.geometry("500x120+200+200")
entry = tk.Entry(root, width=40)
entry.pack(padx=20, pady=40)
entry.focus_set()
root.bind("<Return>", lambda e: open(sys.argv[1], "w").write(entry.get()))
root.mainloop()
"""
#: Keys left once the secret's presses are scrubbed: Enter, and what was typed after it.
AFTER = ["enter", "o", "k"]


def _key_downs(events: list[dict[str, Any]]) -> list[str]:
    return [str(e["key"]) for e in events if e["kind"] == "key" and e["down"]]


def test_redacting_corrected_typing_leaves_none_of_its_presses(
    x_display: XDisplay, xdo: XDoTool, tmp_path: Path
) -> None:
    (tmp_path / "pw").write_text(PASSPHRASE + "\n")
    env = dict(
        x_display.env,
        OVERT_HOME=str(tmp_path / "vault"),
        OVERT_PASSPHRASE_FILE=str(tmp_path / "pw"),
    )
    assert run_overt("init", env=env).returncode == 0
    held = tmp_path / "entry.txt"
    notes = x_display.spawn(sys.executable, "-c", TK_ENTRY, str(held))
    try:
        wid = xdo.wait_window("Redact notes")
        xdo.run("windowactivate", "--sync", str(wid))
        recording = subprocess.Popen(
            [sys.executable, "-m", "app", "record", "--i-consent", "--duration", "9"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert recording.stdout is not None
        first = recording.stdout.readline()
        assert first.startswith("Recording session "), first + (recording.stderr.read() or "")
        session_id = first.split()[2].rstrip(";")
        xdo.move(300, 280)
        xdo.click()
        xdo.type("pasx", 40)
        xdo.key("BackSpace")
        xdo.type("sw", 40)
        time.sleep(1.6)  # a typing pause: the recorder ends the type action here
        xdo.type("99", 40)
        xdo.key("Left", "Left")
        xdo.type("ord", 40)
        xdo.key("Return")
        xdo.type("ok", 40)
        _out, err = recording.communicate(timeout=60)
        assert recording.returncode == 0, err
    finally:
        notes.terminate()
    assert held.read_text() == SECRET  # the field really held the secret

    vault = Vault.open(Path(env["OVERT_HOME"]))
    before = list(vault.unlock(PASSPHRASE.encode()).open_session(session_id).events())
    keys = _key_downs(before)
    assert keys[-len(AFTER) :] == AFTER
    assert {"backspace", "left", "x"} <= set(keys)
    typed = vault.unlock(PASSPHRASE.encode()).open_session(session_id).actions()
    assert [a["text"] for a in typed if a["kind"] == "type"][:2] == ["passw", "ord99"]

    redacted = run_overt("redact", session_id, "--text", SECRET, env=env)
    assert redacted.returncode == 0, redacted.stderr
    assert "Removed 1 occurrence(s)" in redacted.stdout

    shown = run_overt("show", session_id, "--events", env=env)
    assert shown.returncode == 0, shown.stderr
    listed = [json.loads(line) for line in shown.stdout.splitlines() if line.startswith("  {")]
    after = list(vault.unlock(PASSPHRASE.encode()).open_session(session_id).events())
    for events in (listed, after):
        assert len(events) == len(before)
        kept = [k for k in _key_downs(events) if k != "redacted"]
        assert kept == AFTER, kept  # not one of p a s x BackSpace s w 9 9 Left Left o r d
        chars = [e["char"] for e in events if e["kind"] == "key" and e.get("char")]
        assert chars == ["o", "k"]
    actions = list(vault.unlock(PASSPHRASE.encode()).open_session(session_id).actions())
    assert [a["text"] for a in actions if a["kind"] == "type"] == ["[removed]", "[removed]", "ok"]
