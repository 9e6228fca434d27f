"""The `elements` stream's records (FORMAT.md section 5.2) and the shape readers are given.

The recorder stores one record per action, ``{"seq", "action": <action seq>, "element":
<lookup record>, "end": <lookup record>}`` (``end`` for drags only), where a lookup record is
recorder/platform/accessibility/element.py's ``ElementRecord``: role, name, description,
states, bounds, path, selected, app, missing_reason, lookup_ms, lag_ms. Readers get
``SessionReader.elements()``: action seq -> an element ``{role, name, description, states,
bounds, path, selected, app}`` or ``{"missing": reason}``, a drag's with ``end`` beside it.
"""

from __future__ import annotations

from typing import Any

#: The fields of a found element that readers see (lookup timings stay in storage).
ELEMENT_FIELDS = ("role", "name", "description", "states", "bounds", "path", "selected", "app")


def public(lookup: object) -> dict[str, Any]:
    """One stored lookup record as readers see it: an element, or ``{"missing": reason}``."""
    if not isinstance(lookup, dict):
        return {"missing": "unreadable element record"}
    reason = lookup.get("missing_reason")
    if reason is not None:
        return {"missing": str(reason)}
    out = {name: lookup.get(name) for name in ELEMENT_FIELDS}
    if not isinstance(out["states"], list):
        out["states"] = []
    if not isinstance(out["path"], list):
        out["path"] = []
    return out


def by_action(records: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """The readers' mapping from stored records (the last record of an action wins)."""
    out: dict[int, dict[str, Any]] = {}
    for record in records:
        seq = record.get("action")
        if not isinstance(seq, int) or isinstance(seq, bool):
            continue
        element = public(record.get("element"))
        if "end" in record:
            element["end"] = public(record.get("end"))
        out[seq] = element
    return out


def lookups(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The lookup records inside one stored record (the element, and a drag's end)."""
    return [v for k in ("element", "end") if isinstance(v := record.get(k), dict)]
