"""Where an export's files go: a folder, a zip file, or a tar stream (which age encrypts).

Layouts write through a sink (``write`` for bytes in hand, ``open`` for a stream) and never
name a path on disk, so an encrypted export's plaintext never touches the disk: the tar is
written straight into the age encryptor's pipe. A tar member's size comes before its bytes,
so a stream (a JSON Lines file, a Parquet table, a WebDataset shard) is held in a
:class:`SealedSpool` until it is complete: in memory up to ``SPOOL_MEMORY`` bytes, beyond
that in an unnamed temporary file encrypted (AES-GCM) under a key that exists only in this
process's memory. Every sink hashes each file as it is written, for the manifest.
"""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from storage.export.errors import ExportError

#: Bytes a spooled stream keeps in memory before spilling (sealed) to a temporary file.
SPOOL_MEMORY = 16 * 1024 * 1024
_CHUNK = 1 << 20
#: Already compressed: stored in a zip rather than deflated again.
_STORED = (".png", ".parquet", ".tar")

Tick = Callable[[str, int, int], None]
"""tick(what, done, total): called while a large member is copied (may raise to cancel)."""


def _no_tick(what: str, done: int, total: int) -> None:
    pass


class SealedSpool:
    """Bytes written once, then read back once: in memory, or sealed in a temporary file.

    The temporary file has no name (it vanishes with the process) and holds only AES-256-GCM
    ciphertext under a random key kept in memory; reading it back checks the tag, so bytes
    altered on disk fail the export instead of entering it.
    """

    def __init__(self, scratch: Path, memory: int | None = None) -> None:
        self._scratch = scratch
        self._memory = SPOOL_MEMORY if memory is None else memory
        self._parts: list[bytes] = []
        self._held = 0
        self._file: IO[bytes] | None = None
        self._key = b""
        self._nonce = b""
        self._encryptor: Any = None
        self._tag = b""
        self.size = 0

    def write(self, data: bytes) -> None:
        self.size += len(data)
        if self._file is not None:
            self._file.write(self._encryptor.update(data))
            return
        self._parts.append(data)
        self._held += len(data)
        if self._held > self._memory:
            self._spill()

    def _spill(self) -> None:
        self._key, self._nonce = os.urandom(32), os.urandom(12)
        self._encryptor = Cipher(algorithms.AES(self._key), modes.GCM(self._nonce)).encryptor()
        self._file = tempfile.TemporaryFile(dir=self._scratch)  # noqa: SIM115 - closed below
        for part in self._parts:
            self._file.write(self._encryptor.update(part))
        self._parts, self._held = [], 0

    @property
    def spilled(self) -> bool:
        """True when the bytes went to the (sealed) temporary file."""
        return self._file is not None

    def chunks(self) -> Iterator[bytes]:
        """The bytes written, in order (once; the spool is emptied as it is read)."""
        if self._file is None:
            parts, self._parts = self._parts, []
            block: list[bytes] = []
            held = 0
            for piece in parts:  # many small writes (JSON lines) leave as ~1 MiB blocks
                block.append(piece)
                held += len(piece)
                if held >= _CHUNK:
                    yield b"".join(block)
                    block, held = [], 0
            if block:
                yield b"".join(block)
            return
        self._file.write(self._encryptor.finalize())
        tag = self._encryptor.tag
        self._file.seek(0)
        decryptor = Cipher(algorithms.AES(self._key), modes.GCM(self._nonce, tag)).decryptor()
        while sealed := self._file.read(_CHUNK):
            yield decryptor.update(sealed)
        try:
            decryptor.finalize()
        except InvalidTag:
            raise ExportError(
                "A temporary file of the export was altered while it was written."
            ) from None
        finally:
            self.close()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        self._parts = []


class _ChunkReader(io.RawIOBase):
    """A read-only file over an iterator of byte strings (tarfile reads exact sizes)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        super().__init__()
        self._chunks = chunks
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        if size < 0:
            size = len(self._buffer)
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out


class _Member(io.RawIOBase):
    """A file being written into a sink; it is hashed, and committed when closed."""

    def __init__(self, sink: Sink, rel: str, target: IO[bytes] | SealedSpool) -> None:
        super().__init__()
        self._sink = sink
        self._rel = rel
        self._target = target
        self._hash = hashlib.sha256()
        self._size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._target.write(chunk)
        self._hash.update(chunk)
        self._size += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self._size

    def close(self) -> None:
        if self.closed:
            return
        super().close()
        self._sink.commit(self._rel, self._target, self._hash.hexdigest(), self._size)

    def __exit__(self, kind: Any, *rest: Any) -> None:
        if kind is None:
            self.close()
        else:
            # The writer failed or was cancelled: the member is incomplete, never commit it.
            self._sink.abort()
            super().close()
            self._target.close()


class Sink:
    """The base of the three sinks: the file table the manifest is built from.

    Attributes:
        files: relative path -> {"sha256", "bytes"} of every file written (not the manifest).
    """

    def __init__(self) -> None:
        self.files: dict[str, dict[str, Any]] = {}
        self.aborted = False

    def write(self, rel: str, data: bytes) -> None:
        """Add a whole file."""
        raise NotImplementedError

    def open(self, rel: str) -> BinaryIO:
        """A writable file for ``rel``; it is part of the export once closed."""
        raise NotImplementedError

    def commit(self, rel: str, target: IO[bytes] | SealedSpool, sha256: str, size: int) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Finish the container (after the manifest was written)."""

    def abort(self) -> None:
        """Stop: nothing more is committed; the caller removes what was written."""
        self.aborted = True

    def _record(self, rel: str, sha256: str, size: int) -> None:
        if rel in self.files:
            raise ExportError(f"The export would hold {rel} twice.")
        self.files[rel] = {"sha256": sha256, "bytes": size}


