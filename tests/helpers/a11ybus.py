"""A private D-Bus session bus with AT-SPI for tests, and test apps that report their widgets.

``dbus-daemon --session`` is started in its own process group; the first client that asks for
``org.a11y.Bus`` activates at-spi2-core's bus launcher, which starts the accessibility bus
and registry in that group, so stopping the group stops them all. The launcher also sets
``AT_SPI_BUS`` on the X root window; it is removed on stop, so later tests' apps do not look
for a bus that is gone. The bus's services get ``GSETTINGS_BACKEND=memory`` (at-spi2-core keeps
org.a11y.Status in GSettings, and a test must not change the machine's settings) and their own
``XDG_RUNTIME_DIR``: the launcher names its socket after the display only
(``at-spi/bus_<display>``), so two launchers on one display would take each other's socket.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BUS_TOOLS = ("dbus-daemon", "xprop")
BUS_LAUNCHER = Path("/usr/libexec/at-spi-bus-launcher")
APPS = Path(__file__).resolve().parent.parent / "e2e" / "grounding_apps"
SYSTEM_PYTHON = "/usr/bin/python3"


class BusError(RuntimeError):
    """The session bus could not be started."""


def missing_bus_tools() -> list[str]:
    """What the accessibility bus needs that is not installed (Debian package names)."""
    missing = [tool for tool in BUS_TOOLS if shutil.which(tool) is None]
    if not BUS_LAUNCHER.exists():
        missing.append("at-spi2-core")
    return missing


def gtk_missing() -> str | None:
    """Why Debian's python3 cannot run the GTK3 test app, or None when it can."""
    if not Path(SYSTEM_PYTHON).exists():
        return "no /usr/bin/python3"
    probe = "import gi; gi.require_version('Gtk', '3.0'); from gi.repository import Gtk"
    out = subprocess.run(
        [SYSTEM_PYTHON, "-c", probe], capture_output=True, text=True, timeout=30, check=False
    )
    return None if out.returncode == 0 else "python3-gi / gir1.2-gtk-3.0 missing"


@dataclass
class SessionBus:
    """A running session bus; ``env`` is the display's environment plus its address."""

    proc: subprocess.Popen[bytes]
    address: str
    env: dict[str, str]
    runtime: str = ""

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        subprocess.run(
            ["xprop", "-root", "-remove", "AT_SPI_BUS"], env=self.env, check=False, timeout=10
        )
        if self.runtime:
            shutil.rmtree(self.runtime, ignore_errors=True)


def start_session_bus(display_env: dict[str, str]) -> SessionBus:
    """Start ``dbus-daemon --session`` for a display and return once it has an address."""
    runtime = tempfile.mkdtemp(prefix="overt-a11y-")  # mode 0700, as XDG_RUNTIME_DIR must be
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", f"--print-address={write_fd}"],
        pass_fds=(write_fd,),
        env=dict(display_env, GSETTINGS_BACKEND="memory", XDG_RUNTIME_DIR=runtime),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    os.close(write_fd)
    try:
        ready, _, _ = select.select([read_fd], [], [], 10)
        address = os.read(read_fd, 4096).decode().strip() if ready else ""
    finally:
        os.close(read_fd)
    if not address:
        proc.kill()
        raise BusError("dbus-daemon did not print its address")
    return SessionBus(proc, address, dict(display_env, DBUS_SESSION_BUS_ADDRESS=address), runtime)


@dataclass
class ReportingApp:
    """A test app from grounding_apps/ that prints JSON reports of its widgets."""

    proc: subprocess.Popen[str]
    first: dict[str, Any] = field(default_factory=dict)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def read(self, timeout: float = 15.0) -> dict[str, Any]:
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            raise BusError(f"the test app (pid {self.pid}) sent no report")
        return dict(json.loads(line))

    def report(self) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write("report\n")
        self.proc.stdin.flush()
        return self.read()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            assert self.proc.stdin is not None
            self.proc.stdin.close()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def start_app(python: str, script: str, env: dict[str, str], *args: str) -> ReportingApp:
    """Run grounding_apps/<script> and wait for its first report."""
    proc = subprocess.Popen(
        [python, str(APPS / script), *args],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    app = ReportingApp(proc)
    try:
        app.first = app.read()
    except BaseException:
        app.stop()
        raise
    return app


def start_qt_app(env: dict[str, str], *args: str) -> ReportingApp:
    """grounding_apps/qt_widgets.py on the venv's PySide6, its accessibility on (Qt exposes
    nothing on the bus unless asked: QT_LINUX_ACCESSIBILITY_ALWAYS_ON)."""
    qt_env = dict(env, QT_QPA_PLATFORM="xcb", QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1")
    return start_app(sys.executable, "qt_widgets.py", qt_env, *args)


def centre(rect: list[int]) -> tuple[int, int]:
    """The centre of a widget's (x, y, w, h) screen rectangle, as the test apps report it."""
    x, y, w, h = rect
    return x + w // 2, y + h // 2


def wait_registered(client: Any, pid: int, timeout: float = 15.0) -> Any:
    """The AppEntry for a process once it is on the accessibility bus (None if it never is)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            for app in client.applications():
                if app.pid == pid and client.window_count(app) > 0:
                    return app
        time.sleep(0.1)
    return None
