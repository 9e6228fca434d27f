"""Known-answer vectors: the code must still write, and read, these frozen bytes.

The vectors in ``vectors/`` were made by ``vectors/make_vectors.py`` with deterministic
randomness. The "independent" tests decode them with raw primitives following FORMAT.md
alone, so the spec and the code cannot drift apart silently.
"""

from __future__ import annotations

import base64
import hashlib
import json
import struct
import zlib
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from storage.format import keyrecord, records_io
from storage.format.keyfile import KeyFile
from storage.format.stream import StreamContext, StreamEnd, iter_chunks
from tests.storage.format.vectors import make_vectors as mv

VEC = Path(__file__).parent / "vectors"


def test_key_file_is_reproduced() -> None:
    data, _private = mv.key_file()
    assert data == (VEC / "vault.key").read_bytes()


def test_stream_file_is_reproduced(tmp_path: Path) -> None:
    assert mv.stream_file(tmp_path / "events.0") == (VEC / "events.0").read_bytes()


def test_key_record_is_reproduced() -> None:
    kf = KeyFile.from_bytes((VEC / "vault.key").read_bytes())
    assert mv.key_record(kf.vault_id, kf.public_key) == (VEC / "keys").read_bytes()


def test_code_reads_vectors() -> None:
    kf = KeyFile.from_bytes((VEC / "vault.key").read_bytes())
    private = kf.unwrap(mv.PASSPHRASE)
    rec = keyrecord.open_record((VEC / "keys").read_bytes(), kf.vault_id, private, mv.SESSION)
    assert rec.chunks == {"events": 3}
    sk = rec.streams["events"]
    ctx = StreamContext(bytes(range(16)), mv.SESSION, "events", rec.consent_sha256)
    end = StreamEnd()
    got = [r for _c, rs in iter_chunks(VEC / "events.0", sk.key, ctx, end) for r in rs]
    assert got == mv.RECORDS
    assert (end.chunks, end.final, end.tail) == (3, True, 0)


def test_consent_hash_vector() -> None:
    consent = {"purpose": "études", "b": [1, 2.5, None], "a": True}
    canon = '{"a":true,"b":[1,2.5,null],"purpose":"études"}'.encode()
    assert records_io.consent_sha256(consent) == hashlib.sha256(canon).digest()


# --- independent decoding, following FORMAT.md only ---------------------------------------


def _unwrap_independently() -> tuple[dict, bytes]:
    doc = json.loads((VEC / "vault.key").read_bytes())
    kdf = doc["kdf"]
    kek = Scrypt(
        salt=base64.b64decode(kdf["salt"]), length=32, n=1 << kdf["log_n"], r=kdf["r"], p=kdf["p"]
    ).derive(mv.PASSPHRASE)
    header = {k: doc[k] for k in ("format", "version", "vault_id", "public_key", "kdf")}
    ad = (
        b"overt key file v1\x00"
        + json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    )
    private = AESGCM(kek).decrypt(
        base64.b64decode(doc["nonce"]), base64.b64decode(doc["wrapped"]), ad
    )
    return doc, private


def test_independent_key_file() -> None:
    doc, private = _unwrap_independently()
    pub = X25519PrivateKey.from_private_bytes(private).public_key().public_bytes_raw()
    assert base64.b64encode(pub).decode() == doc["public_key"]


def test_independent_key_record_and_stream() -> None:
    doc, private = _unwrap_independently()
    vault_id = bytes.fromhex(doc["vault_id"])
    data = (VEC / "keys").read_bytes()
    magic, version, reserved = struct.unpack(">8sHH", data[:12])
    assert (magic, version, reserved) == (b"OVRTKEYS", 1, 0)
    eph_pub, sealed = data[12:44], data[44:]
    shared = X25519PrivateKey.from_private_bytes(private).exchange(
        X25519PublicKey.from_public_bytes(eph_pub)
    )
    recipient = base64.b64decode(doc["public_key"])
    key = HKDF(hashes.SHA256(), 32, eph_pub + recipient, b"overt seal v1").derive(shared)
    sid = mv.SESSION.encode()
    ad = b"overt key record v1\x00" + vault_id + bytes([len(sid)]) + sid
    rec = json.loads(AESGCM(key).decrypt(bytes(12), sealed, ad))
    stream_key = base64.b64decode(rec["streams"]["events"]["key"])
    consent_sha = bytes.fromhex(rec["consent_sha256"])

    raw = (VEC / "events.0").read_bytes()
    assert raw[:12] == b"OVRTSTRM" + struct.pack(">HH", 1, 0)
    pos, counter, records = 12, 0, []
    while pos < len(raw):
        word, crc = struct.unpack(">II", raw[pos : pos + 8])
        assert crc == zlib.crc32(raw[pos : pos + 4])
        final, size = word >> 31, word & 0x7FFFFFFF
        body = raw[pos + 8 : pos + 8 + size]
        name = b"events"
        ad = (
            b"overt chunk v1\x00"
            + bytes(range(16))
            + bytes([len(sid)])
            + sid
            + bytes([len(name)])
            + name
            + struct.pack(">QB", counter, final)
            + consent_sha
        )
        plain = AESGCM(stream_key).decrypt(struct.pack(">IQ", 0, counter), body, ad)
        p = 0
        while p < len(plain):
            (n,) = struct.unpack(">I", plain[p : p + 4])
            records.append(plain[p + 4 : p + 4 + n])
            p += 4 + n
        pos += 8 + size
        counter += 1
        if final:
            assert pos == len(raw)
    assert records == mv.RECORDS
    assert counter == 3
