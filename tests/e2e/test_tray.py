"""The real tray app under Xvfb with a tray host: its icon is visible in the tray."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT
from tests.helpers.xserver import XDisplay, tray_icon_pixels


def test_tray_icon_appears_in_the_tray(x_display: XDisplay, tmp_path: Path) -> None:
    assert len(tray_icon_pixels(x_display)) == 0
    env = dict(x_display.env, OVERT_HOME=str(tmp_path / "vault"))
    app = subprocess.Popen([sys.executable, "-m", "app"], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len(tray_icon_pixels(x_display)) < 20:
            assert app.poll() is None, "the tray app exited"
            time.sleep(0.2)
        assert len(tray_icon_pixels(x_display)) >= 20
    finally:
        app.terminate()
        app.wait(10)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and len(tray_icon_pixels(x_display)) > 0:
        time.sleep(0.1)
    assert len(tray_icon_pixels(x_display)) == 0
