"""kill -9 at each file-system call of an export: no plaintext staging survives the next start
or export, and the target is either complete or absent (issue 20 item 2)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyrage
import pytest

from storage import Vault
from storage.export import export_sessions
from storage.export.archive import ExportArchive, verify_export
from storage.staging import LEDGER
from tests.storage.export.canary_session import CANARY, record
from tests.storage.helpers import PASS, make_vault

ROOT = Path(__file__).parents[2]
IDENTITY = pyrage.x25519.Identity.generate()


def _template(tmp_path: Path) -> Path:
    vault = make_vault(tmp_path / "template")
    sid = record(vault)
    vault.unlock(PASS).approve(sid)
    return vault.home


def _points(template: Path, out: Path, fmt: str, recipient: str | None) -> list[str]:
    out.mkdir()
    child = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).with_name("export_crash_points.py")),
            str(template),
            str(out),
            fmt,
            *([recipient] if recipient else []),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        timeout=600,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    return [line.split()[0] for line in child.stdout.splitlines()]


def _check_complete(target: Path, encrypted: bool, scratch: Path) -> None:
    """The target is a whole export: every hash in its manifest matches."""
    if encrypted:
        plain = scratch / "decrypted.zip"
        with target.open("rb") as f, plain.open("wb") as w:
            pyrage.decrypt_io(f, w, [IDENTITY])
        target = plain
    archive = ExportArchive(target)
    try:
        verify_export(archive)
    finally:
        archive.close()


def _plaintext_anywhere(folder: Path) -> list[str]:
    """Files under ``folder`` holding the canary (typed text and a window title)."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and CANARY.encode() in path.read_bytes():
            found.append(str(path.relative_to(folder)))
    return found


@pytest.mark.parametrize(
    ("fmt", "encrypted"),
    [("folder", False), ("zip", False), ("zip", True)],
    ids=["folder", "zip", "age"],
)
def test_killed_at_any_call_an_export_leaves_no_staging(
    tmp_path: Path, fmt: str, encrypted: bool
) -> None:
    template = _template(tmp_path)
    recipient = str(IDENTITY.to_public()) if encrypted else None
    out = tmp_path / "out"
    points = _points(template, out, fmt, recipient)
    assert len(points) > 8, points  # staging, the files, the rename and the clean-up
    failures: dict[str, str] = {}
    for number, point in enumerate(points):
        home = out / point
        exports = home / "exports"
        target = exports / "export"
        scratch = tmp_path / "scratch" / point
        scratch.mkdir(parents=True)
        try:
            if encrypted:  # not even a killed encrypted export leaves plaintext on disk
                assert not _plaintext_anywhere(home), _plaintext_anywhere(home)
            if point == "whole" or target.exists():
                _check_complete(target, encrypted, scratch)
            # Even points: the next start of Overt cleans up; odd ones: the next export.
            if number % 2 == 0:
                Vault.open(home / "vault")
            else:
                readers = [
                    Vault.open(home / "vault").unlock(PASS).open_session(sid)
                    for sid in Vault.open(home / "vault").session_ids()
                ]
                export_sessions(readers, fmt, exports / "again", recipient=recipient)
                _check_complete(exports / "again", encrypted, scratch)
            left = sorted(p.name for p in exports.iterdir()) if exports.exists() else []
            assert set(left) <= {"export", "again"}, f"left behind: {left}"
            Vault.open(home / "vault")  # the ledger empties once its folders are gone
            assert not list((home / "vault" / LEDGER).glob("*")), "ledger entries left"
        except (AssertionError, OSError, ValueError) as exc:
            failures[point] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"
    assert not failures, "\n".join(f"{point}: {why}" for point, why in failures.items())
