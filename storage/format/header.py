"""The 12-byte header that opens every Overt binary file: magic, version, reserved.

Key records and streams share its shape (``MAGIC(8) || VERSION(u16 BE) || 0(u16 BE)``) and
the order in which a reader checks it: length, magic, then version, so that a newer file
says "upgrade Overt" rather than "corrupt". See FORMAT.md, sections 4, 5 and 8.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from storage.errors import CorruptData, VersionTooNew

HEADER = struct.Struct(">8sHH")  # magic, version, reserved (0)


@dataclass(frozen=True)
class FileHeader:
    """One kind of file's header.

    Attributes:
        magic: the eight bytes that name the kind of file.
        version: the newest format version this code writes and reads.
        kind: how errors name the kind of file ("an Overt stream file").
        invalid: the message tail for a malformed header ("has an invalid header").
    """

    magic: bytes
    version: int
    kind: str
    invalid: str

    size = HEADER.size

    def pack(self, version: int | None = None) -> bytes:
        """The header a writer puts first (of the newest version, unless told otherwise)."""
        return HEADER.pack(self.magic, self.version if version is None else version, 0)

    def check(self, data: bytes, what: str, max_size: int | None = None) -> int:
        """Check ``data``'s header: length, magic, version, reserved field, then total size.

        Args:
            data: the file's first bytes (at least the header, or the whole file).
            what: how the error names this file ("Session X, stream events").
            max_size: refuse ``data`` longer than this, when given.

        Returns:
            The file's format version (1 up to ``version``).

        Raises:
            CorruptData: truncated, not this kind of file, or malformed.
            VersionTooNew: written by a newer Overt.
        """
        if len(data) < HEADER.size:
            raise CorruptData(f"{what} is truncated.")
        magic, version, reserved = HEADER.unpack_from(data)
        if magic != self.magic:
            raise CorruptData(f"{what} is not {self.kind}.")
        if version > self.version:
            raise VersionTooNew(
                f"{what} has format version {version}; this Overt reads up to {self.version}: "
                "upgrade Overt."
            )
        if version < 1 or reserved != 0 or (max_size is not None and len(data) > max_size):
            raise CorruptData(f"{what} {self.invalid}.")
        return int(version)
