"""macOS Info.plist and the Windows manifest: the keys capture depends on are there."""

from __future__ import annotations

import plistlib
import tomllib
import xml.etree.ElementTree as ET

from tests.packaging.tools import PACKAGING, ROOT

INFO_PLIST = PACKAGING / "macos" / "Info.plist"
MANIFEST = PACKAGING / "windows" / "overt.manifest"
USAGE_KEYS = (
    "NSAccessibilityUsageDescription",
    "NSInputMonitoringUsageDescription",
    "NSScreenCaptureUsageDescription",
)
WS2016 = "{http://schemas.microsoft.com/SMI/2016/WindowsSettings}"
WS2005 = "{http://schemas.microsoft.com/SMI/2005/WindowsSettings}"


def load_plist() -> dict[str, object]:
    with INFO_PLIST.open("rb") as plist:
        return plistlib.load(plist)


def test_info_plist_states_why_each_permission_is_needed() -> None:
    info = load_plist()
    for key in USAGE_KEYS:
        text = info[key]
        assert isinstance(text, str)
        assert "Overt" in text
        assert len(text) > 40, key


def test_info_plist_describes_a_tray_only_app_of_this_version() -> None:
    info = load_plist()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert info["LSUIElement"] is True
    assert info["CFBundleIdentifier"] == "io.github.overt.Overt"
    assert info["CFBundleExecutable"] == "overt"
    assert info["CFBundleShortVersionString"] == project["version"]


def test_windows_manifest_is_per_monitor_v2_dpi_aware() -> None:
    root = ET.parse(MANIFEST).getroot()
    awareness = root.find(f".//{WS2016}dpiAwareness")
    assert awareness is not None
    modes = [mode.strip() for mode in (awareness.text or "").split(",")]
    assert modes[0] == "PerMonitorV2"
    legacy = root.find(f".//{WS2005}dpiAware")
    assert legacy is not None
    assert (legacy.text or "").strip() == "true/pm"


def test_windows_manifest_asks_for_no_elevation() -> None:
    root = ET.parse(MANIFEST).getroot()
    level = root.find(".//{urn:schemas-microsoft-com:asm.v3}requestedExecutionLevel")
    assert level is not None
    assert level.get("level") == "asInvoker"
