"""Redacting the `elements` stream (storage/elements.py) through a Rewriter, as the other
redactions change the actions and frames the elements belong to."""

from __future__ import annotations

from typing import Any

from storage.rewriter import Rewriter
from storage.typed_text import REMOVED


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


def in_region(rw: Rewriter, shown: dict[int, tuple[float, float, float, float]]) -> int:
    """Remove the text of the elements a blacked-out region covered: each element (or a
    drag's end) of an action whose frame before or after is a key of ``shown`` and whose bounds
    intersect that frame's blacked-out rectangle (in global screen pixels, as element bounds
    are) keeps its role, states and bounds; its name, description, the names in its path and
    its selected item say ``[removed]``.

    Returns:
        Elements whose text was removed.
    """
    records = stored(rw)
    if not records or not shown:
        return 0
    rects: dict[int, list[tuple[float, float, float, float]]] = {}
    for a in rw.reader.actions():
        seq = a.get("seq")
        frames = {a.get(f) for f in ("frame_before", "frame_after")}
        if isinstance(seq, int):
            rects[seq] = [shown[i] for i in sorted(shown) if i in frames]
    count = 0
    out: list[dict[str, Any]] = []
    for record in records:
        copy = dict(record)
        covering = rects.get(record.get("action"), [])  # type: ignore[arg-type]
        for key in ("element", "end"):
            lookup = record.get(key)
            if isinstance(lookup, dict) and any(
                _intersects(lookup.get("bounds"), r) for r in covering
            ):
                copy[key] = _without_text(lookup)
                count += 1
        out.append(copy)
    if count:
        rw.write_records("elements", out)
    return count


def global_rect(
    rect: tuple[int, int, int, int], size: tuple[int, int], monitor: object
) -> tuple[float, float, float, float]:
    """A rectangle in a frame's pixels, clipped to the frame, in global screen pixels (the
    frame shows ``monitor``: its FrameMeta's origin and scale)."""
    m = monitor if isinstance(monitor, dict) else {}
    scale = float(m.get("scale") or 1.0)
    mx, my = float(m.get("x") or 0), float(m.get("y") or 0)
    x, y, w, h = rect
    x1, y1 = max(x, 0), max(y, 0)
    x2, y2 = min(x + w, size[0]), min(y + h, size[1])
    return (mx + x1 / scale, my + y1 / scale, (x2 - x1) / scale, (y2 - y1) / scale)


def _intersects(bounds: object, rect: tuple[float, float, float, float]) -> bool:
    """Whether element bounds ``[x, y, w, h]`` overlap ``rect`` (unknown bounds: no)."""
    if not isinstance(bounds, list) or len(bounds) != 4:
        return False
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in bounds):
        return False
    bx, by, bw, bh = bounds
    x, y, w, h = rect
    return bool(bx < x + w and x < bx + bw and by < y + h and y < by + bh)


def _without_text(lookup: dict[str, Any]) -> dict[str, Any]:
    """A lookup with every text it shows replaced by ``[removed]`` (roles and bounds stay)."""

    def gone(value: object) -> object:
        return REMOVED if isinstance(value, str) and value else value

    def step(s: object) -> object:
        return {**s, "name": gone(s.get("name"))} if isinstance(s, dict) else s

    copy = dict(lookup)
    copy["name"] = gone(lookup.get("name"))
    copy["description"] = gone(lookup.get("description"))
    path = lookup.get("path")
    if isinstance(path, list):
        copy["path"] = [step(s) for s in path]
    copy["selected"] = step(lookup.get("selected"))
    return copy
