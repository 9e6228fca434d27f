"""Hostile or mistaken input to the real `overt` command: one sentence, exit 1, nothing changed.

Each case was found by probing (issue 20 items 9 and 10): some ended in an internal error or
an unbounded allocation, some were accepted and did harm (``--frames ''`` redacted every
frame, ``--fps nan`` wrote NaN into the consent record, a symlinked session folder let
``overt delete`` remove files outside the vault). The cases that need a display to reach
(``overt record`` drafting its consent) are in tests/e2e/test_record_bad_input.py.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from storage import Vault
from tests.app.study_files import write_study
from tests.helpers.overt_cli import run_overt
from tests.storage.export.canary_session import record
from tests.storage.helpers import PASS


@dataclass
class Place:
    """A vault with one approved session, a passphrase file, and a folder outside the vault."""

    home: Path
    sid: str
    passphrase: Path
    tmp: Path
    outside: Path


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("template")
    vault = Vault.create(root / "vault", PASS, log_n=10)
    sid = record(vault)
    vault.unlock(PASS).approve(sid)
    return vault.home, sid


@pytest.fixture
def place(template: tuple[Path, str], tmp_path: Path) -> Place:
    home = tmp_path / "vault"
    shutil.copytree(template[0], home)
    secret = tmp_path / "pass"
    secret.write_bytes(PASS + b"\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("not Overt's to delete\n")
    return Place(home, template[1], secret, tmp_path, outside)


def _snapshot(*folders: Path) -> dict[str, str]:
    """Every path under the folders with its kind and content hash (links not followed)."""
    seen = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_symlink():
                seen[str(path)] = "link " + str(path.readlink())
            elif path.is_file():
                seen[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                seen[str(path)] = "folder"
    return seen


def _symlinked_session(p: Place) -> list[str]:
    copy = p.outside / "copy"
    shutil.copytree(p.home / "sessions" / p.sid, copy)
    (p.home / "sessions" / "20260101T000000Z-abcdef").symlink_to(copy)
    return ["delete", "20260101T000000Z-abcdef", "--yes"]


def _hostile_study(p: Place) -> list[str]:
    path = p.tmp / "apps.toml"
    write_study(path)
    lines = [ln for ln in path.read_text().splitlines() if not ln.startswith("apps_allow")]
    at = lines.index("[capture]") + 1
    path.write_text("\n".join([*lines[:at], "apps_allow = [1, {a = 1}]", *lines[at:]]) + "\n")
    return ["study", "show", str(path)]


def _existing_file(p: Place) -> list[str]:
    (p.tmp / "receipts.txt").write_text("mine\n")
    return ["withdraw", p.sid, "--out", str(p.tmp / "receipts.txt"), "--yes"]


Case = Callable[[Place], list[str]]
CASES: dict[str, tuple[Case, str]] = {
    # item 9: internal errors, unbounded allocation
    "redact --region ''": (lambda p: ["redact", p.sid, "--region", ""], "region"),
    "redact --events ''": (lambda p: ["redact", p.sid, "--events", ""], "--events"),
    "redact --frames 0..10**30": (
        lambda p: ["redact", p.sid, "--region", "0,0,5,5", "--frames", f"0..{10**30}"],
        "--frames",
    ),
    "/dev/zero as the passphrase": (
        lambda p: ["--passphrase-file", "/dev/zero", "redact", p.sid, "--text", "hi"],
        "passphrase file",
    ),
    "/dev/zero as the study (record)": (
        lambda p: ["record", "--i-consent", "--study", "/dev/zero"],
        "study file",
    ),
    "/dev/zero as the study (show)": (lambda p: ["study", "show", "/dev/zero"], "study file"),
    "/dev/zero as a collect input": (
        lambda p: ["collect", "/dev/zero", "--out", str(p.tmp / "dataset")],
        "/dev/zero",
    ),
    "/dev/zero as the collect identity": (
        lambda p: ["collect", str(p.tmp), "--out", str(p.tmp / "ds"), "--identity", "/dev/zero"],
        "identity file",
    ),
    "export --out with a 300-character name": (
        lambda p: ["export", p.sid, "--format", "folder", "--out", str(p.tmp / ("x" * 300))],
        "too long",
    ),
    "export --out under /proc": (
        lambda p: ["export", p.sid, "--format", "zip", "--out", "/proc/overt-export.zip"],
        "/proc",
    ),
    "export --out under /sys": (
        lambda p: ["export", p.sid, "--format", "folder", "--out", "/sys/overt-export"],
        "/sys",
    ),
    "export S S": (
        lambda p: ["export", p.sid, p.sid, "--format", "folder", "--out", str(p.tmp / "o")],
        "twice",
    ),
    "withdraw --out an existing file": (_existing_file, "folder"),
    "a study with apps_allow = [1, {a = 1}]": (_hostile_study, "apps_allow"),
    # item 10: bad input that was accepted
    "redact --frames ''": (
        lambda p: ["redact", p.sid, "--region", "0,0,5,5", "--frames", ""],
        "--frames",
    ),
    "record --fps nan": (lambda p: ["record", "--i-consent", "--fps", "nan"], "--fps"),
    "record --duration nan": (
        lambda p: ["record", "--i-consent", "--duration", "nan"],
        "--duration",
    ),
    "record --duration inf": (
        lambda p: ["record", "--i-consent", "--duration", "inf"],
        "--duration",
    ),
    "record --duration 1e308": (
        lambda p: ["record", "--i-consent", "--duration", "1e308"],
        "--duration",
    ),
    "export --out inside the vault": (
        lambda p: ["export", p.sid, "--format", "folder", "--out", str(p.home / "plain")],
        "inside the vault",
    ),
    "delete a symlinked session folder": (_symlinked_session, "symbolic link"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_one_sentence_and_changes_nothing(place: Place, name: str) -> None:
    make_args, says = CASES[name]
    args = make_args(place)
    before = _snapshot(place.home, place.outside)
    secret = [] if "--passphrase-file" in args else ["--passphrase-file", str(place.passphrase)]
    out = run_overt("--home", str(place.home), *secret, *args)
    assert out.returncode == 1, (out.returncode, out.stderr)
    assert "Traceback" not in out.stderr
    assert "internal error" not in out.stderr, out.stderr
    assert out.stderr.count("\n") == 1, out.stderr
    assert out.stderr.startswith("overt: "), out.stderr
    assert out.stderr.rstrip().endswith((".", ")")), out.stderr
    assert says in out.stderr, out.stderr
    assert _snapshot(place.home, place.outside) == before
    leftovers = {p.name for p in place.tmp.iterdir()} - {
        "vault", "pass", "outside", "apps.toml", "receipts.txt"
    }  # fmt: skip
    assert not leftovers, leftovers


def test_a_symlinked_session_folder_is_never_listed_or_followed(place: Place) -> None:
    _symlinked_session(place)
    out = run_overt("--home", str(place.home), "sessions")
    assert out.returncode == 0, out.stderr
    assert "20260101T000000Z-abcdef" not in out.stdout
    assert place.sid in out.stdout
