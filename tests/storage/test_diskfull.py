"""A full disk gives DiskFull and leaves the vault intact (on a real 2 MB tmpfs)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import DiskFull, Vault
from tests.helpers.tmpfs import fill, small_tmpfs
from tests.storage.helpers import PASS, consent, frame_meta, make_vault, move, noise_bgrx


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    with small_tmpfs(tmp_path / "mnt", "2m") as mnt:
        yield mnt


def test_recording_until_full(small_disk: Path) -> None:
    home = small_disk / "v"
    vault = make_vault(home)
    with vault.begin_session(consent()) as w:
        for i in range(50):
            w.append_event(move(i))
        safe = w.session_id
    w = vault.begin_session(consent())
    full = w.session_id
    w.append_event(move(7))
    w.flush()

    def record_until_full() -> None:
        for i in range(1000):
            w.append_frame(bytes(noise_bgrx(128, 96)), (128, 96), frame_meta(i, 128, 96))
            w.append_event(move(i))

    with pytest.raises(DiskFull, match="disk is full") as info:
        record_until_full()
    assert str(info.value).endswith(".")
    with pytest.raises(DiskFull):
        w.append_event(move(1))  # the writer stays failed, it does not write torn data
    with pytest.raises(DiskFull):
        w.close()
    again = Vault.open(home)
    u = again.unlock(PASS)
    results = {r.session_id: r.status for r in u.verify()}
    assert results == {safe: "ok", full: "interrupted"}
    assert len(list(u.open_session(safe).events())) == 50
    r = u.open_session(full)
    assert next(iter(r.events()))["x"] == 7
    for i in range(len(r.frames())):
        r.frame_image(i)
    # Free space by deleting the partial session: recording works again.
    again.delete_session(full)
    with again.begin_session(consent()) as w2:
        w2.append_event(move(3))
    assert all(x.status == "ok" for x in u.verify())


def test_redaction_on_full_disk_keeps_original(small_disk: Path) -> None:
    home = small_disk / "v"
    vault = make_vault(home)
    with vault.begin_session(consent()) as w:
        px = noise_bgrx(200, 150)
        for i in range(3):
            px[i] ^= 1
            w.append_frame(bytes(px), (200, 150), frame_meta(i, 200, 150))
        sid = w.session_id
    u = vault.unlock(PASS)
    before = [u.open_session(sid).frame_image(i).tobytes() for i in range(3)]
    fill(small_disk / "junk", leave=8192)
    with pytest.raises(DiskFull):
        u.redact_region(sid, (0, 0, 50, 50))
    assert sorted(p.name for p in (home / "sessions" / sid).iterdir()) == sorted(
        [
            "keys",
            "summary.json",
            "consent.0",
            "events.0",
            "actions.0",
            "elements.0",
            "framemeta.0",
            "frames.0",
            "episodes.0",
            "stats.0",
        ]
    )
    r = Vault.open(home).unlock(PASS).open_session(sid)
    assert [r.frame_image(i).tobytes() for i in range(3)] == before
    assert u.verify(sid)[0].status == "ok"
    fill(small_disk / "junk2", leave=0)
    with pytest.raises(DiskFull):
        Vault.create(small_disk / "v2", PASS, log_n=10)
    assert not (small_disk / "v2").exists()
    Vault.open(home)
