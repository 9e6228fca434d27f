"""`overt redact | approve | withdraw` against a real vault, through the real CLI parser."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.cli import main as cli
from recorder.consent.participant import participant_id
from storage import SessionNotFound, Vault
from storage.export.collect import read_receipt

PASSPHRASE = b"review passphrase"


@pytest.fixture
def vault_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "vault"
    pw = tmp_path / "pw"
    pw.write_bytes(PASSPHRASE + b"\n")
    monkeypatch.setenv("OVERT_HOME", str(home))
    monkeypatch.setenv("OVERT_PASSPHRASE_FILE", str(pw))
    Vault.create(home, PASSPHRASE)
    return home


def record(home: Path, study: dict[str, Any] | None = None, text: str = "hello secret") -> str:
    consent = {
        "consent_id": f"c-{text}",
        "participant_id": participant_id(home, study["id"] if study else None),
        "study": study,
    }
    with Vault.open(home).begin_session(consent) as writer:
        seqs = []
        for char in text:
            seqs.append(
                writer.append_event(
                    {
                        "t": 0.1,
                        "wall": 1.0,
                        "kind": "key",
                        "down": True,
                        "key": char,
                        "char": char,
                        "vk": None,
                        "mods": [],
                    }
                )
            )
        writer.append_action(
            {
                "t": 0.1,
                "t_end": 0.2,
                "wall": 1.0,
                "kind": "type",
                "text": text,
                "events": seqs,
                "frame_before": None,
                "frame_after": None,
                "window_seq": None,
            }
        )
        return writer.session_id


def overt(*argv: str) -> int:
    return cli.main(list(argv))


def typed(home: Path, session_id: str) -> str:
    reader = Vault.open(home).unlock(PASSPHRASE).open_session(session_id)
    keys = "".join(e.get("char") or "" for e in reader.events() if e["kind"] == "key")
    return keys + "|" + "".join(a.get("text", "") for a in reader.actions())


def test_redact_text_removes_it_from_events_and_actions(vault_env: Path) -> None:
    sid = record(vault_env)
    assert "secret" in typed(vault_env, sid)
    assert overt("redact", sid, "--text", "secret") == 0
    assert "secret" not in typed(vault_env, sid)
    assert "hello" in typed(vault_env, sid)


def test_redact_bad_spans_are_one_sentence(
    vault_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = record(vault_env)
    assert overt("redact", sid, "--events", "9..3") == 1
    assert "not a span" in capsys.readouterr().err
    assert overt("redact", sid, "--region", "1,2,3") == 1
    assert "X,Y,W,H" in capsys.readouterr().err
    assert overt("redact", "no-such-session", "--text", "x") == 1
    assert capsys.readouterr().err.count("\n") == 1


def test_approve_shows_what_will_leave(vault_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sid = record(vault_env)
    assert Vault.open(vault_env).session(sid).review == "unreviewed"
    assert overt("approve", sid, "--yes") == 0
    out = capsys.readouterr().out
    assert "typed text: hello secret" in out
    assert Vault.open(vault_env).session(sid).review == "approved"


def test_approve_without_confirmation_changes_nothing(
    vault_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = record(vault_env)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert overt("approve", sid) == 1
    assert Vault.open(vault_env).session(sid).review == "unreviewed"


def test_withdraw_deletes_and_writes_a_receipt_collect_accepts(
    vault_env: Path, tmp_path: Path
) -> None:
    sid = record(vault_env)
    other = record(vault_env, text="keep me")
    assert overt("withdraw", sid, "--yes", "--out", str(tmp_path / "r")) == 0
    with pytest.raises(SessionNotFound):
        Vault.open(vault_env).session(sid)
    assert Vault.open(vault_env).session(other).id == other
    receipt_path = tmp_path / "r" / f"withdrawal-{sid}.json"
    receipt = read_receipt(receipt_path.read_bytes())
    assert receipt is not None
    assert receipt["session_id"] == sid
    assert receipt["consent_id"] == "c-hello secret"
    assert receipt["participant_id"] == participant_id(vault_env, None)


def test_withdraw_a_study(vault_env: Path) -> None:
    study = {"id": "uxlab", "title": "T", "researcher": "R", "contact": "a@b.org"}
    one, two = record(vault_env, study, "a"), record(vault_env, study, "b")
    personal = record(vault_env, None, "c")
    assert overt("withdraw", "--study", "uxlab", "--yes") == 0
    remaining = {s.id for s in Vault.open(vault_env).sessions()}
    assert remaining == {personal}
    receipts = sorted((vault_env / "receipts").glob("*.json"))
    assert {json.loads(p.read_text())["session_id"] for p in receipts} == {one, two}


def test_participant_ids_differ_by_study_and_are_stable(tmp_path: Path) -> None:
    a = participant_id(tmp_path, "study-a")
    assert a == participant_id(tmp_path, "study-a")
    assert a != participant_id(tmp_path, "study-b")
    assert a != participant_id(tmp_path, None)
    assert (tmp_path / "participant.secret").stat().st_mode & 0o777 == 0o600


def test_delete_without_yes_and_without_a_terminal_keeps_the_session(
    vault_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = record(vault_env)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert overt("delete", sid) == 1
    assert "pass --yes" in capsys.readouterr().err
    assert Vault.open(vault_env).session(sid).id == sid
