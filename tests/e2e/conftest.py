"""Fixtures the real-display tests share: small Tk apps standing in for the person's apps."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from subprocess import Popen

import pytest

from tests.helpers.xserver import XDisplay, XDoTool

#: Start a Tk app from its source on the test display; returns its window id once mapped.
SpawnTk = Callable[[str, str], int]


def notes_app(title: str, geometry: str = "700x420+120+160") -> str:
    """The source of a small Tk text editor titled ``title``, ready to type into."""
    return f"""
import tkinter as tk
root = tk.Tk(className="Notes")
root.title({title!r})
root.geometry({geometry!r})
text = tk.Text(root, font=("DejaVu Sans", 16))
text.pack(fill="both", expand=True)
text.focus_set()
root.mainloop()
"""


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
