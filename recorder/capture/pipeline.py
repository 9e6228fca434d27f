"""The pipeline worker: raw input -> policy -> event records, thinned moves, actions, frames.

One thread consumes the raw queue in order and applies the scope before anything is written:
the capture gate (gate.py) says whether input may be written (paused, outside scope, screen
locked) and whether key text is suppressed; the pipeline applies the text mode and the pause
hotkey, writes events through the sink, feeds the action deriver, and ActionFrames
(action_frames.py) pairs each action with its pre/post-action frames.
"""

from __future__ import annotations

import collections
import queue
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from recorder.capture.action_frames import ActionFrames
from recorder.capture.actions import ActionDeriver
from recorder.capture.frames import FrameService
from recorder.capture.gate import (
    AllowFrames,
    CaptureGate,
    Effect,
    EndStretch,
    Mark,
    RequestWindowFrame,
    WriteHeldMove,
    WriteWindow,
)
from recorder.capture.grounding import Grounding
from recorder.capture.hotkey import GateItem
from recorder.capture.keys import KeyInfo, KeyTracker, TrackedKey
from recorder.capture.policy import Policy, WindowInfo
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
    RawScroll,
    RawVisible,
    RawWindow,
)
from recorder.capture.records import (
    button_event,
    drops_marker,
    key_event,
    marker_event,
    move_event,
    scroll_event,
    window_event,
)
from recorder.capture.session_sink import SessionSink
from recorder.capture.targets import WindowTargets
from recorder.capture.task_hotkeys import HotkeyChain
from recorder.capture.thinning import MoveThinner
from recorder.consent.record import ConsentScope
from storage.format.records import Action, Event, MarkerWhat, MoveEvent

