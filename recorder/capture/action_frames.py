"""Each action with its frames, and actions written in order once their frames are in.

The pre-action frame is asked for when the event that starts an action is written and the
post-action frame when the event that ends it is (a typed run's or a scroll run's frame when
the run ends); an action waits for both, up to a deadline, and actions are written in the
order they completed, so the action stream never runs ahead of a slow frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from recorder.capture.frame_writer import FrameTicket
from recorder.capture.frames import FrameService
from recorder.capture.session_sink import SessionSink
from storage.format.records import Action

ACTION_WAIT_S = 3.0  # the longest an action waits for its frames
TICKET_KEEP_S = 5.0  # a frame asked for an event that no action claimed is forgotten then


@dataclass
class _Pending:
    action: Action
    before: FrameTicket | None
    after: FrameTicket | None
    deadline: float

    def ready(self) -> bool:
        return all(ticket is None or ticket.done for ticket in (self.before, self.after))

    def wait(self, until: float, clock: Callable[[], float]) -> None:
        """Wait for both frames, until monotonic time ``until`` at the latest."""
        for ticket in (self.before, self.after):
            if ticket is not None:
                ticket.wait(max(0.0, until - clock()))


class ActionFrames:
    """Pairs actions with their frames and writes them to the sink (pipeline thread only).

    Args:
        sink: where actions go.
        frames: the frame service, or None when frames are out of scope (actions are then
            written at once, without frames).
        clock: the monotonic clock.
        on_written: called with each action after it is written (with its seq).
    """

    def __init__(
        self,
        sink: SessionSink,
        frames: FrameService | None,
        clock: Callable[[], float],
        on_written: Callable[[Action], None] = lambda action: None,
    ) -> None:
        self._sink = sink
        self._frames = frames
        self._clock = clock
        self._on_written = on_written
        self._pre: dict[int, tuple[FrameTicket, float]] = {}
        self._post: dict[int, tuple[FrameTicket, float]] = {}
        self._pending: list[_Pending] = []

    def event_written(self, seq: int, t: float, *, starts: bool, ends: bool) -> None:
        """Event ``seq`` at monotonic time ``t`` starts and/or ends an action: ask for frames."""
        frames = self._frames
        if frames is None:
            return
        if starts:
            self._pre[seq] = (frames.request("pre_action", t), t)
        if ends:
            self._post[seq] = (frames.request("post_action", t), t)

    def add(self, actions: list[Action]) -> None:
        """Completed actions: each claims its frames, then those that are ready are written."""
        now = self._clock()
        frames = self._frames
        for action in actions:
            before = after = None
            seqs = action["events"]
            if frames is not None and seqs:
                start = seqs[-1] if action["kind"] == "hotkey" else seqs[0]
                entry = self._pre.pop(start, None)
                before = entry[0] if entry else None
                if action["kind"] == "type":
                    after = frames.request("typing_pause", now)
                elif action["kind"] == "scroll":
                    # A scroll run ends after a pause (or at the next input): the screen
                    # once it settles after that is the frame after it.
                    after = frames.request("post_action", now)
                else:
                    entry = self._post.pop(seqs[-1], None)
                    after = entry[0] if entry else None
            self._pending.append(_Pending(action, before, after, now + ACTION_WAIT_S))
        self.write_ready(now)

    def write_ready(self, now: float) -> None:
        """Write the actions whose frames are in, or whose wait is over, in order."""
        while self._pending:
            head = self._pending[0]
            if not head.ready() and now < head.deadline:
                return  # actions are written in order
            self._pending.pop(0)
            action = head.action
            action["frame_before"] = head.before.index if head.before else None
            action["frame_after"] = head.after.index if head.after else None
            # The sink takes storage's SessionWriter's plain dict; it assigns seq in place.
            action["seq"] = self._sink.append_action(cast(dict[str, Any], action))
            self._on_written(action)

    def forget_unclaimed(self, now: float) -> None:
        """Forget the frames of events no action claimed in time (a press cut short...)."""
        for table in (self._pre, self._post):
            for seq in [s for s, (_, when) in table.items() if now - when > TICKET_KEEP_S]:
                del table[seq]

    def finish(self, wait_s: float) -> None:
        """At stop: wait up to ``wait_s`` for pending frames, then write every action."""
        deadline = self._clock() + wait_s
        for pending in list(self._pending):
            pending.wait(min(deadline, pending.deadline), self._clock)
        self.write_ready(float("inf"))
