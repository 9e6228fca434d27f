"""Redaction: rewrite the affected streams under fresh keys, then drop the old keys.

Nothing is edited in place. New stream files are written whole under new random keys, the
key record is replaced (the old one overwritten), and only then are the old files removed.
Copies of the old files are undecryptable with anything the vault holds afterwards.
Every redaction appends to the encrypted redaction log: what kind, where, when, how many;
never the content.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from storage.errors import CorruptData
from storage.format import crypto, keyrecord, records_io
from storage.format import frame_codec as frames
from storage.format.files import fsync_dir
from storage.format.stream import StreamContext, StreamWriter, read_chunk_at
from storage.reader import SessionReader

REDACTED_KEY = "redacted"


class Rewriter:
    """Collects rewritten streams of one session and commits them atomically.

    Attributes:
        reader: the session as it is before the redaction.
    """

    def __init__(
        self,
        reader: SessionReader,
        vault_id: bytes,
        public_key: bytes,
        on_done: Callable[[], None],
        rng: crypto.Rng = os.urandom,
    ) -> None:
        self.reader = reader
        self._vault_id = vault_id
        self._public_key = public_key
        self._on_done = on_done
        self._rng = rng
        self._new: dict[str, tuple[StreamWriter, keyrecord.StreamKey]] = {}

    def __enter__(self) -> Rewriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:
            self._discard()

    def open_stream(self, name: str) -> StreamWriter:
        """A fresh file for stream ``name`` under a new random key."""
        rec = self.reader.record
        gen = 0
        taken = {s.file for s in rec.streams.values()}
        while f"{name}.{gen}" in taken or (self.reader.path / f"{name}.{gen}").exists():
            gen += 1
        sk = keyrecord.StreamKey(f"{name}.{gen}", self._rng(crypto.KEY_LEN))
        ctx = StreamContext(self._vault_id, rec.session_id, name, rec.consent_sha256)
        w = StreamWriter(self.reader.path / sk.file, sk.key, ctx)
        self._new[name] = (w, sk)
        return w

    def old_frame_blob(self, chunk: int, offset: int) -> bytes:
        """One stored frame image of the session as it is now (authenticated), to copy."""
        rec = self.reader.record
        sk = rec.streams["frames"]
        ctx = StreamContext(self._vault_id, rec.session_id, "frames", rec.consent_sha256)
        recs = read_chunk_at(self.reader.path / sk.file, sk.key, ctx, chunk, offset)
        if len(recs) != 1:
            what = f"Session {rec.session_id}, stream frames, chunk {chunk}"
            raise CorruptData(f"{what} is malformed.")
        return recs[0]

    def write_records(self, name: str, records: list[dict[str, Any]]) -> None:
        """Write a whole record stream anew."""
        w = self.open_stream(name)
        for r in records:
            w.append(records_io.dumps(r))

    def commit(self, log_entry: dict[str, Any]) -> None:
        """Log the redaction, seal the new keys, destroy the old record, remove old files."""
        rec = self.reader.record
        try:
            log = self.reader.redactions()
            log.append({**log_entry, "when": time.time()})
            self.write_records("redactions", log)
            for w, _sk in self._new.values():
                w.close(final=True)
        except BaseException:
            self._discard()
            raise
        old_files = []
        for name, (w, sk) in self._new.items():
            if name in rec.streams:
                old_files.append(rec.streams[name].file)
            rec.streams[name] = sk
            rec.chunks[name] = w.chunks
        try:
            data = keyrecord.seal_record(rec, self._vault_id, self._public_key, self._rng)
            keyrecord.stage(self.reader.path, data)
        except BaseException:
            self._discard()
            raise
        # The new record is in force: from here on nothing may be undone, only finished.
        self._new = {}
        keyrecord.recover(self.reader.path)
        for f in old_files:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.reader.path / f)
        fsync_dir(self.reader.path)
        self._on_done()

    def _discard(self) -> None:
        """Remove new files of a redaction that did not commit (their keys were never saved)."""
        new, self._new = self._new, {}
        for w, sk in new.values():
            w.abandon()
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.reader.path / sk.file)


def region(
    rw: Rewriter,
    rect: tuple[int, int, int, int],
    frame_range: range | None,
    fill: tuple[int, int, int],
) -> int:
    """Solid-fill ``rect`` in the chosen frames; re-encode every frame (deltas follow).

    Returns:
        Frames whose pixels changed.
    """
    x, y, w, h = (int(v) for v in rect)
    if w <= 0 or h <= 0:
        raise ValueError("the region must have a positive width and height")
    reader = rw.reader
    metas = reader._metas()
    n = len(metas)
    targets = set(range(n) if frame_range is None else frame_range) & set(range(n))
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
        plan = planner.plan(i, img)
        meta = {k: v for k, v in metas[i].items() if k != "_store"}
        meta["same_as"] = plan.same_as
        chunk = offset = None
        if plan.kind != "same":
            chunk, offset = fw_stream.append_chunk(frames.encode(plan))
        meta["_store"] = frames.store_info(plan, chunk, offset)
        mw_stream.append(records_io.dumps(meta))
    span = None if frame_range is None else [frame_range.start, frame_range.stop]
    rw.commit(
        {
            "kind": "region",
            "where": {"rect": [x, y, w, h], "frames": span},
            "fill": list(fill),
            "count": len(hit),
        }
    )
    return len(hit)


def _typed_char(e: dict[str, Any]) -> str:
    char = e.get("char")
    if isinstance(char, str) and char:
        return char
    key = e.get("key")
    return key if isinstance(key, str) and len(key) == 1 else ""


def _scrub_key(e: dict[str, Any]) -> None:
    e["char"] = None
    e["key"] = REDACTED_KEY
    e["vk"] = None


def text(rw: Rewriter, needle: str) -> int:
    """Remove ``needle`` from typed keys (press and release), type actions and window titles.

    Returns:
        Occurrences removed.
    """
    events = list(rw.reader.events())
    actions = list(rw.reader.actions())
    count = 0
    downs = [e for e in events if e.get("kind") == "key" and e.get("down") and _typed_char(e)]
    spans = []
    typed = ""
    for e in downs:
        c = _typed_char(e)
        spans.append((len(typed), len(typed) + len(c)))
        typed += c
    hit: set[int] = set()
    pos = typed.find(needle)
    while pos >= 0:
        count += 1
        end = pos + len(needle)
        hit.update(i for i, (a, b) in enumerate(spans) if a < end and b > pos)
        pos = typed.find(needle, end)
    _scrub_presses(events, {downs[i]["seq"] for i in hit})
    for e in events:
        if e.get("kind") == "window" and isinstance(e.get("title"), str):
            c = e["title"].count(needle)
            if c:
                count += c
                e["title"] = e["title"].replace(needle, "")
    for a in actions:
        if isinstance(a.get("text"), str):
            c = a["text"].count(needle)
            if c:
                count += c
                a["text"] = a["text"].replace(needle, "")
        if isinstance(a.get("keys"), list) and needle in a["keys"]:
            count += a["keys"].count(needle)
            a["keys"] = [REDACTED_KEY if k == needle else k for k in a["keys"]]
    if count == 0:
        return 0
    rw.write_records("events", events)
    rw.write_records("actions", actions)
    rw.commit({"kind": "text", "where": {}, "count": count})
    return count


def _scrub_presses(events: list[dict[str, Any]], presses: set[int]) -> None:
    """Scrub the key presses with these seqs and, for each, the next release of its key."""
    waiting: dict[str, int] = {}
    for e in events:
        if e.get("kind") != "key":
            continue
        if e.get("seq") in presses:
            key = str(e.get("key"))
            waiting[key] = waiting.get(key, 0) + 1
            _scrub_key(e)
        elif not e.get("down") and waiting.get(str(e.get("key")), 0) > 0:
            waiting[str(e.get("key"))] -= 1
            _scrub_key(e)


def _char_presses(action: dict[str, Any], by_seq: dict[int, dict[str, Any]]) -> list[int | None]:
    """For each character of a type action's text, the seq of the key press that typed it.

    Replays the action's presses the way the recorder built its text (backspace removes the
    last character). None where the press is not in the event stream (deleted earlier).
    """
    out: list[int | None] = []
    for seq in action.get("events") or []:
        e = by_seq.get(seq) if isinstance(seq, int) else None
        if e is None or e.get("kind") != "key" or not e.get("down"):
            continue
        if e.get("key") == "backspace":
            if out:
                out.pop()
        else:
            out.extend([seq] * len(_typed_char(e)))
    text = action.get("text")
    if not isinstance(text, str) or len(out) != len(text):
        return [None] * (len(text) if isinstance(text, str) else 0)
    return out


def typed_spans(rw: Rewriter, spans: list[tuple[int, int, int]]) -> int:
    """Remove chosen spans of typed text only: ``(action seq, start, end)`` in its text.

    The characters leave the type action's text, and the key presses that typed them (with
    their releases) are scrubbed. Other occurrences of the same text are left alone.

    Returns:
        Characters removed.

    Raises:
        ValueError: a span does not lie inside a typed run of this session.
    """
    if not spans:
        return 0
    events = list(rw.reader.events())
    actions = list(rw.reader.actions())
    by_seq = {e["seq"]: e for e in events if isinstance(e.get("seq"), int)}
    acts = {a.get("seq"): a for a in actions if a.get("kind") == "type"}
    cut: dict[int, set[int]] = {}
    for seq, start, end in spans:
        a = acts.get(seq)
        text = a.get("text") if a is not None else None
        if not isinstance(text, str) or not 0 <= start < end <= len(text):
            raise ValueError("the selected text is not in this session's typed text")
        cut.setdefault(seq, set()).update(range(start, end))
    presses: set[int] = set()
    count = 0
    for seq, positions in cut.items():
        a = acts[seq]
        text = str(a["text"])
        owners = _char_presses(a, by_seq)
        presses.update(s for i, s in enumerate(owners) if i in positions and s is not None)
        a["text"] = "".join(c for i, c in enumerate(text) if i not in positions)
        count += len(positions)
    _scrub_presses(events, presses)
    rw.write_records("events", events)
    rw.write_records("actions", actions)
    rw.commit(
        {"kind": "typed_span", "where": {"spans": [[q, a, b] for q, a, b in spans]}, "count": count}
    )
    return count


def frames_deleted(rw: Rewriter, doomed: set[int]) -> int:
    """Delete these frames: the rest are renumbered and written under a new key.

    A surviving frame whose stored reference (the delta's base, or the frame it is the same
    as) survives too keeps its stored image, re-encrypted as is: its pixels stay exact.
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
        ref = st.get("base") if st.get("kind") == "delta" else metas[old].get("same_as")
        meta = {k: v for k, v in metas[old].items() if k != "_store"}
        meta["index"] = new
        if st.get("kind") == "key" or (isinstance(ref, int) and ref in new_index):
            store = dict(st)
            if st.get("kind") == "delta":
                store["base"] = new_index[int(st["base"])]
            if st.get("kind") == "same":
                meta["same_as"] = new_index[int(metas[old]["same_as"])]
            else:
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


