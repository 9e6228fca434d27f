"""The pipeline worker: raw input -> policy -> event records, thinned moves, actions, frames.

One thread consumes the raw queue in order. It applies the scope before anything is written
(paused, outside scope, sensitive input, text mode, the pause hotkey), writes events through
the sink, feeds the action deriver and asks the frame service for pre/post-action frames.
"""

from __future__ import annotations

import collections
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from recorder.capture.actions import ActionDeriver
from recorder.capture.frames import FrameService, FrameTicket
from recorder.capture.hotkey import GateItem, HotkeyGate
from recorder.capture.keys import KeyInfo, KeyTracker
from recorder.capture.policy import Policy, WindowInfo, parse_hotkey
from recorder.capture.rawinput import (
    CONTEXT_KINDS,
    ContextItem,
    InputItem,
    PointerItem,
    RawButton,
    RawControl,
    RawGuard,
    RawInput,
    RawItem,
    RawKey,
    RawLock,
    RawMove,
    RawVisible,
    RawWindow,
)
from recorder.capture.session_sink import SessionSink
from recorder.capture.thinning import MoveThinner
from recorder.consent.record import ConsentScope

Record = dict[str, Any]
KeyResolver = Callable[[Any], KeyInfo | None]
ButtonNamer = Callable[[Any], str]


@dataclass
class _Pending:
    action: Record
    before: FrameTicket | None
    after: FrameTicket | None
    deadline: float


@dataclass
class PipelineStats:
    """Counts of what was written and what was left out."""

    events: int = 0
    actions: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    raw_items: int = 0  # input items consumed from the queue
    suppressed: int = 0  # events not written because of pause, scope or sensitivity
    hotkeys: int = 0


def default_button_name(button: Any) -> str:
    name = getattr(button, "name", str(button))
    return name if name in ("left", "right", "middle", "x1", "x2") else "unknown"


