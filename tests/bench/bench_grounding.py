"""Element lookup latency per toolkit on Xvfb with a real accessibility bus.

Run: ``python -m tests.bench.bench_grounding`` (about 20 s; needs a display, as under
``make bench``). A private session bus, a GTK3 window (Debian's python3-gi) and a Qt window
(the venv's PySide6, QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1); lookups at each widget's centre
in turn, with the production deadline (50 ms). Metrics, units in names:

- grounding_<toolkit>_point_p50_ms / _p95_ms / _max_ms: ``element_at`` (X stacking query,
  descent, role, name, description, states, extents, path, selection), warm cache.
- grounding_<toolkit>_focus_p50_ms / _p95_ms: ``focused_element`` (the typing/hotkey case).
- grounding_<toolkit>_missing / _focus_missing: lookups that returned no element (0 expected).
- grounding_first_lookup_ms: the first lookup of a fresh client (bus connect, app list).
- grounding_gtk_menu_item_p50_ms: an item of an open menu (the Collection path).
- grounding_tk_point_p50_ms: a Tk window, answered "app not accessible".
- grounding_service_p50_ms / _p95_ms: ElementLookup, submit to answer, on its worker.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

from recorder.platform.accessibility.atspi import AtspiClient
from recorder.platform.accessibility.element import Element
from recorder.platform.accessibility.lookup import ElementLookup
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

ROUNDS = 100  # lookups per widget


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 3)


def timed(call: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    answer = call()
    return (time.perf_counter() - started) * 1000, answer


def click(x: int, y: int) -> None:
    subprocess.run(["xdotool", "mousemove", "--sync", str(x), str(y), "click", "1"], check=True)
    time.sleep(0.3)


def bench_toolkit(report: dict[str, Any], name: str, client: AtspiClient, widgets: dict) -> None:
    click(*centre(widgets["entry"]))  # its window active, the entry focused
    point_ms: list[float] = []
    missing = 0
    for _ in range(ROUNDS):
        for rect in widgets.values():
            ms, answer = timed(lambda r=rect: client.element_at(*centre(r)))
            point_ms.append(ms)
            missing += not isinstance(answer, Element)
    focus = [timed(client.focused_element) for _ in range(ROUNDS)]
    focus_ms = [ms for ms, _ in focus]
    report[f"grounding_{name}_focus_missing"] = sum(not isinstance(a, Element) for _, a in focus)
    report[f"grounding_{name}_point_p50_ms"] = percentile(point_ms, 0.5)
    report[f"grounding_{name}_point_p95_ms"] = percentile(point_ms, 0.95)
    report[f"grounding_{name}_point_max_ms"] = round(max(point_ms), 3)
    report[f"grounding_{name}_focus_p50_ms"] = percentile(focus_ms, 0.5)
    report[f"grounding_{name}_focus_p95_ms"] = percentile(focus_ms, 0.95)
    report[f"grounding_{name}_missing"] = missing


def bench_menu(report: dict[str, Any], client: AtspiClient, gtk: Any) -> None:
    click(*centre(gtk.first["widgets"]["file"]))
    deadline = time.monotonic() + 10
    items: dict[str, list[int]] = {}
    while "Open report" not in items and time.monotonic() < deadline:
        items = gtk.report()["items"]
    if "Open report" in items:
        rect = items["Open report"]
        samples = [timed(lambda: client.element_at(*centre(rect)))[0] for _ in range(ROUNDS)]
        report["grounding_gtk_menu_item_p50_ms"] = percentile(samples, 0.5)
    subprocess.run(["xdotool", "key", "Escape"], check=True)


def bench_service(report: dict[str, Any], widgets: dict) -> None:
    answered: dict[int, float] = {}
    lookup = ElementLookup(AtspiClient, lambda r, e: answered.__setitem__(r.ref, time.monotonic()))
    lookup.start()
    sent: dict[int, float] = {}
    rects = list(widgets.values())
    try:
        for i in range(ROUNDS * 2):
            sent[i] = time.monotonic()
            lookup.submit("click", *centre(rects[i % len(rects)]), sent[i], ref=i)
            while i not in answered and time.monotonic() - sent[i] < 1:
                time.sleep(0.0005)
    finally:
        lookup.stop()
    waits = [(answered[i] - sent[i]) * 1000 for i in sent if i in answered]
    report["grounding_service_p50_ms"] = percentile(waits, 0.5)
    report["grounding_service_p95_ms"] = percentile(waits, 0.95)


def main(report: dict[str, Any]) -> None:
    problem = ", ".join(missing_bus_tools()) or gtk_missing()
    if problem or not os.environ.get("DISPLAY"):
        print(f"bench: grounding not measured ({problem or 'no DISPLAY'})", file=sys.stderr)
        return
    bus = start_session_bus(dict(os.environ))
    os.environ["DBUS_SESSION_BUS_ADDRESS"] = bus.address
    apps = []
    try:
        gtk = start_app(SYSTEM_PYTHON, "gtk_widgets.py", bus.env)
        apps.append(gtk)
        qt = start_qt_app(bus.env)
        apps.append(qt)
        tk = start_app(SYSTEM_PYTHON, "tk_widgets.py", bus.env)
        apps.append(tk)
        probe_client = AtspiClient(hints=False)
        qt_registered = wait_registered(probe_client, qt.pid) is not None
        assert wait_registered(probe_client, gtk.pid) is not None, "GTK3 did not register"
        probe_client.close()
        client = AtspiClient()
        ms, _ = timed(lambda: client.element_at(*centre(gtk.first["widgets"]["button"])))
        report["grounding_first_lookup_ms"] = round(ms, 3)
        bench_toolkit(report, "gtk", client, gtk.first["widgets"])
        if qt_registered:
            bench_toolkit(report, "qt", client, qt.first["widgets"])
        report["grounding_qt_registered"] = int(qt_registered)
        tk_rect = tk.first["widgets"]["button"]
        tk_ms = [timed(lambda: client.element_at(*centre(tk_rect)))[0] for _ in range(ROUNDS)]
        report["grounding_tk_point_p50_ms"] = percentile(tk_ms, 0.5)
        bench_menu(report, client, gtk)
        client.close()
        bench_service(report, gtk.first["widgets"])
    finally:
        for app in apps:
            app.stop()
        bus.stop()


if __name__ == "__main__":
    result: dict[str, Any] = {}
    main(result)
    print(json.dumps(result, indent=1, sort_keys=True))
