"""Vault lifecycle: create/open, passphrase, versions, permissions, locks, listing, delete."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from storage import (
    CorruptData,
    SessionBusy,
    SessionNotFound,
    UnsafePermissions,
    Vault,
    VaultExists,
    VaultLocked,
    VaultNotFound,
    VersionTooNew,
    WrongPassphrase,
)
from storage import errors as errors_mod
from tests.storage.helpers import PASS, consent, key, make_vault, move, window


def test_create_open_modes(tmp_path: Path) -> None:
    v = make_vault(tmp_path / "v")
    assert (v.home.stat().st_mode & 0o777) == 0o700
    assert ((v.home / "vault.key").stat().st_mode & 0o777) == 0o600
    with v.begin_session(consent()) as w:
        w.append_event(move())
    for p in v.home.rglob("*"):
        want = 0o700 if p.is_dir() else 0o600
        assert (p.stat().st_mode & 0o777) == want, p
    again = Vault.open(v.home)
    assert again.key_file.public_key == v.key_file.public_key


def test_create_refuses_existing(tmp_path: Path) -> None:
    v = make_vault(tmp_path / "v")
    with pytest.raises(VaultExists):
        make_vault(v.home)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "x").write_text("hi")
    with pytest.raises(VaultExists):
        make_vault(tmp_path / "other")


def test_open_missing(tmp_path: Path) -> None:
    with pytest.raises(VaultNotFound, match="no vault"):
        Vault.open(tmp_path / "nothing")


def test_wrong_passphrase(vault: Vault) -> None:
    with pytest.raises(WrongPassphrase) as info:
        vault.unlock(b"not it")
    assert str(info.value).endswith(".")
    vault.unlock(PASS)


def test_change_passphrase_keeps_sessions(vault: Vault) -> None:
    with vault.begin_session(consent()) as w:
        w.append_event(move(3))
        sid = w.session_id
    before = {p: p.read_bytes() for p in (vault.home / "sessions").rglob("*") if p.is_file()}
    vault.change_passphrase(PASS, b"new pass")
    after = {p: p.read_bytes() for p in (vault.home / "sessions").rglob("*") if p.is_file()}
    assert before == after  # session data untouched
    with pytest.raises(WrongPassphrase):
        Vault.open(vault.home).unlock(PASS)
    u = Vault.open(vault.home).unlock(b"new pass")
    assert [e["x"] for e in u.open_session(sid).events()] == [3]
    with pytest.raises(WrongPassphrase):
        vault.change_passphrase(PASS, b"x")


def test_version_too_new(vault: Vault) -> None:
    doc = json.loads((vault.home / "vault.key").read_bytes())
    doc["version"] = 99
    (vault.home / "vault.key").write_text(json.dumps(doc))
    with pytest.raises(VersionTooNew, match="upgrade"):
        Vault.open(vault.home)


def test_stream_version_too_new(vault: Vault) -> None:
    with vault.begin_session(consent()) as w:
        w.append_event(move())
        sid = w.session_id
    path = vault.home / "sessions" / sid / "events.0"
    data = bytearray(path.read_bytes())
    data[8:10] = (3).to_bytes(2, "big")  # streams are at version 2
    path.write_bytes(bytes(data))
    with pytest.raises(VersionTooNew):
        list(vault.unlock(PASS).open_session(sid).events())
    (res,) = vault.unlock(PASS).verify(sid)
    assert res.status == "damaged"


def test_kdf_cost_capped(vault: Vault) -> None:
    doc = json.loads((vault.home / "vault.key").read_bytes())
    doc["kdf"]["log_n"] = 40
    (vault.home / "vault.key").write_text(json.dumps(doc))
    with pytest.raises(CorruptData, match="limits"):
        Vault.open(vault.home)


@pytest.mark.parametrize("target", ["home", "key", "sessions"])
def test_unsafe_permissions(vault: Vault, target: str) -> None:
    path = {
        "home": vault.home,
        "key": vault.home / "vault.key",
        "sessions": vault.home / "sessions",
    }[target]
    mode = path.stat().st_mode & 0o777
    os.chmod(path, mode | 0o044)
    with pytest.raises(UnsafePermissions, match="chmod"):
        Vault.open(vault.home)
    os.chmod(path, mode)
    Vault.open(vault.home)


def test_lock_contention(vault: Vault) -> None:
    other = Vault.open(vault.home)
    w = vault.begin_session(consent())
    try:
        with pytest.raises(VaultLocked):
            other.begin_session(consent())
        assert vault.session(w.session_id).state == "recording"
        with pytest.raises(SessionBusy):
            other.delete_session(w.session_id)
        with pytest.raises(SessionBusy):
            other.unlock(PASS).redact_window_titles(w.session_id)
    finally:
        w.close()
    with other.begin_session(consent()) as w2:
        w2.append_event(move())


def test_sessions_listing_and_json(vault: Vault) -> None:
    ids = []
    for n in range(3):
        with vault.begin_session(consent(study_id="st-1")) as w:
            for i in range(n):
                w.append_event(move(i))
            w.append_action(
                {
                    "t": 0,
                    "t_end": 0,
                    "wall": 0,
                    "kind": "click",
                    "events": [],
                    "frame_before": None,
                    "frame_after": None,
                    "window_seq": None,
                    "x": 1,
                    "y": 2,
                    "button": "left",
                }
            )
            ids.append(w.session_id)
    listed = vault.sessions()
    assert [s.id for s in listed] == sorted(ids)
    by_id = {s.id: s for s in listed}
    for n, sid in enumerate(ids):
        s = by_id[sid]
        assert (s.events, s.actions, s.frames, s.state, s.review) == (
            n,
            1,
            0,
            "complete",
            "unreviewed",
        )
        assert s.bytes > 0
        doc = s.to_json()
        assert {
            "id",
            "started",
            "duration",
            "events",
            "actions",
            "frames",
            "state",
            "review",
            "bytes",
        } <= doc.keys()
        json.dumps(doc)
    with pytest.raises(SessionNotFound):
        vault.session("nope")
    with pytest.raises(SessionNotFound):
        vault.session("../etc")


def test_approve_and_review_state(vault: Vault) -> None:
    with vault.begin_session(consent(study_id="abc")) as w:
        sid = w.session_id
    u = vault.unlock(PASS)
    assert u.open_session(sid).summary.study_id == "abc"
    u.approve(sid)
    assert vault.session(sid).review == "approved"
    assert u.open_session(sid).summary.review == "approved"
    u.require_approved(sid)


def test_delete(vault: Vault) -> None:
    with vault.begin_session(consent()) as w:
        w.append_event(window("secret title"))
        sid = w.session_id
    with vault.begin_session(consent()) as w:
        w.append_event(key("a"))
        keep = w.session_id
    vault.delete_session(sid)
    assert [s.id for s in vault.sessions()] == [keep]
    assert not (vault.home / "sessions" / sid).exists()
    with pytest.raises(SessionNotFound):
        vault.delete_session(sid)
    assert all(r.ok for r in vault.unlock(PASS).verify())


def test_index_rebuild(vault: Vault) -> None:
    with vault.begin_session(consent()) as w:
        for i in range(5):
            w.append_event(move(i))
        sid = w.session_id
    (vault.home / "sessions" / sid / "summary.json").write_text("garbage")
    assert vault.session(sid).events == 0  # unknown until rebuilt, never an error
    assert vault.unlock(PASS).rebuild_index() == 1
    s = vault.session(sid)
    assert (s.events, s.state) == (5, "complete")


def test_every_error_is_one_sentence() -> None:
    classes = [
        c
        for c in vars(errors_mod).values()
        if isinstance(c, type) and issubclass(c, errors_mod.StorageError)
    ]
    assert len(classes) >= 11
    names = {c.__name__ for c in classes}
    assert {
        "VaultNotFound",
        "VaultExists",
        "WrongPassphrase",
        "CorruptData",
        "VersionTooNew",
        "DiskFull",
        "VaultLocked",
        "UnsafePermissions",
        "SessionNotFound",
        "NotApproved",
    } <= names


def test_writer_needs_consent(vault: Vault) -> None:
    with pytest.raises(ValueError, match="consent"):
        vault.begin_session({})


def test_interrupted_without_close(vault: Vault) -> None:
    w = vault.begin_session(consent())
    w.append_event(move(1))
    w.flush()
    sid = w.session_id
    # Simulate death: drop the locks without closing.
    for lock in w._locks:
        lock.release()
    w._ticker.stop()
    assert vault.session(sid).state == "interrupted"
    u = vault.unlock(PASS)
    r = u.open_session(sid)
    assert r.summary.state == "interrupted"
    assert [e["x"] for e in r.events()] == [1]
    assert r.stats == {}
    (res,) = u.verify(sid)
    assert res.status == "interrupted"
    (res,) = vault.verify(sid)
    assert res.status == "interrupted"


def test_unserialisable_consent_leaves_nothing(vault: Vault) -> None:
    with pytest.raises(TypeError):
        vault.begin_session({"when": object()})
    assert list((vault.home / "sessions").iterdir()) == []
    with vault.begin_session(consent()) as w:  # the writer lock was released
        w.append_event(move())


def test_unlock_with_remembered_key(vault: Vault, tmp_path: Path) -> None:
    raw = vault.unlock(PASS).private_key_bytes()
    with vault.begin_session(consent()) as w:
        w.append_event(move(5))
        sid = w.session_id
    u = Vault.open(vault.home).unlock_with_private_key(raw)
    assert [e["x"] for e in u.open_session(sid).events()] == [5]
    other = make_vault(tmp_path / "other")
    with pytest.raises(WrongPassphrase):
        other.unlock_with_private_key(raw)
    with pytest.raises(WrongPassphrase):
        other.unlock_with_private_key(b"short")


def test_interrupted_key_record_replacement_is_finished(vault: Vault) -> None:
    with vault.begin_session(consent()) as w:
        w.append_event(move(2))
        sid = w.session_id
    d = vault.home / "sessions" / sid
    # A crash after keys.next became durable but before the old record was shredded.
    (d / "keys.next").write_bytes((d / "keys").read_bytes())
    os.chmod(d / "keys.next", 0o600)
    (d / "events.9").write_bytes(b"orphan from a crashed redaction")
    os.chmod(d / "events.9", 0o600)
    again = Vault.open(vault.home)
    assert (d / "keys.next").exists()  # without the private key it cannot be authenticated
    u = again.unlock(PASS)
    assert not (d / "keys.next").exists()
    assert [e["x"] for e in u.open_session(sid).events()] == [2]
    u.approve(sid)
    assert not (d / "events.9").exists()
    assert u.verify(sid)[0].status == "ok"


def test_shredding_a_planted_link_removes_only_the_link(tmp_path: Path) -> None:
    from storage.format.files import shred

    target = tmp_path / "precious.txt"
    target.write_text("not Overt's\n")
    link = tmp_path / "keys"
    link.symlink_to(target)
    shred(link)
    assert not link.is_symlink()
    assert target.read_text() == "not Overt's\n"
