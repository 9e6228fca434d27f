"""A vault written before stream format version 2 (tests/storage/fixtures/old_vault.py) still
opens, reads back exactly, verifies, and takes a new session in the new format beside it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from storage import Vault
from storage.format import stream
from tests.storage.fixtures import old_vault


def copy_of_fixture(tmp_path: Path) -> Path:
    """The fixture in a folder of its own, with the permissions a vault must have."""
    home = tmp_path / "vault"
    shutil.copytree(old_vault.FOLDER, home)
    for folder, _dirs, files in os.walk(home):
        os.chmod(folder, 0o700)
        for name in files:
            os.chmod(Path(folder) / name, 0o600)
    return home


def test_a_version_1_vault_reads_back_exactly(tmp_path: Path) -> None:
    vault = Vault.open(copy_of_fixture(tmp_path))
    (session,) = vault.sessions()
    folder = vault.session_dir(session.id)
    streams = [p for p in folder.iterdir() if p.suffix == ".0"]
    assert len(streams) == 6
    assert {p.read_bytes()[8:10] for p in streams} == {b"\x00\x01"}  # all version 1
    reader = vault.unlock(old_vault.PASSPHRASE).open_session(session.id)
    assert reader.consent == old_vault.consent()
    got = [{k: v for k, v in e.items() if k != "seq"} for e in reader.events()]
    assert got == old_vault.events()
    assert [{k: v for k, v in a.items() if k != "seq"} for a in reader.actions()] == (
        old_vault.actions()
    )
    images = old_vault.images()
    assert len(reader.frames()) == len(images)
    for i, image in enumerate(images):
        assert reader.frame_image(i).tobytes() == image.tobytes(), i
    kinds = [m["_store"]["kind"] for m in reader._metas()]
    assert {"key", "delta", "same"} <= set(kinds)
    (result,) = vault.unlock(old_vault.PASSPHRASE).verify(session.id)
    assert result.status == "ok", result.where


def test_a_new_session_beside_it_is_version_2(tmp_path: Path) -> None:
    vault = Vault.open(copy_of_fixture(tmp_path))
    with vault.begin_session(old_vault.consent()) as writer:
        for event in old_vault.events():
            writer.append_event(event)
        new = writer.session_id
    events = (vault.session_dir(new) / "events.0").read_bytes()
    assert int.from_bytes(events[8:10], "big") == stream.VERSION == 2
    unlocked = vault.unlock(old_vault.PASSPHRASE)
    assert len(list(unlocked.open_session(new).events())) == len(old_vault.events())
    assert len(unlocked.open_session(vault.sessions()[0].id).frames()) == 8
