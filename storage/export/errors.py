"""Export and collection errors: each ``str()`` is one sentence for the person."""

from __future__ import annotations

from storage.errors import NotApproved, StorageError

__all__ = ["CollectError", "ExportError", "NotApproved"]


class ExportError(StorageError):
    """The export cannot be made as asked (unknown format, bad key, target exists...)."""


class CollectError(StorageError):
    """A collection run cannot proceed (bad identity file, unusable output folder...)."""
