"""The folder layout, session metadata and WebDataset shards, written into a sink (folder, zip
or tar) from SessionSources; the step layouts are in storage/export/step_layouts.py.

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

from storage.export.errors import ExportError
from storage.export.manifest import canonical_json, sha256_json
from storage.export.pngs import FramePngs, canonical
from storage.export.sink import Sink
from storage.export.source import SessionSource
from storage.export.steps import elements_of

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


def write_json(sink: Sink, rel: str, value: Any) -> None:
    """``value`` as indented JSON with sorted keys at ``rel``."""
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
    write_json(sink, f"{folder}/session.json", {**source.summary.to_json(), "stats": source.stats})
    write_json(sink, f"{folder}/consent.json", source.consent)
    write_json(sink, f"{folder}/redactions.json", source.redactions())


def write_folder(sink: Sink, source: SessionSource, progress: Progress) -> dict[str, Any]:
    """The folder layout of one session under ``sessions/<id>/``."""
    folder = session_folder(source)
    write_metadata(sink, source)
    events = _jsonl(sink, f"{folder}/events.jsonl", source.events())
    windows = _jsonl(
        sink, f"{folder}/windows.jsonl", (e for e in source.events() if e.get("kind") == "window")
    )
    actions = _jsonl(sink, f"{folder}/actions.jsonl", source.actions())
    episodes = getattr(source, "episodes", None)
    _jsonl(sink, f"{folder}/episodes.jsonl", iter(episodes() if callable(episodes) else []))
    elements = elements_of(source)
    _jsonl(
        sink,
        f"{folder}/elements.jsonl",
        iter({"action_seq": seq, **elements[seq]} for seq in sorted(elements)),
    )
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
    # In capture-time order: pre-action frames come from the recorder's ring and get their
    # index when written, a little after frames captured later.
    by_time = sorted(range(len(metas)), key=lambda i: (float(metas[i].get("t", 0.0)), i))
    _jsonl(
        sink,
        f"{folder}/frames.jsonl",
        ({**metas[i], "file": f"frames/{files[canonical(metas, i)]:06d}.png"} for i in by_time),
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
