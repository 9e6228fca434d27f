"""The real tray app under Xvfb with a tray host: its icon is visible in the tray."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import mss

from tests.conftest import ROOT
from tests.helpers.xserver import XDisplay

ICON_GREY = (0x5F, 0x6B, 0x7A)


def icon_pixels(display: XDisplay) -> int:
    """How many pixels of the idle icon's colour are in trayer's area (top-right, 120x24)."""
    with mss.MSS() as grabber:
        region = {"left": display.width - 120, "top": 0, "width": 120, "height": 24}
        shot = grabber.grab(region)
    return sum(
        1
        for row in shot.pixels
        for (r, g, b) in row
        if max(abs(r - ICON_GREY[0]), abs(g - ICON_GREY[1]), abs(b - ICON_GREY[2])) < 12
    )


def test_tray_icon_appears_in_the_tray(x_display: XDisplay, tmp_path: Path) -> None:
    assert icon_pixels(x_display) == 0
    env = dict(x_display.env, OVERT_HOME=str(tmp_path / "vault"))
    app = subprocess.Popen([sys.executable, "-m", "app"], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and icon_pixels(x_display) < 20:
            assert app.poll() is None, "the tray app exited"
            time.sleep(0.2)
        assert icon_pixels(x_display) >= 20
    finally:
        app.terminate()
        app.wait(10)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and icon_pixels(x_display) > 0:
        time.sleep(0.1)
    assert icon_pixels(x_display) == 0
