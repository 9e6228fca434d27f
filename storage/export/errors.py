"""Export and collection errors: each ``str()`` is one sentence for the person."""

from __future__ import annotations

from storage.errors import NotApproved, StorageError

__all__ = ["CollectError", "ExportCancelled", "ExportError", "NotApproved"]


class ExportError(StorageError):
    """The export cannot be made as asked (unknown format, bad key, target exists...)."""


class ExportCancelled(ExportError):
    """Raised by a progress callback to stop an export; nothing is left at the target."""

    def __init__(self, message: str = "Export cancelled; nothing was written.") -> None:
        super().__init__(message)


class CollectError(StorageError):
    """A collection run cannot proceed (bad identity file, unusable output folder...)."""
