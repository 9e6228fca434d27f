"""manifest.json: what an export holds, with the SHA-256 of every file, and its check."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

FORMAT_NAME = "overt-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
_CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def sha256_json(value: Any) -> str:
    """Hex SHA-256 of a JSON value in its canonical form (sorted keys, no spaces)."""
    return hashlib.sha256(canonical_json(value)).hexdigest()


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def list_files(root: Path) -> list[str]:
    """Every regular file under ``root`` except the manifest, as sorted POSIX paths."""
    out = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
    return sorted(p for p in out if p != MANIFEST)


def manifest_document(
    layout: str,
    sessions: Iterable[dict[str, Any]],
    files: dict[str, dict[str, Any]],
    created: float,
) -> dict[str, Any]:
    """The manifest of an export whose files (path -> sha256, bytes) are ``files``."""
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "layout": layout,
        "created": created,
        "sessions": list(sessions),
        "files": dict(sorted(files.items())),
    }


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, indent=1, sort_keys=True).encode()


def write_manifest(
    root: Path, layout: str, sessions: Iterable[dict[str, Any]], created: float
) -> dict[str, Any]:
    """Hash every file under the folder ``root`` and write ``root/manifest.json``.

    Export hashes files as it writes them (storage/export/sink.py); this re-reads a folder,
    for exports assembled by other means (tests, benchmarks).

    Args:
        root: the export's staging folder, complete but for the manifest.
        layout: the format name ("folder", "webdataset", ...).
        sessions: one entry per session (id, counts, consent hash).
        created: Unix time of the export.

    Returns:
        The manifest written.
    """
    files = {
        rel: {"sha256": sha256_file(root / rel), "bytes": (root / rel).stat().st_size}
        for rel in list_files(root)
    }
    manifest = manifest_document(layout, sessions, files, created)
    (root / MANIFEST).write_bytes(manifest_bytes(manifest))
    return manifest


def check_manifest(manifest: Any) -> list[str]:
    """Problems with a manifest's own shape (not its files); empty when it is usable."""
    if not isinstance(manifest, dict):
        return ["manifest.json is not a JSON object"]
    if manifest.get("format") != FORMAT_NAME:
        return ["manifest.json is not an Overt export manifest"]
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        return [
            f"manifest.json has format version {version!r}; this Overt reads up to {FORMAT_VERSION}"
        ]
    if not isinstance(manifest.get("files"), dict) or not isinstance(
        manifest.get("sessions"), list
    ):
        return ["manifest.json lacks its file or session list"]
    return []