def events(rw: Rewriter, seqs: range) -> int:
    """Drop the events with these seqs and every action derived from any of them.

    Returns:
        Events removed.
    """
    evs = list(rw.reader.events())
    keep = [e for e in evs if e.get("seq") not in seqs]
    removed = len(evs) - len(keep)
    if removed == 0:
        return 0
    acts = list(rw.reader.actions())
    keep_acts = [
        a for a in acts if not any(s in seqs for s in a.get("events", []) if isinstance(s, int))
    ]
    rw.write_records("events", keep)
    if len(keep_acts) != len(acts):
        rw.write_records("actions", keep_acts)
    rw.commit(
        {
            "kind": "events",
            "where": {"seqs": [seqs.start, seqs.stop]},
            "count": removed,
            "actions_removed": len(acts) - len(keep_acts),
        }
    )
    return removed


def window_titles(rw: Rewriter, seqs: range | None) -> int:
    """Blank the titles of window events (all, or those with these seqs).

    Returns:
        Titles blanked.
    """
    evs = list(rw.reader.events())
    n = 0
    for e in evs:
        if e.get("kind") == "window" and e.get("title") and (seqs is None or e.get("seq") in seqs):
            e["title"] = ""
            n += 1
    if n == 0:
        return 0
    rw.write_records("events", evs)
    span = None if seqs is None else [seqs.start, seqs.stop]
    rw.commit({"kind": "window_titles", "where": {"seqs": span}, "count": n})
    return n
