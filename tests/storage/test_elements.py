"""The elements stream: stored encrypted, read back by action seq, absent in older sessions,
and dropped with the actions it belongs to."""

from __future__ import annotations

import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from storage import Vault
from storage.format import keyrecord
from tests.storage.helpers import PASS, all_files, consent, key, type_action

SECRET_NAME = "Quarterly-ZEBRA-report"


def lookup(role: str | None, name: str | None = None, missing: str | None = None) -> dict[str, Any]:
    return {
        "role": role,
        "name": name,
        "description": None,
        "states": ["focused"] if role else [],
        "bounds": [10, 20, 30, 40] if role else None,
        "path": [{"role": "application", "name": "editor"}, {"role": role, "name": name}]
        if role
        else [],
        "selected": None,
        "app": "editor" if role else None,
        "missing_reason": missing,
        "lookup_ms": 3.5,
        "lag_ms": -120.0,
    }


def _session(vault: Vault) -> str:
    with vault.begin_session(consent()) as w:
        seqs = [w.append_event(key(c)) for c in "ab"]
        first = w.append_action(type_action("a", seqs[:1]))
        second = w.append_action(type_action("b", seqs[1:]))
        w.append_element({"action": first, "element": lookup("text", SECRET_NAME)})
        w.append_element(
            {
                "action": second,
                "element": lookup(None, missing="app not accessible"),
                "end": lookup("push button", "OK"),
            }
        )
        return w.session_id


def test_elements_read_back_by_action_seq(vault: Vault) -> None:
    sid = _session(vault)
    r = vault.unlock(PASS).open_session(sid)
    found = r.elements()
    assert found[0] == {
        "role": "text",
        "name": SECRET_NAME,
        "description": None,
        "states": ["focused"],
        "bounds": [10, 20, 30, 40],
        "path": [{"role": "application", "name": "editor"}, {"role": "text", "name": SECRET_NAME}],
        "selected": None,
        "app": "editor",
    }
    assert found[1]["missing"] == "app not accessible"
    assert found[1]["end"]["name"] == "OK"
    assert r.element_records()[0]["element"]["lag_ms"] == -120.0
    assert vault.unlock(PASS).verify(sid)[0].status == "ok"


def test_element_names_are_encrypted_at_rest(vault: Vault) -> None:
    _session(vault)
    for path in all_files(vault.home):
        assert SECRET_NAME.encode() not in path.read_bytes(), path


def test_a_session_recorded_before_elements_reads_as_none(vault: Vault) -> None:
    sid = _session(vault)
    u = vault.unlock(PASS)
    private = X25519PrivateKey.from_private_bytes(u.private_key_bytes())
    path = vault.session_dir(sid)
    rec = keyrecord.open_record(keyrecord.read_bytes(path, sid), vault.vault_id, private, sid)
    (path / rec.streams.pop("elements").file).unlink()
    rec.chunks.pop("elements", None)
    keyrecord.replace(path, keyrecord.seal_record(rec, vault.vault_id, vault.key_file.public_key))
    r = u.open_session(sid)
    assert r.elements() == {}
    assert r.element_records() == []
    assert len(list(r.actions())) == 2
    assert u.verify(sid)[0].status == "ok"


def test_deleting_events_drops_the_elements_of_their_actions(vault: Vault) -> None:
    sid = _session(vault)
    u = vault.unlock(PASS)
    assert u.redact_events(sid, range(0, 1)) == 1  # the first type action goes with it
    r = u.open_session(sid)
    assert [a["seq"] for a in r.actions()] == [1]
    assert set(r.elements()) == {1}
    assert SECRET_NAME not in json.dumps(r.element_records())
