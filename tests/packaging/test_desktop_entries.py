"""The .desktop files: valid, launching the tray only, and autostart off unless Settings asks."""

from __future__ import annotations

import configparser
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.packaging.tools import LINUX, require_tool

APP_ENTRY = LINUX / "overt.desktop"
AUTOSTART_ENTRY = LINUX / "overt-autostart.desktop"
ENTRIES = [APP_ENTRY, AUTOSTART_ENTRY]
CAPTURE_WORDS = ("record", "consent", "--i-consent", "--duration", "--apps", "--study")


def read_entry(path: Path) -> dict[str, str]:
    """The [Desktop Entry] group, keys case-sensitive as the spec says."""
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text(encoding="utf-8"), source=str(path))
    assert parser.sections() == ["Desktop Entry"], parser.sections()
    return dict(parser["Desktop Entry"])


@pytest.mark.parametrize("path", ENTRIES, ids=lambda p: p.name)
def test_entry_has_the_required_keys(path: Path) -> None:
    entry = read_entry(path)
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Overt"
    assert entry["Icon"] == "overt"
    assert entry["Terminal"] == "false"
    assert entry["TryExec"] == "overt"


@pytest.mark.parametrize("path", ENTRIES, ids=lambda p: p.name)
def test_entry_starts_the_tray_and_nothing_else(path: Path) -> None:
    entry = read_entry(path)
    assert shlex.split(entry["Exec"]) == ["overt"]
    text = path.read_text(encoding="utf-8").lower()
    exec_lines = [line for line in text.splitlines() if line.startswith("exec")]
    assert not any(word in line for line in exec_lines for word in CAPTURE_WORDS)


def test_app_entry_is_listed_in_menus() -> None:
    entry = read_entry(APP_ENTRY)
    assert entry.get("NoDisplay", "false") == "false"
    assert "Utility" in entry["Categories"].split(";")


def test_autostart_template_is_enabled_only_once_installed() -> None:
    # Off by default means: nothing installs this file; Settings copies it into the autostart
    # folder to turn autostart on, and deletes it to turn it off.
    entry = read_entry(AUTOSTART_ENTRY)
    assert entry["X-GNOME-Autostart-enabled"] == "true"
    assert entry.get("Hidden", "false") == "false"
    assert entry["NoDisplay"] == "true"
    assert "OnlyShowIn" not in entry
    assert "NotShowIn" not in entry


def test_entries_name_an_icon_that_exists() -> None:
    assert (LINUX / "icons" / "hicolor" / "scalable" / "apps" / "overt.svg").is_file()
    assert (LINUX / "icons" / "hicolor" / "48x48" / "apps" / "overt.png").is_file()


@pytest.mark.parametrize("path", ENTRIES, ids=lambda p: p.name)
def test_desktop_file_validate_accepts_entry(path: Path) -> None:
    tool = require_tool("desktop-file-validate", "desktop-file-utils")
    result = subprocess.run([tool, str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in (result.stdout + result.stderr).lower()


def test_app_ships_the_same_autostart_template_when_it_ships_one() -> None:
    # Settings installs the template from the app's resources (packaging/ is not installed with
    # the package); the copy must not drift from the one validated here.
    copy = LINUX.parents[1] / "app" / "resources" / AUTOSTART_ENTRY.name
    if not copy.exists():
        pytest.skip("the app does not ship the autostart template yet (Settings, app issue)")
    assert copy.read_text(encoding="utf-8") == AUTOSTART_ENTRY.read_text(encoding="utf-8")
