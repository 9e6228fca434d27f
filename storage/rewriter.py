"""Rewriting a session's streams: new files under fresh keys, committed all at once.

Nothing is edited in place. New stream files are written whole under new random keys, the
key record is replaced (the old one overwritten), and only then are the old files removed.
Copies of the old files are undecryptable with anything the vault holds afterwards.
Every commit appends to the encrypted redaction log: what kind, where, when, how many;
never the content.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from storage.errors import CorruptData
from storage.format import crypto, keyrecord, records_io
from storage.format.files import fsync_dir
from storage.format.stream import StreamContext, StreamWriter, read_chunk_at
from storage.reader import SessionReader


class Rewriter:
    """Collects rewritten streams of one session and commits them atomically.

    Attributes:
        reader: the session as it is before the redaction.
    """

    def __init__(
        self,
        reader: SessionReader,
        vault_id: bytes,
        public_key: bytes,
        on_done: Callable[[], None],
        rng: crypto.Rng = os.urandom,
    ) -> None:
        self.reader = reader
        self._vault_id = vault_id
        self._public_key = public_key
        self._on_done = on_done
        self._rng = rng
        self._new: dict[str, tuple[StreamWriter, keyrecord.StreamKey]] = {}

    def __enter__(self) -> Rewriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:
            self._discard()

    def open_stream(self, name: str) -> StreamWriter:
        """A fresh file for stream ``name`` under a new random key."""
        rec = self.reader.record
        gen = 0
        taken = {s.file for s in rec.streams.values()}
        while f"{name}.{gen}" in taken or (self.reader.path / f"{name}.{gen}").exists():
            gen += 1
        sk = keyrecord.StreamKey(f"{name}.{gen}", self._rng(crypto.KEY_LEN))
        ctx = StreamContext(self._vault_id, rec.session_id, name, rec.consent_sha256)
        w = StreamWriter(self.reader.path / sk.file, sk.key, ctx)
        self._new[name] = (w, sk)
        return w

    def old_frame_blob(self, chunk: int, offset: int) -> bytes:
        """One stored frame image of the session as it is now (authenticated), to copy."""
        rec = self.reader.record
        sk = rec.streams["frames"]
        ctx = StreamContext(self._vault_id, rec.session_id, "frames", rec.consent_sha256)
        recs = read_chunk_at(self.reader.path / sk.file, sk.key, ctx, chunk, offset)
        if len(recs) != 1:
            what = f"Session {rec.session_id}, stream frames, chunk {chunk}"
            raise CorruptData(f"{what} is malformed.")
        return recs[0]

    def write_records(self, name: str, records: list[dict[str, Any]]) -> None:
        """Write a whole record stream anew."""
        w = self.open_stream(name)
        for r in records:
            w.append(records_io.dumps(r))

    def commit(self, log_entry: dict[str, Any]) -> None:
        """Log the redaction, seal the new keys, destroy the old record, remove old files."""
        rec = self.reader.record
        try:
            log = self.reader.redactions()
            log.append({**log_entry, "when": time.time()})
            self.write_records("redactions", log)
            for w, _sk in self._new.values():
                w.close(final=True)
        except BaseException:
            self._discard()
            raise
        old_files = []
        for name, (w, sk) in self._new.items():
            if name in rec.streams:
                old_files.append(rec.streams[name].file)
            rec.streams[name] = sk
            rec.chunks[name] = w.chunks
        try:
            data = keyrecord.seal_record(rec, self._vault_id, self._public_key, self._rng)
            keyrecord.stage(self.reader.path, data)
        except BaseException:
            self._discard()
            raise
        # The new record is in force: from here on nothing may be undone, only finished.
        self._new = {}
        keyrecord.recover(self.reader.path)
        for f in old_files:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.reader.path / f)
        fsync_dir(self.reader.path)
        self._on_done()

    def _discard(self) -> None:
        """Remove new files of a redaction that did not commit (their keys were never saved)."""
        new, self._new = self._new, {}
        for w, sk in new.values():
            w.abandon()
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.reader.path / sk.file)
