"""The vault: a folder of encrypted sessions behind one key pair (see API.md and FORMAT.md).

``Vault`` needs no passphrase: it lists, records (public key only), deletes and checks
structure. ``UnlockedVault`` holds the private key: it reads, redacts, approves and fully
verifies.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from storage import redact, redact_frames, verify
from storage.errors import (
    CorruptData,
    NotApproved,
    SessionBusy,
    SessionNotFound,
    StorageError,
    VaultExists,
    VaultLocked,
    VaultNotFound,
    WrongPassphrase,
)
from storage.format import crypto, index, keyrecord
from storage.format.files import (
    check_private,
    disk_errors,
    fsync_dir,
    make_private_dir,
    shred,
    tree_size,
    write_atomic,
)
from storage.format.index import SessionSummary
from storage.format.keyfile import DEFAULT_LOG_N, DEFAULT_P, DEFAULT_R, KeyFile
from storage.format.lock import Lock, is_locked, try_lock
from storage.reader import SessionReader
from storage.rewriter import Rewriter
from storage.verify import VerifyResult
from storage.writer import SessionWriter

KEY_FILE = "vault.key"
SESSIONS = "sessions"
WRITER_LOCK = "writer.lock"
_SESSION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")

__all__ = ["SessionSummary", "UnlockedVault", "Vault", "VerifyResult"]


def valid_session_id(session_id: str) -> bool:
    """Session ids are short ASCII names safe as folder names."""
    return isinstance(session_id, str) and bool(_SESSION_ID.match(session_id))


def new_session_id(now: float | None = None) -> str:
    """A sortable, unique id: UTC start time plus 6 random hex digits."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() if now is None else now))
    return f"{stamp}-{secrets.token_hex(3)}"


