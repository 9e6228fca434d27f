"""The five export layouts, each written into a sink (folder, zip or tar) from SessionSources.

Every writer takes the sink, one source, a shared state object where needed, and a progress
callback; it returns the session's manifest entry. Paths are relative to the export's root.
See storage/EXPORT_FORMATS.md.
"""

from __future__ import annotations

import io
import json
import re
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from storage.export.action_code import to_code
from storage.export.errors import ExportError
from storage.export.manifest import canonical_json, sha256_json
from storage.export.pngs import FramePngs, canonical
from storage.export.sink import Sink
from storage.export.source import SessionSource

Progress = Callable[[str, int, int], None]
"""progress(what, done, total): called as frames are written."""

_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def _jsonl(sink: Sink, rel: str, records: Iterator[dict[str, Any]]) -> int:
    n = 0
    with sink.open(rel) as f:
        for record in records:
            f.write(canonical_json(record) + b"\n")
            n += 1
    return n


def _write_json(sink: Sink, rel: str, value: Any) -> None:
    sink.write(rel, json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False).encode())


def session_entry(source: SessionSource, **counts: int) -> dict[str, Any]:
    """The manifest's entry for one session: ids, counts, the consent record's hash."""
    summary = source.summary.to_json()
    return {
        "id": source.summary.id,
        "review": source.summary.review,
        "study_id": summary.get("study_id"),
        "consent_sha256": sha256_json(source.consent),
        **counts,
    }


def session_folder(source: SessionSource) -> str:
    """``sessions/<id>``: where a session's metadata (and, in the folder layout, all) goes."""
    return f"sessions/{source.summary.id}"


def write_metadata(sink: Sink, source: SessionSource) -> None:
    """session.json, consent.json, redactions.json of one session."""
    folder = session_folder(source)
    _write_json(sink, f"{folder}/session.json", {**source.summary.to_json(), "stats": source.stats})
    _write_json(sink, f"{folder}/consent.json", source.consent)
    _write_json(sink, f"{folder}/redactions.json", source.redactions())


def write_folder(sink: Sink, source: SessionSource, progress: Progress) -> dict[str, Any]:
    """The folder layout of one session under ``sessions/<id>/``."""
    folder = session_folder(source)
    write_metadata(sink, source)
    events = _jsonl(sink, f"{folder}/events.jsonl", source.events())
    windows = _jsonl(
        sink, f"{folder}/windows.jsonl", (e for e in source.events() if e.get("kind") == "window")
    )
    actions = _jsonl(sink, f"{folder}/actions.jsonl", source.actions())
    pngs = FramePngs(source)
    metas = pngs.metas
    unique = [i for i in range(len(metas)) if canonical(metas, i) == i]
    sid = source.summary.id
    # A frame whose PNG equals the previous one written (a still screen the recorder stored
    # again) is not written twice: frames.jsonl points it at the earlier file.
    files: dict[int, int] = {}
    last: tuple[int, bytes] | None = None
    for done, (index, data) in enumerate(pngs.stream(unique), start=1):
        if last is not None and last[1] == data:
            files[index] = last[0]
        else:
            sink.write(f"{folder}/frames/{index:06d}.png", data)
            files[index] = index
            last = (index, data)
        progress(sid, done, len(unique))
    _jsonl(
        sink,
        f"{folder}/frames.jsonl",
        (
            {**m, "file": f"frames/{files[canonical(metas, i)]:06d}.png"}
            for i, m in enumerate(metas)
        ),
    )
    return session_entry(
        source,
        events=events,
        windows=windows,
        actions=actions,
        frames=len(metas),
        frame_files=len(set(files.values())),
    )


class ShardWriter:
    """Size-bounded tar shards (``shard-000000.tar``...): a sample never spans two shards."""

    def __init__(
        self,
        root: Path,
        max_bytes: int,
        name: str = "shard-{:06d}.tar",
        opener: Callable[[str], IO[bytes]] | None = None,
    ) -> None:
        """Shards ``root/name``, opened with ``opener(name)`` (a sink's open) if given."""
        self._root = root
        self._opener = opener
        self._name = name
        self.paths: list[Path] = []
        self._max = max_bytes
        self._tar: tarfile.TarFile | None = None
        self._file: IO[bytes] | None = None
        self._bytes = 0
        self.shards = 0
        self.samples = 0

    def add(self, key: str, members: dict[str, bytes]) -> None:
        """One sample: ``{key}.{ext}`` for each ext in ``members``."""
        size = sum(512 + len(v) + 511 for v in members.values())
        if self._tar is None or (self._bytes and self._bytes + size > self._max):
            self.close()
            name = self._name.format(self.shards)
            path = self._root / name
            self.paths.append(path)
            self._file = self._opener(name) if self._opener else path.open("wb")
            self._tar = tarfile.open(  # noqa: SIM115 - closed in close()
                fileobj=self._file, mode="w", format=tarfile.USTAR_FORMAT
            )
            self.shards += 1
            self._bytes = 0
        for ext, data in members.items():
            info = tarfile.TarInfo(f"{key}.{ext}")
            info.size = len(data)
            info.mtime = 0
            info.mode = 0o644
            self._tar.addfile(info, io.BytesIO(data))
        self._bytes += size
        self.samples += 1

    def close(self) -> None:
        if self._tar is not None and self._file is not None:
            self._tar.close()
            self._file.close()
        self._tar = self._file = None


