"""The per-session key record: the session's content keys, sealed to the vault public key.

It is the one small file whose destruction shreds a session: every stream key lives only
here. See FORMAT.md, "Key record".
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from storage.errors import CorruptData, StorageError
from storage.format import crypto
from storage.format.files import disk_errors, fsync_dir, shred, write_atomic
from storage.format.header import HEADER, FileHeader

MAGIC = b"OVRTKEYS"
#: Version 2 names an ``episodes`` or ``elements`` stream; a record without either is still
#: written as version 1,
#: so an older Overt (which would not redact or delete what it does not know) refuses only the
#: sessions it cannot handle whole (FORMAT.md sections 4 and 10).
VERSION = 2
FILE_HEADER = FileHeader(MAGIC, VERSION, "an Overt key record", "is malformed")
FILE = "keys"
NEXT = "keys.next"
_AD_PREFIX = b"overt key record v1\x00"
MAX_SIZE = 1 << 20


@dataclass
class StreamKey:
    """One stream's current file and key.

    Attributes:
        file: file name inside the session folder, e.g. "events.0".
        key: the 32-byte AES-256-GCM key.
    """

    file: str
    key: bytes


@dataclass
class KeyRecord:
    """The decrypted key record.

    Attributes:
        session_id: the session it belongs to (also bound in the associated data).
        consent_sha256: hash of the canonical consent record, bound into every chunk.
        started: wall-clock start (Unix seconds).
        streams: stream name -> StreamKey.
        closed: True once the writer closed the session cleanly.
        state: "recording" until closed, then "complete" or "interrupted".
        chunks: when closed, stream name -> chunk count (detects truncation at a boundary).
        review: "unreviewed" or "approved".
        ended: wall-clock end when closed.
    """

    session_id: str
    consent_sha256: bytes
    started: float
    streams: dict[str, StreamKey]
    closed: bool = False
    state: str = "recording"
    chunks: dict[str, int] = field(default_factory=dict)
    review: str = "unreviewed"
    ended: float | None = None

    def to_plain(self) -> bytes:
        """Canonical JSON plaintext."""
        doc = {
            "session": self.session_id,
            "consent_sha256": self.consent_sha256.hex(),
            "started": self.started,
            "ended": self.ended,
            "streams": {
                n: {"file": s.file, "key": base64.b64encode(s.key).decode()}
                for n, s in sorted(self.streams.items())
            },
            "closed": self.closed,
            "state": self.state,
            "chunks": self.chunks,
            "review": self.review,
        }
        return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()

    @classmethod
    def from_plain(cls, data: bytes, session_id: str) -> KeyRecord:
        """Parse the plaintext (authenticated already, but still checked field by field)."""
        try:
            doc = json.loads(data)
            streams = {}
            for name, s in doc["streams"].items():
                key = base64.b64decode(s["key"], validate=True)
                if len(key) != crypto.KEY_LEN or not _safe_name(s["file"]):
                    raise ValueError("bad stream entry")
                streams[str(name)] = StreamKey(str(s["file"]), key)
            rec = cls(
                session_id=str(doc["session"]),
                consent_sha256=bytes.fromhex(doc["consent_sha256"]),
                started=float(doc["started"]),
                streams=streams,
                closed=bool(doc["closed"]),
                state=str(doc["state"]),
                chunks={str(k): int(v) for k, v in doc["chunks"].items()},
                review=str(doc["review"]),
                ended=None if doc["ended"] is None else float(doc["ended"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError, binascii.Error):
            raise CorruptData(f"The key record of session {session_id} is malformed.") from None
        if rec.session_id != session_id or len(rec.consent_sha256) != 32:
            raise CorruptData(f"The key record of session {session_id} belongs elsewhere.")
        return rec


def _safe_name(name: object) -> bool:
    return (
        isinstance(name, str)
        and 0 < len(name) <= 64
        and "/" not in name
        and not name.startswith(".")
    )


def associated_data(vault_id: bytes, session_id: str) -> bytes:
    """What a key record is bound to: the vault and the session."""
    sid = session_id.encode("ascii")
    return _AD_PREFIX + vault_id + bytes((len(sid),)) + sid


def seal_record(
    rec: KeyRecord, vault_id: bytes, public_key: bytes, rng: crypto.Rng = os.urandom
) -> bytes:
    """Serialise: header || seal(vault public key, plaintext)."""
    ad = associated_data(vault_id, rec.session_id)
    header = HEADER.pack(MAGIC, record_version(rec), 0)
    return header + crypto.seal(public_key, rec.to_plain(), ad, rng)


def record_version(rec: KeyRecord) -> int:
    """The version a key record is written as: 2 once it names an episodes or elements
    stream, else 1."""
    return 2 if "episodes" in rec.streams or "elements" in rec.streams else 1


def open_record(
    data: bytes, vault_id: bytes, private: X25519PrivateKey, session_id: str
) -> KeyRecord:
    """Check header (magic, version) and lengths, then unseal and parse."""
    what = f"The key record of session {session_id}"
    check_header(data, what)
    plain = crypto.open_sealed(
        private, data[HEADER.size :], associated_data(vault_id, session_id), what
    )
    return KeyRecord.from_plain(plain, session_id)


def check_header(data: bytes, what: str) -> None:
    """Magic, then version, then a plausible size."""
    FILE_HEADER.check(data, what, MAX_SIZE)


def read_bytes(session_dir: Path, session_id: str) -> bytes:
    """The bytes of ``keys`` (of ``keys.next`` when ``keys`` is gone), for checks without keys.

    Without the private key a ``keys.next`` cannot be authenticated, so it is not preferred.
    """
    path = session_dir / FILE
    return _read(path if path.exists() else session_dir / NEXT, session_id)


def open_current(
    session_dir: Path, vault_id: bytes, private: X25519PrivateKey, session_id: str
) -> KeyRecord:
    """The key record in force, authenticated.

    That is ``keys.next`` when it authenticates for this session (a replacement a crash
    interrupted after it became durable), else ``keys``. A ``keys.next`` that does not
    authenticate (garbage, another session's) is ignored, never trusted.
    """
    nxt = session_dir / NEXT
    if nxt.exists():
        try:
            return open_record(_read(nxt, session_id), vault_id, private, session_id)
        except CorruptData:
            if not (session_dir / FILE).exists():
                raise
    return open_record(_read(session_dir / FILE, session_id), vault_id, private, session_id)


def settle(session_dir: Path, vault_id: bytes, private: X25519PrivateKey, session_id: str) -> bool:
    """Under the session's lock: finish a replacement whose ``keys.next`` authenticates,
    shred one that does not (while ``keys`` is there to stay in force).

    Returns:
        Whether anything was finished or removed.
    """
    nxt = session_dir / NEXT
    if not nxt.exists():
        _remove_temporaries(session_dir)
        return False
    try:
        open_record(_read(nxt, session_id), vault_id, private, session_id)
    except CorruptData:
        if not (session_dir / FILE).exists():
            return False  # nothing else to use: verify reports the session damaged
        shred(nxt)
        _remove_temporaries(session_dir)
        return True
    recover(session_dir)
    return True


def _read(path: Path, session_id: str) -> bytes:
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_SIZE + 1)
    except FileNotFoundError:
        raise CorruptData(f"Session {session_id} has no key record.") from None
    except OSError as exc:
        raise StorageError(
            f"Could not read the key record of session {session_id}: {exc.strerror}."
        ) from None
    return data


def write_first(session_dir: Path, data: bytes) -> None:
    """Write a session's first key record (atomically)."""
    write_atomic(session_dir / FILE, data)


def replace(session_dir: Path, data: bytes) -> None:
    """Replace the key record so the old one's bytes are overwritten, not just unlinked.

    Order: new record durable as ``keys.next``; old ``keys`` shredded; ``keys.next`` renamed
    to ``keys``. A crash at any point leaves a complete record in force (readers prefer
    ``keys.next``); :func:`recover` finishes the job.
    """
    stage(session_dir, data)
    recover(session_dir)


def stage(session_dir: Path, data: bytes) -> None:
    """First half of :func:`replace`: make the new record durable as ``keys.next``.

    The caller holds the session's lock and either wrote ``keys`` itself (the writer) or
    settled the session first (:func:`settle`), so a ``keys.next`` found here is stale or
    planted: it is shredded, never put in force. Once this returns, the new record is in
    force; a failure after it must not undo anything, only :func:`recover` finishes the job.
    """
    shred(session_dir / NEXT)
    _remove_temporaries(session_dir)
    write_atomic(session_dir / NEXT, data)


def recover(session_dir: Path) -> None:
    """Finish an interrupted :func:`replace` (idempotent): ``keys.next`` becomes ``keys``.

    Only for a ``keys.next`` this process staged or :func:`settle` authenticated: it shreds
    ``keys`` unconditionally.
    """
    nxt = session_dir / NEXT
    if nxt.exists():
        shred(session_dir / FILE)
        with disk_errors("recovering a key record"):
            os.replace(nxt, session_dir / FILE)
            fsync_dir(session_dir)
    _remove_temporaries(session_dir)


def _remove_temporaries(session_dir: Path) -> None:
    for name in (NEXT, FILE):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(session_dir / f".{name}.tmp")
