"""Qt-free encrypted vault: keys, session streams, index, redaction, deletion (see API.md)."""

from storage.episodes import Episode
from storage.errors import (
    CorruptData,
    DiskFull,
    InvalidEpisodes,
    NotApproved,
    SessionBusy,
    SessionNotFound,
    StorageError,
    UnsafePermissions,
    VaultExists,
    VaultKeyChanged,
    VaultLocked,
    VaultNotFound,
    VersionTooNew,
    WrongPassphrase,
)
from storage.format.index import SessionSummary
from storage.reader import SessionReader
from storage.vault import UnlockedVault, Vault
from storage.verify import VerifyResult
from storage.writer import SessionWriter

__all__ = [
    "CorruptData",
    "DiskFull",
    "Episode",
    "InvalidEpisodes",
    "NotApproved",
    "SessionBusy",
    "SessionNotFound",
    "SessionReader",
    "SessionSummary",
    "SessionWriter",
    "StorageError",
    "UnlockedVault",
    "UnsafePermissions",
    "Vault",
    "VaultExists",
    "VaultKeyChanged",
    "VaultLocked",
    "VaultNotFound",
    "VerifyResult",
    "VersionTooNew",
    "WrongPassphrase",
]
