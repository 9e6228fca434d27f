"""Element names are captured content: removing a text reaches them (the element, its path,
its selected item), nothing of them is left in the old files or in any export."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from storage import Vault
from storage.export import export_sessions
from tests.storage.helpers import PASS, assert_no_remnant, consent, frame_meta, noise_bgrx

W, H = 200, 100
SECRET = "alice.zebra@example.org"


def click(x: int, y: int, frame: int) -> dict[str, Any]:
    return {"t": 0.5, "t_end": 0.6, "wall": 1.0, "kind": "click", "events": [],
            "frame_before": frame, "frame_after": frame, "window_seq": None, "x": x, "y": y,
            "button": "left"}  # fmt: skip


def lookup(name: str | None, bounds: list[int], **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "role": "push button",
        "name": name,
        "description": None,
        "states": [],
        "bounds": bounds,
        "path": [
            {"role": "application", "name": "mailer"},
            {"role": "frame", "name": f"Inbox — {SECRET}"},
            {"role": "push button", "name": name},
        ],
        "selected": None,
        "app": "mailer",
        "missing_reason": None,
        "lookup_ms": 2.0,
        "lag_ms": -50.0,
    }
    return base | fields


def session(vault: Vault) -> str:
    """Two frames; a click on a button named with the secret (described and selected with it
    too), and a click on a plain button elsewhere."""
    with vault.begin_session(consent()) as w:
        for i in range(2):
            w.append_frame(bytes(noise_bgrx(W, H)), (W, H), frame_meta(float(i), W, H))
        first = w.append_action(click(60, 30, 0))
        second = w.append_action(click(150, 80, 1))
        named = lookup(
            SECRET,
            [50, 20, 40, 20],
            description=f"Write to {SECRET}",
            selected={"role": "menu item", "name": SECRET},
        )
        w.append_element({"action": first, "element": named})
        w.append_element({"action": second, "element": lookup("Save", [140, 70, 40, 20])})
        sid = w.session_id
    vault.unlock(PASS).approve(sid)
    return sid


def test_removing_a_text_reaches_element_names_and_leaves_no_remnant(
    vault: Vault, tmp_path: Path
) -> None:
    sid = session(vault)
    before = tmp_path / "before"
    shutil.copytree(vault.home, before)
    # The first button's name, description, window level of its path and selected item (its
    # own level of its path is the same occurrence as its name), and the second's window.
    assert vault.unlock(PASS).redact_text(sid, SECRET) == 5
    assert_no_remnant(vault, before, sid, {"elements"})
    r = vault.unlock(PASS).open_session(sid)
    assert SECRET not in json.dumps(r.element_records())
    element = r.elements()[0]
    assert element["name"] == "[removed]"
    assert element["description"] == "Write to [removed]"
    assert [s["name"] for s in element["path"]] == ["mailer", "Inbox — [removed]", "[removed]"]
    assert element["selected"] == {"role": "menu item", "name": "[removed]"}
    assert (element["role"], element["bounds"]) == ("push button", [50, 20, 40, 20])
    assert r.elements()[1]["name"] == "Save"
    assert r.elements()[1]["path"][1]["name"] == "Inbox — [removed]"
    assert r.redactions()[-1]["places"]["UI element names"] == 5
    assert vault.unlock(PASS).verify(sid)[0].status == "ok"


@pytest.mark.parametrize("fmt", ["folder", "trajectory"])
def test_a_removed_element_name_is_in_no_export(vault: Vault, tmp_path: Path, fmt: str) -> None:
    sid = session(vault)
    vault.unlock(PASS).redact_text(sid, SECRET)
    reader = vault.unlock(PASS).open_session(sid)
    export_sessions([reader], fmt, tmp_path / "out")
    files = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert files
    for p in files:
        assert SECRET.encode() not in p.read_bytes(), p
    assert any(b"[removed]" in p.read_bytes() for p in files)  # the element is there, marked


def test_a_removed_element_name_is_in_no_parquet_column(vault: Vault, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    sid = session(vault)
    vault.unlock(PASS).redact_text(sid, SECRET)
    export_sessions([vault.unlock(PASS).open_session(sid)], "parquet", tmp_path / "out")
    tables = list((tmp_path / "out").rglob("*.parquet"))
    assert tables
    for table in tables:
        assert SECRET not in repr(pq.read_table(table).to_pylist()), table
    [actions] = [p for p in tables if "actions" in p.name]
    names = [r["element_name"] for r in pq.read_table(actions).to_pylist() if r["kind"] == "click"]
    assert names == ["[removed]", "Save"]


def test_the_folder_export_holds_each_actions_element(vault: Vault, tmp_path: Path) -> None:
    sid = session(vault)
    reader = vault.unlock(PASS).open_session(sid)
    export_sessions([reader], "folder", tmp_path / "out")
    lines = (tmp_path / "out" / "sessions" / sid / "elements.jsonl").read_text().splitlines()
    rows = [json.loads(line) for line in lines]
    assert [(r["action_seq"], r["name"]) for r in rows] == [(0, SECRET), (1, "Save")]
    assert rows[1]["bounds"] == [140, 70, 40, 20]
