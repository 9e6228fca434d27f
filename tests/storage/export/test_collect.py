"""Collection: verify exports, merge into Parquet + WebDataset shards, withdraw, re-run."""

from __future__ import annotations

import json
import os
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pyrage
import pytest

from storage.export import export_sessions
from storage.export.collect import collect
from storage.export.receipt import make_receipt
from tests.storage.export.fakes import make_session

pq = pytest.importorskip("pyarrow.parquet")


def actions_table(out: Path) -> Any:
    import pyarrow.dataset as ds

    return ds.dataset(out / "data" / "actions", format="parquet").to_table()  # by its folder


def wds_keys(out: Path) -> set[str]:
    keys = set()
    for shard in (out / "webdataset").glob("*.tar"):
        with tarfile.open(shard) as tar:
            keys |= {m.name.split(".", 1)[0] for m in tar}
    return keys


def receipt(session_id: str, consent_id: str) -> dict[str, Any]:
    return make_receipt(session_id, consent_id, "p-1", 1_700_000_100.0)


def test_round_trip_folder_zip_and_age(tmp_path: Path) -> None:
    identity = pyrage.x25519.Identity.generate()
    export_sessions([make_session("a")], "folder", tmp_path / "a")
    export_sessions([make_session("b")], "zip", tmp_path / "b.zip")
    export_sessions(
        [make_session("c")], "zip", tmp_path / "c.age", recipient=str(identity.to_public())
    )
    out = tmp_path / "dataset"
    report = collect(
        [tmp_path / "a", tmp_path / "b.zip", tmp_path / "c.age"], out, identities=[identity]
    )
    assert report.rejected == []
    assert sorted(report.added) == ["a", "b", "c"]
    table = actions_table(out)
    assert table.num_rows == 12
    assert sorted(set(table.column("session_id").to_pylist())) == ["a", "b", "c"]
    assert all(image["bytes"] for image in table.column("pre_image").to_pylist())
    assert len(wds_keys(out)) == 12
    sessions = pq.read_table(next((out / "data" / "sessions").glob("sessions-*.parquet")))
    assert json.loads(sessions.column("consent_json")[0].as_py())["consent_id"] == "c-a"
    assert "load_dataset" in (out / "README.md").read_text()


def test_rerun_adds_only_what_is_new(tmp_path: Path) -> None:
    export_sessions([make_session("a")], "folder", tmp_path / "a")
    out = tmp_path / "dataset"
    collect([tmp_path / "a"], out)
    export_sessions([make_session("b")], "folder", tmp_path / "b")
    report = collect([tmp_path / "a", tmp_path / "b"], out)
    assert report.added == ["b"]
    assert report.duplicates == ["a"]
    assert actions_table(out).num_rows == 8


def test_tampered_export_is_rejected_with_a_reason(tmp_path: Path) -> None:
    export_sessions([make_session("a")], "folder", tmp_path / "a")
    events = tmp_path / "a" / "sessions" / "a" / "events.jsonl"
    events.write_bytes(events.read_bytes().replace(b"Editor", b"Edited"))
    export_sessions([make_session("b")], "zip", tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "b.zip", "a") as zf:
        zf.writestr("sessions/b/extra.txt", "smuggled")
    identity = pyrage.x25519.Identity.generate()
    export_sessions(
        [make_session("c")], "folder", tmp_path / "c.age", recipient=str(identity.to_public())
    )
    data = bytearray((tmp_path / "c.age").read_bytes())
    data[-40] ^= 1
    (tmp_path / "c.age").write_bytes(bytes(data))
    report = collect(
        [tmp_path / "a", tmp_path / "b.zip", tmp_path / "c.age"],
        tmp_path / "dataset",
        identities=[identity],
    )
    reasons = dict(report.rejected)
    assert reasons["a"] == (
        "sessions/a/events.jsonl does not match its hash in the manifest (altered or damaged)"
    )
    assert "does not list" in reasons["b.zip"]
    assert "cannot be decrypted" in reasons["c.age"]
    assert report.added == []


def test_consent_swapped_is_rejected(tmp_path: Path) -> None:
    export_sessions([make_session("a")], "folder", tmp_path / "a")
    consent = tmp_path / "a" / "sessions" / "a" / "consent.json"
    consent.write_text(json.dumps({"consent_id": "forged", "session_id": "a"}))
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    from storage.export.manifest import sha256_file

    rel = "sessions/a/consent.json"
    manifest["files"][rel]["sha256"] = sha256_file(consent)  # a careful forger
    (tmp_path / "a" / "manifest.json").write_text(json.dumps(manifest))
    report = collect([tmp_path / "a"], tmp_path / "dataset")
    assert report.rejected == [("a", "session a's consent record does not match the manifest")]


