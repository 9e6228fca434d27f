"""Fixtures the real-display tests share: small Tk apps standing in for the person's apps."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from subprocess import Popen

import pytest

from tests.helpers.xserver import XDisplay, XDoTool

#: Start a Tk app from its source on the test display; returns its window id once mapped.
SpawnTk = Callable[[str, str], int]


@pytest.fixture
def spawn_tk(x_display: XDisplay, xdo: XDoTool) -> Iterator[SpawnTk]:
    """Start Tk apps (source, a word of their title) for one test; all end with the test."""
    started: list[Popen[bytes]] = []

    def spawn(source: str, title: str) -> int:
        started.append(x_display.spawn(sys.executable, "-c", source))
        return xdo.wait_window(title)

    try:
        yield spawn
    finally:
        for proc in started:
            proc.terminate()
