"""Append-only encrypted streams: a header, then AEAD chunks of length-prefixed records.

Every chunk is sealed with the stream's own key and a nonce made from its counter; its
associated data binds vault, session, stream, counter, final flag and the consent hash, so
reordering, splicing and truncation fail authentication. See FORMAT.md, "Streams".

Version 2 (written now) starts each chunk's plaintext with its coding: the records as they
are, or zlib-compressed. Records of JSON (events, actions, every stream but frames) shrink
5x or so; frames are WebP already and stay as they are. Version 1 files are still read.
"""

from __future__ import annotations

import os
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from storage.errors import CorruptData
from storage.format import crypto
from storage.format.files import FILE_MODE, disk_errors
from storage.format.header import HEADER, FileHeader

MAGIC = b"OVRTSTRM"
VERSION = 2
FILE_HEADER = FileHeader(MAGIC, VERSION, "an Overt stream file", "has an invalid header")
WORD = struct.Struct(">I")  # bit 31: final flag; bits 0-30: sealed length
LENGTH = struct.Struct(">II")  # word, CRC-32 of the word's 4 bytes
RECORD_LEN = struct.Struct(">I")
FINAL_BIT = 0x8000_0000
MAX_SEALED = 256 << 20  # a reader refuses larger chunks before allocating
CHUNK_TARGET = 64 << 10  # writers seal a chunk once this much is buffered
MAX_PLAIN = 64 << 20  # the most a compressed chunk may expand to; a reader refuses more
_AD_PREFIX = {1: b"overt chunk v1\x00", 2: b"overt chunk v2\x00"}
CODING_RECORDS = 0  # version 2: the records as they are
CODING_ZLIB = 1  # version 2: the records, zlib-compressed (RFC 1950)
ZLIB_LEVEL = 6


@dataclass(frozen=True)
class StreamContext:
    """What a chunk is bound to (its associated data), apart from counter and final flag.

    Attributes:
        vault_id: the vault's 16-byte id.
        session_id: the session's id (ASCII).
        stream: the stream's name, e.g. "events".
        consent_sha256: SHA-256 of the session's canonical consent record.
    """

    vault_id: bytes
    session_id: str
    stream: str
    consent_sha256: bytes

    def ad(self, counter: int, final: bool, version: int = VERSION) -> bytes:
        """The associated data of chunk ``counter`` in a file of format ``version``.

        The version is bound in (through the prefix), so a header whose version was changed
        makes every chunk fail authentication instead of being parsed the other way.
        """
        sid = self.session_id.encode("ascii")
        name = self.stream.encode("ascii")
        return b"".join(
            (
                _AD_PREFIX[version],
                self.vault_id,
                bytes((len(sid),)),
                sid,
                bytes((len(name),)),
                name,
                struct.pack(">QB", counter, int(final)),
                self.consent_sha256,
            )
        )


def nonce(counter: int) -> bytes:
    """The 96-bit nonce of chunk ``counter``: 4 zero bytes then the counter, big-endian."""
    return struct.pack(">IQ", 0, counter)


def pack_length(size: int, final: bool) -> bytes:
    """A chunk's 8-byte length field: the word, then its CRC-32.

    The CRC is not security (the AEAD is): it tells a torn last write, which a crash may
    leave and which is tolerated, from a damaged length field, which is an error.
    """
    word = WORD.pack(size | (FINAL_BIT if final else 0))
    return word + struct.pack(">I", zlib.crc32(word))


def unpack_length(raw: bytes, what: str) -> tuple[int, bool]:
    """Parse and check a chunk's length field; returns (sealed size, final)."""
    word, crc = LENGTH.unpack(raw)
    if zlib.crc32(raw[:4]) != crc:
        raise CorruptData(f"{what} has a damaged length field.")
    size = word & ~FINAL_BIT
    if size < crypto.TAG_LEN or size > MAX_SEALED:
        raise CorruptData(f"{what} has an impossible length.")
    return size, bool(word & FINAL_BIT)


def pack_records(records: list[bytes]) -> bytes:
    """Frame records as ``u32be length || bytes`` each."""
    return b"".join(RECORD_LEN.pack(len(r)) + r for r in records)


def encode_plain(records: list[bytes], compress: bool) -> bytes:
    """A version 2 chunk's plaintext: coding byte, then the records (compressed if asked
    and smaller)."""
    body = pack_records(records)
    if compress and body:
        packed = zlib.compress(body, ZLIB_LEVEL)
        if len(packed) < len(body):
            return bytes((CODING_ZLIB,)) + packed
    return bytes((CODING_RECORDS,)) + body


