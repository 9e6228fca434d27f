"""A real X display for tests: Xvfb, a window manager and a tray host, started and torn down.

Xvfb is started with ``-displayfd`` so we learn the display number it picked without races;
Xvfb writes the number and the newline separately, so we read up to the newline (stopping
at the number can make Xvfb die).
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

REQUIRED_TOOLS = ("Xvfb", "xdotool", "openbox", "trayer", "xprop")


def missing_tools() -> list[str]:
    """The X tools the harness needs that are not on PATH."""
    return [tool for tool in REQUIRED_TOOLS if shutil.which(tool) is None]


class XServerError(RuntimeError):
    """The virtual display could not be started."""


@dataclass
class XDisplay:
    """A running Xvfb with openbox and (optionally) trayer.

    Attributes:
        name: the DISPLAY value, e.g. ":7".
        width, height: the screen size.
        env: os.environ plus DISPLAY, for subprocesses.
    """

    name: str
    width: int
    height: int
    env: dict[str, str]
    _procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def spawn(self, *argv: str, **kwargs: object) -> subprocess.Popen[bytes]:
        """Start a program on this display; it is killed when the display stops."""
        proc = subprocess.Popen(
            list(argv),
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            **kwargs,  # type: ignore[call-overload]
        )
        self._procs.append(proc)
        return proc

    def stop(self) -> None:
        """Stop everything started on this display, the server last."""
        for proc in reversed(self._procs):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 5
        for proc in reversed(self._procs):
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self._procs.clear()


def start_display(
    width: int = 1920, height: int = 1080, *, window_manager: bool = True, tray: bool = True
) -> XDisplay:
    """Start Xvfb (+ openbox, + trayer) and wait until each is usable.

    Raises:
        XServerError: a tool is missing or did not come up in time.
    """
    missing = missing_tools()
    if missing:
        raise XServerError(f"missing X tools: {', '.join(missing)} (make test installs them)")
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        [
            "Xvfb",
            "-displayfd",
            str(write_fd),
            "-screen",
            "0",
            f"{width}x{height}x24",
            "-nolisten",
            "tcp",
            "-noreset",
        ],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    os.close(write_fd)
    number = b""
    deadline = time.monotonic() + 15
    try:
        while not number.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([read_fd], [], [], max(0.0, remaining))
            chunk = os.read(read_fd, 16) if ready else b""
            if not chunk:
                xvfb.kill()
                raise XServerError("Xvfb did not report a display number")
            number += chunk
    finally:
        os.close(read_fd)
    name = f":{int(number.strip())}"
    env = dict(os.environ, DISPLAY=name)
    env.pop("WAYLAND_DISPLAY", None)
    env["XDG_SESSION_TYPE"] = "x11"
    display = XDisplay(name, width, height, env, [xvfb])
    try:
        if window_manager:
            display.spawn("openbox", "--sm-disable")
            _wait_for(lambda: _root_has(env, "_NET_SUPPORTING_WM_CHECK"), "openbox")
        if tray:
            display.spawn(
                "trayer",
                "--edge",
                "top",
                "--align",
                "right",
                "--widthtype",
                "pixel",
                "--width",
                "120",
                "--height",
                "24",
                "--SetDockType",
                "true",
            )
            _wait_for(lambda: _tray_selection_owned(env), "trayer")
    except BaseException:
        display.stop()
        raise
    return display


def _wait_for(check: object, what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise XServerError(f"{what} did not start within {timeout:.0f} s")


def _root_has(env: dict[str, str], prop: str) -> bool:
    out = subprocess.run(
        ["xprop", "-root", prop], env=env, capture_output=True, text=True, check=False
    )
    return out.returncode == 0 and "not found" not in out.stdout and "no such" not in out.stdout


def _tray_selection_owned(env: dict[str, str]) -> bool:
    # The tray host owns the _NET_SYSTEM_TRAY_S0 selection; trayer also sets a window we can
    # find by name. Searching by name is the simplest check that needs no Xlib here.
    out = subprocess.run(
        ["xdotool", "search", "--name", "panel"], env=env, capture_output=True, check=False
    )
    return out.returncode == 0 and bool(out.stdout.strip())


@dataclass
class XDoTool:
    """Drives the display with xdotool, the way a person would."""

    display: XDisplay

    def run(self, *args: str) -> str:
        out = subprocess.run(
            ["xdotool", *args],
            env=self.display.env,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        )
        return out.stdout.strip()

    def move(self, x: int, y: int) -> None:
        self.run("mousemove", "--sync", str(x), str(y))

    def click(self, button: int = 1, *, repeat: int = 1) -> None:
        self.run("click", "--repeat", str(repeat), str(button))

    def type(self, text: str, delay_ms: int = 12) -> None:
        self.run("type", "--delay", str(delay_ms), text)

    def key(self, *keys: str) -> None:
        self.run("key", *keys)

    def active_window(self) -> int:
        return int(self.run("getactivewindow"))

    def wait_window(self, name: str, timeout: float = 10.0) -> int:
        """Wait until a visible window whose name matches appears; return its id."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            out = subprocess.run(
                ["xdotool", "search", "--onlyvisible", "--name", name],
                env=self.display.env,
                capture_output=True,
                text=True,
                check=False,
            )
            if out.returncode == 0 and out.stdout.strip():
                return int(out.stdout.split()[0])
            time.sleep(0.05)
        raise XServerError(f"no window named {name!r} appeared within {timeout:.0f} s")


def screenshot(display: XDisplay, path: Path) -> Path:
    """Save the whole screen as PNG (uses ImageMagick's import when present, else mss)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    import mss
    import mss.tools

    old = os.environ.get("DISPLAY")
    os.environ["DISPLAY"] = display.name
    try:
        with mss.MSS() if hasattr(mss, "MSS") else mss.mss() as grabber:
            shot = grabber.grab(grabber.monitors[0])
            mss.tools.to_png(shot.rgb, shot.size, output=str(path))
    finally:
        if old is None:
            os.environ.pop("DISPLAY", None)
        else:
            os.environ["DISPLAY"] = old
    return path


#: The idle tray icon's colour (app/tray/icons.py draws a grey ring).
TRAY_ICON_GREY = (0x5F, 0x6B, 0x7A)


def tray_icon_pixels(display: XDisplay) -> list[tuple[int, int]]:
    """Screen positions of idle-icon-coloured pixels in trayer's strip (top right, 120x24)."""
    import mss

    left = display.width - 120
    with mss.MSS() if hasattr(mss, "MSS") else mss.mss() as grabber:
        shot = grabber.grab({"left": left, "top": 0, "width": 120, "height": 24})
    grey = TRAY_ICON_GREY
    return [
        (left + x, y)
        for y, row in enumerate(shot.pixels)
        for x, (r, g, b) in enumerate(row)
        if max(abs(r - grey[0]), abs(g - grey[1]), abs(b - grey[2])) < 12
    ]


def tray_icon_centre(display: XDisplay) -> tuple[int, int] | None:
    """Where the idle tray icon is, found by its colour; None while it is not shown."""
    hits = tray_icon_pixels(display)
    if len(hits) < 10:
        return None
    return (sum(x for x, _ in hits) // len(hits), sum(y for _, y in hits) // len(hits))
