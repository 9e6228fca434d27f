"""One deeply nested summary.json, vault.key or study file: one sentence, never a traceback.

Anyone who can write the vault folder can plant such a file; before the parse helpers in
storage/format/bounded.py a RecursionError broke `sessions`, `show`, `export` and `expire`
for every session in the vault.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli.main import main
from storage import Vault
from tests.storage.export.canary_session import record
from tests.storage.helpers import PASS

DEEP_JSON = b"[" * 200_000 + b"]" * 200_000
DEEP_TOML = "a = " + "[" * 5000 + "]" * 5000 + "\n"


@pytest.fixture
def common(tmp_path: Path) -> list[str]:
    Vault.create(tmp_path / "vault", PASS, log_n=10)
    secret = tmp_path / "pass"
    secret.write_bytes(PASS + b"\n")
    return ["--home", str(tmp_path / "vault"), "--passphrase-file", str(secret)]


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_deep_summary_shows_as_unknown_and_the_rest_still_works(
    common: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = Vault.open(tmp_path / "vault")
    good, bad = record(vault), record(vault)
    unlocked = vault.unlock(PASS)
    unlocked.approve(good)
    (vault.home / "sessions" / bad / "summary.json").write_bytes(DEEP_JSON)

    code, out, err = _run(capsys, *common, "sessions")
    assert (code, err) == (0, "")
    assert good in out
    assert bad in out
    code, out, err = _run(capsys, *common, "show", good)
    assert (code, err) == (0, "")
    code, out, err = _run(capsys, *common, "expire", "--dry-run")
    assert code == 0, err
    assert "Traceback" not in err
    assert "internal error" not in err
    out_dir = tmp_path / "export"
    code, out, err = _run(
        capsys, *common, "export", good, "--format", "folder", "--out", str(out_dir)
    )
    assert code == 0, err
    assert (out_dir / "manifest.json").is_file()


def test_a_deep_or_endless_vault_key_is_one_sentence(
    common: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file = tmp_path / "vault" / "vault.key"
    key_file.write_bytes(b'{"format": ' + DEEP_JSON + b"}")
    code, _out, err = _run(capsys, *common, "sessions")
    assert code == 1
    assert err == "overt: The vault key file is damaged (not valid JSON).\n"
    key_file.write_bytes(b" " * (2 * 1024 * 1024))
    code, _out, err = _run(capsys, *common, "sessions")
    assert code == 1
    assert err == "overt: The vault key file is damaged (far too large).\n"


def test_a_deep_study_file_is_one_sentence(
    common: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study = tmp_path / "deep.toml"
    study.write_text(DEEP_TOML)
    code, _out, err = _run(capsys, *common, "study", "show", str(study))
    assert code == 1
    assert err.startswith("overt: The study file ")
    assert err.endswith(".\n")
    assert err.count("\n") == 1
    assert "nested too deeply" in err
