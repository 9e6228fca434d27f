"""enable_accessibility and probe, with the session bus and the client faked."""

from __future__ import annotations

from typing import Any

import pytest

from recorder.platform.accessibility import status
from recorder.platform.accessibility.atspi_apps import AppEntry
from recorder.platform.accessibility.atspi_bus import BusUnavailable


def test_enable_sets_both_status_properties_and_nothing_else(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[str, tuple[Any, ...], str]] = []
    monkeypatch.setattr(
        status, "_session_status_call", lambda m, body, sig, t: calls.append((m, body, sig))
    )
    status.enable_accessibility()
    assert calls == [
        ("Set", ("org.a11y.Status", "IsEnabled", ("b", True)), "ssv"),
        ("Set", ("org.a11y.Status", "ScreenReaderEnabled", ("b", True)), "ssv"),
    ]
    calls.clear()
    status.enable_accessibility(screen_reader=False)
    assert [body[1] for _, body, _ in calls] == ["IsEnabled"]


class FakeClient:
    def __init__(self, apps: list[AppEntry] | None) -> None:
        self.apps = apps

    def applications(self) -> list[AppEntry]:
        if self.apps is None:
            raise BusUnavailable("no D-Bus session bus")
        return self.apps

    def window_count(self, app: AppEntry) -> int:
        return 1 if app.toolkit == "gtk" else 0


def test_probe_names_exposed_apps_and_the_silent_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(status, "read_status", lambda: {"IsEnabled": True})
    apps = [
        AppEntry((":1.1", "/root"), 10, "gedit", "gtk"),
        AppEntry((":1.2", "/r"), 11, "qt", "Qt"),
    ]
    clients = [(10, "Gedit"), (12, "Tk"), (None, "xterm")]
    report = status.probe(FakeClient(apps), clients=lambda: clients)
    assert report.bus
    assert "2 application(s)" in report.detail
    assert [(a.name, a.toolkit, a.windows) for a in report.exposed] == [
        ("gedit", "gtk", 1),
        ("qt", "Qt", 0),
    ]
    assert report.silent == ["Tk (pid 12)", "xterm"]
    assert report.to_dict()["enabled"] == {"IsEnabled": True}


def test_probe_without_a_bus_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(status, "read_status", lambda: {"IsEnabled": None})
    report = status.probe(FakeClient(None), clients=lambda: [])
    assert not report.bus
    assert "no D-Bus session bus" in report.detail
