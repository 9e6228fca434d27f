"""A collected dataset's folder: its state file, one run at a time, withdrawals applied.

The layout is in storage/EXPORT_FORMATS.md, "Collected dataset"; storage/export/collect.py
adds sessions to it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tarfile
from pathlib import Path
from typing import Any

from storage.export import tables
from storage.export.archive import Rejected
from storage.export.dataset_card import render_card
from storage.export.errors import CollectError
from storage.export.layouts import sample_key
from storage.format.files import fsync_dir, write_atomic
from storage.format.lock import try_lock

STATE = "collect-state.json"
#: One folder per table under data/: pyarrow, Spark and Ray read a folder as one table.
TABLES = ("actions", "events", "sessions", "episodes")
LOCK = ".collect.lock"
SCRATCH_PREFIX = ".collect-"


class Dataset:
    """The output folder: state, shards, dataset card."""

    def __init__(self, root: Path) -> None:
        self.root = root
        if root.is_dir() and not (root / STATE).exists() and _foreign(root):
            raise CollectError(
                f"{root} holds other files and no Overt dataset; collect into a new or empty "
                "folder (its README.md would be overwritten)."
            )
        try:
            root.mkdir(parents=True, exist_ok=True)
            for table in TABLES:
                (root / "data" / table).mkdir(parents=True, exist_ok=True)
            (root / "webdataset").mkdir(exist_ok=True)
        except OSError as error:
            raise CollectError(
                f"The output folder {root} cannot be used: {error.strerror}."
            ) from None
        # One run at a time: a second would delete the first's partial shards and scratch, and
        # the two would overwrite each other's state. The kernel frees the lock if we die.
        self._lock = try_lock(root / LOCK)
        if self._lock is None:
            raise CollectError(
                f"Another collect is writing to {root}; wait for it to finish and run again."
            )
        path = root / STATE
        self.state: dict[str, Any] = {"runs": 0, "manifests": [], "sessions": {}, "withdrawn": {}}
        try:
            if path.exists():
                self.state = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(self.state, dict) or not {"runs", "sessions"} <= self.state.keys():
                raise ValueError(path)
        except (OSError, ValueError):
            self.release()
            raise CollectError(
                f"The dataset state {path} is damaged; collect into a new folder."
            ) from None
        # Left by a run that was killed: unfinished shards, and the scratch folder that may
        # hold a decrypted export.
        for stale in root.rglob("*.partial"):
            stale.unlink()
        for scratch in root.glob(f"{SCRATCH_PREFIX}*"):
            shutil.rmtree(scratch, ignore_errors=True)
        self._move_flat_tables()

    def _move_flat_tables(self) -> None:
        """Move shards of the first layout (every table in data/ itself, which a reader of
        data/ took for one table) into the table's own folder, and note where they went."""
        moved = {}
        for path in sorted((self.root / "data").glob("*.parquet")):
            table = path.name.split("-", 1)[0]
            if table in TABLES:
                os.replace(path, self.root / "data" / table / path.name)
                moved[f"data/{path.name}"] = f"data/{table}/{path.name}"
        if moved:
            for held in self.state["sessions"].values():
                held["files"] = [moved.get(f, f) for f in held.get("files", [])]
            self.save()

    def release(self) -> None:
        """Let another run write here (also done by the kernel if this process dies)."""
        if self._lock is not None:
            self._lock.release()

    def save(self) -> None:
        """Replace the state file atomically and durably, readable as the folder's files are."""
        data = json.dumps(self.state, indent=1, sort_keys=True).encode()
        write_atomic(self.root / STATE, data, mode=0o666)

    def withdraw(self, receipt: dict[str, Any]) -> bool:
        """Record a withdrawal; remove the session's rows if it is already in the dataset.

        Returns:
            True if rows were removed.
        """
        sid = str(receipt["session_id"])
        held = self.state["sessions"].get(sid)
        if held is not None and held.get("consent_id") not in (None, receipt["consent_id"]):
            raise Rejected(f"the withdrawal receipt for {sid} names a different consent record")
        self.state["withdrawn"][sid] = {
            k: receipt[k] for k in ("consent_id", "participant_id", "time")
        }
        if held is not None:
            for rel in held["files"]:
                _remove_session(self.root / rel, sid)
            del self.state["sessions"][sid]
        return held is not None

    def write_card(self) -> None:
        (self.root / "README.md").write_text(render_card(self.state), encoding="utf-8")


def _foreign(root: Path) -> bool:
    """True when ``root`` holds anything collect did not put there."""
    ours = {"data", "webdataset", LOCK}  # a first run killed before it wrote its state
    return any(p.name not in ours and not p.name.startswith(SCRATCH_PREFIX) for p in root.iterdir())


def _remove_session(path: Path, session_id: str) -> None:
    """Rewrite one shard without a session's rows or samples (atomically)."""
    if not path.exists():
        return
    tmp = path.with_name(path.name + ".partial")
    if path.suffix == ".parquet":
        _, pq = tables.import_pyarrow()
        import pyarrow.compute as pc

        table = pq.read_table(path)
        kept = table.filter(pc.not_equal(table["session_id"], session_id))
        pq.write_table(kept, tmp, compression="zstd")
    else:
        # Exactly this session's keys: removing "a" must not touch "a_b"'s samples.
        own = re.compile(re.escape(sample_key(session_id, 0)[:-6]) + r"\d{6}\.")
        with tarfile.open(path) as src, tarfile.open(tmp, "w", format=tarfile.USTAR_FORMAT) as dst:
            for member in src:
                if not own.match(member.name):
                    dst.addfile(member, src.extractfile(member))
    # Durable before the state that no longer lists the session is saved: a withdrawn
    # session's rows must not come back after a power cut.
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)
