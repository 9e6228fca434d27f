"""The task hotkeys (new task, done, failed): their defaults and the check that they can work.

They are recognised in the pipeline beside the pause hotkey, by the same gate, so their own
keystrokes are never recorded either (recorder/capture/hotkey.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Generic, TypeVar

from recorder.capture.hotkey import GateItem, HotkeyGate
from recorder.capture.policy import parse_hotkey

P = TypeVar("P")

#: What each task hotkey does: "new" opens an episode, "done" and "failed" close it.
TASK_HOTKEY_NAMES = ("new", "done", "failed")
DEFAULT_TASK_HOTKEYS: dict[str, str] = {
    "new": "ctrl+alt+shift+n",
    "done": "ctrl+alt+shift+d",
    "failed": "ctrl+alt+shift+f",
}
#: The outcome each closing hotkey gives the episode.
OUTCOME_OF = {"done": "success", "failed": "failure"}

Chord = tuple[frozenset[str], str]


def parse_task_hotkeys(pause: str, tasks: Mapping[str, str]) -> dict[str, Chord]:
    """Each task hotkey's chord, checked against the others and the pause hotkey.

    A chord with no modifier would swallow an ordinary key from everything typed, so each
    needs at least one.

    Raises:
        ValueError: an unknown name, a chord that does not parse, one without a modifier, or
            two actions (the pause hotkey included) on the same chord.
    """
    seen: dict[Chord, str] = {parse_hotkey(pause): "pause"}
    out: dict[str, Chord] = {}
    for name, spec in tasks.items():
        if name not in TASK_HOTKEY_NAMES:
            raise ValueError(f"there is no task hotkey called {name!r}")
        chord = parse_hotkey(spec)
        if not chord[0]:
            raise ValueError(f"the {name} task hotkey {spec!r} needs a modifier")
        if chord in seen:
            raise ValueError(f"the {name} task hotkey {spec!r} is already the {seen[chord]} hotkey")
        seen[chord] = name
        out[name] = chord
    return out


class HotkeyChain(Generic[P]):
    """The pause hotkey's gate, then one gate per task hotkey, each fed what the one before
    let through: every chord's own keys are held back and swallowed, whichever it is."""

    def __init__(self, pause: str, tasks: Mapping[str, str]) -> None:
        self.pause = HotkeyGate[P](*parse_hotkey(pause))
        self.tasks = [
            (n, HotkeyGate[P](m, k)) for n, (m, k) in parse_task_hotkeys(pause, tasks).items()
        ]

    def offer(self, item: GateItem[P]) -> tuple[list[GateItem[P]], bool, list[tuple[str, float]]]:
        """The items to process now (in order), whether the pause chord fired, and which task
        chords fired (name, the chord key's time)."""
        released, paused = self.pause.offer(item)
        released, fired = self._through(released, 0)
        return released, paused, fired

    def flush(self) -> list[GateItem[P]]:
        """Everything still held in any gate, in order (at stop)."""
        held = self.pause.flush()
        for i, (_name, gate) in enumerate(self.tasks):
            held = self._through(held, i, i + 1)[0] + gate.flush()
        return held

    def _through(
        self, items: list[GateItem[P]], first: int, last: int | None = None
    ) -> tuple[list[GateItem[P]], list[tuple[str, float]]]:
        fired: list[tuple[str, float]] = []
        for name, gate in self.tasks[first:last]:
            passed: list[GateItem[P]] = []
            for item in items:
                out, hit = gate.offer(item)
                passed += out
                if hit:
                    fired.append((name, item.t))
            items = passed
        return items, fired
