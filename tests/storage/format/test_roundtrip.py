"""Hypothesis round-trips of the format's own structures: key file, key record, streams."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage import CorruptData, VersionTooNew
from storage.format import crypto, keyrecord, stream
from storage.format.keyfile import KeyFile

names = st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12)
session_ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,30}", fullmatch=True)
keys32 = st.binary(min_size=32, max_size=32)
finite = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=25, deadline=None)
@given(
    pw=st.binary(min_size=1, max_size=64),
    vault_id=st.binary(min_size=16, max_size=16),
    seed=st.binary(min_size=32, max_size=32),
)
def test_key_file_round_trip(pw: bytes, vault_id: bytes, seed: bytes) -> None:
    private = crypto.new_private_key(lambda n: seed[:n])
    kf = KeyFile.wrap(private, vault_id, pw, log_n=4, r=1, p=1)
    again = KeyFile.from_bytes(kf.to_bytes())
    assert again == kf
    assert again.unwrap(pw).private_bytes_raw() == private.private_bytes_raw()


@settings(max_examples=50, deadline=None)
@given(
    sid=session_ids,
    sha=st.binary(min_size=32, max_size=32),
    started=finite,
    streams=st.dictionaries(names, st.tuples(names, keys32), max_size=8),
    closed=st.booleans(),
    chunks=st.dictionaries(names, st.integers(0, 2**40)),
    review=st.sampled_from(["unreviewed", "approved"]),
)
def test_key_record_round_trip(
    sid: str,
    sha: bytes,
    started: float,
    streams: dict[str, tuple[str, bytes]],
    closed: bool,
    chunks: dict[str, int],
    review: str,
) -> None:
    rec = keyrecord.KeyRecord(
        session_id=sid,
        consent_sha256=sha,
        started=started,
        streams={n: keyrecord.StreamKey(f"{f}.0", k) for n, (f, k) in streams.items()},
        closed=closed,
        state="complete" if closed else "recording",
        chunks=chunks,
        review=review,
        ended=started if closed else None,
    )
    private = crypto.new_private_key()
    vid = bytes(16)
    data = keyrecord.seal_record(rec, vid, crypto.public_bytes(private))
    assert keyrecord.open_record(data, vid, private, sid) == rec
    with pytest.raises(CorruptData):
        keyrecord.open_record(data, bytes([1]) + vid[1:], private, sid)  # another vault


@settings(max_examples=40, deadline=None)
@given(
    chunks=st.lists(st.lists(st.binary(max_size=300), max_size=5), max_size=6),
    key=keys32,
    name=names,
    sid=session_ids,
)
def test_stream_round_trip(chunks: list[list[bytes]], key: bytes, name: str, sid: str) -> None:
    ctx = stream.StreamContext(bytes(16), sid, name, bytes(32))
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "s.0"
        w = stream.StreamWriter(path, key, ctx)
        for records in chunks:
            for r in records:
                w.append(r)
            w.flush()
        w.close()
        end = stream.StreamEnd()
        got = [rs for _c, rs in stream.iter_chunks(path, key, ctx, end)]
        assert [r for rs in got for r in rs] == [r for rs in chunks for r in rs]
        assert end.final
        other = stream.StreamContext(bytes(16), sid, name + "x", bytes(32))
        with pytest.raises(CorruptData):
            list(stream.iter_chunks(path, key, other, stream.StreamEnd()))


@pytest.mark.parametrize("version", [2, 65535])
def test_binary_versions_too_new(version: int) -> None:
    newer = max(version, keyrecord.VERSION + 1)  # key records are at version 2
    head = b"OVRTKEYS" + newer.to_bytes(2, "big") + bytes(2)
    with pytest.raises(VersionTooNew):
        keyrecord.check_header(head + bytes(80), "key record")
    newer = max(version, stream.VERSION + 1)  # streams are at version 2
    with pytest.raises(VersionTooNew):
        stream.check_header(b"OVRTSTRM" + newer.to_bytes(2, "big") + bytes(2), "stream")