def test_withdrawal_removes_and_blocks_the_session(tmp_path: Path) -> None:
    export_sessions([make_session("a"), make_session("a_b")], "folder", tmp_path / "ab")
    out = tmp_path / "dataset"
    collect([tmp_path / "ab"], out)
    assert actions_table(out).num_rows == 8
    receipt_path = tmp_path / "withdraw-a.json"
    receipt_path.write_text(json.dumps(receipt("a", "c-a")))
    report = collect([receipt_path], out)
    assert report.withdrawn_removed == ["a"]
    assert set(actions_table(out).column("session_id").to_pylist()) == {"a_b"}
    assert wds_keys(out) == {f"a_b_{i:06d}" for i in range(4)}
    export_sessions([make_session("a")], "zip", tmp_path / "again.zip")
    report = collect([tmp_path / "again.zip"], out)
    assert report.withdrawn_skipped == ["a"]
    assert report.added == []


def test_withdrawal_before_the_export_arrives(tmp_path: Path) -> None:
    receipt_path = tmp_path / "w.json"
    receipt_path.write_text(json.dumps(receipt("a", "c-a")))
    export_sessions([make_session("a")], "folder", tmp_path / "a")
    report = collect([receipt_path, tmp_path / "a"], tmp_path / "dataset")
    assert report.withdrawn_skipped == ["a"]


def test_damaged_receipt_is_rejected(tmp_path: Path) -> None:
    doc = receipt("a", "c-a")
    doc["session_id"] = "b"
    path = tmp_path / "w.json"
    path.write_text(json.dumps(doc))
    report = collect([path], tmp_path / "dataset")
    assert report.rejected == [
        ("w.json", "the withdrawal receipt's integrity tag does not match its content")
    ]


def test_other_layouts_are_refused(tmp_path: Path) -> None:
    export_sessions([make_session("a")], "webdataset", tmp_path / "w")
    report = collect([tmp_path / "w"], tmp_path / "dataset")
    assert "cannot be collected" in report.rejected[0][1]


def test_export_cannot_point_outside_itself(tmp_path: Path) -> None:
    export_sessions([make_session("a")], "folder", tmp_path / "a")
    (tmp_path / "outside.png").write_bytes(b"not yours")
    frames = tmp_path / "a" / "sessions" / "a" / "frames.jsonl"
    frames.write_text(frames.read_text().replace("frames/000000.png", "../../../outside.png"))
    from storage.export.manifest import MANIFEST, sha256_file

    manifest = json.loads((tmp_path / "a" / MANIFEST).read_text())
    manifest["files"]["sessions/a/frames.jsonl"]["sha256"] = sha256_file(frames)
    (tmp_path / "a" / MANIFEST).write_text(json.dumps(manifest))
    report = collect([tmp_path / "a"], tmp_path / "dataset")
    assert report.rejected == [("a", "sessions/a/frames.jsonl names a frame file it does not hold")]
    assert report.added == []
    assert not list((tmp_path / "dataset" / "data").rglob("*.parquet"))


def test_symlink_in_a_folder_export_is_rejected(tmp_path: Path) -> None:
    export_sessions([make_session("a")], "folder", tmp_path / "a")
    (tmp_path / "a" / "sessions" / "a" / "link").symlink_to(tmp_path / "a" / "manifest.json")
    report = collect([tmp_path / "a"], tmp_path / "dataset")
    assert report.rejected == [("a", "it contains a symbolic link")]


def test_one_run_at_a_time_and_a_killed_runs_leftovers_are_removed(tmp_path: Path) -> None:
    """A second run into the same folder is refused; the next run clears a dead run's scratch."""
    from storage.export.dataset import LOCK, SCRATCH_PREFIX
    from storage.export.errors import CollectError
    from storage.format.lock import try_lock

    export_sessions([make_session("a")], "folder", tmp_path / "a")
    out = tmp_path / "dataset"
    collect([tmp_path / "a"], out)
    held = try_lock(out / LOCK)  # as a run still writing would hold it
    assert held is not None
    with pytest.raises(CollectError, match=r"^Another collect is writing to .*run again\.$"):
        collect([tmp_path / "a"], out)
    held.release()
    # What a killed run leaves: its scratch folder (a decrypted export) and a partial shard.
    scratch = out / f"{SCRATCH_PREFIX}dead"
    scratch.mkdir()
    (scratch / "decrypted.tar").write_bytes(b"plaintext")
    (out / "data" / "actions" / "actions-0009-00000.parquet.partial").write_bytes(b"half")
    export_sessions([make_session("b")], "folder", tmp_path / "b")
    assert collect([tmp_path / "b"], out).added == ["b"]
    assert not list(out.glob(f"{SCRATCH_PREFIX}*"))
    assert not list(out.rglob("*.partial"))
    assert actions_table(out).num_rows == 8


