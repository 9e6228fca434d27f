"""One session of a folder or zip export, read back as a step source (for collect)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from storage.export.archive import ExportArchive


class ExportedSession:
    """What build_steps reads, from ``sessions/<id>/`` of an export.

    Frame files are the export's own (``frames/NNNNNN.png``, identical frames written once),
    so a step's frame ``file`` names the file its PNG bytes are read from.
    """

    def __init__(self, archive: ExportArchive, session_id: str) -> None:
        self._archive = archive
        self.session_id = session_id
        self.base = f"sessions/{session_id}/"
        metas = list(archive.jsonl(self.base + "frames.jsonl"))
        self._metas = sorted(metas, key=lambda m: int(m.get("index", 0)))
        self._files = {int(m["index"]): str(m["file"]) for m in self._metas if "file" in m}

    def events(self) -> Iterator[dict[str, Any]]:
        return self._archive.jsonl(self.base + "events.jsonl")

    def actions(self) -> Iterator[dict[str, Any]]:
        return self._archive.jsonl(self.base + "actions.jsonl")

    def episodes(self) -> list[dict[str, Any]]:
        """The session's task episodes (an export made before them has none)."""
        name = self.base + "episodes.jsonl"
        if name not in self._archive.names():
            return []
        return list(self._archive.jsonl(name))

    def frames(self) -> list[dict[str, Any]]:
        return self._metas

    def frame_file(self, index: int) -> str:
        """The frame's PNG, relative to the export's root."""
        return self.base + self._files.get(index, f"frames/{index:06d}.png")

    def png(self, rel: str) -> bytes:
        return self._archive.read(rel)
