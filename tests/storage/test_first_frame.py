"""The first frame's metadata reaches the OS at once, not after the 0.5 s flush: a session
that said it was recording shows that frame even if the disk fills (or it is killed) next."""

from __future__ import annotations

from pathlib import Path

from storage.format import stream
from tests.storage.helpers import consent, frame_meta, make_vault


def test_the_first_frame_is_readable_before_any_flush(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    writer = vault.begin_session(consent())
    try:
        writer.append_frame(bytes(64 * 48 * 4), (64, 48), frame_meta(0.0))
        with writer._lock:
            writer._drain_frames(block=True)  # encoded and stored, as the writer's tick does
            meta = writer.path / "framemeta.0"
            # its record is sealed and written now, not 0.5 s later with the next records
            assert meta.stat().st_size > stream.HEADER.size
    finally:
        writer.close()
