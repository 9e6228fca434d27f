"""Display-server detection decides whether capture may even be tried."""

from __future__ import annotations

import pytest

from recorder.platform.environment import detect_display_server, refusal_reason


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DISPLAY": ":0"}, "x11"),
        ({"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"}, "x11"),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "wayland"),
        ({"XDG_SESSION_TYPE": "wayland"}, "wayland"),
        # XWayland gives a DISPLAY, but capture through it sees only some windows.
        (
            {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"},
            "wayland",
        ),
        ({}, "none"),
    ],
)
def test_detect_display_server(env: dict[str, str], expected: str) -> None:
    assert detect_display_server(env) == expected


def test_wayland_refusal_says_how_to_pick_x11() -> None:
    reason = refusal_reason("wayland")
    assert reason is not None
    assert "X11" in reason
    assert "login" in reason


def test_x11_is_not_refused() -> None:
    assert refusal_reason("x11") is None
