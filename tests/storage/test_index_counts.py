"""Counts in the plaintext index never reach what is shown or exported after unlock."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storage import Vault
from storage.export import export_sessions
from tests.storage.helpers import PASS, consent, frame_meta, make_vault, move, noise_bgrx


def _tampered(tmp_path: Path, events: int, actions: int) -> tuple[Vault, str]:
    vault = make_vault(tmp_path / "v")
    with vault.begin_session(consent()) as w:
        for i in range(3):
            w.append_event(move(i))
        w.append_action({"t": 0.0, "t_end": 0.0, "wall": 0.0, "kind": "click", "events": [0]})
        w.append_frame(bytes(noise_bgrx(16, 12)), (16, 12), frame_meta(0.0, 16, 12))
        sid = w.session_id
    vault.unlock(PASS).approve(sid)
    path = vault.session_dir(sid) / "summary.json"
    doc = json.loads(path.read_text())
    doc.update(events=events, actions=actions, frames=99, duration=-5.0)
    path.write_text(json.dumps(doc))
    return vault, sid


def test_the_reader_counts_from_the_encrypted_store(tmp_path: Path) -> None:
    vault, sid = _tampered(tmp_path, 123456, 10**40)
    assert vault.session(sid).events == 123456  # the index says so, shown as the index's
    s = vault.unlock(PASS).open_session(sid).summary
    assert (s.events, s.actions, s.frames) == (3, 1, 1)
    assert s.duration >= 0.0


@pytest.mark.parametrize("fmt", ["folder", "parquet"])
def test_an_export_holds_the_true_counts(tmp_path: Path, fmt: str) -> None:
    vault, sid = _tampered(tmp_path, 123456, 10**40)
    reader = vault.unlock(PASS).open_session(sid)
    export_sessions([reader], fmt, tmp_path / "out")  # 10**40 used to crash parquet
    if fmt == "folder":
        [session_json] = (tmp_path / "out").rglob("session.json")
        doc = json.loads(session_json.read_text())
        assert (doc["events"], doc["actions"], doc["frames"]) == (3, 1, 1)
    else:
        import pyarrow.parquet as pq

        [table] = [
            pq.read_table(p) for p in (tmp_path / "out").rglob("*.parquet") if "session" in str(p)
        ]
        row = table.to_pylist()[0]
        assert (row["events"], row["actions"], row["frames"]) == (3, 1, 1)
