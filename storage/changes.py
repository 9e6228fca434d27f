"""Changing recorded sessions, each under its folder's lock: rewrites, approval, the index.

The work of ``UnlockedVault``'s changing methods; the rewrites themselves are in
storage/redact.py and storage/redact_frames.py, their commit in storage/rewriter.py.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from storage import sessions
from storage.errors import CorruptData
from storage.format import index, keyrecord
from storage.reader import SessionReader
from storage.rewriter import Rewriter
from storage.verify import STREAM_FILE


class SessionChanges:
    """Opens sessions of one vault for changing, one at a time per session.

    Attributes:
        home: the vault folder.
    """

    def __init__(
        self, home: Path, vault_id: bytes, public_key: bytes, private: X25519PrivateKey
    ) -> None:
        self.home = home
        self._vault_id = vault_id
        self._public_key = public_key
        self._private = private

    @contextlib.contextmanager
    def reading(self, session_id: str) -> Iterator[SessionReader]:
        """Hold the session's lock (SessionBusy if recording) and yield a fresh reader.

        A crash may have left a key-record replacement unfinished (finished only if its
        ``keys.next`` authenticates), or stream files of a rewrite that never committed:
        both are dealt with first.
        """
        path = sessions.session_dir(self.home, session_id)
        lock = sessions.lock_session(self.home, session_id)
        try:
            keyrecord.settle(path, self._vault_id, self._private, session_id)
            reader = SessionReader(path, session_id, self._vault_id, self._private)
            _remove_orphans(reader)
            yield reader
        finally:
            lock.release()

    @contextlib.contextmanager
    def rewriting(self, session_id: str) -> Iterator[Rewriter]:
        """Under the session's lock, a Rewriter that refreshes the index when it commits."""
        with (
            self.reading(session_id) as reader,
            Rewriter(
                reader,
                self._vault_id,
                self._public_key,
                on_done=lambda: self.refresh_summary(reader.path, reader.session_id, ends=True),
            ) as rw,
        ):
            yield rw

    def approve(self, session_id: str) -> None:
        """Set the key record's review state to "approved" and refresh the index."""
        with self.reading(session_id) as reader:
            rec = reader.record
            rec.review = "approved"
            keyrecord.replace(
                reader.path, keyrecord.seal_record(rec, self._vault_id, self._public_key)
            )
            self.refresh_summary(reader.path, session_id)

    def refresh_summary(self, path: Path, session_id: str, *, ends: bool = False) -> None:
        """Rewrite one session's index entry from its encrypted streams.

        Args:
            ends: a rewrite may have deleted the session's tail: its duration then ends at
                the last frame, event or action left (SessionReader.summary keeps that).
        """
        reader = SessionReader(path, session_id, self._vault_id, self._private)
        s = reader.summary
        s.events = s.actions = 0
        end = max([0.0, *(float(f.get("t", 0.0)) for f in reader.frames())])
        for e in reader.events():
            s.events, end = s.events + 1, max(end, float(e.get("t", 0.0)))
        for a in reader.actions():
            s.actions, end = s.actions + 1, max(end, float(a.get("t_end", a.get("t", 0.0))))
        if ends:
            s.duration = min(s.duration, round(end, 3))
        index.write_summary(path, s)

    def rebuild_index(self) -> int:
        """Refresh every session's index entry; sessions being recorded or damaged are skipped.

        Returns:
            The number of entries rebuilt.
        """
        n = 0
        for sid in sessions.session_ids(self.home):
            if sessions.is_recording(self.home, sid):
                continue
            with contextlib.suppress(CorruptData):
                self.refresh_summary(sessions.session_dir(self.home, sid), sid)
                n += 1
        return n


def _remove_orphans(reader: SessionReader) -> None:
    """Unlink stream files the key record does not name (left by a crashed redaction).

    Their keys were never saved or are already destroyed, so they are noise; removing them
    keeps the folder honest about what it holds.
    """
    current = {sk.file for sk in reader.record.streams.values()}
    for name in os.listdir(reader.path):
        if STREAM_FILE.match(name) and name not in current:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(reader.path / name)
