"""Blacking out a region removes the text of the elements it covered in those frames: their
names go, their roles and bounds stay; elements elsewhere or in other frames keep theirs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from storage import Vault
from tests.storage.helpers import PASS, assert_no_remnant, consent, noise_bgrx

W, H = 200, 100
#: The recorded monitor sits at (1000, 500) of the desktop, its frames at half scale.
MONITOR = {"index": 1, "x": 1000, "y": 500, "w": 400, "h": 200, "scale": 0.5}


def click(frame: int) -> dict[str, Any]:
    return {"t": 0.5, "t_end": 0.6, "wall": 1.0, "kind": "click", "events": [],
            "frame_before": frame, "frame_after": None, "window_seq": None, "x": 1010,
            "y": 510, "button": "left"}  # fmt: skip


def button(name: str, x: int, y: int) -> dict[str, Any]:
    """A button at global (x, y), 40 x 20, inside a window named after it."""
    return {"role": "push button", "name": name, "description": f"about {name}",
            "states": [], "bounds": [x, y, 40, 20],
            "path": [{"role": "application", "name": "mailer"},
                     {"role": "frame", "name": f"Window {name}"},
                     {"role": "push button", "name": name}],
            "selected": {"role": "menu item", "name": f"pick {name}"}, "app": "mailer",
            "missing_reason": None, "lookup_ms": 1.0, "lag_ms": 0.0}  # fmt: skip


def session(vault: Vault) -> str:
    """Two frames of the monitor; in frame 0 a button inside the region to black out and one
    outside it (off the monitor), a drag ending inside it; in frame 1 a button at the same place."""
    with vault.begin_session(consent()) as w:
        for i in range(2):
            meta = {"t": float(i), "wall": 1.0, "reason": "periodic", "monitor": MONITOR}
            w.append_frame(bytes(noise_bgrx(W, H)), (W, H), meta)
        # the region (0, 0, 50, 25) in frame pixels is global (1000, 500)-(1100, 550)
        inside, outside, drag, later = (w.append_action(click(f)) for f in (0, 0, 0, 1))
        w.append_element({"action": inside, "element": button("Inside-KIWI", 1080, 530)})
        w.append_element({"action": outside, "element": button("Outside", 1450, 720)})
        w.append_element(
            {
                "action": drag,
                "element": button("Start", 1300, 650),
                "end": button("End-KIWI", 990, 490),
            }
        )
        w.append_element({"action": later, "element": button("Later", 1080, 530)})
        return w.session_id


def test_a_blacked_out_region_removes_the_names_of_the_elements_it_covered(
    vault: Vault, tmp_path: Path
) -> None:
    sid = session(vault)
    before = tmp_path / "before"
    shutil.copytree(vault.home, before)
    assert vault.unlock(PASS).redact_region(sid, (0, 0, 50, 25), range(0, 1)) == 1
    assert_no_remnant(vault, before, sid, {"elements", "frames", "framemeta"})
    r = vault.unlock(PASS).open_session(sid)
    assert "KIWI" not in json.dumps(r.element_records())
    found = r.elements()
    inside = found[0]
    assert (inside["role"], inside["bounds"]) == ("push button", [1080, 530, 40, 20])
    assert (inside["name"], inside["description"]) == ("[removed]", "[removed]")
    assert [s["name"] for s in inside["path"]] == ["[removed]"] * 3
    assert [s["role"] for s in inside["path"]] == ["application", "frame", "push button"]
    assert inside["selected"] == {"role": "menu item", "name": "[removed]"}
    assert found[1]["name"] == "Outside"
    assert (found[2]["name"], found[2]["end"]["name"]) == ("Start", "[removed]")
    assert found[3]["name"] == "Later"  # its frame was not blacked out
    assert r.redactions()[-1]["elements"] == 2
    assert vault.unlock(PASS).verify(sid)[0].status == "ok"


def test_a_region_beyond_the_frame_covers_no_element_outside_it(vault: Vault) -> None:
    """The region is clipped to the frame: an element off the recorded monitor keeps its name
    even when the rectangle asked for reaches past the frame's edge to where it would be."""
    sid = session(vault)
    u = vault.unlock(PASS)
    assert u.redact_region(sid, (190, 90, 10_000, 10_000), range(0, 2)) == 2
    found = u.open_session(sid).elements()
    assert [found[i]["name"] for i in (0, 1, 2, 3)] == ["Inside-KIWI", "Outside", "Start", "Later"]
