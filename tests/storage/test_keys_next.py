"""A planted keys.next never destroys a session; an authentic one is finished at unlock only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from storage import Vault
from tests.storage.helpers import PASS, consent, move


def _two_sessions(vault: Vault) -> tuple[str, str]:
    ids = []
    for sid, x in (("a-target", 1), ("b-other", 2)):
        with vault.begin_session(consent(), session_id=sid) as w:
            w.append_event(move(x))
        ids.append(sid)
    return ids[0], ids[1]


def _plant(vault: Vault, sid: str, data: bytes) -> Path:
    d = vault.session_dir(sid)
    (d / "keys.next").write_bytes(data)
    os.chmod(d / "keys.next", 0o600)
    return d


@pytest.mark.parametrize("planted", ["garbage", "header only", "another session's"])
def test_a_planted_keys_next_leaves_the_session_whole(vault: Vault, planted: str) -> None:
    target, other = _two_sessions(vault)
    data = {
        "garbage": os.urandom(120),
        "header only": (vault.session_dir(target) / "keys").read_bytes()[:12] + os.urandom(100),
        "another session's": (vault.session_dir(other) / "keys").read_bytes(),
    }[planted]
    d = _plant(vault, target, data)
    keys = (d / "keys").read_bytes()
    # What `overt sessions` and `overt verify` (no passphrase) do: the keys stay.
    again = Vault.open(vault.home)
    assert [s.state for s in again.sessions()] == ["complete", "complete"]
    assert [r.status for r in again.verify()] == ["ok", "ok"]
    assert (d / "keys").read_bytes() == keys
    u = again.unlock(PASS)  # the planted file is not this session's: shredded, keys stay
    assert not (d / "keys.next").exists()
    assert (d / "keys").read_bytes() == keys
    assert [e["x"] for e in u.open_session(target).events()] == [1]
    assert [r.status for r in u.verify()] == ["ok", "ok"]


def test_a_planted_keys_next_is_ignored_by_readers_before_it_is_removed(vault: Vault) -> None:
    target, other = _two_sessions(vault)
    d = _plant(vault, target, (vault.session_dir(other) / "keys").read_bytes())
    u = vault.unlock(PASS)
    _plant(vault, target, (d.parent / other / "keys").read_bytes())  # again, after unlock
    assert [e["x"] for e in u.open_session(target).events()] == [1]
    assert u.verify(target)[0].status == "ok"
    u.approve(target)  # a change settles it first, then replaces the record
    assert not (d / "keys.next").exists()
    assert u.open_session(target).record.review == "approved"


def test_an_authentic_keys_next_is_finished_at_unlock_not_before(vault: Vault) -> None:
    target, _ = _two_sessions(vault)
    u = vault.unlock(PASS)
    d = vault.session_dir(target)
    keys = (d / "keys").read_bytes()
    u.approve(target)
    approved = (d / "keys").read_bytes()
    # A crash after the approved record became durable as keys.next, before keys was shredded.
    (d / "keys.next").write_bytes(approved)
    (d / "keys").write_bytes(keys)
    assert Vault.open(vault.home).verify(target)[0].status == "ok"
    assert (d / "keys").read_bytes() == keys  # nothing shredded without the private key
    again = Vault.open(vault.home).unlock(PASS)
    assert not (d / "keys.next").exists()
    assert (d / "keys").read_bytes() == approved
    assert again.open_session(target).record.review == "approved"


def test_structure_verify_reads_keys_next_when_keys_is_gone(vault: Vault) -> None:
    target, _ = _two_sessions(vault)
    d = vault.session_dir(target)
    os.replace(d / "keys", d / "keys.next")  # a crash after keys was shredded
    assert [r.status for r in vault.verify()] == ["ok", "ok"]
    u = vault.unlock(PASS)
    assert (d / "keys").exists()
    assert u.verify(target)[0].status == "ok"
