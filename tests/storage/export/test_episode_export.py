"""Task episodes in every export format, the collected episodes table, the instruction refusal,
and text redaction of an instruction reaching every format (issue 16)."""

from __future__ import annotations

import json
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from storage import UnlockedVault
from storage.export.collect import collect
from storage.export.errors import ExportError
from storage.export.run import FORMATS, export_sessions
from tests.app.sessions import PASSPHRASE, make_vault, write_session

SECRET = "Zanzibar-7741"
STUDY = {
    "id": "s1",
    "recipient": None,
    "tasks": [{"id": "t1", "instruction": "Write a note"}],
    "task_rules": {"free_text": True, "require_instructions": True},
}


def _episodes() -> list[dict[str, Any]]:
    return [
        {"id": "e1", "instruction": f"write to {SECRET}", "t_start": 0.0, "t_end": 2.5,
         "outcome": "success", "note": f"{SECRET} answered"},
        {"id": "e2", "instruction": "close it", "t_start": 2.5, "t_end": 5.5, "outcome": None},
    ]  # fmt: skip


def _vault(tmp_path: Path, episodes: list[dict[str, Any]] | None) -> tuple[UnlockedVault, str]:
    vault = make_vault(tmp_path / "vault")
    sid = write_session(vault, frames=6)
    unlocked = vault.unlock(PASSPHRASE)
    if episodes is not None:
        unlocked.set_episodes(sid, episodes)
    unlocked.approve(sid)
    return unlocked, sid


def _text(out: Path) -> str:
    """Everything an export holds that a reader could read as text, parquet rows included."""
    parts: list[str] = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        if path.suffix == ".parquet":
            parts.append(repr(pq.read_table(path).to_pylist()))
        elif path.suffix == ".tar":
            with tarfile.open(path) as tar:
                for m in tar:
                    f = tar.extractfile(m)
                    if f is not None and m.name.endswith(".json"):
                        parts.append(f.read().decode())
        elif path.suffix == ".zip":
            with zipfile.ZipFile(path) as z:
                parts += [z.read(n).decode() for n in z.namelist() if not n.endswith(".png")]
        elif path.suffix in (".json", ".jsonl", ".md"):
            parts.append(path.read_text(encoding="utf-8"))
    return "\n".join(parts)


def _export(unlocked: UnlockedVault, sid: str, fmt: str, out: Path) -> Path:
    target = out.with_suffix(".zip") if fmt == "zip" else out
    export_sessions([unlocked.open_session(sid)], fmt, target)
    if fmt == "zip":
        folder = out
        folder.mkdir()
        (folder / "export.zip").write_bytes(target.read_bytes())
        return folder
    return target


def test_one_trajectory_per_episode_with_its_outcome(tmp_path: Path) -> None:
    unlocked, sid = _vault(tmp_path, _episodes())
    out = _export(unlocked, sid, "trajectory", tmp_path / "traj")
    docs = [json.loads(p.read_text()) for p in sorted((out / "trajectories").glob("*.json"))]
    assert [(d["task_id"], d["instruction"], d["instruction_missing"]) for d in docs] == [
        (f"{sid}_e1", f"write to {SECRET}", False),
        (f"{sid}_e2", "close it", False),
    ]
    seqs = [[s["action_seq"] for s in d["traj"]] for d in docs]
    # The action at 2.5 s, where e1 ends and e2 starts, is e2's only.
    assert seqs == [[0, 1, None], [2, 3, 4, 5, None]]
    assert [d["traj"][-1]["code"] for d in docs] == [
        "computer.terminate(status='success')",
        "computer.terminate(status='failure')",
    ]
    assert docs[1]["traj"][-1]["episode"]["outcome"] is None