class Pipeline:
    """The worker thread of one session.

    Args:
        raw: the queue the input callbacks fill.
        sink: where records go.
        scope: the consent scope.
        frames: the frame service, or None when frames are out of scope.
        resolve_key: turns a platform key object into a KeyInfo (None to ignore it).
        t0, wall0: the session's monotonic start and the matching Unix time.
        reorder_s: how long input is held back so late-seen window changes sort first.
    """

    def __init__(
        self,
        raw: RawInput,
        sink: SessionSink,
        scope: ConsentScope,
        *,
        frames: FrameService | None,
        resolve_key: KeyResolver,
        t0: float,
        wall0: float,
        button_name: ButtonNamer = default_button_name,
        policy: Policy | None = None,
        clock: Callable[[], float] = time.monotonic,
        reorder_s: float = 0.03,
    ) -> None:
        self.raw = raw
        self.sink = sink
        self.scope = scope
        self.policy = policy or Policy(scope)
        self.frames = frames
        self.resolve_key = resolve_key
        self.button_name = button_name
        self.t0 = t0
        self.wall0 = wall0
        self.clock = clock
        self.reorder_s = reorder_s
        self.text_mode = scope.effective_text_mode
        self.stats = PipelineStats()
        self.thinner: MoveThinner[Record] = MoveThinner(scope.move_hz)
        self.deriver = ActionDeriver()
        self.tracker = KeyTracker()
        mods, key = parse_hotkey(scope.pause_hotkey)
        self.gate = HotkeyGate(mods, key)
        self.pause_from: float | None = None
        self.outside = False
        self.locked = False
        self.title_sensitive = False  # the active window's title suggests a secret
        self.focus_guard: str | None = None  # the guard that says the focused field is secret
        self.sensitive_guard: str | None = None  # the guard applied now ("title" first)
        self.last_input = t0
        self.error: BaseException | None = None
        self._pause_marked = False
        self._window_at_resume: tuple[WindowInfo | None] | None = None
        self._pre: dict[int, tuple[FrameTicket, float]] = {}
        self._post: dict[int, tuple[FrameTicket, float]] = {}
        self._pending: list[_Pending] = []
        self._reported_drops = {k: 0 for k in raw.dropped}
        self._thread = threading.Thread(target=self._run, name="overt-pipeline", daemon=True)
        self._stopped = threading.Event()

    # --- control (any thread) -------------------------------------------------------------

    @property
    def paused(self) -> bool:
        return self.pause_from is not None

    def start(self) -> None:
        self._thread.start()

    def pause(self) -> None:
        """Stop recording now (events from this instant on are dropped); marked in order."""
        if self.pause_from is None:
            self.pause_from = self.clock()
            if self.frames is not None:
                self.frames.set_allowed(False, since=self.pause_from)
        self.raw.control("pause")

    def resume(self) -> None:
        self.raw.control("resume")

    def stop(self, timeout: float = 10.0) -> None:
        self.raw.control("stop")
        self._thread.join(timeout)

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    # --- the worker -------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            self._loop()
        except BaseException as error:  # noqa: BLE001 - reported by the session
            self.error = error
        finally:
            self._stopped.set()

    def _loop(self) -> None:
        """Consume the queue, holding input back ``reorder_s`` so a window change that was
        seen a moment late is still handled before the input that followed it."""
        get = self.raw.queue.get
        held: collections.deque[InputItem] = collections.deque()
        windows: list[ContextItem] = []
        next_house = 0.0
        while True:
            try:
                item = get(timeout=0.01)
            except queue.Empty:
                item = None
            if item is not None:
                if isinstance(item, RawControl) and item.what == "stop":
                    self._release(held, windows, float("inf"))
                    self._finish()
                    return
                if isinstance(item, CONTEXT_KINDS):
                    windows.append(item)
                    windows.sort(key=lambda w: w.t)
                else:
                    held.append(item)
            now = self.clock()
            self._release(held, windows, now - self.reorder_s)
            if item is None or now >= next_house:
                self._housekeeping(now)
                next_house = now + 0.02

    def _release(
        self, held: collections.deque[InputItem], windows: list[ContextItem], cutoff: float
    ) -> None:
        while held and held[0].t <= cutoff:
            item = held.popleft()
            while windows and windows[0].t <= item.t:
                self._handle(windows.pop(0))
            self._handle(item)
        while windows and windows[0].t <= cutoff:
            self._handle(windows.pop(0))

    def _housekeeping(self, now: float) -> None:
        t = now - self.t0
        for record in self.thinner.tick(t):
            self._write(record)
        self._take_actions(self.deriver.tick(t))
        self._write_ready_actions(now)
        self._report_drops(t)
        for table in (self._pre, self._post):
            for seq in [s for s, (_, when) in table.items() if now - when > 5.0]:
                del table[seq]

    def _report_drops(self, t: float) -> None:
        for source, total in self.raw.dropped.items():
            delta = total - self._reported_drops[source]
            if delta:
                self._reported_drops[source] = total
                self._marker("drops", t, count=delta, source=source)

    def _finish(self) -> None:
        for item in self.gate.flush():
            self._process(item.payload, item)
        t = self.clock() - self.t0
        for record in self.thinner.before_other():
            self._write(record)
        self._take_actions(self.deriver.flush())
        self._report_drops(t)
        self._marker("stop", t)
        deadline = self.clock() + 1.5
        while self._pending and self.clock() < deadline:
            self._write_ready_actions(self.clock())
            time.sleep(0.01)
        self._write_ready_actions(float("inf"))

    # --- items -----------------------------------------------------------------------------

    def _handle(self, item: RawItem) -> None:
        self.stats.raw_items += 1
        t_abs = item.t
        if t_abs < self.t0:
            return  # readiness sentinels and anything before the session began
        if isinstance(item, RawControl):
            self._control(item.what, t_abs)
            return
        if isinstance(item, RawWindow):
            self._window(item.window, t_abs)
            return
        if isinstance(item, RawLock):
            self._lock(bool(item.locked), t_abs)
            return
        if isinstance(item, RawGuard):
            self._guard(item.guard, t_abs)
            return
        if isinstance(item, RawVisible):
            if self.frames is not None:
                self.frames.set_masks(
                    [(w.x, w.y, w.w, w.h) for w in item.windows if not self.policy.in_scope(w)]
                )
            return
        gate_item: GateItem = GateItem(t_abs, item)
        if isinstance(item, RawKey):
            info = self.resolve_key(item.key)
            if info is None:
                return
            tracked = self.tracker.press(info) if item.down else self.tracker.release(info)
            gate_item = GateItem(
                t_abs,
                tracked,
                tracked.name,
                tracked.down,
                tracked.mods,
                frozenset(self.tracker.pressed_names()),
            )
        released, fired = self.gate.offer(gate_item)
        for entry in released:
            self._process(entry.payload, entry)
        if fired:
            self.stats.hotkeys += 1
            self._control("resume" if self.paused else "pause", t_abs, from_hotkey=True)

    def _control(self, what: str, t_abs: float, *, from_hotkey: bool = False) -> None:
        t = t_abs - self.t0
        if what == "pause" and (from_hotkey or self.pause_from is not None):
            if from_hotkey and self.pause_from is None:
                self.pause_from = t_abs
            if self.frames is not None:
                self.frames.set_allowed(False, since=self.pause_from)
            if not self._pause_marked:
                for record in self.thinner.before_other():
                    self._write(record)
                self._take_actions(self.deriver.flush())
                self._marker("pause", t, note="hotkey" if from_hotkey else "api")
                self._pause_marked = True
        elif what == "resume" and self.pause_from is not None:
            self.pause_from = None
            self._pause_marked = False
            self._marker("resume", t, note="hotkey" if from_hotkey else "api")
            self._update_frames()
            self._update_sensitive(t)
            if self._window_at_resume is not None:
                (window,) = self._window_at_resume
                self._window_at_resume = None
                self._window(window, t_abs)

    @property
    def sensitive(self) -> bool:
        """Whether key text is suppressed now (a guard applies)."""
        return self.sensitive_guard is not None

    def _guard(self, name: str | None, t_abs: float) -> None:
        """A focus guard changed; applied now unless nothing may be written (then later)."""
        self.focus_guard = name
        if not (self.outside or self.locked or self.paused):
            self._update_sensitive(t_abs - self.t0)

    def _update_sensitive(self, t: float) -> None:
        """Say which guard applies (title first, then the focused field), if it changed."""
        if self.outside or self.locked:
            return  # nothing but the gap is written; applied again when capture goes on
        guard = "title" if self.title_sensitive else self.focus_guard
        if guard == self.sensitive_guard:
            return
        if self.sensitive_guard is not None:
            self._marker("sensitive_end", t, guard=self.sensitive_guard)
        if guard is not None:
            self._marker("sensitive_start", t, guard=guard)
        self.sensitive_guard = guard

    def _lock(self, locked: bool, t_abs: float) -> None:
        """Auto-pause while the screen is locked: nothing typed at a lock screen is kept."""
        if locked == self.locked:
            return
        t = t_abs - self.t0
        self.locked = locked
        if locked:
            for record in self.thinner.before_other():
                self._write(record)
            self._take_actions(self.deriver.flush())
            self._marker("screen_locked", t)
        else:
            self._marker("screen_unlocked", t)
            self._update_sensitive(t)
        self._update_frames(since=t_abs)

    def _update_frames(self, since: float | None = None) -> None:
        if self.frames is not None:
            allowed = not (self.paused or self.outside or self.locked)
            self.frames.set_allowed(allowed, since=None if allowed else since)

    def _suppressed(self, t_abs: float) -> bool:
        if (
            self.outside
            or self.locked
            or (self.pause_from is not None and t_abs >= self.pause_from)
        ):
            self.stats.suppressed += 1
            return True
        return False

    def _process(self, payload: Any, entry: GateItem) -> None:
        if entry.key is not None:
            self._key(entry.t, payload)
            return
        item: PointerItem = payload
        t_abs = item.t
        if not self.scope.mouse or self._suppressed(t_abs):
            return
        self.last_input = t_abs
        t = t_abs - self.t0
        wall = self.wall0 + t
        x, y = int(item.x), int(item.y)
        if self.frames is not None:
            self.frames.note_input(t_abs, x, y)
        if isinstance(item, RawMove):
            record: Record = {"t": t, "wall": wall, "kind": "move", "x": x, "y": y}
            for kept in self.thinner.move(t, record):
                self._write(kept)
            return
        for kept in self.thinner.before_other():
            self._write(kept)
        if isinstance(item, RawButton):
            record = {
                "t": t,
                "wall": wall,
                "kind": "button",
                "button": self.button_name(item.button),
                "down": bool(item.down),
                "x": x,
                "y": y,
            }
        else:
            record = {
                "t": t,
                "wall": wall,
                "kind": "scroll",
                "x": x,
                "y": y,
                "dx": int(item.dx),
                "dy": int(item.dy),
            }
        self._write(record, t_abs)

    def _key(self, t_abs: float, tracked: Any) -> None:
        if self.text_mode == "none" or self._suppressed(t_abs):
            return
        texty = tracked.char is not None or len(tracked.name) == 1 or tracked.name == "space"
        if self.sensitive and texty:
            self.stats.suppressed += 1
            return
        self.last_input = t_abs
        if self.frames is not None:
            self.frames.note_input(t_abs)
        for kept in self.thinner.before_other():
            self._write(kept)
        t = t_abs - self.t0
        # ctrl+a produces no text, even though the listener reports the key's char
        chord = any(m in ("ctrl", "alt", "super") for m in tracked.mods)
        record: Record = {
            "t": t,
            "wall": self.wall0 + t,
            "kind": "key",
            "down": tracked.down,
            "key": tracked.name,
            "char": tracked.char if self.text_mode == "full" and not chord else None,
            "vk": tracked.vk,
            "mods": list(tracked.mods),
        }
        self._write(record, t_abs)

    def _window(self, window: WindowInfo | None, t_abs: float) -> None:
        if self.pause_from is not None and t_abs >= self.pause_from:
            # Nothing is written while paused, window changes included; the window active at
            # resume is written then, so the context after the gap is known.
            self._window_at_resume = (window,)
            return
        t = t_abs - self.t0
        for held in self.thinner.before_other():
            self._write(held)
        if not self.policy.in_scope(window):
            if not self.outside:
                self.title_sensitive = False
                if self.sensitive_guard is not None:
                    self._marker("sensitive_end", t, guard=self.sensitive_guard)
                    self.sensitive_guard = None
                self._take_actions(self.deriver.flush())
                self._marker("outside_scope_start", t)
                self.outside = True
                if self.frames is not None:
                    self.frames.set_allowed(False, since=t_abs)
            return
        if self.outside:
            self.outside = False
            self._marker("outside_scope_end", t)
            self._update_frames()
        if window is None:
            return
        record: Record = {
            "t": t,
            "wall": self.wall0 + t,
            "kind": "window",
            "app": window.app,
            "title": window.title if self.scope.window_titles else "",
            "pid": window.pid,
            "x": window.x,
            "y": window.y,
            "w": window.w,
            "h": window.h,
            "wid": window.wid,
        }
        self._write(record)
        self.title_sensitive = self.policy.is_sensitive(window)
        self._update_sensitive(t)
        if self.frames is not None and not self.paused:
            self.frames.request("window", t_abs)

    # --- writing -------------------------------------------------------------------------------

    def _marker(self, what: str, t: float, **extra: Any) -> None:
        record: Record = {"t": t, "wall": self.wall0 + t, "kind": "marker", "what": what}
        record.update(extra)
        self._write(record)

    def _write(self, record: Record, t_abs: float | None = None) -> None:
        wants_pre = wants_post = False
        if self.frames is not None and t_abs is not None:
            wants_pre = self.deriver.starts_action(record)
            wants_post = self.deriver.ends_action(record)
        seq = self.sink.append_event(record)
        record["seq"] = seq
        self.stats.events += 1
        self.stats.by_kind[record["kind"]] = self.stats.by_kind.get(record["kind"], 0) + 1
        if self.frames is not None and t_abs is not None:
            if wants_pre:
                self._pre[seq] = (self.frames.request("pre_action", t_abs), t_abs)
            if wants_post:
                self._post[seq] = (self.frames.request("post_action", t_abs), t_abs)
        self._take_actions(self.deriver.feed(record))

    def _take_actions(self, actions: list[Record]) -> None:
        now = self.clock()
        for action in actions:
            before = after = None
            seqs = action["events"]
            if self.frames is not None and seqs:
                start = seqs[-1] if action["kind"] == "hotkey" else seqs[0]
                entry = self._pre.pop(start, None)
                before = entry[0] if entry else None
                if action["kind"] == "type":
                    after = self.frames.request("typing_pause", now)
                else:
                    entry = self._post.pop(seqs[-1], None)
                    after = entry[0] if entry else None
            self._pending.append(_Pending(action, before, after, now + 3.0))
        self._write_ready_actions(now)

    def _write_ready_actions(self, now: float) -> None:
        while self._pending:
            head = self._pending[0]
            ready = all(tk is None or tk.done for tk in (head.before, head.after))
            if not ready and now < head.deadline:
                return  # actions are written in order
            self._pending.pop(0)
            action = head.action
            action["frame_before"] = head.before.index if head.before else None
            action["frame_after"] = head.after.index if head.after else None
            action["seq"] = self.sink.append_action(action)
            self.stats.actions += 1