class FolderSink(Sink):
    """Files under ``root`` (the folder layout, and every unencrypted layout but zip)."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root
        root.mkdir(exist_ok=True)
        self._folders: set[Path] = {root}

    def _path(self, rel: str) -> Path:
        path = self.root / rel
        if path.parent not in self._folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(path.parent)
        return path

    def write(self, rel: str, data: bytes) -> None:
        with self._path(rel).open("xb") as f:
            f.write(data)
        if rel != "manifest.json":
            self._record(rel, hashlib.sha256(data).hexdigest(), len(data))

    def open(self, rel: str) -> BinaryIO:
        return _Member(self, rel, self._path(rel).open("xb"))  # type: ignore[return-value]

    def commit(self, rel: str, target: IO[bytes] | SealedSpool, sha256: str, size: int) -> None:
        target.close()
        self._record(rel, sha256, size)


class _ArchiveSink(Sink):
    """Members appended one after another; streams wait in a SealedSpool until closed."""

    def __init__(self, scratch: Path, tick: Tick = _no_tick) -> None:
        super().__init__()
        self._scratch = scratch
        self._tick = tick

    def write(self, rel: str, data: bytes) -> None:
        if rel != "manifest.json":
            self._record(rel, hashlib.sha256(data).hexdigest(), len(data))
        self._append(rel, len(data), iter((data,)))

    def open(self, rel: str) -> BinaryIO:
        return _Member(self, rel, SealedSpool(self._scratch))  # type: ignore[return-value]

    def commit(self, rel: str, target: IO[bytes] | SealedSpool, sha256: str, size: int) -> None:
        assert isinstance(target, SealedSpool)
        try:
            if not self.aborted:
                self._record(rel, sha256, size)
                self._append(rel, size, self._ticking(rel, target.chunks(), size))
        finally:
            target.close()

    def _ticking(self, rel: str, chunks: Iterator[bytes], size: int) -> Iterator[bytes]:
        done = 0
        for chunk in chunks:
            done += len(chunk)
            self._tick(f"packing {rel}", done, size)
            yield chunk

    def _append(self, rel: str, size: int, chunks: Iterator[bytes]) -> None:
        raise NotImplementedError


class TarSink(_ArchiveSink):
    """A POSIX (pax) tar written as a stream to ``fileobj`` (for age: the encryptor's pipe)."""

    def __init__(
        self, fileobj: IO[bytes], scratch: Path, created: float, tick: Tick = _no_tick
    ) -> None:
        super().__init__(scratch, tick)
        self._mtime = int(created)
        self._tar = tarfile.open(  # noqa: SIM115 - closed in close()
            fileobj=fileobj, mode="w|", format=tarfile.PAX_FORMAT
        )

    def _append(self, rel: str, size: int, chunks: Iterator[bytes]) -> None:
        # No owner names or local times: the export says nothing about the exporting account.
        info = tarfile.TarInfo(rel)
        info.size = size
        info.mtime = self._mtime
        info.mode = 0o644
        self._tar.addfile(info, _ChunkReader(chunks))

    def close(self) -> None:
        self._tar.close()

    def abort(self) -> None:
        super().abort()
        # Never finish the tar: its end blocks would go to a pipe that is being closed.
        tar: Any = self._tar
        tar.closed = True
        tar.fileobj.closed = True


class ZipSink(_ArchiveSink):
    """A zip file (PNG, Parquet and tar stored; JSON deflated)."""

    def __init__(self, path: Path, scratch: Path, created: float, tick: Tick = _no_tick) -> None:
        super().__init__(scratch, tick)
        stamp = time.gmtime(max(created, 315532800.0))  # zip dates start in 1980
        self._date = (
            stamp.tm_year,
            stamp.tm_mon,
            stamp.tm_mday,
            stamp.tm_hour,
            stamp.tm_min,
            stamp.tm_sec,
        )
        self._zip = zipfile.ZipFile(path, "x", allowZip64=True)

    def _append(self, rel: str, size: int, chunks: Iterator[bytes]) -> None:
        info = zipfile.ZipInfo(rel, date_time=self._date)
        info.compress_type = zipfile.ZIP_STORED if rel.endswith(_STORED) else zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        info.file_size = size
        with self._zip.open(info, "w") as out:
            for chunk in chunks:
                out.write(chunk)

    def close(self) -> None:
        self._zip.close()

    def abort(self) -> None:
        super().abort()
        self._zip.close()
