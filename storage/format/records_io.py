"""Record <-> bytes: compact UTF-8 JSON, tolerant of lone surrogates (X titles can hold them)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from storage.errors import CorruptData


def dumps(record: Any) -> bytes:
    """Encode a JSON-able record compactly."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8", "surrogatepass"
    )


def loads(data: bytes, what: str) -> Any:
    """Decode a record; CorruptData if it is not the JSON a writer produces."""
    try:
        return json.loads(data.decode("utf-8", "surrogatepass"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise CorruptData(f"{what} holds a malformed record.") from None


def loads_dict(data: bytes, what: str) -> dict[str, Any]:
    """Decode a record that must be a JSON object."""
    rec = loads(data, what)
    if not isinstance(rec, dict):
        raise CorruptData(f"{what} holds a malformed record.")
    return rec


def consent_sha256(consent: dict[str, Any]) -> bytes:
    """SHA-256 of the canonical consent record (sorted keys, compact, UTF-8)."""
    canon = json.dumps(consent, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canon.encode("utf-8", "surrogatepass")).digest()
