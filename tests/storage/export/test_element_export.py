"""A recorded session's elements reach its exports: each step carries its action's element
(bounds in pixels and in the export's space), and parquet has the element columns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from storage import Vault
from storage.export.steps import build_steps
from tests.storage.helpers import PASS, consent, frame_meta, noise_bgrx

W, H = 200, 100


def click(t: float, x: int, y: int) -> dict[str, Any]:
    return {
        "t": t,
        "t_end": t + 0.1,
        "wall": 1.0,
        "kind": "click",
        "events": [],
        "frame_before": 0,
        "frame_after": None,
        "window_seq": None,
        "x": x,
        "y": y,
        "button": "left",
    }


def lookup(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "role": None,
        "name": None,
        "description": None,
        "states": [],
        "bounds": None,
        "path": [],
        "selected": None,
        "app": None,
        "missing_reason": None,
        "lookup_ms": 2.0,
        "lag_ms": -50.0,
    }
    return base | fields


def session(vault: Vault) -> str:
    with vault.begin_session(consent()) as w:
        w.append_frame(bytes(noise_bgrx(W, H)), (W, H), frame_meta(0.0, W, H))
        first = w.append_action(click(0.5, 60, 30))
        second = w.append_action(click(0.9, 150, 80))
        button = lookup(role="push button", name="Save", bounds=[50, 20, 40, 20], app="editor")
        w.append_element({"action": first, "element": button})
        w.append_element({"action": second, "element": lookup(missing_reason="app not accessible")})
        sid = w.session_id
    vault.unlock(PASS).approve(sid)
    return sid


def test_steps_carry_the_element_in_pixels_and_in_the_export_s_space(vault: Vault) -> None:
    reader = vault.unlock(PASS).open_session(session(vault))
    steps = [s for s in build_steps(reader) if s["kind"] == "click"]
    element = steps[0]["element"]
    assert element is not None
    assert (element["role"], element["name"], element["bounds"]) == (
        "push button",
        "Save",
        [50, 20, 40, 20],
    )
    assert element["bounds_norm"] == [0.25, 0.2, 0.2, 0.2]
    assert steps[1]["element"] == {"missing": "app not accessible"}
    in_pixels = [s for s in build_steps(reader, space="pixels") if s["kind"] == "click"]
    assert in_pixels[0]["element"]["bounds_norm"] == [50, 20, 40, 20]  # type: ignore[index]


def test_parquet_has_the_element_columns(vault: Vault, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    from storage.export import export_sessions

    reader = vault.unlock(PASS).open_session(session(vault))
    export_sessions([reader], "parquet", tmp_path / "out")
    [table_file] = [p for p in (tmp_path / "out").rglob("*.parquet") if "actions" in p.name]
    rows = pq.read_table(table_file).to_pylist()
    clicks = [r for r in rows if r["kind"] == "click"]
    assert [(r["element_role"], r["element_name"]) for r in clicks] == [
        ("push button", "Save"),
        (None, None),
    ]
    assert clicks[0]["element_bounds"] == [50.0, 20.0, 40.0, 20.0]
    assert [r["element_missing"] for r in clicks] == [None, "app not accessible"]
