"""AppStream metainfo: valid, and consistent with the desktop entry and the project."""

from __future__ import annotations

import subprocess
import tomllib
import xml.etree.ElementTree as ET

from tests.packaging.tools import LINUX, ROOT, require_tool

METAINFO = LINUX / "io.github.overt.Overt.metainfo.xml"


def test_metainfo_names_the_app_its_launcher_and_binary() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component"
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == "io.github.overt.Overt"
    assert root.findtext("name") == "Overt"
    launchable = root.find("launchable")
    assert launchable is not None
    assert launchable.get("type") == "desktop-id"
    assert (LINUX / (launchable.text or "")).is_file()
    assert root.findtext("provides/binary") == "overt"
    assert root.findtext("project_license") == "Apache-2.0"


def test_metainfo_lists_the_current_version_first() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    releases = ET.parse(METAINFO).getroot().findall("releases/release")
    assert releases
    assert releases[0].get("version") == project["version"]


def test_appstreamcli_validates_metainfo() -> None:
    tool = require_tool("appstreamcli", "appstream")
    result = subprocess.run(
        [tool, "validate", "--no-net", str(METAINFO)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
