"""Withdrawal receipts: the file a participant sends to withdraw a session (EXPORT_FORMATS.md)."""

from __future__ import annotations

import json
from typing import Any

from storage.export.archive import Rejected
from storage.export.manifest import sha256_json

RECEIPT_TYPE = "overt-withdrawal-receipt"


def make_receipt(
    session_id: str, consent_id: str, participant_id: str, time: float
) -> dict[str, Any]:
    """A receipt with its integrity tag (the consent side will write these)."""
    doc: dict[str, Any] = {
        "type": RECEIPT_TYPE,
        "version": 1,
        "session_id": session_id,
        "consent_id": consent_id,
        "participant_id": participant_id,
        "time": time,
    }
    return {**doc, "tag": receipt_tag(doc)}


def receipt_tag(receipt: dict[str, Any]) -> str:
    """The integrity tag of a receipt: SHA-256 of its other fields in canonical JSON."""
    body = {k: v for k, v in receipt.items() if k != "tag"}
    return "sha256:" + sha256_json(body)


def read_receipt(data: bytes) -> dict[str, Any] | None:
    """A withdrawal receipt, None when ``data`` is not one; Rejected when it is damaged."""
    try:
        doc = json.loads(data)
    except ValueError:
        return None
    if not isinstance(doc, dict) or doc.get("type") != RECEIPT_TYPE:
        return None
    for name in ("session_id", "consent_id", "participant_id", "time", "tag"):
        if name not in doc:
            raise Rejected(f"the withdrawal receipt lacks {name}")
    if doc["tag"] != receipt_tag(doc):
        raise Rejected("the withdrawal receipt's integrity tag does not match its content")
    return doc
