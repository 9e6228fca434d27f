"""Test-wide set-up: markers, the real X display, and the no-network guard."""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.xserver import XDisplay, XDoTool, XServerError, missing_tools, start_display

pytest_plugins = ("pytester",)

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"

# Qt tests outside tests/e2e run offscreen; tests/e2e run in their own pytest process on Xvfb
# (a QApplication's platform cannot change once created).
if "QT_QPA_PLATFORM" not in os.environ and not os.environ.get("OVERT_E2E"):
    os.environ["QT_QPA_PLATFORM"] = "offscreen"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by what they need, so `-m` can select them."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "qapp" in fixtures or "qtbot" in fixtures:
            item.add_marker(pytest.mark.gui)
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


# --- a real X display ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def x_display() -> Iterator[XDisplay]:
    """A real Xvfb (1920x1080) with openbox and trayer, DISPLAY set for this process.

    Skips when the X tools are missing, except under CI=true where that is a failure.
    """
    missing = missing_tools()
    if missing:
        message = f"X tools missing: {', '.join(missing)}"
        if IN_CI:
            pytest.fail(message + " (CI=true: a missing X server is a failure)")
        pytest.skip(message)
    try:
        display = start_display()
    except XServerError as error:
        if IN_CI:
            pytest.fail(str(error))
        pytest.skip(str(error))
    saved = {k: os.environ.get(k) for k in ("DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE")}
    os.environ["DISPLAY"] = display.name
    os.environ.pop("WAYLAND_DISPLAY", None)
    os.environ["XDG_SESSION_TYPE"] = "x11"
    try:
        yield display
    finally:
        display.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def xdo(x_display: XDisplay) -> XDoTool:
    """xdotool bound to the test display."""
    return XDoTool(x_display)


# --- no network -----------------------------------------------------------------------------

_network_attempts: list[str] = []


def _audit(event: str, args: tuple[object, ...]) -> None:
    # Overt opens no network connections. Local X connections (AF_UNIX) are how pynput and
    # mss talk to the display, so only internet-family sockets count.
    if event in ("socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"):
        sock = args[0]
        family = getattr(sock, "family", None)
        if family in (socket.AF_INET, socket.AF_INET6):
            _network_attempts.append(f"{event} {args[1:]!r}")
    elif event == "socket.getaddrinfo":
        _network_attempts.append(f"{event} {args!r}")


sys.addaudithook(_audit)


@pytest.fixture(autouse=True)
def _no_network() -> Iterator[None]:
    """Fail any test during which something opened an internet socket."""
    _network_attempts.clear()
    yield
    if _network_attempts:
        attempts = "; ".join(_network_attempts[:3])
        _network_attempts.clear()
        pytest.fail(f"a network socket was used (Overt opens none): {attempts}")


# --- config folder ---------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _own_config_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test gets its own config folder, so vault pins (storage/pins.py) and other
    per-user files never reach the real one or leak between tests."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
