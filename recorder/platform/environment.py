"""What this machine can capture: the display server, and probes that really try capturing.

Used by `overt doctor` and by the recorder before it starts, so that an impossible recording
is refused with a reason instead of producing a silent, empty session.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from typing import Literal

DisplayServer = Literal["x11", "wayland", "none", "macos", "windows"]

WAYLAND_ADVICE = (
    "Overt needs an X11 session to capture on Linux: Wayland does not let applications read "
    "other windows' input or pixels through these libraries. Log out, click the gear icon on "
    "the login screen and choose an 'on Xorg' / 'X11' session, then log in again."
)


def detect_display_server(environ: dict[str, str] | None = None) -> DisplayServer:
    """Which display system this session runs, from the platform and the environment.

    A Wayland session counts as Wayland even when XWayland provides a DISPLAY: capture through
    XWayland would see only some windows, which is half a recording.
    """
    env = os.environ if environ is None else environ
    if sys.platform == "darwin":
        return "macos"
    if sys.platform == "win32":
        return "windows"
    if env.get("XDG_SESSION_TYPE", "").lower() == "wayland" or env.get("WAYLAND_DISPLAY"):
        return "wayland"
    if env.get("DISPLAY"):
        return "x11"
    return "none"


@dataclass(frozen=True)
class ProbeResult:
    """The outcome of trying one capture capability.

    Attributes:
        ok: the capability works here.
        detail: one sentence: what was found, or why it does not work.
    """

    ok: bool
    detail: str


def refusal_reason(server: DisplayServer) -> str | None:
    """One sentence saying why capture cannot start with this display server, or None."""
    if server == "wayland":
        return WAYLAND_ADVICE
    if server == "none":
        return "No display was found (DISPLAY is not set): Overt records a desktop session."
    return None


def probe_screen_capture() -> ProbeResult:
    """Grab one frame of the first monitor with mss."""
    try:
        import mss

        factory = getattr(mss, "MSS", None) or mss.mss
        with factory() as grabber:
            monitor = grabber.monitors[1] if len(grabber.monitors) > 1 else grabber.monitors[0]
            shot = grabber.grab(monitor)
            width, height = shot.size
    except Exception as error:  # noqa: BLE001 - any failure here is the answer, not a bug
        return ProbeResult(False, f"screen capture failed: {_describe(error)}")
    if width <= 0 or height <= 0:
        return ProbeResult(False, "screen capture returned an empty image")
    count = len(grabber.monitors) - 1
    return ProbeResult(True, f"grabbed a {width}x{height} frame ({count} monitor(s))")


def probe_input_capture(timeout: float = 3.0) -> ProbeResult:
    """Start a pynput mouse listener for a moment and check it really runs."""
    try:
        from pynput import mouse
    except Exception as error:  # noqa: BLE001 - pynput raises ImportError without a display
        return ProbeResult(False, f"input capture unavailable: {_describe(error)}")
    started = threading.Event()
    failure: list[BaseException] = []

    def run() -> None:
        try:
            listener = mouse.Listener(on_move=lambda *_: None)
            listener.start()
            listener.wait()
            if listener.running:
                started.set()
            # pynput's stop() does not return until the next X event arrives; this thread is
            # a daemon, so a probe never holds the process open.
            listener.stop()
        except Exception as error:  # noqa: BLE001
            failure.append(error)
            started.set()

    thread = threading.Thread(target=run, name="overt-input-probe", daemon=True)
    thread.start()
    if not started.wait(timeout):
        return ProbeResult(False, "the input listener did not start within a few seconds")
    if failure:
        return ProbeResult(False, f"input capture failed: {_describe(failure[0])}")
    return ProbeResult(True, "an input listener started and ran")


def _describe(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text.rstrip(".")