def test_parquet_webdataset_and_folder_carry_the_episode(tmp_path: Path) -> None:
    unlocked, sid = _vault(tmp_path, _episodes())
    rows = pq.read_table(_export(unlocked, sid, "parquet", tmp_path / "pq") / "actions.parquet")
    got = [(r["seq"], r["episode_id"], r["outcome"]) for r in rows.to_pylist()]
    assert got == [(0, "e1", "success"), (1, "e1", "success")] + [
        (s, "e2", None) for s in (2, 3, 4, 5)
    ]
    wds = _export(unlocked, sid, "webdataset", tmp_path / "wds")
    with tarfile.open(next(wds.glob("*.tar"))) as tar:
        samples = [
            json.loads(tar.extractfile(m).read())  # type: ignore[union-attr]
            for m in tar
            if m.name.endswith(".action.json")
        ]
    assert [(s["episode"]["id"], s["episode"]["instruction"]) for s in samples][:3] == [
        ("e1", f"write to {SECRET}"),
        ("e1", f"write to {SECRET}"),
        ("e2", "close it"),
    ]
    folder = _export(unlocked, sid, "folder", tmp_path / "folder")
    lines = (folder / "sessions" / sid / "episodes.jsonl").read_text().splitlines()
    assert [json.loads(x)["id"] for x in lines] == ["e1", "e2"]


def test_a_session_without_episodes_exports_as_one_with_no_instruction(tmp_path: Path) -> None:
    unlocked, sid = _vault(tmp_path, None)
    out = _export(unlocked, sid, "trajectory", tmp_path / "traj")
    (doc,) = [json.loads(p.read_text()) for p in (out / "trajectories").glob("*.json")]
    assert (doc["instruction"], doc["instruction_missing"], doc["episode"]) == ("", True, None)


def test_collect_makes_an_episodes_table_the_card_describes(tmp_path: Path) -> None:
    unlocked, sid = _vault(tmp_path, _episodes())
    folder = _export(unlocked, sid, "folder", tmp_path / "folder")
    dataset = tmp_path / "dataset"
    report = collect([folder], dataset)
    assert not report.rejected
    table = pq.read_table(dataset / "data" / "episodes").to_pylist()
    assert [
        (r["episode_id"], r["outcome"], r["steps"], r["instruction_missing"]) for r in table
    ] == [
        ("e1", "success", 2, False),
        ("e2", None, 4, False),
    ]
    actions = pq.read_table(dataset / "data" / "actions").to_pylist()
    assert [r["episode_id"] for r in actions] == ["e1", "e1", "e2", "e2", "e2", "e2"]
    card = (dataset / "README.md").read_text()
    assert "config_name: episodes" in card
    assert "`data/episodes/`: one row per task episode" in card


def test_an_empty_instruction_is_refused_only_when_the_study_requires_them(
    tmp_path: Path,
) -> None:
    unlocked, sid = _vault(tmp_path, [*_episodes()[:1], {**_episodes()[1], "instruction": ""}])
    export_sessions([unlocked.open_session(sid)], "trajectory", tmp_path / "fine")  # exported
    reader = unlocked.open_session(sid)
    reader.consent = {**reader.consent, "study": STUDY}  # as a study session's consent says
    with pytest.raises(ExportError, match=r"Task e2 of session .* has no instruction") as info:
        export_sessions([reader], "trajectory", tmp_path / "refused")
    assert str(info.value).count(". ") == 0
    assert not (tmp_path / "refused").exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_redacting_a_word_in_an_instruction_removes_it_from_every_format(
    tmp_path: Path, fmt: str
) -> None:
    unlocked, sid = _vault(tmp_path, _episodes())
    before = _text(_export(unlocked, sid, fmt, tmp_path / "before"))
    assert SECRET in before  # the check below can fail
    assert unlocked.redact_text(sid, SECRET) == 2
    unlocked.approve(sid)
    after = _text(_export(unlocked, sid, fmt, tmp_path / "after"))
    assert SECRET not in after
    if fmt in ("trajectory", "agentnet", "folder", "webdataset", "parquet"):
        assert "write to [removed]" in after
    reader = unlocked.open_session(sid)
    assert SECRET not in repr(reader.episodes())
    for path in (tmp_path / "vault").rglob("*"):
        assert not path.is_file() or SECRET.encode() not in path.read_bytes()


def test_a_session_without_tasks_is_refused_when_its_study_requires_instructions(
    tmp_path: Path,
) -> None:
    unlocked, sid = _vault(tmp_path, None)
    reader = unlocked.open_session(sid)
    reader.consent = {**reader.consent, "study": STUDY}
    with pytest.raises(ExportError, match="has no tasks, and its study requires an instruction"):
        export_sessions([reader], "parquet", tmp_path / "refused")
    assert not (tmp_path / "refused").exists()