def decode_plain(plain: bytes, version: int, what: str) -> list[bytes]:
    """The records of a chunk's plaintext in a file of format ``version``."""
    if version == 1:
        return unpack_records(plain, what)
    if not plain:
        raise CorruptData(f"{what} has no coding.")
    coding, body = plain[0], plain[1:]
    if coding == CODING_RECORDS:
        return unpack_records(body, what)
    if coding != CODING_ZLIB:
        raise CorruptData(f"{what} has an unknown coding.")
    inflate = zlib.decompressobj()
    try:
        records = inflate.decompress(body, MAX_PLAIN)
    except zlib.error:
        raise CorruptData(f"{what} does not decompress.") from None
    if inflate.unconsumed_tail or not inflate.eof or inflate.unused_data:
        raise CorruptData(f"{what} does not decompress.")  # too large, cut short, or trailed
    return unpack_records(records, what)


def unpack_records(plain: bytes, what: str) -> list[bytes]:
    """Split a chunk's records (version 1 plaintext, or a version 2 body) into records."""
    out = []
    pos = 0
    view = memoryview(plain)
    while pos < len(plain):
        if pos + 4 > len(plain):
            raise CorruptData(f"{what} has a malformed record.")
        (n,) = RECORD_LEN.unpack_from(view, pos)
        pos += 4
        if pos + n > len(plain):
            raise CorruptData(f"{what} has a malformed record.")
        out.append(bytes(view[pos : pos + n]))
        pos += n
    return out


class StreamWriter:
    """Writes one stream file: buffered records, sealed into chunks, appended with os.write.

    Each sealed chunk goes to the OS in one ``write`` call, so a killed process loses only
    what was still buffered here; :meth:`sync` makes it durable against power loss too.
    Not thread-safe: the SessionWriter serialises access.

    Attributes:
        path: the file.
        chunks: chunks written so far.
        offset: current file size.
    """

    def __init__(
        self,
        path: Path,
        key: bytes,
        ctx: StreamContext,
        aead_factory: crypto.AeadFactory = crypto.default_aead,
        version: int = VERSION,
    ) -> None:
        if version not in _AD_PREFIX:
            raise ValueError(f"no stream format version {version}")
        self.path = path
        self.version = version
        self._aead = aead_factory(key)
        self._ctx = ctx
        self._pending: list[bytes] = []
        self._pending_bytes = 0
        self.chunks = 0
        self.closed = False
        with disk_errors(f"creating {path.name}"):
            self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, FILE_MODE)
        self.offset = 0
        self._write(FILE_HEADER.pack(version))

    @property
    def pending(self) -> bool:
        """True while records are buffered and not yet sealed."""
        return bool(self._pending)

    def append(self, record: bytes) -> None:
        """Buffer one record; seal a chunk once enough is buffered."""
        self._pending.append(record)
        self._pending_bytes += len(record) + 4
        if self._pending_bytes >= CHUNK_TARGET:
            self.flush()

    def append_chunk(self, record: bytes) -> tuple[int, int]:
        """Seal ``record`` as a chunk of its own now (used for frames).

        Returns:
            (chunk counter, file offset of the chunk), for random access later.
        """
        self.flush()
        return self._seal([record], final=False, compress=False)

    def flush(self) -> None:
        """Seal whatever is buffered into a chunk (compressed) and hand it to the OS."""
        if self._pending:
            records, self._pending, self._pending_bytes = self._pending, [], 0
            self._seal(records, final=False, compress=True)

    def sync(self) -> None:
        """fsync the file."""
        with disk_errors(f"saving {self.path.name}"):
            os.fsync(self._fd)

    def close(self, final: bool = True) -> None:
        """Flush, write the (empty) final chunk if ``final``, fsync and close."""
        if self.closed:
            return
        try:
            self.flush()
            if final:
                self._seal([], final=True, compress=False)
            self.sync()
        finally:
            self.closed = True
            os.close(self._fd)

    def abandon(self) -> None:
        """Close the descriptor without writing anything more (after a disk error)."""
        if not self.closed:
            self.closed = True
            os.close(self._fd)

    def _seal(self, records: list[bytes], final: bool, compress: bool) -> tuple[int, int]:
        counter = self.chunks
        plain = pack_records(records) if self.version == 1 else encode_plain(records, compress)
        sealed = self._aead.encrypt(
            nonce(counter), plain, self._ctx.ad(counter, final, self.version)
        )
        if len(sealed) > MAX_SEALED:
            raise ValueError("chunk too large")
        offset = self.offset
        self._write(pack_length(len(sealed), final) + sealed)
        self.chunks += 1
        return counter, offset

    def _write(self, data: bytes) -> None:
        with disk_errors(f"writing {self.path.name}"):
            view = memoryview(data)
            while view:
                n = os.write(self._fd, view)
                view = view[n:]
                self.offset += n


