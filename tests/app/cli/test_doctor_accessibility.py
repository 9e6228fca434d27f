"""`overt doctor`'s UI-element line: the accessibility bus, and which apps expose elements."""

from __future__ import annotations

from app.cli.commands.doctor import probe_accessibility
from recorder.platform.accessibility.status import AccessibilityReport, ExposedApp


def test_no_bus_says_elements_will_be_missing() -> None:
    found = probe_accessibility(AccessibilityReport(False, "no accessibility bus: refused"))
    assert not found.ok
    assert found.detail == "no accessibility bus: refused; UI elements will be recorded as missing"


def test_which_apps_expose_elements_and_which_do_not() -> None:
    report = AccessibilityReport(
        True,
        "the accessibility bus answers",
        exposed=[ExposedApp("gedit", "gtk", 10, 1), ExposedApp("notes", "", 11, 1)],
        silent=["OvertGroundingTk (pid 12)"],
    )
    found = probe_accessibility(report)
    assert found.ok
    assert found.detail == "elements from gedit (gtk), notes; none from OvertGroundingTk (pid 12)"
