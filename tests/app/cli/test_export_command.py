"""`overt export` and `overt collect` from the command line, against a real vault."""

from __future__ import annotations

from pathlib import Path

import pyrage
import pytest

from app.cli.main import main
from storage import Vault
from tests.storage.export.canary_session import record
from tests.storage.helpers import PASS


@pytest.fixture
def cli_vault(tmp_path: Path) -> tuple[list[str], Vault]:
    vault = Vault.create(tmp_path / "vault", PASS, log_n=10)
    secret = tmp_path / "pass"
    secret.write_bytes(PASS + b"\n")
    return ["--home", str(vault.home), "--passphrase-file", str(secret)], vault


def test_export_refuses_unapproved_in_one_sentence(
    cli_vault: tuple[list[str], Vault], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common, vault = cli_vault
    sid = record(vault)
    code = main([*common, "export", sid, "--format", "folder", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 1
    assert err == f"overt: Session {sid} is not approved; review and approve it before exporting.\n"
    assert not (tmp_path / "o").exists()


def test_export_then_collect_encrypted(
    cli_vault: tuple[list[str], Vault], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common, vault = cli_vault
    sid = record(vault)
    vault.unlock(PASS).approve(sid)
    identity = pyrage.x25519.Identity.generate()
    key_file = tmp_path / "study.key"
    key_file.write_text(f"# study key\n{identity}\n")
    out = tmp_path / "export.age"
    code = main(
        [
            *common,
            "export",
            sid,
            "--format",
            "zip",
            "--out",
            str(out),
            "--recipient",
            str(identity.to_public()),
        ]
    )
    err = capsys.readouterr().err
    assert code == 0, err
    assert "1 session(s):" in err
    assert "Exported 1 session(s)" in err
    dataset = tmp_path / "dataset"
    assert main(["collect", str(out), "--out", str(dataset), "--identity", str(key_file)]) == 0
    assert "Added 1 session(s)" in capsys.readouterr().out
    assert main(["collect", str(out), "--out", str(dataset)]) == 1
    assert "no --identity was given" in capsys.readouterr().out


def test_collect_missing_input_is_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["collect", str(tmp_path / "nope"), "--out", str(tmp_path / "d")]) == 1
    assert capsys.readouterr().err == f"overt: {tmp_path / 'nope'} does not exist.\n"


def test_export_refuses_a_bad_recipient_before_its_preview(
    cli_vault: tuple[list[str], Vault], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common, vault = cli_vault
    sid = record(vault)
    vault.unlock(PASS).approve(sid)
    out = tmp_path / "o"
    code = main(
        [
            *common,
            "export",
            sid,
            "--format",
            "folder",
            "--out",
            str(out),
            "--recipient",
            "age1bogus",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert err == "overt: 'age1bogus' is not an age public key (age1...).\n"  # no preview first
    assert not out.exists()


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (None, "cannot be read: no such file or directory."),
        ("AGE-SECRET-KEY-1BOGUS\n", "holds a line that is not an age identity."),
        ("# nothing here\n", "holds no age identity."),
    ],
)
def test_collect_bad_identity_file_is_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, why: str
) -> None:
    key = tmp_path / "study.key"
    if content is not None:
        key.write_text(content)
    (tmp_path / "export").mkdir()
    code = main(
        ["collect", str(tmp_path / "export"), "--out", str(tmp_path / "d"), "--identity", str(key)]
    )
    assert code == 1
    assert capsys.readouterr().err == f"overt: The identity file {key} {why}\n"
    assert not (tmp_path / "d").exists()


@pytest.mark.parametrize("phase", ["preview", "frames", "packing"])
def test_interrupt_in_any_phase_leaves_nothing(
    cli_vault: tuple[list[str], Vault],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    phase: str,
) -> None:
    """Ctrl-C while scanning for the preview, writing frames, or packing the encrypted tar."""
    import app.cli.commands.export as command
    from app.cli.main import EXIT_INTERRUPTED
    from storage.scan import text as scanner

    common, vault = cli_vault
    sid = record(vault)
    vault.unlock(PASS).approve(sid)
    seen: list[str] = []

    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    def progress(self: object, what: str, done: int, total: int) -> None:
        seen.append(what)
        if (phase == "frames" and what == sid) or what.startswith(phase):
            raise KeyboardInterrupt

    if phase == "preview":
        monkeypatch.setattr(scanner, "scan_session", interrupt)
    monkeypatch.setattr(command._Progress, "__call__", progress)
    out = tmp_path / "out" / "export.age"
    out.parent.mkdir()
    recipient = str(pyrage.x25519.Identity.generate().to_public())
    code = main(
        [*common, "export", sid, "--format", "zip", "--out", str(out), "--recipient", recipient]
    )
    assert code == EXIT_INTERRUPTED
    assert capsys.readouterr().err.endswith("overt: Interrupted.\n")
    assert phase == "preview" or any(w == sid or w.startswith(phase) for w in seen)
    assert list(out.parent.iterdir()) == []


def test_export_agentnet_in_a_chosen_coordinate_space(
    cli_vault: tuple[list[str], Vault], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    common, vault = cli_vault
    sid = record(vault)
    vault.unlock(PASS).approve(sid)
    out = tmp_path / "an"
    args = [*common, "export", sid, "--format", "agentnet", "--out", str(out)]
    assert main([*args, "--coords", "0-1000"]) == 0, capsys.readouterr().err
    (task,) = (out / "trajectories").iterdir()
    record_ = json.loads(task.read_text())
    assert record_["coordinate_space"] == "0-1000"
    assert record_["traj"][-1]["value"]["code"] == "computer.terminate(status='failure')"
    with pytest.raises(SystemExit):
        main([*args[:-1], str(tmp_path / "other"), "--coords", "inches"])
    assert "invalid choice: 'inches'" in capsys.readouterr().err