@dataclass
class StreamEnd:
    """How a stream ended, filled in once :func:`iter_chunks` is exhausted.

    Attributes:
        chunks: chunks that authenticated.
        final: True if the final chunk was seen (the stream was closed).
        tail: bytes after the last whole chunk (a write cut short by a crash), 0 normally.
    """

    chunks: int = 0
    final: bool = False
    tail: int = 0


def iter_chunks(
    path: Path,
    key: bytes,
    ctx: StreamContext,
    end: StreamEnd,
    aead_factory: crypto.AeadFactory = crypto.default_aead,
) -> Iterator[tuple[int, list[bytes]]]:
    """Yield ``(counter, records)`` of each chunk of a stream file, in order.

    A stream may end without a final chunk, and with a partial chunk, when the writer was
    killed: ``end`` records that, and the caller decides if it is acceptable.

    Raises:
        CorruptData: a chunk fails authentication, or bytes follow the final chunk.
        VersionTooNew: the file is of a newer format version.
    """
    what = f"Session {ctx.session_id}, stream {ctx.stream}"
    aead = aead_factory(key)
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed in finally; a generator
    except FileNotFoundError:
        raise CorruptData(f"{what} is missing its file.") from None
    with f:
        head = f.read(HEADER.size)
        version = check_header(head, what)
        counter = 0
        while True:
            raw = f.read(LENGTH.size)
            if not raw:
                break
            if len(raw) < LENGTH.size:
                end.tail = len(raw)
                break
            size, final = unpack_length(raw, f"{what}, chunk {counter}")
            sealed = f.read(size)
            if len(sealed) < size:
                end.tail = LENGTH.size + len(sealed)
                break
            where = f"{what}, chunk {counter}"
            plain = crypto.aead_open(
                aead, nonce(counter), sealed, ctx.ad(counter, final, version), where
            )
            records = decode_plain(plain, version, where)
            counter += 1
            end.chunks = counter
            yield counter - 1, records
            if final:
                end.final = True
                if f.read(1):
                    raise CorruptData(f"{what} has data after its final chunk.")
                break


def check_header(head: bytes, what: str) -> int:
    """Check a stream header: magic first, then version; returns the version."""
    return FILE_HEADER.check(head, what)


def read_chunk_at(
    path: Path,
    key: bytes,
    ctx: StreamContext,
    counter: int,
    offset: int,
    aead_factory: crypto.AeadFactory = crypto.default_aead,
) -> list[bytes]:
    """Read and authenticate one non-final chunk at a known offset (random frame access)."""
    what = f"Session {ctx.session_id}, stream {ctx.stream}, chunk {counter}"
    try:
        with open(path, "rb") as f:
            version = check_header(f.read(HEADER.size), what)
            f.seek(offset)
            raw = f.read(LENGTH.size)
            if len(raw) < LENGTH.size:
                raise CorruptData(f"{what} is missing.")
            size, final = unpack_length(raw, what)
            sealed = f.read(size)
    except FileNotFoundError:
        raise CorruptData(f"{what} is missing its file.") from None
    if len(sealed) < size:
        raise CorruptData(f"{what} is truncated.")
    plain = crypto.aead_open(
        aead_factory(key), nonce(counter), sealed, ctx.ad(counter, final, version), what
    )
    return decode_plain(plain, version, what)


class Ticker:
    """A daemon thread calling ``fn`` every ``interval`` seconds until stopped.

    Used for the writer's bounded flush: data handed to a writer reaches the OS within
    one interval even if no further append happens.
    """

    def __init__(self, interval: float, fn: Callable[[], None]) -> None:
        self._interval = interval
        self._fn = fn
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="overt-flush", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self._fn()

    def stop(self) -> None:
        """Stop and join the thread."""
        self._stop.set()
        if threading.current_thread() is not self._thread:
            self._thread.join()
