"""Start and stop, again and again, on a real display: readiness holds and nothing leaks.

NOTES.md: ``Listener.wait()`` can return before RECORD is enabled (first events lost) and
``Listener.stop()`` can hang until the next X event. The recorder confirms readiness with a
sentinel and stops through a separate connection; these tests hold it to both.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from recorder.consent import ConsentScope, build_cli_consent
from recorder.session import Recorder
from tests.helpers.xserver import XDisplay, XDoTool
from tests.recorder.fakes import MemorySink, wait_for


def start(scope: ConsentScope) -> tuple[Recorder, MemorySink]:
    from recorder.x11 import X11Backend

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
