"""`overt task` and `overt show --tasks` against a real vault, through the real CLI parser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main as cli
from storage import Vault
from tests.app.sessions import PASSPHRASE, make_vault, write_session
from tests.storage.helpers import all_files


@pytest.fixture
def session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    home = tmp_path / "vault"
    (tmp_path / "pw").write_bytes(PASSPHRASE + b"\n")
    monkeypatch.setenv("OVERT_HOME", str(home))
    monkeypatch.setenv("OVERT_PASSPHRASE_FILE", str(tmp_path / "pw"))
    sid = write_session(make_vault(home), frames=6)
    return home, sid


def tasks(home: Path, sid: str, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    capsys.readouterr()
    assert cli.main(["show", sid, "--tasks", "--json"]) == 0
    return list(json.loads(capsys.readouterr().out)["tasks"])


def test_add_edit_outcome_split_merge_delete(
    session: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    home, sid = session
    assert tasks(home, sid, capsys) == []
    assert cli.main(["task", sid, "add", "Write a note", "--start", "0", "--end", "4"]) == 0
    assert "now has 1 task(s)" in capsys.readouterr().out
    assert cli.main(["task", sid, "edit", "e1", "--instruction", "Write the note"]) == 0
    assert cli.main(["task", sid, "outcome", "e1", "success"]) == 0
    assert cli.main(["task", sid, "split", "e1", "2.5"]) == 0
    got = tasks(home, sid, capsys)
    assert [(t["id"], t["t_start"], t["t_end"], t["outcome"]) for t in got] == [
        ("e1", 0.0, 2.5, None),
        ("e2", 2.5, 4.0, "success"),
    ]
    assert all(t["instruction"] == "Write the note" for t in got)
    assert got[0]["start_seq"] is not None
    assert cli.main(["task", sid, "merge", "e1", "e2"]) == 0
    assert cli.main(["task", sid, "edit", "e1", "--note", "took two tries", "--end", "5"]) == 0
    (one,) = tasks(home, sid, capsys)
    assert (one["t_end"], one["outcome"], one["note"]) == (5.0, "success", "took two tries")
    assert cli.main(["show", sid, "--tasks"]) == 0
    out = capsys.readouterr().out
    assert "e1 0.00-5.00 s, success, actions" in out
    assert '"Write the note" note "took two tries"' in out
    assert cli.main(["task", sid, "delete", "e1"]) == 0
    assert tasks(home, sid, capsys) == []


@pytest.mark.parametrize(
    ("words", "says"),
    [
        (["add", "b", "--start", "3", "--end", "5"], "overlap"),
        (["add", "b", "--start", "5", "--end", "900"], "lies outside the session"),
        (["add", "b", "--start", "5", "--end", "6", "--study-task", "t1"], "not a study task"),
        (["add", "x" * 2001, "--start", "5", "--end", "6"], "the limit is 2000"),
        (["split", "e1", "9"], "not inside episode e1"),
        (["outcome", "e9", "success"], "no episode 'e9'"),
        (["outcome", "e1", "great"], "invalid choice"),
        (["fly"], "no task action 'fly'"),
    ],
)
def test_bad_input_is_one_sentence_and_changes_nothing(
    session: tuple[Path, str],
    capsys: pytest.CaptureFixture[str],
    words: list[str],
    says: str,
) -> None:
    home, sid = session
    assert cli.main(["task", sid, "add", "a", "--start", "0", "--end", "4"]) == 0
    before = {p: p.read_bytes() for p in all_files(home)}
    capsys.readouterr()
    assert cli.main(["task", sid, *words]) == 1
    err = capsys.readouterr().err
    assert says in err
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert {p: p.read_bytes() for p in all_files(home)} == before


def test_marking_with_no_recording_running_is_one_sentence(
    session: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["task", "mark", "done"]) == 1
    err = capsys.readouterr().err
    assert "No recording into this vault takes task commands" in err
    assert cli.main(["task", "new", "y" * 2001]) == 1
    assert "the limit is 2000" in capsys.readouterr().err
    assert Vault.open(session[0]).session_ids() == [session[1]]
