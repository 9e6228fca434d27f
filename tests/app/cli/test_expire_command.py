"""`overt expire` deletes exactly the sessions past their retention; --dry-run deletes none."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.cli import main as cli
from storage import Vault


def test_expire_deletes_only_expired_sessions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "vault"
    monkeypatch.setenv("OVERT_HOME", str(home))
    vault = Vault.create(home, b"pw", log_n=10)
    two_days_ago = time.time() - 2 * 86400

    def begin(days: int | None, clock: float) -> str:
        consent = {"retention": {"local_days": days}}
        with vault.begin_session(consent, clock=lambda: clock) as writer:
            return writer.session_id

    old = begin(1, two_days_ago)
    kept = begin(30, two_days_ago)
    forever = begin(None, two_days_ago)
    assert cli.main(["expire", "--dry-run"]) == 0
    assert f"would delete {old}" in capsys.readouterr().out
    assert {s.id for s in Vault.open(home).sessions()} == {old, kept, forever}
    assert cli.main(["expire"]) == 0
    assert f"Deleted {old}" in capsys.readouterr().out
    assert {s.id for s in Vault.open(home).sessions()} == {kept, forever}
    assert cli.main(["expire"]) == 0
    assert "No session is past its retention." in capsys.readouterr().out