def test_damaged_state_is_one_sentence_and_left_alone(tmp_path: Path) -> None:
    from storage.export.dataset import STATE
    from storage.export.errors import CollectError

    out = tmp_path / "dataset"
    out.mkdir()
    (out / STATE).write_text("{not json")
    export_sessions([make_session("a")], "folder", tmp_path / "a")
    with pytest.raises(CollectError, match=r"^The dataset state .* is damaged; collect into a new"):
        collect([tmp_path / "a"], out)
    assert (out / STATE).read_text() == "{not json"


def test_each_table_is_a_folder_and_the_first_layout_is_moved_into_them(tmp_path: Path) -> None:
    """Reading data/ as one table mixed actions and sessions rows; each table has its folder."""
    import pyarrow.dataset as ds

    from storage.export.dataset import STATE

    export_sessions([make_session("a")], "folder", tmp_path / "a")
    out = tmp_path / "dataset"
    collect([tmp_path / "a"], out)
    for table, rows in (("actions", 4), ("sessions", 1)):
        read = ds.dataset(out / "data" / table, format="parquet").to_table()
        assert read.num_rows == rows
    assert not list((out / "data").glob("*.parquet"))
    # A dataset of the first layout: its shards in data/ itself, its state naming them there.
    state = json.loads((out / STATE).read_text())
    for path in sorted((out / "data").rglob("*.parquet")):
        path.rename(out / "data" / path.name)
    state["sessions"]["a"]["files"] = [
        f.replace("data/actions/", "data/")
        .replace("data/sessions/", "data/")
        .replace("data/events/", "data/")
        for f in state["sessions"]["a"]["files"]
    ]
    (out / STATE).write_text(json.dumps(state))
    export_sessions([make_session("b")], "folder", tmp_path / "b")
    assert collect([tmp_path / "b"], out).added == ["b"]
    assert not list((out / "data").glob("*.parquet"))
    assert sorted(set(actions_table(out).column("session_id").to_pylist())) == ["a", "b"]
    held = json.loads((out / STATE).read_text())["sessions"]["a"]["files"]
    assert all((out / f).exists() for f in held)
    # Withdrawing "a" finds its rows where they were moved.
    receipt_path = tmp_path / "withdraw-a.json"
    receipt_path.write_text(json.dumps(receipt("a", "c-a")))
    assert collect([receipt_path], out).withdrawn_removed == ["a"]
    assert set(actions_table(out).column("session_id").to_pylist()) == {"b"}


def test_a_folder_of_other_files_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    from storage.export.errors import CollectError

    export_sessions([make_session("a")], "folder", tmp_path / "a")
    project = tmp_path / "project"
    project.mkdir()
    (project / "README.md").write_text("my notes")
    with pytest.raises(CollectError, match=r"holds other files and no Overt dataset"):
        collect([tmp_path / "a"], project)
    assert [p.name for p in project.iterdir()] == ["README.md"]
    assert (project / "README.md").read_text() == "my notes"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert collect([tmp_path / "a"], empty).added == ["a"]  # an empty folder is fine


def test_a_withdrawal_is_durable_before_the_state_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each rewritten shard and the state file are fsynced before they replace the old ones,
    so a power cut cannot bring a withdrawn session's rows back; modes stay the folder's."""
    export_sessions([make_session("a"), make_session("b")], "folder", tmp_path / "ab")
    out = tmp_path / "dataset"
    collect([tmp_path / "ab"], out)
    receipt_path = tmp_path / "withdraw-a.json"
    receipt_path.write_text(json.dumps(receipt("a", "c-a")))
    synced: set[str] = set()
    replaced: list[tuple[str, bool]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        synced.add(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    def replace(src: Any, dst: Any) -> None:
        replaced.append((Path(dst).name, str(Path(src).resolve()) in synced))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    assert collect([receipt_path], out).withdrawn_removed == ["a"]
    names = [name for name, _ in replaced]
    assert "collect-state.json" in names
    assert any(name.endswith(".parquet") for name in names)
    assert any(name.endswith(".tar") for name in names)
    assert all(was_synced for _, was_synced in replaced), replaced
    mode = (out / "README.md").stat().st_mode & 0o777
    assert (out / "collect-state.json").stat().st_mode & 0o777 == mode
