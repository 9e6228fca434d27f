"""Deletion and redaction are real: copies of the old ciphertext files cannot be decrypted
with everything the vault holds afterwards, passphrase included."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from storage import StorageError, Vault
from storage.format import keyrecord
from storage.format.stream import StreamContext, StreamEnd, iter_chunks
from tests.storage.helpers import PASS, assert_no_remnant, consent, frame_meta, noise_bgrx
from tests.storage.typist import (
    SECRET,
    Typist,
    assert_presses_gone,
    assert_presses_kept,
    type_corrected,
)

W, H = 48, 32


def _session(vault: Vault) -> tuple[str, dict[str, list[int]]]:
    """SECRET typed with a correction, a pause and cursor moves, in a window titled with it,
    beside text split across windows (tests/storage/typist.py); and four frames."""
    with vault.begin_session(consent()) as w:
        typist = Typist(w)
        type_corrected(typist)
        typist.finish()
        w.put_episode({"id": "e1", "instruction": f"find {SECRET}", "t_start": 0.0})
        px = noise_bgrx(W, H)
        for i in range(4):
            px[i] ^= 0xFF
            w.append_frame(bytes(px), (W, H), frame_meta(i, W, H))
        return w.session_id, typist.presses


def _secret_spans(v: Vault, s: str) -> list[tuple[int, int, int]]:
    """The whole of both type actions the secret was typed in (before and after the pause)."""
    acts = v.unlock(PASS).open_session(s).actions()
    return [(a["seq"], 0, len(a["text"])) for a in acts if a.get("text") in ("passw", "ord99")]


Op = Callable[[Vault, str], None]
CASES: dict[str, tuple[Op, set[str]]] = {
    "delete": (
        lambda v, s: v.delete_session(s),
        {"consent", "events", "actions", "framemeta", "frames", "episodes", "stats"},
    ),
    "region": (
        lambda v, s: v.unlock(PASS).redact_region(s, (0, 0, 8, 8)) and None,
        {"frames", "framemeta"},
    ),
    "frames": (
        lambda v, s: v.unlock(PASS).delete_frames(s, {1, 2}) and None,
        {"frames", "framemeta", "actions"},
    ),
    "text": (
        lambda v, s: v.unlock(PASS).redact_text(s, SECRET) and None,
        {"events", "actions", "episodes"},
    ),
    "typed_span": (
        lambda v, s: v.unlock(PASS).redact_typed_spans(s, _secret_spans(v, s)) and None,
        {"events", "actions"},
    ),
    "events": (
        lambda v, s: v.unlock(PASS).redact_events(s, range(0, 3)) and None,
        {"events", "actions"},
    ),
    "titles": (lambda v, s: v.unlock(PASS).redact_window_titles(s) and None, {"events"}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_remnant(vault: Vault, tmp_path: Path, case: str) -> None:
    op, streams = CASES[case]
    other, _ = _session(vault)  # another session stays: its keys are available to the attacker
    sid, presses = _session(vault)
    before = tmp_path / "before"
    shutil.copytree(vault.home, before)
    op(vault, sid)
    assert_no_remnant(vault, before, sid, streams)
    # The rest of the vault is untouched and verifies clean.
    assert all(r.status == "ok" for r in vault.unlock(PASS).verify())
    assert other in Vault.open(vault.home).session_ids()
    if case == "delete":
        return
    r = vault.unlock(PASS).open_session(sid)
    events, actions = list(r.events()), list(r.actions())
    if case in ("text", "titles"):
        assert f"Notes — {SECRET}" not in repr(events)
    if case in ("text", "typed_span"):
        # Every press that typed the secret, corrected it or moved the cursor inside it is
        # scrubbed; what was typed around it, and the halves split across windows, are kept.
        assert_presses_gone(events, presses["secret"])
        assert_presses_kept(events, presses["kept"] + presses["split"])
        typed = [a["text"] for a in actions if a["kind"] == "type"]
        assert typed == ["[removed]", "[removed]", "keep me", "pass", "word99"]
    if case == "text":
        assert [e["instruction"] for e in r.episodes()] == ["find [removed]"]


def test_remnant_limit_is_documented(vault: Vault, tmp_path: Path) -> None:
    """FORMAT.md says it plainly: whoever kept the OLD key record and has the passphrase
    can still decrypt the old copies. This test pins that statement down."""
    sid, _ = _session(vault)
    before = tmp_path / "before"
    shutil.copytree(vault.home, before)
    vault.unlock(PASS).redact_text(sid, SECRET)
    priv = Vault.open(vault.home).key_file.unwrap(PASS)
    old_rec = keyrecord.open_record(
        (before / "sessions" / sid / "keys").read_bytes(), vault.vault_id, priv, sid
    )
    sk = old_rec.streams["events"]
    ctx = StreamContext(vault.vault_id, sid, "events", old_rec.consent_sha256)
    recs = [
        r
        for _c, rs in iter_chunks(before / "sessions" / sid / sk.file, sk.key, ctx, StreamEnd())
        for r in rs
    ]
    assert any(SECRET.encode() in r for r in recs)
    spec = Path(__file__).parents[2] / "storage" / "FORMAT.md"
    assert "OLD key record" in spec.read_text("utf-8")


def test_deleted_session_unreadable(vault: Vault) -> None:
    sid, _ = _session(vault)
    u = vault.unlock(PASS)
    vault.delete_session(sid)
    with pytest.raises(StorageError):
        u.open_session(sid)


class _Crash(BaseException):
    """Stands in for the process dying at this exact point."""


@pytest.mark.parametrize("step", ["before_shred", "after_shred"])
def test_crash_inside_redaction_commit(
    vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    sid, _ = _session(vault)
    before = tmp_path / "before"
    shutil.copytree(vault.home, before)
    real_shred = keyrecord.shred

    def crashing_shred(path: Path) -> None:
        if path.name == "keys":
            if step == "after_shred":
                real_shred(path)
            raise _Crash
        real_shred(path)

    monkeypatch.setattr(keyrecord, "shred", crashing_shred)
    with pytest.raises(_Crash):
        vault.unlock(PASS).redact_text(sid, SECRET)
    monkeypatch.setattr(keyrecord, "shred", real_shred)
    assert (vault.home / "sessions" / sid / "keys.next").exists()
    again = Vault.open(vault.home)
    assert (vault.home / "sessions" / sid / "keys.next").exists()  # only unlock can tell
    again.unlock(PASS)  # finishes the replacement: its keys.next authenticates
    assert not (vault.home / "sessions" / sid / "keys.next").exists()
    r = again.unlock(PASS).open_session(sid)
    assert SECRET not in repr(list(r.events()) + list(r.actions()))
    assert_no_remnant(again, before, sid, {"events", "actions"})
    assert again.unlock(PASS).verify(sid)[0].status == "ok"
