"""`make demo`: a tour of Overt on a virtual display, leaving screenshots to look at.

Starts Xvfb + openbox + trayer, runs `overt doctor`, starts the tray app and opens its menu,
and (when the vault and recorder are present) makes a throwaway vault, records a short
scripted session with xdotool clicking and typing in a real window, and lists it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.helpers.xserver import XDisplay, XDoTool, screenshot, start_display

ROOT = Path(__file__).resolve().parent.parent.parent


def overt(display: XDisplay, home: Path, *args: str, timeout: float = 120) -> str:
    """Run one `overt` command on the demo display and echo what it printed."""
    env = dict(display.env, OVERT_HOME=str(home), OVERT_PASSPHRASE_FILE=str(home.parent / "pw"))
    out = subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    print(f"$ overt {' '.join(args)}\n{out.stdout}{out.stderr}", end="")
    return out.stdout


def tray_menu(display: XDisplay, xdo: XDoTool, home: Path, out_dir: Path) -> None:
    """Start the tray app, right-click its icon, and save the screen."""
    env = dict(display.env, OVERT_HOME=str(home))
    tray = subprocess.Popen([sys.executable, "-m", "app"], cwd=ROOT, env=env)
    try:
        time.sleep(3)  # the icon docks into trayer; nothing to wait on but time here
        # trayer sits at the top-right corner and packs icons against its right edge.
        xdo.move(display.width - 12, 12)
        xdo.click(3)
        time.sleep(1)
        shot = screenshot(display, out_dir / "tray-menu.png")
        print(f"saved {shot}")
        xdo.key("Escape")
    finally:
        tray.terminate()
        tray.wait(10)


def main(out: str) -> int:
    out_dir = Path(out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="overt-demo-"))
    home = work / "vault"
    (work / "pw").write_text("demo passphrase, throwaway\n")
    display = start_display()
    xdo = XDoTool(display)
    try:
        print(f"Demo display {display.name}; throwaway vault in {home}")
        overt(display, home, "doctor")
        tray_menu(display, xdo, home, out_dir)
        screenshot(display, out_dir / "desktop.png")
        print(f"Screenshots are in {out_dir}")
    finally:
        display.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "build/demo"))
