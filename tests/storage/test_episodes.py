"""Task episodes: stored encrypted while recording, read folded, replaced whole after recording."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import pytest

from storage import InvalidEpisodes, Vault, VersionTooNew
from storage import episodes as eps
from storage.format import keyrecord
from tests.storage.helpers import PASS, all_files, consent, key, type_action

STUDY = {"id": "s1", "tasks": [{"id": "t1", "instruction": "Book a train"}]}


def _ep(eid: str, t0: float, t1: float | None, text: str = "do it", **extra: Any) -> dict[str, Any]:
    return {"id": eid, "instruction": text, "t_start": t0, "t_end": t1, **extra}


def _session(vault: Vault, episodes: list[dict[str, Any]], **consent_extra: Any) -> str:
    with vault.begin_session(consent(**consent_extra)) as w:
        for i, t in enumerate((1.0, 2.0, 5.0)):
            ev = key("a")
            ev["t"] = t
            seq = w.append_event(ev)
            act = type_action("a", [seq])
            act["t"] = act["t_end"] = t
            assert w.append_action(act) == i
        for e in episodes:
            w.put_episode(e)
        sid = w.session_id
    # Long enough for the bounds used below (the test's session closes in milliseconds).
    _set_end(vault, sid, 10.0)
    return sid


def _set_end(vault: Vault, sid: str, seconds: float) -> None:
    path = vault.session_dir(sid)
    priv = vault.key_file.unwrap(PASS)
    rec = keyrecord.open_record(keyrecord.read_bytes(path, sid), vault.vault_id, priv, sid)
    rec.ended = rec.started + seconds
    keyrecord.replace(path, keyrecord.seal_record(rec, vault.vault_id, vault.key_file.public_key))


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in all_files(root)}


def test_recorded_episodes_fold_by_id_and_carry_their_action_seqs(vault: Vault) -> None:
    sid = _session(
        vault,
        [
            _ep("e1", 0.5, None, "first"),
            _ep("e1", 0.5, 1.5, "first", outcome="success"),  # the later version wins
            _ep("e2", 1.8, None, "second"),  # left open: ends with the session
        ],
    )
    got = vault.unlock(PASS).open_session(sid).episodes()
    assert [(e["id"], e["t_start"], e["t_end"], e["outcome"]) for e in got] == [
        ("e1", 0.5, 1.5, "success"),
        ("e2", 1.8, 10.0, None),
    ]
    assert [(e["start_seq"], e["end_seq"]) for e in got] == [(0, 0), (1, 2)]
    assert got[0]["note"] == ""
    assert got[0]["study_task_id"] is None


def test_an_episode_with_no_action_inside_has_null_seqs(vault: Vault) -> None:
    sid = _session(vault, [_ep("e1", 6.0, 7.0)])
    (got,) = vault.unlock(PASS).open_session(sid).episodes()
    assert (got["start_seq"], got["end_seq"]) == (None, None)


def test_a_session_from_before_episodes_reads_as_none_and_keeps_version_1(vault: Vault) -> None:
    sid = _session(vault, [])
    path = vault.session_dir(sid)
    assert struct.unpack(">H", (path / "keys").read_bytes()[8:10]) == (2,)
    priv = vault.key_file.unwrap(PASS)
    rec = keyrecord.open_record(keyrecord.read_bytes(path, sid), vault.vault_id, priv, sid)
    old_file = rec.streams.pop("episodes").file
    rec.chunks.pop("episodes")
    (path / rec.streams.pop("elements").file).unlink()  # nor had it elements
    rec.chunks.pop("elements")
    keyrecord.replace(path, keyrecord.seal_record(rec, vault.vault_id, vault.key_file.public_key))
    (path / old_file).unlink()
    assert struct.unpack(">H", (path / "keys").read_bytes()[8:10]) == (1,)
    unlocked = vault.unlock(PASS)
    assert unlocked.open_session(sid).episodes() == []
    assert unlocked.verify(sid)[0].status == "ok"
    # Editing an old session adds the stream, and its key record becomes version 2.
    unlocked.set_episodes(sid, [_ep("e1", 0.0, 3.0)])
    assert [e["id"] for e in unlocked.open_session(sid).episodes()] == ["e1"]
    assert struct.unpack(">H", (path / "keys").read_bytes()[8:10]) == (2,)
    assert unlocked.redact_text(sid, "nothing here") == 0


def test_a_key_record_newer_than_version_2_is_refused(vault: Vault) -> None:
    sid = _session(vault, [])
    path = vault.session_dir(sid)
    data = bytearray((path / "keys").read_bytes())
    data[8:10] = struct.pack(">H", 3)
    (path / "keys").write_bytes(bytes(data))
    with pytest.raises(VersionTooNew):
        vault.unlock(PASS).open_session(sid)


def test_put_episode_refuses_a_bad_record_and_stores_nothing(vault: Vault) -> None:
    with vault.begin_session(consent()) as w:
        with pytest.raises(InvalidEpisodes, match="limit is 2000"):
            w.put_episode(_ep("e1", 0.0, None, "x" * 2001))
        with pytest.raises(InvalidEpisodes, match="outcome"):
            w.put_episode(_ep("e1", 0.0, None, outcome="maybe"))
        sid = w.session_id
    assert vault.unlock(PASS).open_session(sid).episodes() == []


def test_set_episodes_rewrites_under_a_fresh_key(vault: Vault) -> None:
    sid = _session(vault, [_ep("e1", 0.0, 3.0, "old words")])
    unlocked = vault.unlock(PASS)
    before = unlocked.open_session(sid).record.streams["episodes"]
    new = eps.edit(unlocked.open_session(sid).episodes(), "e1", instruction="new words")
    assert unlocked.set_episodes(sid, new) == 1
    reader = unlocked.open_session(sid)
    after = reader.record.streams["episodes"]
    assert after.file != before.file
    assert after.key != before.key
    assert not (vault.session_dir(sid) / before.file).exists()
    assert [e["instruction"] for e in reader.episodes()] == ["new words"]
    assert reader.redactions()[-1]["kind"] == "episodes"
    assert unlocked.verify(sid)[0].status == "ok"


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        ([_ep("e1", 0.0, 3.0), _ep("e2", 2.0, 4.0)], "overlap"),
        ([_ep("e1", 0.0, 30.0)], "outside the session"),
        ([_ep("e1", 0.0, 3.0, study_task_id="t9")], "not a study task"),
        ([_ep("e1", 0.0, 3.0, "x" * 2001)], "limit is 2000"),
        ([_ep("e1", 4.0, 3.0)], "ends before it starts"),
        ([_ep("e1", 0.0, 1.0), _ep("e1", 2.0, 3.0)], "Two episodes"),
    ],
)
def test_set_episodes_fails_closed(vault: Vault, bad: list[dict[str, Any]], says: str) -> None:
    sid = _session(vault, [_ep("e1", 0.0, 3.0)], study=STUDY)
    before = _snapshot(vault.home)
    with pytest.raises(InvalidEpisodes, match=says):
        vault.unlock(PASS).set_episodes(sid, bad)
    assert _snapshot(vault.home) == before


def test_a_study_task_id_the_study_lists_is_kept(vault: Vault) -> None:
    sid = _session(vault, [], study=STUDY)
    unlocked = vault.unlock(PASS)
    unlocked.set_episodes(sid, [_ep("e1", 0.0, 3.0, study_task_id="t1")])
    assert unlocked.open_session(sid).episodes()[0]["study_task_id"] == "t1"


def test_text_redaction_reaches_instructions_and_notes(vault: Vault) -> None:
    sid = _session(vault, [_ep("e1", 0.0, 3.0, "pay Alice Smith", note="Alice Smith's card")])
    unlocked = vault.unlock(PASS)
    assert unlocked.redact_text(sid, "Alice Smith") == 2
    (got,) = unlocked.open_session(sid).episodes()
    assert (got["instruction"], got["note"]) == ("pay [removed]", "[removed]'s card")
    raw = list(unlocked.open_session(sid)._records("episodes"))
    assert len(raw) == 1
    assert b"start_seq" not in raw[0]


def test_add_split_merge_move_edit_remove() -> None:
    base = eps.validate([_ep("e1", 0.0, 4.0, "one", outcome="success", note="n")])
    split = eps.split(base, "e1", 2.0)
    assert [(e["id"], e["t_start"], e["t_end"], e["outcome"]) for e in split] == [
        ("e1", 0.0, 2.0, None),
        ("e2", 2.0, 4.0, "success"),
    ]
    assert [e["instruction"] for e in split] == ["one", "one"]
    merged = eps.merge(split, "e1", "e2")
    assert [(e["id"], e["t_start"], e["t_end"], e["outcome"], e["note"]) for e in merged] == [
        ("e1", 0.0, 4.0, "success", "n")
    ]
    added = eps.add(merged, "two", 5.0, 6.0)
    assert [e["id"] for e in added] == ["e1", "e2"]
    moved = eps.move(added, added[1]["id"], 4.5, 7.0)
    assert moved[1]["t_start"] == 4.5
    assert moved[1]["t_end"] == 7.0
    edited = eps.edit(moved, "e1", instruction="uno", outcome=None, note="")
    assert (edited[0]["instruction"], edited[0]["outcome"], edited[0]["note"]) == ("uno", None, "")
    assert [e["id"] for e in eps.remove(edited, "e1")] == [added[1]["id"]]
    assert base[0]["instruction"] == "one"  # inputs are never changed


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda b: eps.split(b, "e1", 9.0), "not inside"),
        (lambda b: eps.merge(b, "e1", "e3"), "not neighbours"),
        (lambda b: eps.move(b, "e1", 0.0, 6.0), "overlap"),
        (lambda b: eps.edit(b, "e9", note="x"), "no episode 'e9'"),
        (lambda b: eps.add(b, "x", 4.5, 5.5), "overlap"),
    ],
)
def test_edits_refuse_what_cannot_be(change: Any, says: str) -> None:
    base = eps.validate([_ep("e1", 0.0, 4.0), _ep("e2", 5.0, 6.0), _ep("e3", 7.0, 8.0)])
    with pytest.raises(InvalidEpisodes, match=says):
        change(base)