def sample_key(session_id: str, seq: int) -> str:
    """A WebDataset key: no dots (the library splits the extension at the first dot)."""
    return f"{_KEY_UNSAFE.sub('_', session_id)}_{seq:06d}"


def _windows(source: SessionSource) -> dict[int, dict[str, Any]]:
    return {
        int(e["seq"]): {"app": e.get("app", ""), "title": e.get("title", "")}
        for e in source.events()
        if e.get("kind") == "window"
    }


def _monitor(metas: list[dict[str, Any]], index: int | None) -> dict[str, Any] | None:
    if index is None or not 0 <= index < len(metas):
        return None
    monitor = metas[index].get("monitor")
    return monitor if isinstance(monitor, dict) else None


def action_record(
    session_id: str,
    action: dict[str, Any],
    windows: dict[int, dict[str, Any]],
    metas: list[dict[str, Any]],
) -> dict[str, Any]:
    """An action with its session, window and normalised pyautogui code attached.

    Takes the session id, not the source: a reader computes its summary (walking the session
    folder) on every access, which per action cost more than encoding its frames.
    """
    frame = action.get("frame_before")
    if frame is None:
        frame = action.get("frame_after")
    window_seq = action.get("window_seq")
    return {
        "session_id": session_id,
        "action": action,
        "window": windows.get(window_seq) if isinstance(window_seq, int) else None,
        "monitor": _monitor(metas, frame),
        "code": to_code(action, _monitor(metas, frame)),
    }


def write_webdataset(
    sink: Sink, source: SessionSource, shards: ShardWriter, progress: Progress
) -> dict[str, Any]:
    """One sample per action: pre.png, post.png (when the frames exist) and action.json."""
    sid = source.summary.id
    write_metadata(sink, source)
    pngs = FramePngs(source)
    windows = _windows(source)
    actions = list(source.actions())
    for done, (action, members) in enumerate(pngs.for_actions(actions), start=1):
        record = action_record(sid, action, windows, pngs.metas)
        members["action.json"] = canonical_json(record)
        shards.add(sample_key(sid, int(action["seq"])), members)
        progress(sid, done, len(actions))
    return session_entry(source, actions=len(actions), frames=len(pngs.metas))


def write_trajectory(sink: Sink, source: SessionSource, progress: Progress) -> dict[str, Any]:
    """``trajectories/<id>.json`` with steps pointing at ``images/<id>/<frame>.png``."""
    sid = source.summary.id
    write_metadata(sink, source)
    pngs = FramePngs(source)
    windows = _windows(source)
    actions = list(source.actions())
    steps = []
    written: set[int] = set()
    # The observation is the pre-action frame, else the post-action one.
    observed = [
        {**a, "frame_before": a.get("frame_after"), "frame_after": None}
        if a.get("frame_before") is None
        else {**a, "frame_after": None}
        for a in actions
    ]
    for done, ((_, png), action) in enumerate(
        zip(pngs.for_actions(observed), actions, strict=True), start=1
    ):
        record = action_record(sid, action, windows, pngs.metas)
        frame = action.get("frame_before")
        if frame is None:
            frame = action.get("frame_after")
        observation = None
        if "pre.png" in png and isinstance(frame, int):
            key = canonical(pngs.metas, frame)
            if key not in written:
                sink.write(f"images/{sid}/{key:06d}.png", png["pre.png"])
                written.add(key)
            observation = f"images/{sid}/{key:06d}.png"
        steps.append(
            {
                "index": done - 1,
                "observation": observation,
                "action": record["code"],
                "raw_action": action,
                "window": record["window"],
                "monitor": record["monitor"],
                "t": action.get("t"),
            }
        )
        progress(sid, done, len(actions))
    purpose = source.consent.get("purposes") or source.consent.get("purpose")
    _write_json(
        sink,
        f"trajectories/{sid}.json",
        {
            "session_id": sid,
            "task": purpose,
            "coordinates": "normalised to the observation frame's monitor, 0..1",
            "steps": steps,
        },
    )
    return session_entry(source, actions=len(actions), steps=len(steps), frames=len(written))


def import_pyarrow() -> Any:
    """pyarrow and pyarrow.parquet, or a one-sentence error saying how to get them."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ExportError(
            "The parquet format needs pyarrow: install it with pip install 'overt[parquet]'."
        ) from None
    return pa, pq
