"""SessionWriter: write-only recording of one session with the vault's public key only.

The writer makes the session's random stream keys, seals them to the vault public key in the
key record, and appends encrypted chunks. It can never read an earlier session: it holds no
private key. Buffered data reaches the OS within FLUSH_AFTER + TICK seconds (well under 1 s)
even if nothing else is appended, so a ``kill -9`` loses at most that much.
"""

from __future__ import annotations

import collections
import contextlib
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

from storage import episodes as episode_records
from storage.errors import StorageError
from storage.format import crypto, index, keyrecord, records_io
from storage.format import frame_codec as frames
from storage.format.files import disk_errors, shred
from storage.format.lock import Lock
from storage.format.stream import StreamContext, StreamWriter, Ticker

STREAMS = ("consent", "events", "actions", "elements", "framemeta", "frames", "episodes", "stats")
FLUSH_AFTER = 0.5  # seconds a record may wait in memory before it is sealed and written
TICK = 0.1
SYNC_EVERY = 1.0  # fsync period (power-loss durability)
SUMMARY_EVERY = 5.0  # how often the plaintext index entry is refreshed while recording
MAX_PENDING_FRAMES = 4  # frames being encoded at once; append_frame waits beyond this
CLOSE_STATES = ("complete", "interrupted")


class _PendingFrame:
    __slots__ = ("blob", "meta", "plan")

    def __init__(self, plan: frames.Plan, meta: dict[str, Any], blob: Future[bytes] | None) -> None:
        self.plan = plan
        self.meta = meta
        self.blob = blob

    def ready(self) -> bool:
        return self.blob is None or self.blob.done()


