"""Regenerate the known-answer vectors (only when the format version changes!).

Run: PYTHONPATH=. python tests/storage/format/vectors/make_vectors.py
The files it writes are frozen: test_vectors.py checks the code still produces and reads
exactly these bytes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from storage.format import keyrecord
from storage.format.keyfile import KeyFile
from storage.format.stream import StreamContext, StreamWriter
from tests.storage.helpers import DetRng

HERE = Path(__file__).parent
PASSPHRASE = b"correct horse battery staple"
SESSION = "20260101T000000Z-abcdef"
CONSENT_SHA = hashlib.sha256(b"consent").digest()
RECORDS = [b'{"kind":"move","seq":0,"t":0.5,"wall":1.0,"x":10,"y":20}', b"hello", b"x"]


def key_file() -> tuple[bytes, bytes]:
    kf, private = KeyFile.create(PASSPHRASE, log_n=10, r=8, p=1, rng=DetRng(b"kat-keyfile"))
    return kf.to_bytes(), private.private_bytes_raw()


def stream_file(path: Path) -> bytes:
    key = DetRng(b"kat-stream-key")(32)
    ctx = StreamContext(bytes(range(16)), SESSION, "events", CONSENT_SHA)
    w = StreamWriter(path, key, ctx, version=1)  # the version 1 vector (FORMAT.md 10)
    w.append(RECORDS[0])
    w.append(RECORDS[1])
    w.flush()
    w.append(RECORDS[2])
    w.close(final=True)
    return path.read_bytes()


def key_record(vault_id: bytes, public_key: bytes) -> bytes:
    rec = keyrecord.KeyRecord(
        session_id=SESSION,
        consent_sha256=CONSENT_SHA,
        started=1767225600.0,
        streams={"events": keyrecord.StreamKey("events.0", DetRng(b"kat-stream-key")(32))},
        closed=True,
        state="complete",
        chunks={"events": 3},
        review="unreviewed",
        ended=1767225660.0,
    )
    return keyrecord.seal_record(rec, vault_id, public_key, DetRng(b"kat-keyrecord"))


def main() -> None:
    kf_bytes, _ = key_file()
    (HERE / "vault.key").write_bytes(kf_bytes)
    tmp = HERE / "events.0.tmp"
    tmp.unlink(missing_ok=True)
    data = stream_file(tmp)
    tmp.unlink()
    (HERE / "events.0").write_bytes(data)
    kf = KeyFile.from_bytes(kf_bytes)
    (HERE / "keys").write_bytes(key_record(kf.vault_id, kf.public_key))


if __name__ == "__main__":
    main()
