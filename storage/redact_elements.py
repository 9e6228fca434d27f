"""Redacting the `elements` stream (storage/elements.py) through a Rewriter, as the other
redactions change the actions and frames the elements belong to."""

from __future__ import annotations

from typing import Any

from storage.rewriter import Rewriter


def stored(rw: Rewriter) -> list[dict[str, Any]]:
    """The session's element records ([] when it has none)."""
    return rw.reader.element_records()


def keep_actions(rw: Rewriter, actions: set[int]) -> int:
    """Drop the element records of actions that are gone (to commit with their removal).

    Returns:
        Records dropped.
    """
    records = stored(rw)
    kept = [r for r in records if r.get("action") in actions]
    if len(kept) != len(records):
        rw.write_records("elements", kept)
    return len(records) - len(kept)