class SessionWriter:
    """Appends one session's events, actions and frames, encrypted, crash-safely.

    Thread-safe: events/actions and frames may be appended from different threads.

    Attributes:
        session_id: the session's id.
        path: the session's folder.
    """

    def __init__(
        self,
        *,
        session_dir: Path,
        session_id: str,
        vault_id: bytes,
        public_key: bytes,
        consent: dict[str, Any],
        locks: list[Lock],
        aead_factory: crypto.AeadFactory = crypto.default_aead,
        rng: crypto.Rng = os.urandom,
        encode_threads: int = 2,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.session_id = session_id
        self.path = session_dir
        self._vault_id = vault_id
        self._public_key = public_key
        self._locks = locks
        self._aead_factory = aead_factory
        self._rng = rng
        self._lock = threading.RLock()
        self._frame_lock = threading.Lock()
        self._failed: Exception | None = None
        self._closed = False
        self._stats: dict[str, Any] = {}
        self._counts = {"events": 0, "actions": 0, "elements": 0, "frames": 0}
        self._frames_planned = 0
        self._consent_chunks = 0
        self._planner = frames.FramePlanner()
        self._pending: collections.deque[_PendingFrame] = collections.deque()
        self._pool: ThreadPoolExecutor | None = None
        self._encode_threads = encode_threads
        self._oldest: float | None = None
        self._dirty = False
        self._last_sync = self._last_summary = time.monotonic()
        self._t0 = time.monotonic()
        self._streams: dict[str, StreamWriter] = {}
        try:
            sha = records_io.consent_sha256(consent)
            self._record = keyrecord.KeyRecord(
                session_id=session_id,
                consent_sha256=sha,
                started=clock(),
                streams={n: keyrecord.StreamKey(f"{n}.0", rng(crypto.KEY_LEN)) for n in STREAMS},
            )
            self._expires = index.expiry_from_consent(consent, self._record.started)
            # The session exists once its key record does, so the files the record needs are
            # made first: a crash before it leaves no session, one after it a whole one
            # (FORMAT.md 7.2). Stats come at close, whole or not at all (see close).
            consent_stream = self._open("consent")
            consent_stream.append(records_io.dumps(consent))
            consent_stream.close(final=True)
            self._consent_chunks = consent_stream.chunks
            for name in ("events", "actions", "elements", "framemeta", "frames", "episodes"):
                self._streams[name] = self._open(name)
            keyrecord.write_first(session_dir, self._sealed())
            self._write_summary("recording")
        except BaseException:
            self._abandon_new_session()
            raise
        self._ticker = Ticker(TICK, self._tick)

    @property
    def failure(self) -> Exception | None:
        """The disk error (DiskFull...) that made this writer refuse every later write, if any.

        A frame write or the background flush can be the first to meet it, with no caller to
        raise it to; the recorder polls this to stop the session at once.
        """
        return self._failed

    # --- appending --------------------------------------------------------------------

    def append_event(self, event: dict[str, Any]) -> int:
        """Store one event; assigns and returns ``event["seq"]``."""
        return self._append("events", event)

    def append_action(self, action: dict[str, Any]) -> int:
        """Store one action; assigns and returns ``action["seq"]``."""
        return self._append("actions", action)

    def append_element(self, element: dict[str, Any]) -> int:
        """Store the UI element of one action (``{"action": seq, "element": ..., "end"?}``,
        the shape recorder/capture/grounding.py writes); assigns and returns its seq."""
        return self._append("elements", element)

    def _append(self, name: str, record: dict[str, Any]) -> int:
        with self._lock:
            self._check()
            seq = self._counts[name]
            record["seq"] = seq
            with self._failure_sticks():
                self._streams[name].append(records_io.dumps(record))
            self._counts[name] = seq + 1
            self._mark_pending()
            return seq

    def put_episode(self, episode: dict[str, Any]) -> None:
        """Store the latest version of one task episode (a later one with its id replaces it).

        Raises:
            InvalidEpisodes: a field is missing, of the wrong type or over its limit.
        """
        record = episode_records.check_record(episode)
        with self._lock:
            self._check()
            with self._failure_sticks():
                self._streams["episodes"].append(records_io.dumps(record))
            self._mark_pending()

    def append_frame(
        self,
        pixels: bytes | memoryview,
        size: tuple[int, int],
        meta: dict[str, Any],
        pixel_format: str = "BGRX",
    ) -> int:
        """Store one frame losslessly; assigns and returns ``meta["index"]``.

        Sets ``meta["same_as"]`` to the index of an identical earlier frame (stored once),
        or None. Encoding runs in a small thread pool (Pillow releases the GIL), and
        frames are written in index order.

        Args:
            pixels: raw rows as mss gives them, no padding.
            size: (width, height).
            meta: FrameMeta without index (t, wall, monitor, reason).
            pixel_format: BGRX, BGRA, RGBX, RGBA, RGB or BGR.

        Returns:
            The frame's index.
        """
        self._check()
        image = frames.to_image(pixels, size, pixel_format)
        with self._frame_lock:
            index = self._frames_planned
            self._frames_planned += 1
            t = meta.get("t")
            plan = self._planner.plan(
                index, image, float(t) if isinstance(t, (int, float)) else None
            )
            meta["index"] = index
            meta["same_as"] = plan.same_as
            blob = None
            if plan.has_patch:
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(
                        self._encode_threads, thread_name_prefix="overt-encode"
                    )
                with self._lock:
                    # every encoder thread busy: this frame takes the fast setting
                    behind = sum(not p.ready() for p in self._pending) >= self._encode_threads
                blob = self._pool.submit(frames.encode, plan, fast=behind)
            with self._lock:
                self._pending.append(_PendingFrame(plan, dict(meta), blob))
            while True:
                with self._lock:
                    head = self._pending[0] if len(self._pending) > MAX_PENDING_FRAMES else None
                if head is None:
                    break
                if head.blob is not None:
                    head.blob.result()
                with self._lock:
                    self._drain_frames()
            with self._lock:
                self._check()
                self._drain_frames()
        return index

    def _drain_frames(self, block: bool = False) -> None:
        """Write encoded frames in order (caller holds self._lock)."""
        while self._pending:
            head = self._pending[0]
            if not block and not head.ready():
                return
            chunk = offset = None
            with self._failure_sticks():
                if head.blob is not None:
                    chunk, offset = self._streams["frames"].append_chunk(head.blob.result())
                head.meta["_store"] = frames.store_info(head.plan, chunk, offset)
                self._streams["framemeta"].append(records_io.dumps(head.meta))
                if self._counts["frames"] == 0:
                    # the first frame's record goes to the OS at once: a session that said
                    # it was recording shows that frame even if the disk fills a moment later
                    self._streams["framemeta"].flush()
            self._pending.popleft()
            self._counts["frames"] += 1
            self._mark_pending()

    def note_stats(self, stats: dict[str, Any]) -> None:
        """Remember capture statistics (drops, counts...); stored encrypted at close."""
        with self._lock:
            self._stats.update(stats)

    # --- durability -------------------------------------------------------------------

    def flush(self) -> None:
        """Make everything appended so far durable (sealed, written and fsynced) now."""
        with self._lock:
            self._check()
            self._drain_frames(block=True)
            with self._failure_sticks():
                for s in self._streams.values():
                    s.flush()
                    s.sync()
            self._oldest = None
            self._dirty = False
            self._last_sync = time.monotonic()

    def _tick(self) -> None:
        with self._lock:
            if self._closed or self._failed is not None:
                return
            try:
                self._drain_frames()
                now = time.monotonic()
                if self._oldest is not None and now - self._oldest >= FLUSH_AFTER:
                    for s in self._streams.values():
                        s.flush()
                    self._oldest = None
                if self._dirty and now - self._last_sync >= SYNC_EVERY:
                    for s in self._streams.values():
                        s.sync()
                    self._dirty = False
                    self._last_sync = now
                if now - self._last_summary >= SUMMARY_EVERY:
                    self._write_summary("recording")
                    self._last_summary = now
            except Exception as exc:  # noqa: BLE001 - re-raised to the caller by _check
                # A dead flush thread would silently break the 1 s bound: fail loudly instead.
                self._failed = exc

    def _mark_pending(self) -> None:
        if self._oldest is None:
            self._oldest = time.monotonic()
        self._dirty = True

    # --- closing ----------------------------------------------------------------------

    def close(self, state: str = "complete") -> None:
        """Finish the session: final chunks, stats, closed key record, index entry.

        Args:
            state: "complete", or "interrupted" when capture ended abnormally.

        Raises:
            DiskFull: if the disk filled; what was already written stays readable and
                the session opens as interrupted.
        """
        if state not in CLOSE_STATES:
            raise ValueError(f"state must be one of {CLOSE_STATES}")
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._ticker.stop()
        try:
            with self._lock:
                if self._failed is not None:
                    raise self._failed
                self._drain_frames(block=True)
                for s in self._streams.values():
                    s.close()
                self._write_stats()
                rec = self._record
                rec.closed = True
                rec.state = state
                rec.ended = time.time()
                rec.chunks = {n: s.chunks for n, s in self._streams.items()}
                rec.chunks["consent"] = self._consent_chunks
                keyrecord.replace(self.path, self._sealed())
                self._write_summary(state)
        finally:
            for s in self._streams.values():
                s.abandon()
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
            for lock in self._locks:
                lock.release()

    def __enter__(self) -> SessionWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close("complete" if exc_type is None else "interrupted")

    # --- helpers ----------------------------------------------------------------------

    def _check(self) -> None:
        if self._failed is not None:
            raise self._failed
        if self._closed:
            raise ValueError("the session writer is closed")

    @contextlib.contextmanager
    def _failure_sticks(self) -> Iterator[None]:
        """After a disk error the writer refuses further appends (the stream may be torn)."""
        try:
            yield
        except StorageError as exc:
            self._failed = exc
            raise

    def _open(self, name: str, file: str | None = None) -> StreamWriter:
        ctx = StreamContext(self._vault_id, self.session_id, name, self._record.consent_sha256)
        sk = self._record.streams[name]
        return StreamWriter(self.path / (file or sk.file), sk.key, ctx, self._aead_factory)

    def _write_stats(self) -> None:
        """Write the stats stream under a temporary name, then rename it into place.

        The key record names the stats file from the start, and a session that was not
        closed may lack it; a crash must not leave it there without its header.
        """
        final = self._record.streams["stats"].file
        tmp = self.path / f".{final}.tmp"
        stats = self._open("stats", tmp.name)
        self._streams["stats"] = stats
        try:
            stats.append(records_io.dumps(self._stats))
            stats.close()
            with disk_errors("saving the session's statistics"):
                os.replace(tmp, self.path / final)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def _sealed(self) -> bytes:
        return keyrecord.seal_record(self._record, self._vault_id, self._public_key, self._rng)

    def _write_summary(self, state: str) -> None:
        index.write_summary(
            self.path,
            index.SessionSummary(
                id=self.session_id,
                started=self._record.started,
                duration=round(time.monotonic() - self._t0, 3),
                state=state,
                review="unreviewed",
                events=self._counts["events"],
                actions=self._counts["actions"],
                frames=self._counts["frames"],
                bytes=0,
                expires=self._expires,
            ),
        )

    def _abandon_new_session(self) -> None:
        for s in self._streams.values():
            s.abandon()
        with contextlib.suppress(StorageError, OSError):
            shred(self.path / keyrecord.FILE)
        shutil.rmtree(self.path, ignore_errors=True)
        for lock in self._locks:
            lock.release()
