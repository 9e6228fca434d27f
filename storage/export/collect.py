"""Collection: verify many exports and merge them into one sharded dataset, honouring withdrawals.

Input: folder or zip exports, or age files (tar inside) decrypted with the study identity,
and withdrawal receipts. Output (see storage/EXPORT_FORMATS.md, "Collected dataset"):
``data/TABLE/TABLE-RUN-NNNNN.parquet`` for the tables actions, events and sessions,
``webdataset/shard-RUN-NNNNN.tar``,
``README.md`` (dataset card), ``collect-state.json`` (what is in the dataset, for re-runs).

Memory stays bounded: one session's action list and one frame at a time are held; age files
are decrypted to a temporary file in the output folder and read from there (removed when the
run ends, or by the next run if this one was killed). One run at a time per output folder
(the folder itself, its state and withdrawals: storage/export/dataset.py).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storage.export import age, tables
from storage.export.archive import ExportArchive, Rejected, verify_export
from storage.export.dataset import SCRATCH_PREFIX, Dataset
from storage.export.export_source import ExportedSession
from storage.export.layouts import ShardWriter, sample_key
from storage.export.manifest import canonical_json
from storage.export.modes import set_modes
from storage.export.receipt import read_receipt
from storage.export.step_layouts import with_files
from storage.export.steps import DEFAULT_SPACE, build_steps, episodes_of

SHARD_BYTES = 256 * 1024 * 1024
_AGE_MAGIC = b"age-encryption.org/v1"


# --- the report and the shards ----------------------------------------------------------


@dataclass
class CollectReport:
    """What a collection run did, per session and per input."""

    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    withdrawn_removed: list[str] = field(default_factory=list)
    withdrawn_skipped: list[str] = field(default_factory=list)
    bytes_in: int = 0

    def lines(self) -> list[str]:
        out = [
            f"Added {len(self.added)} session(s); {len(self.duplicates)} already present; "
            f"{len(self.rejected)} input(s) rejected."
        ]
        out += [f"Rejected {name}: {why}." for name, why in self.rejected]
        out += [f"Withdrawn and removed: {sid}." for sid in self.withdrawn_removed]
        out += [f"Withdrawn, not added: {sid}." for sid in self.withdrawn_skipped]
        return out


class RollingTable:
    """A Parquet table written as shards of at most ``max_rows`` rows or ``max_bytes``."""

    def __init__(self, folder: Path, table: str, run: int, max_rows: int, max_bytes: int) -> None:
        self._folder, self._table, self._run = folder, table, run
        self._max_rows, self._max_bytes = max_rows, max_bytes
        self._writer: tables.TableWriter | None = None
        self._rows = self._bytes = 0
        self.paths: list[Path] = []

    def add(self, row: dict[str, Any], size: int = 0) -> Path:
        full = self._rows >= self._max_rows or self._bytes + size > self._max_bytes
        if self._writer is None or (self._rows and full):
            self.close()
            path = self._folder / f"{self._table}-{self._run:04d}-{len(self.paths):05d}.parquet"
            self.paths.append(path)
            self._writer = tables.TableWriter(path, self._table)
            self._rows = self._bytes = 0
        self._writer.add(row)
        self._rows += 1
        self._bytes += size
        return self.paths[-1]

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None


# --- the run -----------------------------------------------------------------------------


class _Run:
    """One collection run: new shards named after the run number."""

    def __init__(self, dataset: Dataset, shard_bytes: int) -> None:
        run = int(dataset.state["runs"]) + 1
        data = dataset.root / "data"
        self.actions = RollingTable(data / "actions", "actions", run, 100_000, shard_bytes)
        self.events = RollingTable(data / "events", "events", run, 1_000_000, shard_bytes)
        self.sessions = RollingTable(data / "sessions", "sessions", run, 100_000, shard_bytes)
        self.episodes = RollingTable(data / "episodes", "episodes", run, 100_000, shard_bytes)
        self.wds = ShardWriter(
            dataset.root / "webdataset", shard_bytes, name=f"shard-{run:04d}-{{:05d}}.tar"
        )
        self.run = run
        self.root = dataset.root

    def close(self) -> None:
        for table in (self.actions, self.events, self.sessions, self.episodes):
            table.close()
        self.wds.close()


def _add_session(
    archive: ExportArchive,
    entry: dict[str, Any],
    manifest_sha: str,
    run: _Run,
) -> dict[str, Any]:
    sid = str(entry["id"])
    base = f"sessions/{sid}/"
    files: set[Path] = set()
    session = ExportedSession(archive, sid)
    for event in session.events():
        files.add(run.events.add(tables.event_row(sid, event)))
    count = 0
    for episode in episodes_of(session):
        steps = list(build_steps(session, episode, DEFAULT_SPACE, frame_file=session.frame_file))
        if episode is not None:
            row = tables.episode_row(sid, episode, sum(s["kind"] != "terminate" for s in steps))
            files.add(run.episodes.add(row))
        for step in steps:
            if step["kind"] == "terminate":
                continue
            pngs = {"pre.png": session.png(step["observation"]["file"])}
            if step["next_observation"] is not None:
                pngs["post.png"] = session.png(step["next_observation"]["file"])
            size = sum(len(v) for v in pngs.values())
            row = tables.step_row(
                sid, dict(step), DEFAULT_SPACE, pngs["pre.png"], pngs.get("post.png")
            )
            files.add(run.actions.add(row, size))
            key = sample_key(sid, int(step["action_seq"] or 0))
            record = {
                "session_id": sid,
                "coordinate_space": DEFAULT_SPACE,
                **with_files(step, f"{key}.pre.png", f"{key}.post.png"),
            }
            run.wds.add(key, {**pngs, "action.json": canonical_json(record)})
            files.add(run.wds.paths[-1])
            count += 1
    summary = archive.json(base + "session.json")
    consent = archive.json(base + "consent.json")
    files.add(
        run.sessions.add(
            tables.session_row(
                summary, consent, archive.json(base + "redactions.json"), manifest_sha
            )
        )
    )
    return {
        "manifest_sha256": manifest_sha,
        "consent_id": consent.get("consent_id"),
        "study_id": summary.get("study_id"),
        "actions": count,
        "files": sorted(p.relative_to(run.root).as_posix() for p in files),
    }


@contextlib.contextmanager
def _opened(path: Path, identities: list[Any], scratch: Path) -> Iterator[ExportArchive]:
    """The export at ``path``, decrypting age files into ``scratch`` first."""
    plain = path
    if path.is_file():
        with path.open("rb") as f:
            encrypted = f.read(len(_AGE_MAGIC)) == _AGE_MAGIC
        if encrypted:
            if not identities:
                raise Rejected("it is age-encrypted and no --identity was given")
            plain = scratch / "decrypted.tar"
            try:
                age.decrypt_to(path, plain, identities)
            except Exception:  # noqa: BLE001 - pyrage's errors are opaque by design
                raise Rejected(
                    "it cannot be decrypted with the given identity (wrong key, "
                    "or the file was altered)"
                ) from None
    archive = ExportArchive(plain)
    try:
        yield archive
    finally:
        archive.close()
        if plain != path:
            plain.unlink(missing_ok=True)


def collect(
    inputs: Sequence[Path],
    out: Path,
    *,
    identities: Sequence[Any] = (),
    shard_bytes: int = SHARD_BYTES,
    progress: Callable[[str, int, int], None] | None = None,
    shared: bool = False,
) -> CollectReport:
    """Verify exports and receipts and merge them into the dataset at ``out``.

    Args:
        inputs: export folders, zip files, age files, withdrawal receipts (.json).
        out: the dataset folder (created, or added to).
        identities: age identities for encrypted exports.
        shard_bytes: the size bound of each new shard.
        progress: called after each input as (name, done, total).
        shared: the dataset's files 0644 and folders 0755 when done; by default 0600 / 0700
            (storage/export/modes.py), whatever an earlier run gave them.

    Returns:
        The report; inputs that fail verification are listed there, not raised.
    """
    dataset = Dataset(out)
    try:
        return _collect_into(dataset, inputs, identities, shard_bytes, progress)
    finally:
        set_modes(dataset.root, shared=shared)
        dataset.release()


def _collect_into(
    dataset: Dataset,
    inputs: Sequence[Path],
    identities: Sequence[Any],
    shard_bytes: int,
    progress: Callable[[str, int, int], None] | None,
) -> CollectReport:
    report = CollectReport()
    receipts: list[Path] = []
    exports: list[Path] = []
    for path in inputs:
        is_json = path.is_file() and path.suffix == ".json"
        (receipts if is_json else exports).append(path)
    for path in receipts:
        try:
            receipt = read_receipt(path.read_bytes())
            if receipt is None:
                raise Rejected("it is neither an export nor a withdrawal receipt")
            if dataset.withdraw(receipt):
                report.withdrawn_removed.append(str(receipt["session_id"]))
        except Rejected as why:
            report.rejected.append((path.name, str(why)))
    run = _Run(dataset, shard_bytes)
    scratch = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=dataset.root))
    try:
        for done, path in enumerate(exports, start=1):
            try:
                report.bytes_in += _size(path)
                with _opened(path, list(identities), scratch) as archive:
                    _collect_one(archive, dataset, run, report)
            except Rejected as why:
                report.rejected.append((path.name, str(why)))
            if progress:
                progress(path.name, done, len(exports))
    finally:
        run.close()
        shutil.rmtree(scratch, ignore_errors=True)
    dataset.state["runs"] = run.run
    dataset.state["updated"] = time.time()
    dataset.save()
    dataset.write_card()
    return report


def _collect_one(
    archive: ExportArchive, dataset: Dataset, run: _Run, report: CollectReport
) -> None:
    manifest, manifest_sha = verify_export(archive)
    seen = dataset.state["manifests"]
    for entry in manifest["sessions"]:
        sid = str(entry["id"])
        consent = archive.json(f"sessions/{sid}/consent.json")
        withdrawn = dataset.state["withdrawn"].get(sid)
        if withdrawn is not None and withdrawn["consent_id"] == consent.get("consent_id"):
            report.withdrawn_skipped.append(sid)
        elif sid in dataset.state["sessions"] or manifest_sha in seen:
            report.duplicates.append(sid)
        else:
            dataset.state["sessions"][sid] = _add_session(archive, entry, manifest_sha, run)
            report.added.append(sid)
    if manifest_sha not in seen:
        seen.append(manifest_sha)


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size
