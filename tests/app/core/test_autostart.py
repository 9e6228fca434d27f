"""Autostart is off by default; enabling writes an entry that starts the tray only."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core import autostart


def test_off_by_default_then_on_then_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert not autostart.is_enabled()
    path = autostart.enable()
    assert path == tmp_path / "autostart" / "overt-autostart.desktop"
    exec_lines = [line for line in path.read_text().splitlines() if line.startswith("Exec=")]
    assert len(exec_lines) == 1
    assert " " not in exec_lines[0].removeprefix("Exec=").strip('"') or '"' in exec_lines[0]
    assert "record" not in exec_lines[0]
    assert autostart.is_enabled()
    autostart.disable()
    assert not autostart.is_enabled()
