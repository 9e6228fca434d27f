"""write_json_atomic: the small JSON files beside the vault are replaced whole, fsynced, private."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from storage.errors import DiskFull
from storage.format.files import write_json_atomic


def test_a_document_round_trips_privately(tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    write_json_atomic(path, {"version": 1, "names": ["é", "b"]})
    assert json.loads(path.read_text(encoding="utf-8")) == {"version": 1, "names": ["é", "b"]}
    assert path.stat().st_mode & 0o777 == 0o600
    write_json_atomic(path, {"version": 2})
    assert json.loads(path.read_text(encoding="utf-8")) == {"version": 2}
    assert [p.name for p in tmp_path.iterdir()] == ["doc.json"]


def test_the_file_is_fsynced_before_it_replaces_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "doc.json"
    write_json_atomic(path, {"version": 1})
    synced: list[bytes] = []
    real_fsync = os.fsync

    def watch(fd: int) -> None:
        if not os.path.isdir(f"/proc/self/fd/{fd}"):
            synced.append(Path(f"/proc/self/fd/{fd}").read_bytes())
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", watch)
    write_json_atomic(path, {"version": 2})
    assert [json.loads(data) for data in synced] == [{"version": 2}]


def test_a_full_disk_keeps_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "doc.json"
    write_json_atomic(path, {"version": 1})

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(DiskFull, match=r"writing doc\.json"):
        write_json_atomic(path, {"version": 2})
    assert json.loads(path.read_text(encoding="utf-8")) == {"version": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["doc.json"]
