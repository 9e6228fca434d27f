"""The vault's two handles: ``Vault`` (no passphrase) and ``UnlockedVault`` (the private key).

``Vault`` lists, records (public key only), deletes and checks structure. ``UnlockedVault``
reads, redacts, approves and fully verifies. Each concern's work is in its own module:
storage/opening.py, sessions.py, deletion.py and changes.py. The contract is API.md.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from storage import (
    deletion,
    episode_changes,
    opening,
    redact,
    redact_frames,
    sessions,
    staging,
    verify,
)
from storage.changes import SessionChanges
from storage.errors import NotApproved
from storage.format import crypto
from storage.format.index import SessionSummary
from storage.format.keyfile import DEFAULT_LOG_N, DEFAULT_P, DEFAULT_R, KeyFile
from storage.opening import KEY_FILE
from storage.pins import PinStore
from storage.reader import SessionReader
from storage.verify import VerifyResult
from storage.writer import SessionWriter

__all__ = ["KEY_FILE", "SessionSummary", "UnlockedVault", "Vault", "VerifyResult"]


class Vault:
    """An opened vault (no passphrase needed).

    Attributes:
        home: the vault folder.
        key_file: the parsed key file (public key, vault id, wrapped private key).
        pins: where the vault's identity is pinned outside it (storage/pins.py).
    """

    def __init__(self, home: Path, key_file: KeyFile, pins: PinStore | None = None) -> None:
        self.home = home
        self.key_file = key_file
        self.pins = pins or PinStore.default()

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
        pins: PinStore | None = None,
    ) -> Vault:
        """Create a new vault in ``home`` (which must be missing or an empty folder).

        Args:
            home: the vault folder.
            passphrase: protects the private key; needed to read, never to record.
            log_n: scrypt cost (log2 N); tests lower it.
            r: scrypt block size.
            p: scrypt parallelism.
            rng: randomness (injectable for known-answer tests).
            pins: where to pin the new vault's identity (the config folder's by default).

        Raises:
            VaultExists: a vault, or anything else, is already there.
            DiskFull: the disk is full (nothing is left behind).
        """
        home = Path(home)
        key_file = opening.create(home, passphrase, log_n=log_n, r=r, p=p, rng=rng)
        vault = cls(home, key_file, pins)
        vault.pins.pin_quietly(home, key_file)
        return vault

    @classmethod
    def open(cls, home: Path, *, pins: PinStore | None = None) -> Vault:
        """Open an existing vault, checking permissions and the key file's version.

        Key-record replacements a crash interrupted are finished here, and idle export
        staging folders a killed export left are removed (storage/staging.py). ``pins`` is
        where the vault's identity is pinned (the config folder's by default; storage/pins.py).

        Raises:
            VaultNotFound: no vault there.
            UnsafePermissions: folders or key file readable by others.
            VersionTooNew / CorruptData: the key file is newer or damaged.
        """
        home = Path(home)
        vault = cls(home, opening.open_key_file(home), pins)
        vault.finish_interrupted_changes()
        staging.remove_stale(home)
        return vault

    def finish_interrupted_changes(self) -> int:
        """Complete deletions a crash interrupted (no passphrase needed).

        Key-record replacements are finished at unlock (``UnlockedVault.
        finish_interrupted_changes``): only the private key tells an authentic ``keys.next``
        from a planted one. Sessions locked by another process are left to that process.

        Returns:
            The number of sessions deleted.
        """
        return opening.finish_interrupted_changes(self.home)

    # --- listing ----------------------------------------------------------------------

    @property
    def vault_id(self) -> bytes:
        """The vault's 16-byte id."""
        return self.key_file.vault_id

    def session_dir(self, session_id: str) -> Path:
        """The folder of a session (SessionNotFound if the id is invalid or unknown)."""
        return sessions.session_dir(self.home, session_id)

    def session_ids(self) -> list[str]:
        """Ids of every session folder holding a key record, sorted (= by start time)."""
        return sessions.session_ids(self.home)

    def sessions(self) -> list[SessionSummary]:
        """Every session's summary, from the index (no decryption, no captured content)."""
        return [self.session(sid) for sid in self.session_ids()]

    def session(self, session_id: str) -> SessionSummary:
        """One session's summary from the index.

        Raises:
            SessionNotFound: no such session.
        """
        return sessions.summary(self.home, session_id)

    def is_recording(self, session_id: str) -> bool:
        """True while a writer (in any process) holds the session open."""
        return sessions.is_recording(self.home, session_id)

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
            VaultKeyChanged: the key file is not the one pinned for this vault (replaced by
                someone who could then read what is recorded); a vault never pinned is pinned.
            VaultLocked: another writer holds the vault.
        """
        if not isinstance(consent, dict) or not consent:
            raise ValueError("a session cannot start without a consent record")
        self.pins.check(self.home, self.key_file)
        sid = session_id or sessions.new_session_id(clock())
        if not sessions.valid_session_id(sid):
            raise ValueError(f"invalid session id {sid!r}")
        path, locks = sessions.make_session_folder(self.home, sid)
        try:
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
        return deletion.expired(self.home, now)

    def expire(self, now: float) -> list[str]:
        """Delete every expired session irrecoverably (``delete_session``).

        A session that is busy (being recorded or changed) or already gone is skipped; it
        is tried again the next time.

        Returns:
            The ids of the sessions deleted.
        """
        return deletion.expire(self.home, now)

    def delete_session(self, session_id: str) -> None:
        """Delete a session irrecoverably: renamed out of the listing, key record overwritten.

        Raises:
            SessionNotFound: no such session.
            SessionBusy: it is being recorded or changed right now.
        """
        deletion.delete_session(self.home, session_id)

    # --- passphrase -------------------------------------------------------------------

    def unlock(self, passphrase: bytes) -> UnlockedVault:
        """Unwrap the private key.

        Raises:
            WrongPassphrase: the passphrase does not unlock the vault.
        """
        return self._unlocked(self.key_file.unwrap(passphrase))

    def unlock_with_private_key(self, raw: bytes) -> UnlockedVault:
        """Unlock with a private key remembered elsewhere (the app's opt-in OS keyring).

        storage/ itself never talks to a keyring (that needs IPC sockets); app/ may store
        ``UnlockedVault.private_key_bytes()`` there when the person opts in.

        Raises:
            WrongPassphrase: the key is not this vault's.
        """
        return self._unlocked(opening.remembered_private_key(raw, self.key_file))

    def _unlocked(self, private: X25519PrivateKey) -> UnlockedVault:
        # The private key yields the key file's public key (checked by both callers), and the
        # passphrase authenticated the file: it is the owner's, so it is pinned (again).
        self.pins.pin_quietly(self.home, self.key_file)
        unlocked = UnlockedVault(self, private)
        unlocked.finish_interrupted_changes()
        return unlocked

    def change_passphrase(self, old: bytes, new: bytes) -> None:
        """Re-wrap the private key under ``new``; only the key file is rewritten.

        Raises:
            WrongPassphrase: ``old`` is wrong.
        """
        self.key_file = opening.change_passphrase(self.home, self.key_file, old, new)
        self.pins.pin_quietly(self.home, self.key_file)

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
        return [verify.structure(self.session_dir(s), s, self.is_recording(s)) for s in ids]


class UnlockedVault:
    """A vault with its private key: reading, redacting, approving, full verification.

    Attributes:
        vault: the underlying Vault.
    """

    def __init__(self, vault: Vault, private: X25519PrivateKey) -> None:
        self.vault = vault
        self._private = private
        self._changes = SessionChanges(
            vault.home, vault.vault_id, vault.key_file.public_key, private
        )

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
        vault = self.vault
        path, recording = vault.session_dir(session_id), vault.is_recording(session_id)
        return SessionReader(path, session_id, vault.vault_id, self._private, recording=recording)

    # --- changing a session (under its lock; SessionBusy while it is recorded) ----------

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
        with self._changes.rewriting(session_id) as rw:
            return redact_frames.region(rw, rect, frames, fill)

    def redact_text(self, session_id: str, text: str) -> int:
        """Remove every occurrence of ``text`` from typed keys, actions, window titles and
        task episodes' instructions and notes.

        Returns:
            The number of occurrences removed.
        """
        if not text:
            raise ValueError("nothing to redact")
        with self._changes.rewriting(session_id) as rw:
            return redact.text(rw, text)

    def redact_typed_spans(self, session_id: str, spans: list[tuple[int, int, int]]) -> int:
        """Remove only these spans of typed text: ``(type action seq, start, end)``.

        Unlike ``redact_text``, other occurrences of the same characters stay.

        Returns:
            The number of characters removed.
        """
        with self._changes.rewriting(session_id) as rw:
            return redact.typed_spans(rw, spans)

    def delete_frames(self, session_id: str, frames: set[int]) -> int:
        """Delete these frames (indices); the others are renumbered and stay pixel-exact.

        Returns:
            The number of frames deleted.
        """
        with self._changes.rewriting(session_id) as rw:
            return redact_frames.frames_deleted(rw, set(frames))

    def redact_events(self, session_id: str, seqs: range) -> int:
        """Remove the events with these seqs, and every action built on any of them.

        Returns:
            The number of events removed.
        """
        with self._changes.rewriting(session_id) as rw:
            return redact.events(rw, seqs)

    def redact_window_titles(self, session_id: str, seqs: range | None = None) -> int:
        """Blank window titles (all, or of the window events with these seqs).

        Returns:
            The number of titles blanked.
        """
        with self._changes.rewriting(session_id) as rw:
            return redact.window_titles(rw, seqs)

    def set_episodes(self, session_id: str, episodes: list[Any]) -> int:
        """Replace the task episodes with this whole list (storage/episodes.py builds it),
        rewritten under a fresh key; checked whole first, so a bad list changes nothing.

        Returns:
            The number of episodes the session now holds.
        """
        with self._changes.rewriting(session_id) as rw:
            return episode_changes.replace(rw, episodes)

    def approve(self, session_id: str) -> None:
        """Mark a session approved for export (review state "unreviewed" -> "approved")."""
        self._changes.approve(session_id)

    def require_approved(self, session_id: str) -> None:
        """Raise NotApproved unless the session was approved (export calls this)."""
        if self.open_session(session_id).record.review != "approved":
            raise NotApproved(f"Session {session_id} has not been approved; review it first.")

    # --- index and verification -------------------------------------------------------

    def verify(self, session_id: str | None = None) -> list[VerifyResult]:
        """Decrypt and authenticate every chunk of every (or one) session."""
        vault = self.vault
        ids = [session_id] if session_id is not None else vault.session_ids()
        return [
            verify.full(
                vault.session_dir(s), s, vault.vault_id, self._private, vault.is_recording(s)
            )
            for s in ids
        ]

    def finish_interrupted_changes(self) -> int:
        """Finish key-record replacements a crash interrupted whose ``keys.next`` authenticates;
        shred ones that do not (garbage, another session's). Unlocking does this.

        Returns:
            The number of sessions settled.
        """
        vault = self.vault
        return opening.finish_replacements(vault.home, vault.vault_id, self._private)

    def rebuild_index(self) -> int:
        """Rewrite every session's index entry from the encrypted store.

        Returns:
            The number of sessions whose entry was rebuilt (damaged ones are skipped).
        """
        return self._changes.rebuild_index()
