"""app/core/withdrawal.py on a real vault: listing by study, receipts first, real deletion."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.core import withdrawal
from storage import SessionBusy, SessionNotFound, Vault
from storage.export.collect import read_receipt
from tests.app.sessions import PASSPHRASE, make_vault, write_session
from tests.conftest import ROOT

STUDY = {"id": "uxlab", "title": "Forms"}


def test_lists_sessions_with_their_study_and_groups_studies(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    personal = write_session(vault, frames=1)
    one = write_session(vault, frames=1, study=STUDY)  # type: ignore[arg-type]
    two = write_session(vault, frames=1, study=STUDY)  # type: ignore[arg-type]
    entries = withdrawal.list_sessions(vault.unlock(PASSPHRASE))
    by_id = {e.id: e for e in entries}
    assert {sid: e.study_id for sid, e in by_id.items()} == {
        personal: None,
        one: "uxlab",
        two: "uxlab",
    }
    assert by_id[one].study_title == "Forms"
    assert all(e.bytes > 0 for e in entries)
    studies = withdrawal.list_studies(entries)
    assert [(s.id, s.title, set(s.session_ids)) for s in studies] == [
        ("uxlab", "Forms", {one, two})
    ]


def test_withdraw_writes_the_receipt_then_deletes(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    sid = write_session(vault, frames=1)
    keep = write_session(vault, frames=1)
    unlocked = vault.unlock(PASSPHRASE)
    path = withdrawal.withdraw_session(
        unlocked, sid, withdrawal.receipt_dir(vault.home), clock=lambda: 1234.5
    )
    assert path == tmp_path / "vault" / "receipts" / f"withdrawal-{sid}.json"
    receipt = read_receipt(path.read_bytes())  # its integrity tag checks out
    assert receipt is not None
    assert receipt["session_id"] == sid
    assert (receipt["consent_id"], receipt["time"]) == ("c-test", 1234.5)
    assert (path.parent.stat().st_mode & 0o777) == 0o700
    assert (path.stat().st_mode & 0o777) == 0o600  # private, as exports are
    with pytest.raises(SessionNotFound):
        Vault.open(vault.home).session(sid)
    assert [s.id for s in Vault.open(vault.home).sessions()] == [keep]


def test_an_unknown_session_writes_no_receipt(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    with pytest.raises(SessionNotFound):
        withdrawal.withdraw_session(
            vault.unlock(PASSPHRASE), "20260101-000000-abcd", tmp_path / "r"
        )
    assert not (tmp_path / "r").exists()


def test_a_session_being_recorded_is_not_deleted_under_the_writer(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    writer = vault.begin_session({"consent_id": "c-live", "scope": {}})
    try:
        with pytest.raises(SessionBusy):
            withdrawal.withdraw_session(vault.unlock(PASSPHRASE), writer.session_id, tmp_path / "r")
        assert Vault.open(vault.home).session(writer.session_id)
        assert not (tmp_path / "r").exists()  # no receipt for data that stays
    finally:
        writer.close()


def test_withdrawal_loads_no_qt() -> None:
    """The CLI and the dialog share it, so it must not need Qt."""
    code = (
        "import sys, app.core.withdrawal, app.cli.commands.review; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
