"""Export refuses every session full verification calls damaged (one shared check)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from storage import CorruptData, Vault
from storage.export import export_sessions
from tests.storage.helpers import PASS, consent, frame_meta, make_vault, move, noise_bgrx


def _session(vault: Vault) -> str:
    with vault.begin_session(consent()) as w:
        for i in range(3):
            w.append_event(move(i))
        for t in (0.0, 1.0):
            w.append_frame(bytes(noise_bgrx(16, 12)), (16, 12), frame_meta(t, 16, 12))
        sid = w.session_id
    vault.unlock(PASS).approve(sid)
    return sid


def _missing_stats(d: Path) -> None:
    os.unlink(d / "stats.0")


def _bytes_after_final_frames_chunk(d: Path) -> None:
    with open(d / "frames.0", "ab") as f:
        f.write(b"\x00" * 40)


def _damaged_final_chunk(d: Path) -> None:
    data = bytearray((d / "frames.0").read_bytes())
    data[-1] ^= 0x01  # the tag of the (empty) final chunk
    (d / "frames.0").write_bytes(bytes(data))


@pytest.mark.parametrize(
    "damage", [_missing_stats, _bytes_after_final_frames_chunk, _damaged_final_chunk]
)
def test_export_refuses_what_verify_refuses(tmp_path: Path, damage: Callable[[Path], None]) -> None:
    vault = make_vault(tmp_path / "v")
    sid = _session(vault)
    damage(vault.session_dir(sid))
    u = vault.unlock(PASS)
    assert u.verify(sid)[0].status == "damaged"
    with pytest.raises(CorruptData, match=f"Session {sid} is damaged") as caught:
        export_sessions([u.open_session(sid)], "folder", tmp_path / "out")
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "out").exists()
    assert u.open_session(sid).damage()


def test_a_sound_session_has_no_damage_and_exports(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "v")
    sid = _session(vault)
    reader = vault.unlock(PASS).open_session(sid)
    assert reader.damage() == []
    export_sessions([reader], "folder", tmp_path / "out")
    assert (tmp_path / "out").is_dir()
