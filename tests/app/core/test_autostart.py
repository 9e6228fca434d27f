"""Autostart is off by default; enabling writes an entry that starts the tray only."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from app.core import autostart
from storage import DiskFull


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


def test_the_entry_is_written_durably_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash after enabling must not leave an empty entry: it is fsynced before the rename."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))

    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(DiskFull):
        autostart.enable()
    assert not autostart.is_enabled()
    assert list((tmp_path / "autostart").iterdir()) == []  # no temp file left behind
