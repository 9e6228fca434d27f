"""Start and stop, again and again, on a real display: readiness holds and nothing leaks.

pynput's ``Listener.wait()`` can return before RECORD is enabled (first events lost) and
``Listener.stop()`` can hang until the next X event. The recorder confirms readiness with a
sentinel and stops through a separate connection; these tests hold it to both.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from recorder.consent.record import ConsentScope, build_cli_consent
from recorder.session import Recorder
from tests.helpers.xserver import XDisplay, XDoTool
from tests.recorder.fakes import MemorySink, wait_for


def start(scope: ConsentScope) -> tuple[Recorder, MemorySink]:
    from recorder.platform.x11 import X11Backend

    sinks: list[MemorySink] = []

    def open_sink(consent: dict[str, Any]) -> MemorySink:
        sinks.append(MemorySink(consent))
        return sinks[-1]

    recorder = Recorder(build_cli_consent(scope, app_version="e2e"), X11Backend())
    recorder.start(open_sink)
    return recorder, sinks[0]


def test_the_first_event_after_start_is_recorded_every_time(
    x_display: XDisplay, xdo: XDoTool
) -> None:
    for attempt in range(6):
        recorder, sink = start(ConsentScope(frames=False))
        x = 300 + attempt * 10
        xdo.run("mousemove", str(x), "400", "click", "3")  # right button: no focus change
        wait_for(lambda sink=sink: any(e["kind"] == "button" for e in sink.events), timeout=5)
        recorder.stop()
        buttons = [e for e in sink.events if e["kind"] == "button"]
        assert [(b["button"], b["down"], b["x"]) for b in buttons] == [
            ("right", True, x),
            ("right", False, x),
        ]


def test_repeated_start_stop_is_quick_and_leaves_no_threads(x_display: XDisplay) -> None:
    before = threading.active_count()
    for _ in range(10):
        recorder, sink = start(ConsentScope())
        wait_for(lambda sink=sink: bool(sink.frames), timeout=5)
        stopped_at = time.monotonic()
        recorder.stop()  # no X event arrives meanwhile: pynput's own stop would hang here
        assert time.monotonic() - stopped_at < 2.0
        assert sink.state == "complete"
    wait_for(lambda: threading.active_count() <= before, timeout=5)


def force_screen_saver(on: bool) -> None:
    import Xlib.display
    from Xlib import X

    display = Xlib.display.Display()
    try:
        display.force_screen_saver(X.ScreenSaverActive if on else X.ScreenSaverReset)
        display.sync()
    finally:
        display.close()


def test_the_screen_saver_pauses_capture(x_display: XDisplay, xdo: XDoTool) -> None:
    """Input would switch the saver off (X does that), so the locked span has none."""
    recorder, sink = start(ConsentScope(frames=False))
    try:
        force_screen_saver(True)
        wait_for(lambda: "screen_locked" in sink.markers(), timeout=5)
        pipeline = recorder.pipeline
        assert pipeline is not None
        assert pipeline.gate.locked
        force_screen_saver(False)
        wait_for(lambda: "screen_unlocked" in sink.markers(), timeout=5)
        # Button 1: a right-click on the bare desktop opens openbox's root menu, which grabs
        # the pointer and swallows the next test's first click.
        xdo.run("mousemove", "610", "600", "click", "1")
        wait_for(lambda: any(e["kind"] == "button" for e in sink.events), timeout=5)
    finally:
        recorder.stop()
    markers = sink.markers()
    assert markers.index("screen_locked") < markers.index("screen_unlocked")