class Vault:
    """An opened vault (no passphrase needed).

    Attributes:
        home: the vault folder.
        key_file: the parsed key file (public key, vault id, wrapped private key).
    """

    def __init__(self, home: Path, key_file: KeyFile) -> None:
        self.home = home
        self.key_file = key_file

    # --- creating and opening ---------------------------------------------------------

    @classmethod
    def create(
        cls,
        home: Path,
        passphrase: bytes,
        *,
        log_n: int = DEFAULT_LOG_N,
        r: int = DEFAULT_R,
        p: int = DEFAULT_P,
        rng: crypto.Rng = os.urandom,
    ) -> Vault:
        """Create a new vault in ``home`` (which must be missing or an empty folder).

        Args:
            home: the vault folder.
            passphrase: protects the private key; needed to read, never to record.
            log_n: scrypt cost (log2 N); tests lower it.
            r: scrypt block size.
            p: scrypt parallelism.
            rng: randomness (injectable for known-answer tests).

        Raises:
            VaultExists: a vault, or anything else, is already there.
            DiskFull: the disk is full.
        """
        home = Path(home)
        if (home / KEY_FILE).exists():
            raise VaultExists(f"A vault already exists at {home}.")
        if home.exists() and (not home.is_dir() or any(home.iterdir())):
            raise VaultExists(f"{home} exists and is not an empty folder; choose another place.")
        if not passphrase:
            raise ValueError("the passphrase must not be empty")
        created = not home.exists()
        key_file, _private = KeyFile.create(passphrase, log_n=log_n, r=r, p=p, rng=rng)
        try:
            with disk_errors("creating the vault"):
                make_private_dir(home)
                make_private_dir(home / SESSIONS)
            write_atomic(home / KEY_FILE, key_file.to_bytes())
        except StorageError:
            # Leave nothing half-made behind, so a retry after freeing space just works.
            with contextlib.suppress(OSError):
                shutil.rmtree(home / SESSIONS)
                if created:
                    home.rmdir()
            raise
        return cls(home, key_file)

    @classmethod
    def open(cls, home: Path) -> Vault:
        """Open an existing vault, checking permissions and the key file's version.

        Raises:
            VaultNotFound: no vault there.
            UnsafePermissions: folders or key file readable by others.
            VersionTooNew / CorruptData: the key file is newer or damaged.
        """
        home = Path(home)
        path = home / KEY_FILE
        if not path.is_file():
            raise VaultNotFound(f"There is no vault at {home}; create one with 'overt init'.")
        check_private(home)
        check_private(path)
        if (home / SESSIONS).exists():
            check_private(home / SESSIONS)
        else:
            with disk_errors("repairing the vault"):
                make_private_dir(home / SESSIONS)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise StorageError(f"Could not read the vault key file: {exc.strerror}.") from None
        vault = cls(home, KeyFile.from_bytes(data))
        vault.finish_interrupted_changes()
        return vault

    def finish_interrupted_changes(self) -> int:
        """Complete key-record replacements a crash interrupted (no passphrase needed).

        A leftover ``keys.next`` means the old ``keys`` may still hold keys that a redaction
        meant to destroy; shredding it promptly matters. Sessions locked by another process
        are left to that process.

        Returns:
            The number of sessions repaired.
        """
        n = 0
        for sid in self.session_ids():
            path = self.home / SESSIONS / sid
            if not (path / keyrecord.NEXT).exists():
                continue
            lock = try_lock(path, directory=True)
            if lock is None:
                continue
            try:
                keyrecord.recover(path)
                n += 1
            finally:
                lock.release()
        return n

    # --- listing ----------------------------------------------------------------------

    @property
    def vault_id(self) -> bytes:
        """The vault's 16-byte id."""
        return self.key_file.vault_id

    def session_dir(self, session_id: str) -> Path:
        """The folder of a session (SessionNotFound if the id is invalid or unknown)."""
        if not valid_session_id(session_id):
            raise SessionNotFound(f"There is no session {session_id!r} in this vault.")
        path = self.home / SESSIONS / session_id
        if not path.is_dir() or not (
            (path / keyrecord.FILE).exists() or (path / keyrecord.NEXT).exists()
        ):
            raise SessionNotFound(f"There is no session {session_id} in this vault.")
        return path

    def session_ids(self) -> list[str]:
        """Ids of every session folder holding a key record, sorted (= by start time)."""
        try:
            names = os.listdir(self.home / SESSIONS)
        except FileNotFoundError:
            return []
        out = []
        for name in names:
            if not valid_session_id(name):
                continue
            d = self.home / SESSIONS / name
            if (d / keyrecord.FILE).exists() or (d / keyrecord.NEXT).exists():
                out.append(name)
        return sorted(out)

    def sessions(self) -> list[SessionSummary]:
        """Every session's summary, from the index (no decryption, no captured content)."""
        return [self.session(sid) for sid in self.session_ids()]

    def session(self, session_id: str) -> SessionSummary:
        """One session's summary from the index.

        Raises:
            SessionNotFound: no such session.
        """
        path = self.session_dir(session_id)
        s = index.read_summary(path, session_id) or index.unknown_summary(session_id)
        if s.state == "recording" and not self.is_recording(session_id):
            s.state = "interrupted"
        s.bytes = tree_size(path)
        return s

    def is_recording(self, session_id: str) -> bool:
        """True while a writer (in any process) holds the session open."""
        return is_locked(self.home / SESSIONS / session_id, directory=True)

    # --- recording --------------------------------------------------------------------

    def begin_session(
        self,
        consent: dict[str, Any],
        *,
        session_id: str | None = None,
        aead_factory: crypto.AeadFactory = crypto.default_aead,
        rng: crypto.Rng = os.urandom,
        clock: Callable[[], float] = time.time,
    ) -> SessionWriter:
        """Start recording a session (public key only: no passphrase).

        Args:
            consent: the consent record; required, stored encrypted, its SHA-256 bound into
                every chunk of the session.
            session_id: an explicit id (tests, imports); a fresh one by default.
            aead_factory: for benchmarks only (tests/bench/bench_storage.py); never change it
                otherwise.
            rng: randomness (injectable for known-answer tests).
            clock: wall-clock time of the start (tests fake it); the session's expiry is
                ``clock() + consent["retention"]["local_days"] * 86400`` (FORMAT.md 6).

        Raises:
            VaultLocked: another writer holds the vault.
        """
        if not isinstance(consent, dict) or not consent:
            raise ValueError("a session cannot start without a consent record")
        sid = session_id or new_session_id(clock())
        if not valid_session_id(sid):
            raise ValueError(f"invalid session id {sid!r}")
        vault_lock = try_lock(self.home / WRITER_LOCK)
        if vault_lock is None:
            raise VaultLocked("Another Overt process is already recording into this vault.")
        locks = [vault_lock]
        try:
            path = self.home / SESSIONS / sid
            try:
                with disk_errors("starting a session"):
                    os.mkdir(path, 0o700)
                    os.chmod(path, 0o700)
            except FileExistsError:
                raise VaultExists(f"A session named {sid} already exists.") from None
            session_lock = try_lock(path, directory=True)
            if session_lock is None:
                raise SessionBusy(f"Session {sid} is in use by another process.")
            locks.append(session_lock)
            return SessionWriter(
                session_dir=path,
                session_id=sid,
                vault_id=self.vault_id,
                public_key=self.key_file.public_key,
                consent=consent,
                locks=locks,
                aead_factory=aead_factory,
                rng=rng,
                clock=clock,
            )
        except BaseException:
            for lock in locks:
                lock.release()
            raise

    # --- deleting ---------------------------------------------------------------------

    def expired(self, now: float) -> list[SessionSummary]:
        """Sessions past their retention expiry at ``now`` (no passphrase needed).

        The expiry is read from the plaintext index (FORMAT.md section 6). Sessions being
        recorded, and sessions without an expiry (no retention, index entry missing or
        damaged, written before index version 2), are never listed.
        """
        out = []
        for s in self.sessions():
            if s.expires is not None and now > s.expires and not self.is_recording(s.id):
                out.append(s)
        return out

    def expire(self, now: float) -> list[str]:
        """Delete every expired session irrecoverably (``delete_session``).

        A session that is busy (being recorded or changed) or already gone is skipped; it
        is tried again the next time.

        Returns:
            The ids of the sessions deleted.
        """
        deleted = []
        for s in self.expired(now):
            try:
                self.delete_session(s.id)
            except (SessionBusy, SessionNotFound):
                continue
            deleted.append(s.id)
        return deleted

    def delete_session(self, session_id: str) -> None:
        """Delete a session irrecoverably: its key record is overwritten, then all is removed.

        Raises:
            SessionNotFound: no such session.
            SessionBusy: it is being recorded or changed right now.
        """
        path = self.session_dir(session_id)
        lock = self._session_lock(session_id)
        try:
            # The key record first: once it is gone the streams are noise.
            shred(path / keyrecord.NEXT)
            shred(path / keyrecord.FILE)
            with disk_errors("deleting a session"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path / index.FILE)
                fsync_dir(path)
                for name in os.listdir(path):
                    os.unlink(path / name)
        finally:
            lock.release()
        with disk_errors("deleting a session"):
            shutil.rmtree(path, ignore_errors=True)
            fsync_dir(self.home / SESSIONS)

    def _session_lock(self, session_id: str) -> Lock:
        lock = try_lock(self.home / SESSIONS / session_id, directory=True)
        if lock is None:
            raise SessionBusy(f"Session {session_id} is being recorded or changed right now.")
        return lock

    # --- passphrase -------------------------------------------------------------------

    def unlock(self, passphrase: bytes) -> UnlockedVault:
        """Unwrap the private key.

        Raises:
            WrongPassphrase: the passphrase does not unlock the vault.
        """
        return UnlockedVault(self, self.key_file.unwrap(passphrase))

    def unlock_with_private_key(self, raw: bytes) -> UnlockedVault:
        """Unlock with a private key remembered elsewhere (the app's opt-in OS keyring).

        storage/ itself never talks to a keyring (that needs IPC sockets); app/ may store
        ``UnlockedVault.private_key_bytes()`` there when the person opts in.

        Raises:
            WrongPassphrase: the key is not this vault's.
        """
        try:
            private = X25519PrivateKey.from_private_bytes(bytes(raw))
        except ValueError:
            raise WrongPassphrase("The remembered key does not unlock this vault.") from None
        if crypto.public_bytes(private) != self.key_file.public_key:
            raise WrongPassphrase("The remembered key does not unlock this vault.")
        return UnlockedVault(self, private)

    def change_passphrase(self, old: bytes, new: bytes) -> None:
        """Re-wrap the private key under ``new``; only the key file is rewritten.

        Raises:
            WrongPassphrase: ``old`` is wrong.
        """
        if not new:
            raise ValueError("the new passphrase must not be empty")
        kf = self.key_file
        private = kf.unwrap(old)
        new_kf = KeyFile.wrap(private, kf.vault_id, new, log_n=kf.log_n, r=kf.r, p=kf.p)
        write_atomic(self.home / KEY_FILE, new_kf.to_bytes())
        self.key_file = new_kf

    # --- checking ---------------------------------------------------------------------

    def verify(
        self, session_id: str | None = None, *, passphrase: bytes | None = None
    ) -> list[VerifyResult]:
        """Check sessions; never stops at the first bad one.

        Without a passphrase only the structure is checked (headers, chunk framing, final
        chunks): authenticating chunks needs the keys. With one, every chunk is decrypted
        and authenticated (see UnlockedVault.verify).

        Args:
            session_id: one session, or all.
            passphrase: enables the full cryptographic check.

        Returns:
            One VerifyResult per session.
        """
        if passphrase is not None:
            return self.unlock(passphrase).verify(session_id)
        ids = [session_id] if session_id is not None else self.session_ids()
        out = []
        for sid in ids:
            path = self.session_dir(sid)
            out.append(verify.structure(path, sid, self.is_recording(sid)))
        return out


