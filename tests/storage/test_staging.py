"""Export staging clean-up removes only idle staging folders Overt made (storage/staging.py)."""

from __future__ import annotations

import os
from pathlib import Path

from storage.staging import LEDGER, LOCK_NAME, remove_stale, staging_folder


def test_a_staging_folder_in_use_is_left_alone(tmp_path: Path) -> None:
    home = tmp_path / "vault"
    home.mkdir()
    with staging_folder(tmp_path / "export.zip", home) as staging:
        assert oct(staging.stat().st_mode & 0o777) == "0o700"
        (staging / "export.zip").write_bytes(b"plaintext")
        assert remove_stale(home, beside=tmp_path) == 0
        assert (staging / "export.zip").exists()
        assert len(list((home / LEDGER).iterdir())) == 1
    assert not staging.exists()
    assert not (home / LEDGER).exists()  # the vault is left as it was


def test_an_idle_staging_folder_is_removed_from_the_ledger_anywhere(tmp_path: Path) -> None:
    home, elsewhere = tmp_path / "vault", tmp_path / "far" / "away"
    home.mkdir()
    elsewhere.mkdir(parents=True)
    stale = elsewhere / ".export.99999999-0123abcd.partial"
    stale.mkdir()
    (stale / LOCK_NAME).write_bytes(b"")
    (stale / "export").mkdir()
    (stale / "export" / "events.jsonl").write_bytes(b"typed secret")
    (home / LEDGER).mkdir()
    (home / LEDGER / "0123abcd").write_text(f"{stale}\n")
    assert remove_stale(home) == 1
    assert not stale.exists()
    assert not (home / LEDGER).exists()


def test_what_is_not_provably_ours_and_idle_is_left(tmp_path: Path) -> None:
    home = tmp_path / "vault"
    home.mkdir()
    # No lock file, and the pid in its name (this test's parent) is alive: maybe starting.
    starting = tmp_path / f".a.{os.getppid()}-0000aaaa.partial"
    starting.mkdir()
    # Not an Overt name.
    other = tmp_path / ".a.partial"
    other.mkdir()
    (other / LOCK_NAME).write_bytes(b"")
    # A ledger entry whose name does not match the folder it names (planted).
    planted = tmp_path / ".b.1-0000bbbb.partial"
    planted.mkdir()
    (planted / LOCK_NAME).write_bytes(b"")
    (home / LEDGER).mkdir()
    (home / LEDGER / "0000cccc").write_text(f"{planted}\n")
    # A symlink with a staging name.
    link = tmp_path / ".c.1-0000dddd.partial"
    link.symlink_to(other)
    assert remove_stale(home) == 0
    assert remove_stale(beside=tmp_path) == 1  # only the planted one, found beside: idle, ours
    assert starting.exists()
    assert other.exists()
    assert link.is_symlink()
    assert (home / LEDGER / "0000cccc").exists()
