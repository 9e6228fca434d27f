"""The vault sub-commands, driven through a throwaway argparse parser."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from app.cli.commands.vault import register
from app.cli.support import CliError
from app.review.labels import session_row
from storage import SessionNotFound, Vault, WrongPassphrase


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--home")
    common.add_argument("--passphrase-file")
    parser = argparse.ArgumentParser(prog="overt")
    register(parser.add_subparsers(dest="command", required=True), common)
    return parser


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.delenv("OVERT_HOME", raising=False)
    monkeypatch.delenv("OVERT_PASSPHRASE_FILE", raising=False)
    pw = tmp_path / "pw"
    pw.write_text("s3cret pass\n")
    return {"home": str(tmp_path / "vault"), "pw": str(pw), "tmp": str(tmp_path)}


def run(env: dict[str, str], *argv: str) -> int:
    args = _parser().parse_args(
        [argv[0], "--home", env["home"], "--passphrase-file", env["pw"], *argv[1:]]
    )
    return int(args.func(args))


def _record(home: str, n: int = 3) -> str:
    vault = Vault.open(Path(home))
    with vault.begin_session({"purpose": "cli test"}) as w:
        for i in range(n):
            w.append_event({"t": i, "wall": 1.0, "kind": "move", "x": i, "y": 0})
        return w.session_id


def test_init_sessions_show(env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(env, "init") == 0
    assert "Created a vault" in capsys.readouterr().out
    assert run(env, "sessions") == 0
    assert "No sessions." in capsys.readouterr().out
    sid = _record(env["home"])
    assert run(env, "sessions", "--json") == 0
    (doc,) = json.loads(capsys.readouterr().out)
    assert doc["id"] == sid
    assert (doc["events"], doc["actions"], doc["frames"]) == (3, 0, 0)
    assert doc["state"] == "complete"
    assert doc["review"] == "unreviewed"
    assert doc["bytes"] > 0
    assert {"started", "duration"} <= doc.keys()
    assert run(env, "sessions") == 0
    assert sid in capsys.readouterr().out
    assert run(env, "show", sid, "--json", "--events") == 0
    shown = json.loads(capsys.readouterr().out)
    assert [e["x"] for e in shown["events"]] == [0, 1, 2]
    assert run(env, "show", sid) == 0
    assert "3 events" in capsys.readouterr().out
    with pytest.raises(SessionNotFound):
        run(env, "show", "nope")


def test_sessions_and_show_give_the_review_windows_duration_and_size(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """One session, one set of numbers: the CLI and the review window's session list agree."""
    run(env, "init")
    sid = _record(env["home"])
    summary = Vault.open(Path(env["home"])).session(sid)
    duration, size = session_row(summary)[1], session_row(summary)[5]
    assert duration.count(":") == 1  # m:ss under an hour, as the review window showed it
    capsys.readouterr()
    assert run(env, "sessions") == 0
    (line,) = [row for row in capsys.readouterr().out.splitlines() if row.startswith(sid)]
    assert f" {duration} " in line
    assert line.endswith(f" {size}")
    assert run(env, "show", sid) == 0
    shown = capsys.readouterr().out
    assert f"({duration})" in shown
    assert f"Size      {size}\n" in shown


def test_show_stats_decrypts_what_the_recording_lost_and_its_element_coverage(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    run(env, "init")
    vault = Vault.open(Path(env["home"]))
    elements = {"actions": 3, "with_element": 2, "clicks": 2, "clicks_with_element": 1}
    elements["by_app"] = {"gedit": {"clicks": 2, "with_element": 1, "coverage": 0.5}}
    elements["missing"] = {"app not accessible": 1}
    with vault.begin_session({"purpose": "cli test"}) as w:
        w.append_event({"t": 0, "wall": 1.0, "kind": "move", "x": 1, "y": 0})
        w.note_stats({"reason": "stopped", "drops": 0, "frame_drops": 0, "elements": elements})
        sid = w.session_id
    capsys.readouterr()
    assert run(env, "show", sid, "--stats") == 0
    out = capsys.readouterr().out
    assert "Elements  1 of 2 (50%) clicks have their UI element" in out
    assert "gedit: 1 of 2 (50%) clicks" in out
    assert "none found: app not accessible 1" in out
    assert run(env, "show", sid, "--stats", "--json") == 0
    assert json.loads(capsys.readouterr().out)["stats"]["elements"] == elements
    unstopped = _record(env["home"])
    assert run(env, "show", unstopped, "--stats") == 0
    assert "Stopped   no recording statistics in this session" in capsys.readouterr().out


def test_verify_and_damage(env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    run(env, "init")
    sid = _record(env["home"])
    other = _record(env["home"])
    assert run(env, "verify") == 0
    assert f"{sid}: ok" in capsys.readouterr().out
    events = Path(env["home"]) / "sessions" / sid / "events.0"
    data = bytearray(events.read_bytes())
    data[30] ^= 1
    events.write_bytes(bytes(data))
    assert run(env, "verify") == 1
    out = capsys.readouterr()
    assert f"{sid}: damaged" in out.out
    assert f"{other}: ok" in out.out  # never stops at the first bad one
    assert "damaged session" in out.err
    assert run(env, "verify", "--structure-only", other) == 0
    assert f"{other}: ok" in capsys.readouterr().out
    assert run(env, "verify", "--json", sid) == 1
    assert json.loads(capsys.readouterr().out)[0]["status"] == "damaged"


def test_delete(env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    run(env, "init")
    sid = _record(env["home"])
    assert run(env, "delete", sid, "--yes") == 0
    assert Vault.open(Path(env["home"])).sessions() == []
    with pytest.raises(SessionNotFound):
        run(env, "delete", sid, "--yes")


def test_passwd(env: dict[str, str]) -> None:
    run(env, "init")
    sid = _record(env["home"])
    new = Path(env["tmp"]) / "new"
    new.write_text("another one\n")
    assert run(env, "passwd", "--new-passphrase-file", str(new)) == 0
    with pytest.raises(WrongPassphrase):
        run(env, "show", sid, "--events")
    env2 = {**env, "pw": str(new)}
    assert run(env2, "show", sid, "--events") == 0


def test_missing_passphrase(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    args = _parser().parse_args(["init", "--home", env["home"]])
    with pytest.raises(CliError, match="passphrase-file"):
        args.func(args)