class UnlockedVault:
    """A vault with its private key: reading, redacting, approving, full verification.

    Attributes:
        vault: the underlying Vault.
    """

    def __init__(self, vault: Vault, private: X25519PrivateKey) -> None:
        self.vault = vault
        self._private = private

    @property
    def home(self) -> Path:
        """The vault folder."""
        return self.vault.home

    def private_key_bytes(self) -> bytes:
        """The raw private key, for the opt-in keyring convenience only (off by default)."""
        return crypto.private_bytes(self._private)

    def open_session(self, session_id: str) -> SessionReader:
        """Open a session for reading (every chunk authenticated as read).

        Raises:
            SessionNotFound: no such session.
            CorruptData: its key record or consent fail authentication.
        """
        path = self.vault.session_dir(session_id)
        return SessionReader(
            path,
            session_id,
            self.vault.vault_id,
            self._private,
            recording=self.vault.is_recording(session_id),
        )

    # --- redaction (storage/redact.py and redact_frames.py do the work) ----------------

    def redact_region(
        self,
        session_id: str,
        rect: tuple[int, int, int, int],
        frames: range | None = None,
        fill: tuple[int, int, int] = (0, 0, 0),
    ) -> int:
        """Fill ``rect`` (x, y, w, h in frame pixels) with a solid colour in the given frames.

        Returns:
            The number of frames whose pixels changed.
        """
        with self._changing(session_id) as reader, self._rewriter(reader) as rw:
            return redact_frames.region(rw, rect, frames, fill)

    def redact_text(self, session_id: str, text: str) -> int:
        """Remove every occurrence of ``text`` from typed keys, actions and window titles.

        Returns:
            The number of occurrences removed.
        """
        if not text:
            raise ValueError("nothing to redact")
        with self._changing(session_id) as reader, self._rewriter(reader) as rw:
            return redact.text(rw, text)

    def redact_typed_spans(self, session_id: str, spans: list[tuple[int, int, int]]) -> int:
        """Remove only these spans of typed text: ``(type action seq, start, end)``.

        Unlike ``redact_text``, other occurrences of the same characters stay.

        Returns:
            The number of characters removed.
        """
        with self._changing(session_id) as reader, self._rewriter(reader) as rw:
            return redact.typed_spans(rw, spans)

    def delete_frames(self, session_id: str, frames: set[int]) -> int:
        """Delete these frames (indices); the others are renumbered and stay pixel-exact.

        Returns:
            The number of frames deleted.
        """
        with self._changing(session_id) as reader, self._rewriter(reader) as rw:
            return redact_frames.frames_deleted(rw, set(frames))

    def redact_events(self, session_id: str, seqs: range) -> int:
        """Remove the events with these seqs, and every action built on any of them.

        Returns:
            The number of events removed.
        """
        with self._changing(session_id) as reader, self._rewriter(reader) as rw:
            return redact.events(rw, seqs)

    def redact_window_titles(self, session_id: str, seqs: range | None = None) -> int:
        """Blank window titles (all, or of the window events with these seqs).

        Returns:
            The number of titles blanked.
        """
        with self._changing(session_id) as reader, self._rewriter(reader) as rw:
            return redact.window_titles(rw, seqs)

    def approve(self, session_id: str) -> None:
        """Mark a session reviewed and approved for export."""
        with self._changing(session_id) as reader:
            rec = reader.record
            rec.review = "approved"
            keyrecord.replace(
                reader.path,
                keyrecord.seal_record(rec, self.vault.vault_id, self.vault.key_file.public_key),
            )
            self._refresh_summary(reader.path, session_id)

    def require_approved(self, session_id: str) -> None:
        """Raise NotApproved unless the session was approved (export calls this)."""
        if self.open_session(session_id).record.review != "approved":
            raise NotApproved(f"Session {session_id} has not been approved; review it first.")

    # --- index and verification -------------------------------------------------------

    def verify(self, session_id: str | None = None) -> list[VerifyResult]:
        """Decrypt and authenticate every chunk of every (or one) session."""
        ids = [session_id] if session_id is not None else self.vault.session_ids()
        out = []
        for sid in ids:
            path = self.vault.session_dir(sid)
            out.append(
                verify.full(
                    path, sid, self.vault.vault_id, self._private, self.vault.is_recording(sid)
                )
            )
        return out

    def rebuild_index(self) -> int:
        """Rewrite every session's index entry from the encrypted store.

        Returns:
            The number of sessions whose entry was rebuilt (damaged ones are skipped).
        """
        n = 0
        for sid in self.vault.session_ids():
            if self.vault.is_recording(sid):
                continue
            with contextlib.suppress(CorruptData):
                self._refresh_summary(self.vault.session_dir(sid), sid)
                n += 1
        return n

    def _refresh_summary(self, path: Path, session_id: str) -> None:
        reader = SessionReader(path, session_id, self.vault.vault_id, self._private)
        s = reader.summary
        s.events = sum(1 for _ in reader.events())
        s.actions = sum(1 for _ in reader.actions())
        index.write_summary(path, s)

    # --- helpers ----------------------------------------------------------------------

    @contextlib.contextmanager
    def _changing(self, session_id: str) -> Any:
        """Hold the session's lock (SessionBusy if recording) and yield a fresh reader."""
        path = self.vault.session_dir(session_id)
        lock = self.vault._session_lock(session_id)
        try:
            keyrecord.recover(path)
            reader = SessionReader(path, session_id, self.vault.vault_id, self._private)
            _remove_orphans(reader)
            yield reader
        finally:
            lock.release()

    def _rewriter(self, reader: SessionReader) -> Rewriter:
        return Rewriter(
            reader,
            self.vault.vault_id,
            self.vault.key_file.public_key,
            on_done=lambda: self._refresh_summary(reader.path, reader.session_id),
        )


def _remove_orphans(reader: SessionReader) -> None:
    """Unlink stream files the key record does not name (left by a crashed redaction).

    Their keys were never saved or are already destroyed, so they are noise; removing them
    keeps the folder honest about what it holds.
    """
    current = {sk.file for sk in reader.record.streams.values()}
    for name in os.listdir(reader.path):
        if verify.STREAM_FILE.match(name) and name not in current:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(reader.path / name)