KeyResolver = Callable[[Any], KeyInfo | None]
ButtonNamer = Callable[[Any], str]
#: What the hotkey gate holds back: pointer input, or a key with its tracked identity.
Held = PointerItem | TrackedKey
FINISH_WAIT_S = 1.5  # at stop, how long pending actions wait for their frames


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
        grounding: looks up the element of each action (None: no elements recorded).
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
        task_hotkeys: Mapping[str, str] | None = None,
        on_task_hotkey: Callable[[str, float], None] | None = None,
        grounding: Grounding | None = None,
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
        self.grounding = grounding
        self.text_mode = scope.effective_text_mode
        self.stats = PipelineStats()
        self.thinner: MoveThinner[MoveEvent] = MoveThinner(scope.move_hz)
        self.deriver = ActionDeriver()
        self.tracker = KeyTracker()
        self.gate = CaptureGate(self.policy, clock)
        self.hotkeys: HotkeyChain[Held] = HotkeyChain(scope.pause_hotkey, task_hotkeys or {})
        self._on_task_hotkey = on_task_hotkey
        self.targets = WindowTargets(self.policy)
        self.last_input = t0
        self.error: BaseException | None = None
        self.actions = ActionFrames(sink, frames, clock, self._count_action)
        self._reported_drops = {k: 0 for k in raw.dropped}
        self._thread = threading.Thread(target=self._run, name="overt-pipeline", daemon=True)
        self._stopped = threading.Event()

    # --- control (any thread) -------------------------------------------------------------

    @property
    def paused(self) -> bool:
        return self.gate.paused

    @property
    def sensitive(self) -> bool:
        """Whether key text is suppressed now (a guard applies)."""
        return self.gate.sensitive

    def start(self) -> None:
        if self.grounding is not None:
            self.grounding.start()
        self._thread.start()

    def pause(self) -> None:
        """Stop recording now (events from this instant on are dropped); marked in order."""
        since = self.gate.request_pause()
        if since is not None and self.frames is not None:
            self.frames.set_allowed(False, since=since)
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
        context: list[ContextItem] = []
        next_house = 0.0
        grounding = self.grounding
        while True:
            try:
                item = get(timeout=0.01)
            except queue.Empty:
                item = None
            if item is not None:
                if isinstance(item, RawControl) and item.what == "stop":
                    self._release(held, context, float("inf"))
                    self._finish()
                    return
                if isinstance(item, CONTEXT_KINDS):
                    context.append(item)
                    context.sort(key=lambda c: c.t)
                else:
                    held.append(item)
                    if grounding is not None:
                        grounding.seen(item)  # a press is looked up now, not after the hold
            now = self.clock()
            self._release(held, context, now - self.reorder_s)
            if item is None or now >= next_house:
                self._housekeeping(now)
                next_house = now + 0.02

    def _release(
        self, held: collections.deque[InputItem], context: list[ContextItem], cutoff: float
    ) -> None:
        while held and held[0].t <= cutoff:
            item = held.popleft()
            while context and context[0].t <= item.t:
                self._handle(context.pop(0))
            self._handle(item)
        while context and context[0].t <= cutoff:
            self._handle(context.pop(0))

    def _housekeeping(self, now: float) -> None:
        t = now - self.t0
        for record in self.thinner.tick(t):
            self._write(record)
        self.actions.add(self.deriver.tick(t))
        self.actions.write_ready(now)
        if self.grounding is not None:
            self.grounding.tick(now, self.gate.paused)
        self._report_drops(t)
        self.actions.forget_unclaimed(now)

    def _report_drops(self, t: float) -> None:
        for source, total in self.raw.dropped.items():
            delta = total - self._reported_drops[source]
            if delta:
                self._reported_drops[source] = total
                self._write(drops_marker(t, self.wall0 + t, delta, source))

    def _finish(self) -> None:
        for entry in self.hotkeys.flush():
            self._process(entry)
        t = self.clock() - self.t0
        self._end_stretch()
        self._report_drops(t)
        self._marker("stop", t)
        self.actions.finish(FINISH_WAIT_S)
        if self.grounding is not None:
            self.grounding.finish()

    # --- items -----------------------------------------------------------------------------

    def _handle(self, item: RawItem) -> None:
        self.stats.raw_items += 1
        t_abs = item.t
        if t_abs < self.t0:
            return  # readiness sentinels and anything before the session began
        if isinstance(item, RawKey):
            self._offer_key(item)
        elif isinstance(item, RawControl):
            self._apply(self.gate.control(item.what, t_abs))
        elif isinstance(item, RawWindow):
            if self.targets.focus_changed(item.window, t_abs):
                self._apply(self.gate.window(item.window, t_abs))
        elif isinstance(item, RawLock):
            self._apply(self.gate.lock(bool(item.locked), t_abs))
        elif isinstance(item, RawGuard):
            self._apply(self.gate.guard(item.guard, t_abs))
        elif isinstance(item, RawVisible):
            self.targets.visible = item.windows
            if self.frames is not None:
                self.frames.set_masks(
                    [w.outer for w in item.windows if not w.popup and not self.policy.in_scope(w)]
                )
        else:
            self._offer(GateItem(t_abs, item))

    def _offer_key(self, item: RawKey) -> None:
        info = self.resolve_key(item.key)
        if info is None:
            return
        tracked = self.tracker.press(info) if item.down else self.tracker.release(info)
        pressed = frozenset(self.tracker.pressed_names())
        self._offer(GateItem(item.t, tracked, tracked.name, tracked.down, tracked.mods, pressed))

    def _offer(self, entry: GateItem[Held]) -> None:
        """Through the hotkey gates, which hold back what may be the start of their chord."""
        released, paused, tasks = self.hotkeys.offer(entry)
        for held in released:
            self._process(held)
        if paused:
            self.stats.hotkeys += 1
            self._apply(self.gate.hotkey(entry.t))
        for name, t_abs in tasks:
            self.stats.hotkeys += 1
            if self._on_task_hotkey is not None:
                self._on_task_hotkey(name, t_abs - self.t0)

    def _apply(self, effects: list[Effect]) -> None:
        """Carry out what the capture gate decided, in its order."""
        frames = self.frames
        for effect in effects:
            match effect:
                case Mark(what, t, note, guard):
                    self._marker(what, t - self.t0, note=note, guard=guard)
                case WriteHeldMove():
                    self._write_held_move()
                case EndStretch():
                    self._end_stretch()
                case AllowFrames(allowed, since) if frames is not None:
                    frames.set_allowed(allowed, since=since)
                case WriteWindow(window, t):
                    self._write_window(window, t)
                case RequestWindowFrame(t) if frames is not None:
                    frames.request("window", t)

    def _suppressed(self, t_abs: float) -> bool:
        if self.gate.suppresses(t_abs):
            self.stats.suppressed += 1
            return True
        return False

    def _process(self, entry: GateItem[Held]) -> None:
        item = entry.payload
        if isinstance(item, TrackedKey):
            self._key(entry.t, item)
            return
        t_abs = item.t
        if isinstance(item, RawButton) and item.down:
            clicked = self.targets.under_pointer(int(item.x), int(item.y))
            if clicked is not None:  # the click goes to (and focuses) another window
                self.targets.clicked(clicked, t_abs)
                self._apply(self.gate.window(clicked, t_abs))
        if not self.scope.mouse or self._suppressed(t_abs):
            return
        if isinstance(item, (RawScroll, RawButton)) and not self.targets.pointer_in_scope(
            int(item.x), int(item.y)
        ):
            self.stats.suppressed += 1  # a wheel or a button over a never-record window
            return
        self.last_input = t_abs
        t = t_abs - self.t0
        wall = self.wall0 + t
        x, y = int(item.x), int(item.y)
        if self.frames is not None:
            self.frames.note_input(t_abs, x, y)
        if isinstance(item, RawMove):
            for kept in self.thinner.move(t, move_event(t, wall, x, y)):
                self._write(kept)
            return
        self._write_held_move()
        if isinstance(item, RawButton):
            name = self.button_name(item.button)
            self._write(button_event(t, wall, name, bool(item.down), x, y), t_abs, item)
        else:
            self._write(scroll_event(t, wall, x, y, int(item.dx), int(item.dy)), t_abs, item)

    def _key(self, t_abs: float, tracked: TrackedKey) -> None:
        if self.text_mode == "none" or self._suppressed(t_abs):
            return
        if not self.targets.keys_in_scope(t_abs):
            self.stats.suppressed += 1  # the keys go to a never-record window
            return
        texty = tracked.char is not None or len(tracked.name) == 1 or tracked.name == "space"
        if self.gate.sensitive and texty:
            self.stats.suppressed += 1
            return
        self.last_input = t_abs
        if self.frames is not None:
            self.frames.note_input(t_abs)
        self._write_held_move()
        t = t_abs - self.t0
        # ctrl+a produces no text, even though the listener reports the key's char
        chord = any(m in ("ctrl", "alt", "super") for m in tracked.mods)
        char = tracked.char if self.text_mode == "full" and not chord else None
        self._write(key_event(t, self.wall0 + t, tracked, char), t_abs)

    # --- writing -------------------------------------------------------------------------------

    def _write_held_move(self) -> None:
        """Write the move the thinner holds back (a path's end), before what follows it."""
        for record in self.thinner.before_other():
            self._write(record)

    def _end_stretch(self) -> None:
        """A gap or the end: the held move is written and every pending action completed."""
        self._write_held_move()
        self.actions.add(self.deriver.flush())

    def _write_window(self, window: WindowInfo, t_abs: float) -> None:
        t = t_abs - self.t0
        title = window.title if self.scope.window_titles else ""
        self._write(window_event(t, self.wall0 + t, window, title))

    def _marker(
        self, what: MarkerWhat, t: float, *, note: str | None = None, guard: str | None = None
    ) -> None:
        self._write(marker_event(t, self.wall0 + t, what, note=note, guard=guard))

    def _write(self, record: Event, t_abs: float | None = None, item: object = None) -> None:
        """Write an event; ``t_abs`` (input only) lets it ask for its action's frames and
        ``item`` (pointer input) names the raw item its element was asked for with."""
        starts = ends = False
        grounding = self.grounding
        if (self.frames is not None or grounding is not None) and t_abs is not None:
            starts = self.deriver.starts_action(record)
            ends = self.deriver.ends_action(record)
        # The sink takes storage's SessionWriter's plain dict; it assigns seq in place.
        seq = self.sink.append_event(cast(dict[str, Any], record))
        record["seq"] = seq
        self.stats.events += 1
        self.stats.by_kind[record["kind"]] = self.stats.by_kind.get(record["kind"], 0) + 1
        if t_abs is not None:
            self.actions.event_written(seq, t_abs, starts=starts, ends=ends)
        if grounding is not None:
            grounding.event_written(record, item, starts=starts)
        self.actions.add(self.deriver.feed(record))

    def _count_action(self, action: Action) -> None:
        self.stats.actions += 1
        if self.grounding is not None:
            self.grounding.action_written(action)
