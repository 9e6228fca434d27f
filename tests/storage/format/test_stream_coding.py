"""Stream format version 2: JSON chunks compressed, frames as they are, version 1 still read,
and a header whose version was changed fails authentication instead of misreading."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import pytest

from storage import CorruptData
from storage.format import crypto, stream

KEY = bytes(range(32))
CTX = stream.StreamContext(bytes(16), "20260101T000000Z-abcdef", "events", bytes(32))
EVENTS = [
    json.dumps(
        {"seq": i, "t": i * 0.05, "wall": 1.7e9 + i, "kind": "move", "x": i, "y": 2 * i}
    ).encode()
    for i in range(200)
]


def write(path: Path, version: int = stream.VERSION) -> stream.StreamWriter:
    w = stream.StreamWriter(path, KEY, CTX, version=version)
    for record in EVENTS[:100]:
        w.append(record)
    w.flush()
    w.append_chunk(b"\x89PNG not compressible " + bytes(range(256)))
    for record in EVENTS[100:]:
        w.append(record)
    w.close()
    return w


def read(path: Path) -> tuple[list[bytes], stream.StreamEnd]:
    end = stream.StreamEnd()
    records = [r for _c, rs in stream.iter_chunks(path, KEY, CTX, end) for r in rs]
    return records, end


def plaintexts(path: Path, version: int) -> list[bytes]:
    """Each chunk's plaintext, opened by hand from FORMAT.md section 5."""
    data = path.read_bytes()
    assert struct.unpack(">8sHH", data[:12]) == (b"OVRTSTRM", version, 0)
    pos, counter, out = 12, 0, []
    aead = crypto.default_aead(KEY)
    while pos < len(data):
        (word,) = struct.unpack(">I", data[pos : pos + 4])
        size, final = word & 0x7FFFFFFF, bool(word >> 31)
        sealed = data[pos + 8 : pos + 8 + size]
        out.append(aead.decrypt(stream.nonce(counter), sealed, CTX.ad(counter, final, version)))
        pos, counter = pos + 8 + size, counter + 1
    return out


def test_json_chunks_are_compressed_and_frames_are_not(tmp_path: Path) -> None:
    path = tmp_path / "events.0"
    write(path)
    records, end = read(path)
    assert records[:100] == EVENTS[:100]
    assert records[101:] == EVENTS[100:]
    assert (end.final, end.chunks) == (True, 4)
    codings = [p[0] for p in plaintexts(path, 2)]
    assert codings == [stream.CODING_ZLIB, stream.CODING_RECORDS, stream.CODING_ZLIB, 0]
    first = plaintexts(path, 2)[0]
    assert zlib.decompress(first[1:]) == stream.pack_records(EVENTS[:100])
    assert len(first) * 4 < len(stream.pack_records(EVENTS[:100]))


def test_version_1_files_are_still_read(tmp_path: Path) -> None:
    path = tmp_path / "events.0"
    write(path, version=1)
    assert plaintexts(path, 1)[0] == stream.pack_records(EVENTS[:100])
    records, end = read(path)
    assert records[:100] == EVENTS[:100]
    assert end.final


@pytest.mark.parametrize("written", [1, 2])
def test_a_changed_header_version_fails_authentication(tmp_path: Path, written: int) -> None:
    path = tmp_path / "events.0"
    write(path, version=written)
    data = bytearray(path.read_bytes())
    data[8:10] = (3 - written).to_bytes(2, "big")
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptData):
        read(path)


def _sealed_file(path: Path, plain: bytes) -> None:
    """A version 2 stream of one chunk with this plaintext (as a writer with the key could)."""
    aead = crypto.default_aead(KEY)
    sealed = aead.encrypt(stream.nonce(0), plain, CTX.ad(0, True, 2))
    path.write_bytes(stream.FILE_HEADER.pack(2) + stream.pack_length(len(sealed), True) + sealed)


@pytest.mark.parametrize(
    "plain",
    [
        b"",  # no coding byte
        b"\x07" + stream.pack_records([b"x"]),  # an unknown coding
        b"\x01" + b"not zlib",
        b"\x01" + zlib.compress(stream.pack_records([b"x"]))[:-3],  # cut short
        b"\x01" + zlib.compress(stream.pack_records([b"x"])) + b"trailing",
        b"\x01" + zlib.compress(bytes(stream.MAX_PLAIN + 1)),  # expands past the limit
    ],
    ids=["empty", "unknown", "garbage", "short", "trailing", "bomb"],
)
def test_bad_codings_are_corrupt(tmp_path: Path, plain: bytes) -> None:
    path = tmp_path / "events.0"
    _sealed_file(path, plain)
    with pytest.raises(CorruptData):
        read(path)
