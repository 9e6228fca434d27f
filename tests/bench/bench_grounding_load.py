"""The recorder's input targets with grounding on, beside grounding off, on one display.

Run: ``python -m tests.bench.bench_grounding_load`` (about 3 minutes; needs Xvfb, as under
``make bench``). A fresh 1920x1080 display with openbox, a private session bus with AT-SPI,
a GTK3 window (Debian's python3-gi) and a Qt window (QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1).
Every click of the benchmarks below lands on one of their widgets (a button or a text
entry), so with grounding on each one is a real lookup over the bus.

The recorder benchmarks of tests/bench/bench_recorder.py run four times in this process,
in the order off, on, on, off (so a drift of the machine's load falls on both modes alike);
a figure is the median of its mode's two runs. Metrics, ``<mode>`` is ``on`` or ``off``:

- grounding_<mode>_callback_p99_us: the input callbacks, timed one call at a time.
- grounding_<mode>_fed_drops: input events dropped of a 10 s burst at 20,000 events/s
  (200 clicks/s), fed into the callbacks; fed_events_per_s what was reached.
- grounding_<mode>_pre_action_frame_age_p50_ms / _p95_ms: click time minus its pre-action
  frame's, for 38 clicks driven by xdotool.
- grounding_on_pre_action_click_coverage: share of those clicks stored with an element
  (1.0 expected: it shows the lookups really ran), and their lookup p95.
- grounding_on_fed_lookups_submitted / _dropped: the burst asks for far more lookups than
  the lookup thread answers; the excess is dropped (recorded as "dropped"), not input.
- grounding_<metric>_on_over_off: on divided by off, for the three targets.
"""

from __future__ import annotations

import os
import statistics
import sys
from collections.abc import Callable
from typing import Any
from unittest.mock import patch

from recorder.platform.accessibility.atspi import AtspiClient
from recorder.platform.accessibility.lookup import platform_source
from tests.bench.bench_recorder import (
    Elements,
    bench_callbacks,
    bench_fed_burst,
    bench_pre_action,
)
from tests.helpers.a11ybus import (
    SYSTEM_PYTHON,
    centre,
    gtk_missing,
    missing_bus_tools,
    start_app,
    start_qt_app,
    start_session_bus,
    wait_registered,
)
from tests.helpers.xserver import XDoTool, start_display

ORDER = ("off", "on", "on", "off")
#: The metrics compared; a ratio on/off is reported for each.
COMPARED = ("callback_p99_us", "fed_drops", "pre_action_frame_age_p95_ms")
#: What each run reports that is kept (median over the mode's runs).
KEPT = (
    "callback_p50_us",
    "callback_p99_us",
    "fed_events_per_s",
    "fed_drops",
    "fed_queue_max_depth",
    "pre_action_clicks",
    "pre_action_frame_missing",
    "pre_action_frame_age_p50_ms",
    "pre_action_frame_age_p95_ms",
    "pre_action_click_coverage",
    "pre_action_lookup_p95_ms",
    "fed_lookups_submitted",
    "fed_lookups_dropped",
)


def merge(runs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Each mode's runs as flat ``grounding_<mode>_<metric>`` medians, plus on/off ratios.

    A metric a run did not report (an error, or off's grounding-only figures) is left out
    of that run; a run's ``*_error`` is kept, labelled with its mode and run number.
    """
    merged: dict[str, Any] = {}
    for mode, results in runs.items():
        for number, result in enumerate(results, 1):
            for key, value in result.items():
                if key.endswith("_error"):
                    merged[f"grounding_{mode}{number}_{key}"] = value
        for key in KEPT:
            values = [r[key] for r in results if isinstance(r.get(key), (int, float))]
            if values:
                merged[f"grounding_{mode}_{key}"] = round(statistics.median(values), 3)
    for key in COMPARED:
        on, off = merged.get(f"grounding_on_{key}"), merged.get(f"grounding_off_{key}")
        if isinstance(on, (int, float)) and isinstance(off, (int, float)) and off:
            merged[f"grounding_{key}_on_over_off"] = round(on / off, 2)
    return merged


def run_once(
    elements: Elements,
    point: Callable[[int], tuple[int, int]],
    points: list[tuple[int, int]],
    xdo: XDoTool,
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    steps: list[tuple[str, Callable[[], None]]] = [
        ("callbacks", lambda: bench_callbacks(result, elements, point)),
        ("fed_burst", lambda: bench_fed_burst(result, elements, point)),
        ("pre_action", lambda: bench_pre_action(result, xdo, elements, points)),
    ]
    for name, step in steps:
        try:
            step()
        except Exception as error:  # a failed benchmark is reported, the others still run
            result[f"{name}_error"] = f"{type(error).__name__}: {error}"
    return result


def main(report: dict[str, Any]) -> None:
    problem = ", ".join(missing_bus_tools()) or gtk_missing()
    if problem:
        report["grounding_load_error"] = f"not measured: {problem}"
        return
    display = start_display(tray=False)
    bus = start_session_bus(display.env)
    apps = []
    env = {"DISPLAY": display.name, "DBUS_SESSION_BUS_ADDRESS": bus.address}
    try:
        with patch.dict(os.environ, env):  # the recorder's X and AT-SPI clients read these
            gtk = start_app(SYSTEM_PYTHON, "gtk_widgets.py", bus.env)
            apps.append(gtk)
            qt = start_qt_app(bus.env)
            apps.append(qt)
            probe = AtspiClient(hints=False)
            assert wait_registered(probe, gtk.pid) is not None, "GTK3 did not register"
            qt_registered = wait_registered(probe, qt.pid) is not None
            probe.close()
            widgets = [gtk.first["widgets"]["button"], gtk.first["widgets"]["entry"]]
            if qt_registered:
                widgets += [qt.first["widgets"]["button"], qt.first["widgets"]["entry"]]
            points = [centre(rect) for rect in widgets]

            def point(n: int) -> tuple[int, int]:
                return points[(n // 100) % len(points)]  # a press and its release: one widget

            xdo = XDoTool(display)
            runs: dict[str, list[dict[str, Any]]] = {"off": [], "on": []}
            for mode in ORDER:
                print(f"bench: grounding {mode} ...", file=sys.stderr, flush=True)
                elements = platform_source if mode == "on" else None
                runs[mode].append(run_once(elements, point, points, xdo))
        report.update(merge(runs))
        report["grounding_load_widgets"] = len(points)
        report["grounding_load_qt_registered"] = int(qt_registered)
    finally:
        for app in apps:
            app.stop()
        bus.stop()
        display.stop()


if __name__ == "__main__":
    import json

    results: dict[str, Any] = {}
    main(results)
    print(json.dumps(results, indent=1, sort_keys=True))
