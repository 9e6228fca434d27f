"""`overt doctor` on a real X display, with none, and under Wayland."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.helpers.overt_cli import run_overt
from tests.helpers.xserver import XDisplay


def doctor(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_overt("doctor", *args, env=env, timeout=90)


def test_doctor_under_xvfb_says_recording_can_work(x_display: XDisplay, tmp_path: Path) -> None:
    env = dict(x_display.env, OVERT_HOME=str(tmp_path / "vault"))
    out = doctor(env, "--json")
    assert out.returncode == 0, out.stdout + out.stderr
    report = json.loads(out.stdout)
    assert report["display_server"] == "x11"
    assert report["input_capture"]["ok"] is True
    assert report["screen_capture"]["ok"] is True
    assert "1920x1080" in report["screen_capture"]["detail"]
    assert report["tray"]["ok"] is True
    assert report["vault"]["ok"] is False
    assert "overt init" in report["vault"]["detail"]


def test_doctor_text_report_under_xvfb(x_display: XDisplay, tmp_path: Path) -> None:
    out = doctor(dict(x_display.env, OVERT_HOME=str(tmp_path)))
    assert out.returncode == 0
    assert "Recording can work here." in out.stdout


def test_doctor_without_display_fails_clearly(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "OVERT_HOME": str(tmp_path / "v")}
    out = doctor(env)
    assert out.returncode == 1
    assert "display server: none" in out.stdout
    assert "Recording cannot work here: No display was found" in out.stdout
    assert "Traceback" not in out.stderr


def test_doctor_under_wayland_explains_x11(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "OVERT_HOME": str(tmp_path / "v"),
        "XDG_SESSION_TYPE": "wayland",
    }
    out = doctor(env, "--json")
    assert out.returncode == 1
    report = json.loads(out.stdout)
    assert report["display_server"] == "wayland"
    assert "X11 session" in report["reason"]
    assert "login screen" in report["reason"]
