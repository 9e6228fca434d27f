"""kill -9 at each file-system call of `overt delete`: the session is whole and valid, or gone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from storage import Vault
from storage.deletion import DELETING
from tests.storage.helpers import PASS, consent, frame_meta, make_vault, move, noise_bgrx

ROOT = Path(__file__).parents[2]
KEEP, DOOMED = "a-keep", "b-doomed"


def _template(home: Path) -> list[dict[str, object]]:
    vault = make_vault(home)
    for sid in (KEEP, DOOMED):
        with vault.begin_session(consent(), session_id=sid) as w:
            for i in range(3):
                w.append_event(move(i))
            for t in (0.0, 1.0):
                w.append_frame(bytes(noise_bgrx(16, 12)), (16, 12), frame_meta(t, 16, 12))
    return list(vault.unlock(PASS).open_session(DOOMED).events())


def test_killed_at_any_call_a_deleted_session_is_whole_or_gone(tmp_path: Path) -> None:
    events = _template(tmp_path / "template")
    out = tmp_path / "out"
    out.mkdir()
    child = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).with_name("crash_points.py")),
            str(tmp_path / "template"),
            str(out),
            "delete",
            DOOMED,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    points = [line.split()[0] for line in child.stdout.splitlines()]
    assert len(points) > 10, child.stdout  # every shred write, unlink and rename
    outcomes: dict[str, list[str]] = {"whole": [], "gone": []}
    failures = {}
    for point in points:
        try:
            outcomes[_check(out / point, events)].append(point)
        except AssertionError as exc:
            failures[point] = str(exc).splitlines()[0][:300]
    assert not failures, "\n".join(f"{point}: {why}" for point, why in failures.items())
    assert "whole" in outcomes["gone"]
    assert outcomes["whole"]  # both sides of the rename were hit
    assert len(outcomes["gone"]) > 5


def _check(home: Path, events: list[dict[str, object]]) -> str:
    """'whole' or 'gone' for the doomed session after opening the vault; asserts the rest."""
    vault = Vault.open(home)  # finishes an interrupted deletion
    assert not [n for n in os.listdir(home / "sessions") if n.startswith(DELETING)]
    u = vault.unlock(PASS)
    results = {r.session_id: r.status for r in u.verify()}
    structure = {r.session_id: r.status for r in vault.verify()}
    assert results.pop(KEEP) == structure.pop(KEEP) == "ok"
    if DOOMED not in vault.session_ids():
        assert results == structure == {}
        assert not (home / "sessions" / DOOMED).exists()
        return "gone"
    assert results == structure == {DOOMED: "ok"}
    assert vault.session(DOOMED).state == "complete"
    r = u.open_session(DOOMED)
    assert list(r.events()) == events
    assert len(r.frames()) == 2
    return "whole"


def test_finishing_a_deletion_never_follows_a_link(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "v")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keys").write_bytes(b"not the vault's")
    (vault.home / "sessions" / f"{DELETING}x").symlink_to(outside)
    Vault.open(vault.home)
    assert not os.path.lexists(vault.home / "sessions" / f"{DELETING}x")
    assert (outside / "keys").read_bytes() == b"not the vault's"
