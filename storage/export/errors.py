"""Export and collection errors: each ``str()`` is one sentence for the person."""

from __future__ import annotations


class ExportError(Exception):
    """The export cannot be made as asked (not approved, no recipient key, target exists...)."""


class CollectError(Exception):
    """A collection run cannot proceed (bad identity, unreadable output folder...)."""
