"""`make demo`: a tour of Overt on a virtual display, leaving screenshots to look at.

1. Starts Xvfb + openbox + trayer and runs `overt doctor`.
2. A researcher writes a study (`overt study new`); a volunteer makes a throwaway vault
   (`overt init`, passphrase from a file).
3. Records a short session with the study (`overt record --i-consent --study ... --duration`)
   while xdotool clicks and types in a real window (a small Tk notes app).
4. Lists it, shows its actions and verifies it (`overt sessions`, `show --actions`, `verify`).
5. Runs the tray app in a child process (tests/helpers/demo_windows.py): first start with no
   vault (the welcome), its menu, Record… and the consent dialog, then a real recording started with
   Start while xdotool types in the notes window, the menu while recording, and Stop; then
   the review window as it opens (on that newest session), the Export dialog before
   approval (its refusal) and once it is approved (its preview, then the finished export).
   Each is saved as PNG whole-screen and cropped to the window.

Everything lives in a temporary folder and on the virtual display; both go at the end.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.helpers.xserver import (
    XDisplay,
    XDoTool,
    start_display,
)

ROOT = Path(__file__).resolve().parent.parent.parent
PASSPHRASE = "demo passphrase, throwaway"
TYPED = "milk, eggs, bread"
TRAY_TYPED = "call the bakery at 9, or mail orders@bakery.example"
NOTES_APP = r"""
import tkinter as tk
root = tk.Tk(className="Notes")
root.title("Shopping list - Notes")
root.geometry("640x360+160+200")
text = tk.Text(root, font=("DejaVu Sans", 16))
text.insert("end", "Shopping list\n\n")
text.pack(fill="both", expand=True)
text.focus_set()
root.mainloop()
"""
WAIT_MS = 20_000
MARGIN = 6  # around the tray menu; windows are cropped to their frame
DESKTOP = (0x3B, 0x4A, 0x5A)  # a calm slate instead of Xvfb's black root window


def banner(text: str) -> None:
    print(f"\n=== {text}", flush=True)


class Tour:
    """The demo's state: display, throwaway folders, and how to run `overt` in them."""

    def __init__(self, display: XDisplay, work: Path, out_dir: Path) -> None:
        self.display = display
        self.xdo = XDoTool(display)
        self.work = work
        self.out_dir = out_dir
        self.home = work / "vault"
        self.pw = work / "pw"
        self.pw.write_text(PASSPHRASE + "\n")
        self.env = dict(
            display.env,
            OVERT_HOME=str(self.home),
            OVERT_PASSPHRASE_FILE=str(self.pw),
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        )

    def overt(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Run one `overt` command on the demo display and echo it and what it printed."""
        print(f"$ overt {' '.join(args)}", flush=True)
        out = subprocess.run(
            [sys.executable, "-m", "app", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        print(
            f"{out.stdout}{out.stderr}",
            end="" if (out.stdout + out.stderr).endswith("\n") else "\n",
        )
        if out.returncode != 0:
            print(f"(exit status {out.returncode})")
        return out

    def must(self, *args: str, timeout: float = 60) -> str:
        out = self.overt(*args, timeout=timeout)
        if out.returncode != 0:
            raise SystemExit(f"demo: `overt {args[0]}` failed; stopping the tour")
        return out.stdout


def record_session(tour: Tour, study: Path) -> str:
    """Record a few seconds of clicking and typing in the notes window; the session id."""
    xdo = tour.xdo
    wid = xdo.wait_window("Shopping list")
    xdo.run("windowactivate", "--sync", str(wid))
    args = ["record", "--i-consent", "--study", str(study), "--duration", "5"]
    print(f"$ overt {' '.join(args)}    (xdotool clicks and types in the notes window)", flush=True)
    recording = subprocess.Popen(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env=tour.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert recording.stdout is not None
    try:
        first = recording.stdout.readline()  # printed once capture is confirmed running
        print(first, end="", flush=True)
        if not first.startswith("Recording session "):
            _, err = recording.communicate(timeout=30)
            raise SystemExit(f"demo: recording did not start: {err.strip()}")
        session_id = first.split()[2].rstrip(";")
        xdo.move(420, 420)
        xdo.click()
        xdo.type(TYPED, delay_ms=40)
        xdo.key("Return")
        xdo.move(300, 320)
        xdo.click()
        out, err = recording.communicate(timeout=60)
    finally:
        if recording.poll() is None:
            recording.terminate()
            recording.wait(10)
    print(f"{out}{err}", end="")
    if recording.returncode != 0:
        raise SystemExit("demo: recording failed; stopping the tour")
    return session_id


def paint_desktop(display: XDisplay) -> None:
    """Give the root window a colour, so screenshots and recorded frames are not all black."""
    from Xlib import display as xlib_display

    conn = xlib_display.Display(display.name)
    try:
        screen = conn.screen()
        red, green, blue = (c * 257 for c in DESKTOP)
        pixel = screen.default_colormap.alloc_color(red, green, blue).pixel
        screen.root.change_attributes(background_pixel=pixel)
        screen.root.clear_area()
        conn.sync()
    finally:
        conn.close()


def main(out: str) -> int:
    started = time.monotonic()
    out_dir = Path(out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="overt-demo-"))
    display = start_display()
    tour = Tour(display, work, out_dir)
    try:
        paint_desktop(display)
        banner(
            f"A virtual display {display.name} (Xvfb + openbox + trayer); throwaway folder {work}"
        )
        banner("What works here")
        tour.overt("doctor")

        banner("A researcher writes a study file and keeps its private key")
        study, identity = work / "study.toml", work / "researcher.key"
        tour.must(
            "study", "new", "--out", str(study), "--identity-out", str(identity),
            "--id", "demo-notes", "--title", "Note taking", "--researcher", "Demo Lab",
            "--contact", "lab@example.org", "--purpose", "teach agents to take notes",
            "--fps", "1",
        )  # fmt: skip

        banner("A volunteer creates a vault (passphrase read from OVERT_PASSPHRASE_FILE)")
        tour.must("init")

        banner("Record 5 s with the study while xdotool uses a real window")
        display.spawn(sys.executable, "-c", NOTES_APP)
        session_id = record_session(tour, study)

        banner("What the vault holds")
        tour.must("sessions")
        tour.must("show", session_id, "--actions")
        tour.must("verify", session_id)

        banner("The app's windows: tray menu, consent dialog, review window")
        print(
            f"$ python -m tests.helpers.demo_windows {out_dir} {tour.home} {session_id}",
            flush=True,
        )
        shots = subprocess.run(
            [sys.executable, "-m", "tests.helpers.demo_windows", str(out_dir),
             str(tour.home), session_id],
            cwd=ROOT, env=tour.env, timeout=120, check=False,
        )  # fmt: skip
        if shots.returncode != 0:
            raise SystemExit("demo: the app's windows could not be shown")
        banner(f"Done in {time.monotonic() - started:.0f} s. Screenshots are in {out_dir}:")
        for png in sorted(out_dir.glob("*.png")):
            print(f"  {png}")
    finally:
        display.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "build/demo"))
