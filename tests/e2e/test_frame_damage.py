"""Grabs on a real X display: pooled shared-memory grabs equal mss's own, X DAMAGE tells when
something was drawn, and a change on screen with no input is still recorded (with DAMAGE, and
without it, when every look grabs)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from recorder.consent.record import ConsentScope, build_cli_consent
from recorder.session import Recorder
from tests.e2e.conftest import SpawnTk
from tests.helpers.xserver import XDisplay
from tests.recorder.fakes import MemorySink, wait_for

# A window that turns blue when a file appears: drawn by the app itself, with no X input.
TURNS_BLUE = r"""
import os, tkinter as tk
flag = FLAG
root = tk.Tk(className="painter")
root.title("Painter")
root.geometry("400x300+200+200")
root.configure(background="#ff0000")
def poll():
    if os.path.exists(flag):
        root.configure(background="#0000ff")
    else:
        root.after(100, poll)
root.after(100, poll)
root.mainloop()
"""


def painter(spawn_tk: SpawnTk, flag: Path) -> None:
    spawn_tk(f"FLAG = {str(flag)!r}\n" + TURNS_BLUE, "Painter")


def test_pooled_grabs_equal_mss_and_reuse_their_buffers(x_display: XDisplay) -> None:
    from recorder.platform.screen import MssScreen

    screen = MssScreen()
    try:
        (monitor,) = screen.monitors()
        for _ in range(20):
            pixels, size = screen.grab(monitor)
        assert screen.pooled
        region = {"left": 0, "top": 0, "width": monitor["w"], "height": monitor["h"]}
        assert bytes(pixels) == bytes(screen._mss.grab(region).raw)
        assert size == (monitor["w"], monitor["h"])
        assert screen._pool.made <= 2  # the last grab's buffer is still held here
    finally:
        screen.close()


def test_damage_says_when_a_window_drew(
    x_display: XDisplay, spawn_tk: SpawnTk, tmp_path: Path
) -> None:
    from recorder.platform.x11_damage import DamageWatch

    flag = tmp_path / "blue"
    painter(spawn_tk, flag)
    watch = DamageWatch.open()
    assert watch is not None
    try:
        assert watch.changed()  # the first look: nothing is known yet
        time.sleep(0.5)
        watch.changed()
        time.sleep(0.3)
        assert not watch.changed()  # the painter polls, but draws nothing
        flag.touch()
        wait_for(watch.changed, timeout=5)
    finally:
        watch.close()


def blue_at(sink: MemorySink, index: int, x: int, y: int) -> bool:
    meta = sink.frames[index]
    width = meta["size"][0]
    data = sink.frame_pixels(index)
    offset = ((y - meta["monitor"]["y"]) * width + (x - meta["monitor"]["x"])) * 4
    return tuple(data[offset : offset + 3]) == (255, 0, 0)  # BGRX


@pytest.mark.parametrize("damage", [True, False], ids=["damage", "no-damage"])
def test_a_change_with_no_input_is_recorded(
    x_display: XDisplay,
    spawn_tk: SpawnTk,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    damage: bool,
) -> None:
    from recorder.platform import x11
    from recorder.platform.x11 import X11Backend

    if not damage:  # an X server without the extension: every look grabs
        monkeypatch.setattr(x11.DamageWatch, "open", classmethod(lambda cls: None))
    flag = tmp_path / "blue"
    painter(spawn_tk, flag)
    sinks: list[MemorySink] = []

    def open_sink(consent: dict[str, Any]) -> MemorySink:
        sinks.append(MemorySink(consent))
        return sinks[-1]

    recorder = Recorder(build_cli_consent(ConsentScope(), app_version="e2e"), X11Backend())
    recorder.start(open_sink)
    sink = sinks[0]
    try:
        time.sleep(3.5)  # idle: past the warm start, a few periodic looks at a still screen
        frames = recorder.frames
        assert frames is not None
        reused = frames.stats.reused
        if damage:
            assert reused >= 1
        else:
            assert reused == 0
        flag.touch()
        wait_for(
            lambda: any(blue_at(sink, i, 400, 350) for i in range(len(sink.frames))), timeout=5
        )
    finally:
        recorder.stop()
    first_blue = next(i for i in range(len(sink.frames)) if blue_at(sink, i, 400, 350))
    assert sink.frames[first_blue]["reason"] == "periodic"
    assert not blue_at(sink, 0, 400, 350)
