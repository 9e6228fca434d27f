"""Reading an export in any container (folder, zip, tar) and verifying it before use."""

from __future__ import annotations

import contextlib
import hashlib
import json
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from storage import episodes as episode_records
from storage.errors import InvalidEpisodes
from storage.export.manifest import MANIFEST, check_manifest, sha256_json

COLLECTABLE = ("folder", "zip")
_CHUNK = 1 << 20


class Rejected(Exception):
    """An input that fails verification; ``str()`` says why in one sentence."""


# --- reading an export, whatever its container -------------------------------------------


class ExportArchive:
    """Uniform read access to an export in a folder, a zip or a tar file."""

    def __init__(self, path: Path) -> None:
        self._dir: Path | None = None
        self._zip: zipfile.ZipFile | None = None
        self._tar: tarfile.TarFile | None = None
        self._names: set[str] | None = None
        if path.is_dir():
            self._dir = path
        elif zipfile.is_zipfile(path):
            self._zip = zipfile.ZipFile(path)
        else:
            try:
                self._tar = tarfile.open(path, mode="r:")  # noqa: SIM115 - see close()
            except tarfile.TarError:
                raise Rejected("it is not an Overt export") from None

    def names(self) -> set[str]:
        """Every file in the export (computed once)."""
        if self._names is None:
            self._names = self._list()
        return self._names

    def _list(self) -> set[str]:
        if self._dir is not None:
            paths = list(self._dir.rglob("*"))
            if any(p.is_symlink() for p in paths):
                # A link could pull the collector's own files into the dataset.
                raise Rejected("it contains a symbolic link")
            return {p.relative_to(self._dir).as_posix() for p in paths if p.is_file()}
        if self._zip is not None:
            return {n for n in self._zip.namelist() if not n.endswith("/")}
        assert self._tar is not None
        return {m.name for m in self._tar.getmembers() if m.isfile()}

    @contextlib.contextmanager
    def open(self, name: str) -> Iterator[IO[bytes]]:
        # Only names the export holds: a crafted "../x" in frames.jsonl must not read outside.
        if name not in self.names():
            raise Rejected(f"it refers to {name[:80]!r}, which it does not hold")
        stream: IO[bytes] | None
        if self._dir is not None:
            stream = (self._dir / name).open("rb")
        elif self._zip is not None:
            stream = self._zip.open(name)
        else:
            assert self._tar is not None
            stream = self._tar.extractfile(name)
        if stream is None:
            raise Rejected(f"{name} is not a file in the export")
        with stream:
            yield stream

    def read(self, name: str) -> bytes:
        with self.open(name) as f:
            return f.read()

    def json(self, name: str) -> Any:
        try:
            return json.loads(self.read(name))
        except (KeyError, FileNotFoundError, ValueError, Rejected):
            raise Rejected(f"{name} is missing or not valid JSON.") from None

    def jsonl(self, name: str) -> Iterator[dict[str, Any]]:
        with self.open(name) as f:
            for line in f:
                if line.strip():
                    yield json.loads(line)

    def sha256(self, name: str) -> str:
        digest = hashlib.sha256()
        with self.open(name) as f:
            while block := f.read(_CHUNK):
                digest.update(block)
        return digest.hexdigest()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
        if self._tar is not None:
            self._tar.close()


def verify_export(archive: ExportArchive) -> tuple[dict[str, Any], str]:
    """Check an export's manifest, every file's hash and each session's consent record.

    Returns:
        The manifest and the SHA-256 of manifest.json (the export's identity).

    Raises:
        Rejected: the first problem found, in one sentence.
    """
    raw = archive.read(MANIFEST) if MANIFEST in archive.names() else b""
    if not raw:
        raise Rejected("it has no manifest.json")
    try:
        manifest = json.loads(raw)
    except ValueError:
        raise Rejected("its manifest.json is not valid JSON") from None
    problems = check_manifest(manifest)
    if problems:
        raise Rejected(problems[0])
    if manifest.get("layout") not in COLLECTABLE:
        raise Rejected(
            f"its layout {manifest.get('layout')!r} cannot be collected; export as folder or zip"
        )
    listed = set(manifest["files"])
    present = archive.names() - {MANIFEST}
    if present - listed:
        raise Rejected(f"it holds files its manifest does not list: {sorted(present - listed)[0]}")
    if listed - present:
        raise Rejected(f"it lacks {sorted(listed - present)[0]}, which its manifest lists")
    for name in sorted(listed):
        if archive.sha256(name) != manifest["files"][name].get("sha256"):
            raise Rejected(f"{name} does not match its hash in the manifest (altered or damaged)")
    for entry in manifest["sessions"]:
        sid = str(entry.get("id"))
        base = f"sessions/{sid}/"
        consent = archive.json(base + "consent.json")
        session = archive.json(base + "session.json")
        if sha256_json(consent) != entry.get("consent_sha256"):
            raise Rejected(f"session {sid}'s consent record does not match the manifest")
        if consent.get("session_id") not in (None, sid) or session.get("id") != sid:
            raise Rejected(f"session {sid}'s consent record names another session")
        if session.get("review") != "approved" or entry.get("review") != "approved":
            raise Rejected(f"session {sid} was not approved by the person who recorded it")
        _check_records(archive, base)
    return manifest, hashlib.sha256(raw).hexdigest()


def _check_records(archive: ExportArchive, base: str) -> None:
    """Every record parses and every frame file named exists, before anything is written."""
    names = archive.names()
    for stream in ("events", "windows", "actions", "frames"):
        try:
            for record in archive.jsonl(f"{base}{stream}.jsonl"):
                if not isinstance(record, dict) or not isinstance(record.get("seq", 0), int):
                    raise ValueError(stream)
                if stream == "frames" and f"{base}{record.get('file')}" not in names:
                    raise Rejected(f"{base}frames.jsonl names a frame file it does not hold")
        except ValueError:
            raise Rejected(f"{base}{stream}.jsonl holds a malformed record") from None
    if f"{base}episodes.jsonl" in names:  # exports made before task episodes have none
        try:
            episode_records.validate(archive.jsonl(f"{base}episodes.jsonl"))
        except (ValueError, InvalidEpisodes):
            raise Rejected(f"{base}episodes.jsonl holds a malformed task episode") from None
