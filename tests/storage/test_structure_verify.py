"""verify --structure-only never calls damaged what full verification accepts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from storage import Vault
from tests.storage.helpers import PASS, consent, key, move

HEADER = b"OVRTSTRM\x00\x01\x00\x00"


def _session(vault: Vault) -> str:
    with vault.begin_session(consent()) as w:
        for i in range(3):
            w.append_event(move(i))
        w.append_event(key("s"))
        return w.session_id


def _put(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    os.chmod(path, 0o600)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("events.7", HEADER + b"\x00\x00\x00\x40" + b"\x00" * 20),  # a crashed rewrite's torn file
        ("frames.3", b"not a stream at all"),  # an old generation, damaged
        ("notes.0", HEADER + b"\xff" * 9),  # a stream the key record does not name
        ("gestures.0", b""),  # elements and episodes are real streams now
    ],
)
def test_an_extra_stream_file_is_not_damage(vault: Vault, name: str, data: bytes) -> None:
    sid = _session(vault)
    _put(vault.session_dir(sid) / name, data)
    assert vault.unlock(PASS).verify(sid)[0].status == "ok"
    structure = vault.verify(sid)[0]
    assert (structure.status, structure.where) == ("ok", [])


def test_a_redacted_session_is_sound_in_both(vault: Vault) -> None:
    sid = _session(vault)
    vault.unlock(PASS).redact_text(sid, "s")
    assert {r.status for r in vault.verify(sid) + vault.unlock(PASS).verify(sid)} == {"ok"}


@pytest.mark.parametrize("cut", [1, 30])
def test_a_truncated_current_stream_is_still_damage(vault: Vault, cut: int) -> None:
    sid = _session(vault)
    path = vault.session_dir(sid) / "events.0"
    data = path.read_bytes()
    _put(path, data[:-cut])
    assert vault.unlock(PASS).verify(sid)[0].status == "damaged"
    assert vault.verify(sid)[0].status == "damaged"
