"""`overt record` into a vault on a real, small tmpfs: a full disk stops the recording at once.

Before the fix the recorder ran on to its duration (frame writes failed quietly, and with
no input nothing else wrote), then said the disk was full (issue 20 item 3).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from storage import Vault
from tests.conftest import ROOT
from tests.e2e.conftest import SpawnTk
from tests.helpers.overt_cli import run_overt
from tests.helpers.tmpfs import fill, small_tmpfs
from tests.helpers.xserver import XDisplay

PASSPHRASE = "disk full passphrase"
#: A window that changes every pixel of a 320x240 area 20 times a second: each frame is new.
NOISE = """
import os, tkinter as tk
root = tk.Tk(className="noise")
root.title("Noise board")
root.geometry("320x240+100+100")
image = tk.PhotoImage(width=320, height=240)
tk.Label(root, image=image, bd=0).pack()
def draw():
    raw = os.urandom(320 * 240 * 3)
    rows = []
    for y in range(240):
        line = raw[y * 960:(y + 1) * 960]
        pixels = ("#%02x%02x%02x" % tuple(line[i:i + 3]) for i in range(0, 960, 3))
        rows.append("{" + " ".join(pixels) + "}")
    image.put(" ".join(rows))
    root.after(50, draw)
draw()
root.mainloop()
"""
DURATION = 60


def test_a_full_disk_stops_the_recording_at_once(
    x_display: XDisplay, spawn_tk: SpawnTk, tmp_path: Path
) -> None:
    spawn_tk(NOISE, "Noise board")
    (tmp_path / "pw").write_text(PASSPHRASE + "\n")
    with small_tmpfs(tmp_path / "mnt", "6m") as mnt:
        env = dict(
            x_display.env, OVERT_HOME=str(mnt / "vault"), OVERT_PASSPHRASE_FILE=str(tmp_path / "pw")
        )
        made = run_overt("init", env=env)
        assert made.returncode == 0, made.stderr
        fill(mnt / "junk", leave=1_500_000)
        started = time.monotonic()
        recording = subprocess.Popen(
            [sys.executable, "-m", "app", "record", "--i-consent", "--fps", "5",
             "--duration", str(DURATION), "--text", "none"],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            out, err = recording.communicate(timeout=DURATION + 30)
        finally:
            if recording.poll() is None:
                recording.kill()
        took = time.monotonic() - started
        assert out.startswith("Recording session "), out + err
        assert recording.returncode == 1, (out, err)
        assert err.count("\n") == 1, err
        assert err.startswith("overt: The disk is full"), err
        assert "Traceback" not in err
        assert took < DURATION / 2, f"it recorded on for {took:.1f} s after the disk filled"
        (mnt / "junk").unlink()
        vault = Vault.open(mnt / "vault")
        unlocked = vault.unlock(PASSPHRASE.encode())
        results = unlocked.verify()
        assert [r.status for r in results] == ["interrupted"], results
        reader = unlocked.open_session(results[0].session_id)
        assert len(reader.frames()) >= 1
        for i in range(len(reader.frames())):
            reader.frame_image(i)
