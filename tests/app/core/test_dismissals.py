"""app/core/dismissals.py: dismissed suggestion keys beside the vault, written atomically."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from app.core import dismissals
from app.core.dismissals import DISMISSALS_FILE, dismissed_keys, load_dismissals, save_dismissal


def test_saved_dismissals_come_back_per_session_once_each(tmp_path: Path) -> None:
    save_dismissal(tmp_path, "s1", "email:typed:3:0:None")
    save_dismissal(tmp_path, "s1", "email:typed:3:0:None")
    save_dismissal(tmp_path, "s2", "card:title:7")
    assert load_dismissals(tmp_path) == {"s1": ["email:typed:3:0:None"], "s2": ["card:title:7"]}
    doc = json.loads((tmp_path / DISMISSALS_FILE).read_text(encoding="utf-8"))
    assert doc["version"] == 1
    assert stat.S_IMODE((tmp_path / DISMISSALS_FILE).stat().st_mode) == 0o600


def test_dismissed_keys_name_their_session(tmp_path: Path) -> None:
    save_dismissal(tmp_path, "s1", "k1")
    save_dismissal(tmp_path, "s2", "k2")
    assert dismissed_keys(tmp_path, ["s1"]) == ["s1/k1"]
    assert dismissed_keys(tmp_path, ["s2", "s1", "gone"]) == ["s2/k2", "s1/k1"]


@pytest.mark.parametrize(
    "content",
    [b"", b"{not json", b"\xff\xfe", b"[1, 2]", b'{"sessions": []}', b'{"sessions": {"s": 3}}'],
)
def test_an_unreadable_file_means_nothing_dismissed(tmp_path: Path, content: bytes) -> None:
    (tmp_path / DISMISSALS_FILE).write_bytes(content)
    assert load_dismissals(tmp_path) == {}
    assert dismissed_keys(tmp_path, ["s"]) == []


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_dismissal(tmp_path, "s1", "k1")
    before = (tmp_path / DISMISSALS_FILE).read_bytes()

    def full_disk(_src: object, _dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(dismissals.os, "replace", full_disk)
    with pytest.raises(OSError, match="No space left"):
        save_dismissal(tmp_path, "s1", "k2")
    assert (tmp_path / DISMISSALS_FILE).read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [DISMISSALS_FILE]
