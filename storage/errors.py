"""The storage error hierarchy: one class per way the environment can let us down.

Every error's ``str()`` is one sentence a person can act on; the CLI prints it as is. Bugs are
not StorageErrors: they keep their own exception types and tracebacks.
"""

from __future__ import annotations


class StorageError(Exception):
    """Base of every error the vault raises because of its environment or its data."""


class VaultNotFound(StorageError):
    """There is no vault at the given place."""


class VaultExists(StorageError):
    """A vault (or something else) is already where a new one was to be created."""


class WrongPassphrase(StorageError):
    """The passphrase does not unlock the vault's key file."""


class CorruptData(StorageError):
    """Stored bytes failed authentication or parsing: tampered, truncated, spliced or damaged."""


class VaultKeyChanged(StorageError):
    """The vault's key file is not the one pinned for it outside the vault: it was replaced."""


class VersionTooNew(StorageError):
    """A file was written by a newer Overt whose format this code does not know."""


class DiskFull(StorageError):
    """The disk (or quota) ran out while writing; what was durable before stays intact."""


class VaultLocked(StorageError):
    """Another process is already writing to this vault."""


class UnsafePermissions(StorageError):
    """The vault's folders or files can be read or written by other users."""


class SessionNotFound(StorageError):
    """No session with that id exists in the vault."""


class NotApproved(StorageError):
    """The session has not been approved for export."""


class SessionBusy(StorageError):
    """The session is still being recorded, so it cannot be changed or deleted now."""


class InvalidEpisodes(StorageError):
    """A list of task episodes breaks a rule (overlap, bounds, limits): nothing was stored."""
