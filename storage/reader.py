"""SessionReader: decrypts and authenticates one session's streams (passphrase needed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from PIL import Image

from storage import elements as element_records
from storage import episodes as episode_records
from storage.episodes import Episode
from storage.errors import CorruptData, InvalidEpisodes, StorageError
from storage.format import frame_codec as frames
from storage.format import index, keyrecord, records_io
from storage.format.files import tree_size
from storage.format.frame_codec import Move
from storage.format.stream import StreamContext, StreamEnd, iter_chunks, read_chunk_at

_CACHE_SIZE = 6  # reconstructed frames kept, by the frame holding their pixels
# A chain from a keyframe can be a few hundred patches long (storage/format/frame_codec.py);
# every so many steps along one, the image there is kept, so stepping back from the end of a
# long chain reconstructs at most this many patches.
_CHECKPOINT_EVERY = 32
_CHECKPOINTS = 4
_TAIL_KEPT = 2  # the last frames of a chain before the one asked for, kept in the cache
#: How far back ``frame_changes`` follows a chain before it says "not known".
_CHANGE_STEPS = 64

#: A pixel box: (left, top, right, bottom), right and bottom exclusive.
Box = tuple[int, int, int, int]


class SessionReader:
    """Reads a session: consent, events, actions, frames, stats, redaction log.

    Every chunk is authenticated as it is read; any failure raises CorruptData. A session
    that was not closed (interrupted) may end without its final chunks; a closed one may not.

    Attributes:
        session_id: the session's id.
        path: its folder.
        record: the decrypted key record.
    """

    def __init__(
        self,
        session_dir: Path,
        session_id: str,
        vault_id: bytes,
        private: X25519PrivateKey,
        *,
        recording: bool = False,
    ) -> None:
        self.session_id = session_id
        self.path = session_dir
        self._vault_id = vault_id
        self._recording = recording
        self.record = keyrecord.open_current(session_dir, vault_id, private, session_id)
        consent = list(self._records("consent"))
        if len(consent) != 1:
            raise CorruptData(f"Session {session_id} has a malformed consent record.")
        self.consent: dict[str, Any] = records_io.loads_dict(consent[0], self._what("consent"))
        if records_io.consent_sha256(self.consent) != self.record.consent_sha256:
            raise CorruptData(f"Session {session_id}'s consent record does not match its keys.")
        self._frame_metas: list[dict[str, Any]] | None = None
        self._cache: dict[int, Image.Image] = {}
        self._counts: dict[str, int] = {}
        self._checkpoints: dict[int, Image.Image] = {}

    # --- metadata ---------------------------------------------------------------------

    @property
    def state(self) -> str:
        """ "recording", "interrupted" or "complete"."""
        if self.record.closed:
            return self.record.state
        return "recording" if self._recording else "interrupted"

    @property
    def summary(self) -> index.SessionSummary:
        """The index summary, corrected from the authenticated key record, consent and streams.

        The index is not authenticated, so nothing from it reaches what is shown or exported
        after unlock except a duration no longer than the key record's (a deleted tail).
        """
        known = index.read_summary(self.path, self.session_id)
        s = known or index.unknown_summary(self.session_id)
        s.state = self.state
        s.review = self.record.review
        s.started = self.record.started
        if self.record.ended is not None:  # shorter once a change deleted the session's tail
            full = round(self.record.ended - self.record.started, 3)
            s.duration = max(0.0, min(s.duration, full)) if known else full
        s.events, s.actions = self._count("events"), self._count("actions")
        s.frames = len(self.frames())
        s.study_id = study_of(self.consent)
        s.expires = index.expiry_from_consent(self.consent, self.record.started)
        s.bytes = tree_size(self.path)
        return s

    def damage(self) -> list[str]:
        """What full verification finds wrong with this session (empty when it is sound).

        Every stream is walked to its end (``stream_damage``) and the frame index checked.
        Export refuses a session with any damage.
        """
        _checked, where = stream_damage(self.path, self.session_id, self._vault_id, self.record)
        if not where:
            try:
                self._metas()
            except StorageError as exc:
                where.append(f"consent or frame index: {exc}")
        return where

    @property
    def stats(self) -> dict[str, Any]:
        """Capture statistics noted by the writer ({} if the session was interrupted).

        A closed session always has them (FORMAT.md 7.3): a missing file is CorruptData.
        """
        if "stats" not in self.record.streams:
            return {}
        if not self.record.closed and not self._exists("stats"):
            return {}
        recs = [records_io.loads_dict(r, self._what("stats")) for r in self._records("stats")]
        out: dict[str, Any] = {}
        for r in recs:
            out.update(r)
        return out

    # --- records ----------------------------------------------------------------------

    def events(self) -> Iterator[dict[str, Any]]:
        """Events in seq order."""
        for raw in self._records("events"):
            yield records_io.loads_dict(raw, self._what("events"))

    def actions(self) -> Iterator[dict[str, Any]]:
        """Actions in seq order."""
        for raw in self._records("actions"):
            yield records_io.loads_dict(raw, self._what("actions"))

    def episodes(self) -> list[Episode]:
        """Task episodes sorted by ``t_start``, each with its first and last action seq.

        A session recorded before episodes existed has none ([]). An episode left open when
        a closed (or interrupted) session ended reads as ending at the session's end.
        """
        records = self.episode_records()
        if not records:
            return []
        if self.state != "recording" and any(r["t_end"] is None for r in records):
            end = self.end_time()
            for r in records:
                if r["t_end"] is None:
                    r["t_end"] = max(r["t_start"], end)
        times = sorted((float(a.get("t", 0.0)), int(a["seq"])) for a in self.actions())
        return episode_records.with_seqs(records, times)

    def episode_records(self) -> list[dict[str, Any]]:
        """The stored episodes folded by id (last record wins), without derived fields."""
        if "episodes" not in self.record.streams:
            return []
        what = self._what("episodes")
        raw = [records_io.loads_dict(r, what) for r in self._records("episodes")]
        try:
            return episode_records.fold(raw)
        except InvalidEpisodes:
            raise CorruptData(f"{what} holds a malformed episode.") from None

    def end_time(self) -> float:
        """The session's length in seconds: to its close, or to the last thing it holds if
        that is later (an interrupted session has no close; the clocks differ by a little)."""
        end = max([0.0, *(float(f.get("t", 0.0)) for f in self.frames())])
        for a in self.actions():
            end = max(end, float(a.get("t_end", a.get("t", 0.0))))
        if self.record.ended is not None:
            return max(end, round(self.record.ended - self.record.started, 3))
        for e in self.events():
            end = max(end, float(e.get("t", 0.0)))
        return end

    def element_records(self) -> list[dict[str, Any]]:
        """The stored element records as written (storage/elements.py); [] for a session
        recorded before elements were (its key record names no elements stream)."""
        if "elements" not in self.record.streams:
            return []
        return [records_io.loads_dict(r, self._what("elements")) for r in self._records("elements")]

    def elements(self) -> dict[int, dict[str, Any]]:
        """Action seq -> the UI element it was on, ``{role, name, description, states,
        bounds, path, selected, app}``, or ``{"missing": reason}`` when the platform could
        not say (a drag's also has ``end``). Actions without an entry had no lookup."""
        return element_records.by_action(self.element_records())

    def redactions(self) -> list[dict[str, Any]]:
        """The redaction log: kind, where, when; never the redacted content."""
        if "redactions" not in self.record.streams:
            return []
        return [
            records_io.loads_dict(r, self._what("redactions")) for r in self._records("redactions")
        ]

    def frames(self) -> list[dict[str, Any]]:
        """FrameMeta of every frame, in index order."""
        return [{k: v for k, v in m.items() if k != "_store"} for m in self._metas()]

    def frame_image(self, index: int) -> Image.Image:
        """The exact RGB pixels of frame ``index`` (a copy the caller may modify).

        Raises:
            IndexError: no such frame.
            CorruptData: its data fails authentication or is inconsistent.
        """
        self._check_index(index)
        return self._reconstruct(index).copy()

    def frame_changes(self, index: int, since: int | None) -> tuple[Image.Image, Box | None]:
        """Frame ``index``'s pixels, and where they can differ from frame ``since``'s.

        For a reader of many frames in a row (export): the box comes from how the frame was
        reconstructed, not from the writer's word, so it is exact by construction. Following
        ``index``'s chain back to ``since`` through deltas and moves (the patch's box and the
        moved rows are the only parts that differ from the base) and "same" frames (no pixels
        differ), every pixel outside the union of the boxes is ``since``'s pixel.

        Returns:
            (image, box): the image is the reader's own, shared with its cache, and must not be
            modified; box is (left, top, right, bottom), (0, 0, 0, 0) when the frames are
            identical, or None when it is not known (a keyframe on the way, a frame before
            ``since``, no ``since``): the caller compares pixels itself.

        Raises:
            IndexError: no such frame.
            CorruptData: its data fails authentication or is inconsistent.
        """
        self._check_index(index)
        image = self._reconstruct(index)
        return image, None if since is None else self._changed_box(index, since)

    # --- internals --------------------------------------------------------------------

    def _check_index(self, index: int) -> None:
        if not 0 <= index < len(self._metas()):
            raise IndexError(f"session {self.session_id} has no frame {index}")

    def _changed_box(self, index: int, since: int) -> Box | None:
        """The union of the boxes on the chains of ``index`` and ``since`` back to the frame
        both stem from (see ``frame_changes``); a repeat of a frame before ``since`` meets
        ``since``'s chain there."""
        mine: dict[int, Box] = {}  # frame on index's chain -> where index can differ from it
        box: Box = (0, 0, 0, 0)
        j: int | None = index
        for _ in range(_CHANGE_STEPS):
            if j is None:
                break
            mine[j] = box
            if j == since:
                return box
            step = self._step(j)
            if step is None:
                break
            j, box = step[0], _union(box, step[1])
        box, j = (0, 0, 0, 0), since
        for _ in range(_CHANGE_STEPS):
            if j in mine:
                return _union(mine[j], box)
            step = self._step(j)
            if step is None:
                return None
            j, box = step[0], _union(box, step[1])
        return None

    def _step(self, j: int) -> tuple[int, Box] | None:
        """The frame ``j`` is built on and the box where it can differ from it; None for a
        keyframe or anything malformed."""
        st = self._metas()[j]["_store"]
        box: Box = (0, 0, 0, 0)
        if st.get("kind") == "same":
            nxt = self._metas()[j].get("same_as")
        elif st.get("kind") in ("delta", "move"):
            try:
                x, y, w, h = (int(v) for v in st["box"])
                if st["kind"] == "move":
                    mx, my, mw, mh, _dy = (int(v) for v in st["move"])
                    box = (mx, my, mx + mw, my + mh)
            except (KeyError, TypeError, ValueError):
                return None
            if w > 0 and h > 0:
                box = _union(box, (x, y, x + w, y + h))
            nxt = st.get("base")
        else:
            return None
        if not isinstance(nxt, int) or isinstance(nxt, bool) or not 0 <= nxt < j:
            return None
        return nxt, box

    def _metas(self) -> list[dict[str, Any]]:
        if self._frame_metas is None:
            metas = []
            for i, raw in enumerate(self._records("framemeta")):
                m = records_io.loads_dict(raw, self._what("framemeta"))
                if m.get("index") != i or not isinstance(m.get("_store"), dict):
                    raise CorruptData(f"{self._what('framemeta')} is inconsistent at frame {i}.")
                metas.append(m)
            self._frame_metas = metas
        return self._frame_metas

    def _reconstruct(self, index: int) -> Image.Image:
        metas = self._metas()
        chain: list[int] = []
        j = index
        root: int | None = None  # the frame holding index's pixels (index, unless a repeat)
        base_img: Image.Image | None = None
        while True:
            if j in self._cache or j in self._checkpoints:
                base_img = self._cache[j] if j in self._cache else self._checkpoints[j]
                break
            st = metas[j]["_store"]
            kind = st.get("kind")
            if kind != "same" and root is None:
                root = j
            if kind == "same":
                nxt = metas[j].get("same_as")
            elif kind in ("delta", "move"):
                chain.append(j)
                nxt = st.get("base")
            elif kind == "key":
                chain.append(j)
                break
            else:
                raise CorruptData(f"{self._what('framemeta')} has an unknown frame kind.")
            if not isinstance(nxt, int) or isinstance(nxt, bool) or not 0 <= nxt < j:
                raise CorruptData(f"{self._what('framemeta')} has a bad frame reference.")
            j = nxt
        img = base_img
        owned = False  # whether img is this call's own copy, which patches may change
        for step, k in enumerate(reversed(chain)):
            st = metas[k]["_store"]
            if st["kind"] == "key":
                img, owned = self._patch(k, st), True
                continue
            if img is None:
                raise CorruptData(f"{self._what('framemeta')} has a bad frame reference.")
            if not owned:
                img, owned = img.copy(), True
            if st["kind"] == "move":
                x, y, w, h, dy = self._move(k, st, img.size)
                img.paste(img.crop((x, y + dy, x + w, y + dy + h)), (x, y))
            if _has_patch(st):
                x, y, _w, _h = st["box"]
                img.paste(self._patch(k, st), (x, y))
            left = len(chain) - 1 - step
            if 0 < left <= _TAIL_KEPT:
                self._remember(k, img.copy())  # the frames just before: a step back is free
            elif step and step % _CHECKPOINT_EVERY == 0 and left:
                self._checkpoint(k, img.copy())  # a step back later starts near here
        if img is None:
            raise CorruptData(f"{self._what('framemeta')} has a bad frame reference.")
        # Kept under the frame that holds the pixels, so every repeat of it finds it.
        self._remember(j if root is None else root, img)
        return img

    def _move(self, k: int, st: dict[str, Any], size: tuple[int, int]) -> Move:
        try:
            return frames.check_move(st.get("move"), size)
        except ValueError:
            raise CorruptData(f"{self._what('framemeta')} is malformed at frame {k}.") from None

    def _patch(self, k: int, st: dict[str, Any]) -> Image.Image:
        try:
            x, y, w, h = (int(v) for v in st["box"])
            fw, fh = (int(v) for v in st["size"])
            chunk, offset = int(st["chunk"]), int(st["offset"])
        except (KeyError, TypeError, ValueError):
            raise CorruptData(f"{self._what('framemeta')} is malformed at frame {k}.") from None
        if x < 0 or y < 0 or w <= 0 or h <= 0 or x + w > fw or y + h > fh:
            raise CorruptData(f"{self._what('framemeta')} is malformed at frame {k}.")
        sk = self.record.streams["frames"]
        ctx = self._ctx("frames")
        recs = read_chunk_at(self.path / sk.file, sk.key, ctx, chunk, offset)
        if len(recs) != 1:
            raise CorruptData(f"{self._what('frames')}, chunk {chunk} is malformed.")
        return frames.decode(recs[0], (w, h), f"{self._what('frames')}, chunk {chunk}")

    def _remember(self, k: int, img: Image.Image) -> None:
        self._cache.pop(k, None)  # the newest last: the oldest goes first
        self._cache[k] = img
        while len(self._cache) > _CACHE_SIZE:
            self._cache.pop(next(iter(self._cache)))

    def _checkpoint(self, k: int, img: Image.Image) -> None:
        """Keep a frame met on the way along a long chain (the oldest such goes first)."""
        self._checkpoints[k] = img
        while len(self._checkpoints) > _CHECKPOINTS:
            self._checkpoints.pop(next(iter(self._checkpoints)))

    def _ctx(self, name: str) -> StreamContext:
        return StreamContext(self._vault_id, self.session_id, name, self.record.consent_sha256)

    def _exists(self, name: str) -> bool:
        return (self.path / self.record.streams[name].file).exists()

    def _count(self, name: str) -> int:
        """How many records a stream holds, authenticated (counted once per reader)."""
        if name not in self._counts:
            self._counts[name] = sum(1 for _ in self._records(name))
        return self._counts[name]

    def _what(self, name: str) -> str:
        return f"Session {self.session_id}, stream {name}"

    def _records(self, name: str) -> Iterator[bytes]:
        """Every record of a stream, authenticated, with the end-of-stream rules applied."""
        sk = self.record.streams.get(name)
        if sk is None:
            raise CorruptData(f"Session {self.session_id} has no {name} stream key.")
        end = StreamEnd()
        for _counter, records in iter_chunks(self.path / sk.file, sk.key, self._ctx(name), end):
            yield from records
        check_end(self.record, name, end, self._what(name))


def stream_damage(
    path: Path, session_id: str, vault_id: bytes, rec: keyrecord.KeyRecord
) -> tuple[int, list[str]]:
    """Walk every stream the key record names to its end, authenticating every chunk.

    The one check both full verification and export use, so that export never passes on
    what verify calls damaged (a missing stream, a damaged or trailing final chunk...).

    Returns:
        (chunks checked, one entry per problem naming the stream, file and chunk).
    """
    checked, where = 0, []
    for name, sk in sorted(rec.streams.items()):
        if name == "stats" and not rec.closed and not (path / sk.file).exists():
            continue  # a session that was not closed may lack its statistics
        end = StreamEnd()
        ctx = StreamContext(vault_id, session_id, name, rec.consent_sha256)
        what = f"Session {session_id}, stream {name}"
        try:
            for _counter, records in iter_chunks(path / sk.file, sk.key, ctx, end):
                checked += 1
                if name != "frames":  # frame chunks hold images, checked via the index
                    for r in records:
                        records_io.loads(r, what)
            check_end(rec, name, end, what)
        except StorageError as exc:
            where.append(f"stream {name} ({sk.file}), chunk {end.chunks}: {exc}")
    return checked, where


def check_end(rec: keyrecord.KeyRecord, name: str, end: StreamEnd, what: str) -> None:
    """Apply the end-of-stream rules: a closed session's streams must end exactly as recorded.

    Streams written whole after recording (consent, stats, rewritten ones) always end final.
    """
    must_be_final = rec.closed or name in ("consent", "redactions")
    if must_be_final:
        if not end.final or end.tail:
            raise CorruptData(f"{what} is truncated.")
        expected = rec.chunks.get(name)
        if rec.closed and expected is not None and expected != end.chunks:
            raise CorruptData(f"{what} has {end.chunks} chunks; {expected} were written.")


def study_of(consent: dict[str, Any]) -> str | None:
    """The study id named by a consent record, if any."""
    sid = consent.get("study_id")
    if isinstance(sid, str):
        return sid
    study = consent.get("study")
    if isinstance(study, dict) and isinstance(study.get("id"), str):
        return str(study["id"])
    return None


def _has_patch(st: dict[str, Any]) -> bool:
    """Whether a delta or move stored an image (a move that explains everything has none)."""
    box = st.get("box")
    return st.get("kind") == "delta" or (
        isinstance(box, list) and len(box) == 4 and box[2] != 0 and box[3] != 0
    )


def _union(a: Box, b: Box) -> Box:
    """The smallest box holding both (an empty box adds nothing)."""
    if a[2] <= a[0] or a[3] <= a[1]:
        return b
    if b[2] <= b[0] or b[3] <= b[1]:
        return a
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
