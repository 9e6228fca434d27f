"""Driving the real tray menu on the test display: right-click the icon, click an entry."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QWidget
from pytestqt.exceptions import TimeoutError as WaitTimeout
from pytestqt.qtbot import QtBot

from app.tray.app import TrayApp
from tests.conftest import ROOT
from tests.helpers.xserver import XDisplay, XDoTool, screenshot, tray_icon_centre, tray_icon_pixels

SCREENS = ROOT / "build" / "screens"
TIMEOUT = 20_000


def click(xdo: XDoTool, widget: QWidget, at: QPoint | None = None) -> None:
    """A real left click on a widget (its centre, or ``at`` in its coordinates)."""
    point = widget.mapToGlobal(at if at is not None else widget.rect().center())
    xdo.move(point.x(), point.y())
    xdo.click()


def open_menu_entry(
    display: XDisplay,
    xdo: XDoTool,
    qtbot: QtBot,
    tray: TrayApp,
    name: str,
    shot: str = "",
    icon: tuple[int, int] | None = None,
) -> None:
    """Right-click the tray icon, check the menu leaves the icon visible, click an entry.

    ``icon`` is where the icon is (found by its idle colour when not given: give it while
    recording, when the icon is the red disc).
    """
    icon = icon or tray_icon_centre(display)
    assert icon is not None
    # After test_record_lifecycle's screen-saver test on the shared display, the first
    # right-click on a new tray icon is lost (also without this menu's placement): retry.
    for _attempt in range(3):
        xdo.move(*icon)
        xdo.click(3)
        try:
            qtbot.wait_until(tray.menu.isVisible, timeout=3000)
            break
        except WaitTimeout:
            continue
    assert tray.menu.isVisible(), "the tray menu did not open on a right-click"
    qtbot.wait(300)  # let it paint
    assert tray.tray is not None
    assert not tray.menu.geometry().intersects(tray.tray.geometry())
    if tray.state.state == "idle":
        assert len(tray_icon_pixels(display)) >= 20  # the icon still shows
    if shot:
        screenshot(display, SCREENS / shot)
    entry = tray.menu.actionGeometry(tray.actions[name])
    click(xdo, tray.menu, entry.center())
    qtbot.wait_until(lambda: not tray.menu.isVisible(), timeout=TIMEOUT)
