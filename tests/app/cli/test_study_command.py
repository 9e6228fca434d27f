"""`overt study new | show`: the researcher's study file, its key pair, its facts in plain words."""

from __future__ import annotations

from pathlib import Path

import pyrage

from app.core.studies import study_facts
from recorder.consent.study import load_study
from tests.helpers.overt_cli import run_overt


def test_study_new_then_show(tmp_path: Path) -> None:
    study_file, identity = tmp_path / "study.toml", tmp_path / "researcher.key"
    argv = [
        "study", "new", "--out", str(study_file),
        "--identity-out", str(identity), "--id", "uxlab-forms", "--title", "Forms",
        "--researcher", "UX Lab", "--contact", "lab@example.org", "--purpose", "agents",
        "--text", "keys",
    ]  # fmt: skip
    out = run_overt(*argv)
    assert out.returncode == 0, out.stderr
    assert identity.stat().st_mode & 0o777 == 0o600
    study = load_study(study_file)
    secret = identity.read_text().splitlines()[-1]
    # The identity written separately really decrypts what is encrypted to the study's key.
    sealed = pyrage.encrypt(b"hello", [pyrage.x25519.Recipient.from_str(study.recipient)])
    assert pyrage.decrypt(sealed, [pyrage.x25519.Identity.from_str(secret)]) == b"hello"
    assert secret not in study_file.read_text()
    shown = run_overt("study", "show", str(study_file))
    assert shown.returncode == 0
    assert "keys without the text" in shown.stdout  # the study's text mode, in plain words
    for label, text in study_facts(study):  # the words Studies… shows a volunteer
        assert f"{label}: {text}\n" in shown.stdout
    assert f"Exports are encrypted to: {study.recipient}\n" in shown.stdout  # the whole key
    again = run_overt(*argv)
    assert again.returncode == 1
    assert "already exists" in again.stderr
