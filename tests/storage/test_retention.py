"""Retention expiry: sessions past ``retention.local_days`` are found and deleted without the
passphrase; the expiry survives an index rebuild; sessions without retention never expire."""

from __future__ import annotations

import json
from typing import Any

from storage import Vault
from storage.format import index
from tests.storage.helpers import PASS, consent, decryptable, key, keys_after

T0 = 1_800_000_000.0
DAY = 86400


def _begin(vault: Vault, local_days: int | None, *, events: int = 3) -> str:
    extra: dict[str, Any] = {}
    if local_days is not None or events < 0:
        extra["retention"] = {"local_days": local_days, "after_export": ""}
    with vault.begin_session(consent(**extra), clock=lambda: T0) as w:
        for c in "abc"[: max(events, 0)]:
            w.append_event(key(c))
        return w.session_id


def test_expires_after_local_days_and_not_before(vault: Vault) -> None:
    sid = _begin(vault, 1)
    assert vault.session(sid).started == T0
    assert vault.session(sid).expires == T0 + DAY
    assert vault.expired(T0 + DAY) == []
    assert vault.expire(T0 + DAY - 1) == []
    assert vault.session_ids() == [sid]
    assert [s.id for s in vault.expired(T0 + DAY + 1)] == [sid]
    assert vault.expire(T0 + DAY + 1) == [sid]
    assert vault.session_ids() == []
    assert not (vault.home / "sessions" / sid).exists()


def test_no_retention_never_expires(vault: Vault) -> None:
    a = _begin(vault, None)
    b = _begin(vault, None, events=-1)  # retention present, local_days null
    for sid in (a, b):
        assert vault.session(sid).expires is None
    assert vault.expire(T0 + 100 * 365 * DAY) == []
    assert vault.session_ids() == sorted([a, b])


def test_only_expired_sessions_go(vault: Vault) -> None:
    short, long_, never = _begin(vault, 1), _begin(vault, 30), _begin(vault, None)
    assert vault.expire(T0 + 2 * DAY) == [short]
    assert vault.session_ids() == sorted([long_, never])


def test_index_keeps_expiry_on_disk_and_through_rebuild(vault: Vault) -> None:
    sid = _begin(vault, 7)
    path = vault.session_dir(sid)
    doc = json.loads((path / index.FILE).read_text())
    assert doc["version"] == 2
    assert doc["expires"] == T0 + 7 * DAY
    (path / index.FILE).unlink()
    assert vault.session(sid).expires is None  # unknown entry: never deleted by guesswork
    unlocked = vault.unlock(PASS)
    assert unlocked.rebuild_index() == 1
    assert vault.session(sid).expires == T0 + 7 * DAY
    # A tampered index entry is corrected by a rebuild from the authenticated consent.
    doc = json.loads((path / index.FILE).read_text())
    doc["expires"] = None
    (path / index.FILE).write_text(json.dumps(doc))
    assert vault.session(sid).expires is None
    unlocked.rebuild_index()
    assert vault.session(sid).expires == T0 + 7 * DAY
    unlocked.approve(sid)  # approval rewrites the entry and keeps the expiry
    assert vault.session(sid).expires == T0 + 7 * DAY
    assert all(r.ok for r in vault.verify(sid, passphrase=PASS))
    assert unlocked.open_session(sid).summary.expires == T0 + 7 * DAY


def test_version_1_entry_never_expires(vault: Vault) -> None:
    sid = _begin(vault, 1)
    path = vault.session_dir(sid)
    doc = json.loads((path / index.FILE).read_text())
    doc["version"] = 1
    del doc["expires"]
    (path / index.FILE).write_text(json.dumps(doc))
    s = vault.session(sid)
    assert s.state == "complete"
    assert s.expires is None
    assert vault.expire(T0 + 10 * DAY) == []


def test_session_being_recorded_is_never_expired(vault: Vault) -> None:
    w = vault.begin_session(
        consent(retention={"local_days": 0, "after_export": ""}), clock=lambda: T0
    )
    try:
        assert vault.session(w.session_id).expires == T0
        assert vault.expired(T0 + DAY) == []
        assert vault.expire(T0 + DAY) == []
    finally:
        w.close()
    assert vault.expire(T0 + DAY) == [w.session_id]


def test_expired_session_leaves_no_decryptable_remnant(vault: Vault, tmp_path: Any) -> None:
    _begin(vault, None)  # a survivor, so the vault still holds keys afterwards
    sid = _begin(vault, 1)
    old = tmp_path / "old"
    old.mkdir()
    path = vault.session_dir(sid)
    for f in path.glob("events.*"):
        (old / f.name).write_bytes(f.read_bytes())
    assert vault.expire(T0 + 2 * DAY) == [sid]
    keys = keys_after(vault)
    for f in old.iterdir():
        assert decryptable(f, vault, sid, "events", keys) == []


def test_expiry_from_consent_rejects_odd_values() -> None:
    for days in (None, True, -1, 1.5, "3"):
        assert index.expiry_from_consent({"retention": {"local_days": days}}, T0) is None
    assert index.expiry_from_consent({}, T0) is None
    assert index.expiry_from_consent({"retention": {"local_days": 2}}, T0) == T0 + 2 * DAY
