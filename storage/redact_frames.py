"""Redacting frames: filling a region with a solid colour, deleting frames.

Both re-store the frames through a Rewriter (storage/rewriter.py): the kept frames stay
pixel-exact, and nothing of what was removed is copied.
"""

from __future__ import annotations

from storage import redact_elements
from storage.format import frame_codec as frames
from storage.format import records_io
from storage.rewriter import Rewriter


def region(
    rw: Rewriter,
    rect: tuple[int, int, int, int],
    frame_range: range | None,
    fill: tuple[int, int, int],
) -> int:
    """Solid-fill ``rect`` in the chosen frames; re-encode every frame (deltas follow). The
    elements it covered in those frames lose their text (storage/redact_elements.py).

    Returns:
        Frames whose pixels changed.
    """
    x, y, w, h = (int(v) for v in rect)
    if w <= 0 or h <= 0:
        raise ValueError("the region must have a positive width and height")
    reader = rw.reader
    metas = reader._metas()
    n = len(metas)
    # membership, not set(frame_range): a range may be huge (0..10**30) and must not allocate
    targets = {i for i in range(n) if frame_range is None or i in frame_range}
    sized = {i: tuple(metas[i]["_store"].get("size", (0, 0))) for i in targets}
    hit = {i for i, (fw, fh) in sized.items() if x < fw and y < fh and x + w > 0 and y + h > 0}
    if not hit:
        return 0
    fw_stream = rw.open_stream("frames")
    mw_stream = rw.open_stream("framemeta")
    planner = frames.FramePlanner()
    for i in range(n):
        img = reader.frame_image(i)
        if i in hit:
            iw, ih = img.size
            img.paste(tuple(fill), (max(x, 0), max(y, 0), min(x + w, iw), min(y + h, ih)))
        t = metas[i].get("t")
        plan = planner.plan(i, img, float(t) if isinstance(t, (int, float)) else None)
        meta = {k: v for k, v in metas[i].items() if k != "_store"}
        meta["same_as"] = plan.same_as
        chunk = offset = None
        if plan.has_patch:
            chunk, offset = fw_stream.append_chunk(frames.encode(plan))
        meta["_store"] = frames.store_info(plan, chunk, offset)
        mw_stream.append(records_io.dumps(meta))
    shown = {
        i: redact_elements.global_rect((x, y, w, h), sized[i], metas[i].get("monitor")) for i in hit
    }
    covered = redact_elements.in_region(rw, shown)
    span = None if frame_range is None else [frame_range.start, frame_range.stop]
    rw.commit(
        {
            "kind": "region",
            "where": {"rect": [x, y, w, h], "frames": span},
            "fill": list(fill),
            "count": len(hit),
            "elements": covered,
        }
    )
    return len(hit)


def frames_deleted(rw: Rewriter, doomed: set[int]) -> int:
    """Delete these frames: the rest are renumbered and written under a new key.

    A surviving frame whose stored reference (the base of a delta or a move, or the frame it
    is the same as) survives too keeps its stored image, re-encrypted as is: its pixels stay
    exact.
    One whose reference was deleted is reconstructed from the old stream and stored anew
    (``frames.FramePlanner`` makes it a keyframe). Nothing of a deleted frame is copied.
    Actions' ``frame_before`` / ``frame_after`` follow the new numbering and become null
    where they named a deleted frame.

    Returns:
        Frames deleted.
    """
    reader = rw.reader
    metas = reader._metas()
    doomed = {i for i in doomed if 0 <= i < len(metas)}
    if not doomed:
        return 0
    new_index: dict[int, int] = {}
    for i in range(len(metas)):
        if i not in doomed:
            new_index[i] = len(new_index)
    fw_stream = rw.open_stream("frames")
    mw_stream = rw.open_stream("framemeta")
    for old, new in new_index.items():
        st = metas[old]["_store"]
        based = st.get("kind") in ("delta", "move")
        ref = st.get("base") if based else metas[old].get("same_as")
        meta = {k: v for k, v in metas[old].items() if k != "_store"}
        meta["index"] = new
        if st.get("kind") == "key" or (isinstance(ref, int) and ref in new_index):
            store = dict(st)
            if based:
                store["base"] = new_index[int(st["base"])]
            if st.get("kind") == "same":
                meta["same_as"] = new_index[int(metas[old]["same_as"])]
            elif st.get("chunk") is not None:  # a move that explained every pixel has none
                store["chunk"], store["offset"] = fw_stream.append_chunk(
                    rw.old_frame_blob(int(st["chunk"]), int(st["offset"]))
                )
        else:
            plan = frames.FramePlanner().plan(new, reader.frame_image(old))
            meta["same_as"] = plan.same_as
            store = frames.store_info(plan, *fw_stream.append_chunk(frames.encode(plan)))
        meta["_store"] = store
        mw_stream.append(records_io.dumps(meta))
    actions = list(reader.actions())
    for a in actions:
        for field in ("frame_before", "frame_after"):
            ref = a.get(field)
            if isinstance(ref, int) and not isinstance(ref, bool):
                a[field] = new_index.get(ref)
    rw.write_records("actions", actions)
    rw.commit({"kind": "frames", "where": {"frames": _ranges(doomed)}, "count": len(doomed)})
    return len(doomed)


def _ranges(indices: set[int]) -> list[list[int]]:
    """Sorted indices as [start, stop) pairs: {1, 2, 3, 7} -> [[1, 4], [7, 8]]."""
    out: list[list[int]] = []
    for i in sorted(indices):
        if out and out[-1][1] == i:
            out[-1][1] = i + 1
        else:
            out.append([i, i + 1])
    return out
