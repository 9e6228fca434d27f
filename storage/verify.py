"""Vault verification: every chunk of every session, reporting ok / interrupted / damaged.

Verification never stops at the first problem: each stream of each session is walked to its
end or its first bad chunk, and all findings are reported.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from storage.errors import CorruptData, StorageError
from storage.format import index, keyrecord, stream
from storage.reader import SessionReader, stream_damage
from storage.writer import STREAMS

STREAM_FILE = re.compile(r"^[a-z]+\.[0-9]+$")
"""Names of stream files (``<stream>.<generation>``)."""
REQUIRED_STREAMS = frozenset(STREAMS)
"""Streams every session's key record names (the writer creates them all)."""


@dataclass
class VerifyResult:
    """The verdict on one session.

    Attributes:
        session_id: the session.
        status: "ok", "interrupted" (writer died; what was flushed is intact),
            "recording" (a writer holds it now) or "damaged".
        where: one entry per problem found, naming the file/stream and chunk.
        chunks: chunks checked.
        full: True if chunks were authenticated (passphrase given), False if only framing.
    """

    session_id: str
    status: str
    where: list[str] = field(default_factory=list)
    chunks: int = 0
    full: bool = True

    @property
    def ok(self) -> bool:
        """False only when damage was found."""
        return self.status != "damaged"

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict."""
        return asdict(self)


def full(
    path: Path, session_id: str, vault_id: bytes, private: X25519PrivateKey, recording: bool
) -> VerifyResult:
    """Authenticate every chunk of every stream of one session."""
    res = VerifyResult(session_id, "ok")
    try:
        rec = keyrecord.open_current(path, vault_id, private, session_id)
    except StorageError as exc:
        res.status = "damaged"
        res.where.append(f"key record: {exc}")
        return res
    res.chunks, res.where = stream_damage(path, session_id, vault_id, rec)
    if not res.where:
        try:
            SessionReader(path, session_id, vault_id, private).frames()
        except StorageError as exc:
            res.where.append(f"consent or frame index: {exc}")
    res.status = _status(bool(res.where), rec.closed, recording)
    return res


def structure(path: Path, session_id: str, recording: bool) -> VerifyResult:
    """Check framing only (no keys): headers, chunk lengths, final chunks, trailing bytes.

    Which file is current for each stream is stated only inside the sealed key record
    (FORMAT.md section 2), so without keys this cannot tell a current file from one a
    crashed change left behind, or from an extra file the record does not name (which full
    verification ignores). So a stream counts as damaged only when none of its files is
    sound, and only for the streams every session has (``writer.STREAMS``); problems in
    other files are for full verification to judge.
    """
    res = VerifyResult(session_id, "ok", full=False)
    summary = index.read_summary(path, session_id)
    closed = summary is not None and summary.state == "complete"
    try:
        keyrecord.check_header(keyrecord.read_bytes(path, session_id), "key record")
    except StorageError as exc:
        res.where.append(f"key record: {exc}")
    candidates: dict[str, list[str]] = {}
    for name in sorted(os.listdir(path)):
        if STREAM_FILE.match(name):
            candidates.setdefault(name.split(".")[0], []).append(name)
    open_ended = False
    for stream_name, names in sorted(candidates.items()):
        problems, ends = [], []
        for name in names:
            try:
                chunks, final, tail = walk(path / name)
            except StorageError as exc:
                problems.append(f"{name}: {exc}")
                continue
            res.chunks += chunks
            ends.append(final and not tail)
            if closed and not ends[-1]:
                problems.append(f"{name}: truncated after chunk {chunks}")
        if len(problems) == len(names) and stream_name in REQUIRED_STREAMS:
            res.where.extend(problems)
        if ends and not any(ends):
            open_ended = True
    res.status = _status(bool(res.where), closed or not open_ended, recording)
    return res


def walk(path: Path) -> tuple[int, bool, int]:
    """Walk a stream file's framing.

    Returns:
        (whole chunks, whether a final chunk ended it, bytes of a trailing partial chunk).
    """
    with open(path, "rb") as f:
        stream.check_header(f.read(stream.HEADER.size), path.name)
        chunks = 0
        while True:
            raw = f.read(stream.LENGTH.size)
            if not raw:
                return chunks, False, 0
            if len(raw) < stream.LENGTH.size:
                return chunks, False, len(raw)
            size, final = stream.unpack_length(raw, f"chunk {chunks}")
            body = f.read(size)
            if len(body) < size:
                return chunks, False, stream.LENGTH.size + len(body)
            chunks += 1
            if final:
                if f.read(1):
                    raise CorruptData(f"data follows the final chunk {chunks - 1}")
                return chunks, True, 0


def _status(damaged: bool, closed: bool, recording: bool) -> str:
    if damaged:
        return "damaged"
    if closed:
        return "ok"
    return "recording" if recording else "interrupted"
