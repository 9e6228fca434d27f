"""A whole session driven through the pipeline with a fake backend, for the recorder's tests."""

from __future__ import annotations

import queue
import threading
from typing import Any

from recorder.capture.rawinput import RawInput
from recorder.consent.record import ConsentScope, build_cli_consent
from recorder.session import Recorder
from tests.recorder.fakes import FakeBackend, FakeKey, FakeScreen, MemorySink, wait_for

CODES = {c: 10 + i for i, c in enumerate("abcdefghijklmnopqrstuvwxyz0123456789")}
CODES.update({"shift": 50, "ctrl_l": 37, "alt_l": 64, "enter": 36, "backspace": 22})


class CountingQueue(queue.SimpleQueue[Any]):
    """The raw queue, counting what was put in it (from any thread)."""

    def __init__(self) -> None:
        super().__init__()
        self.puts = 0
        self._lock = threading.Lock()

    def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None:
        with self._lock:
            self.puts += 1
        super().put(item, block, timeout)


class Session:
    def __init__(self, scope: ConsentScope, **options: Any) -> None:
        self.backend = FakeBackend(FakeScreen())
        self.recorder = Recorder(build_cli_consent(scope, app_version="t"), self.backend, **options)
        self.queue = CountingQueue()
        self.recorder.raw.queue = self.queue
        self.sinks: list[MemorySink] = []
        self.recorder.start(self._open)
        self.puts_at_start = self.queue.puts  # the readiness sentinels, drained before t0
        assert self.backend.raw is not None
        self.raw: RawInput = self.backend.raw

    def _open(self, consent: dict[str, Any]) -> MemorySink:
        sink = MemorySink(consent)
        self.sinks.append(sink)
        return sink

    @property
    def sink(self) -> MemorySink:
        return self.sinks[0]

    def key(self, name: str, down: bool, char: str | None = None) -> None:
        (self.raw.on_press if down else self.raw.on_release)(FakeKey(name, char, CODES.get(name)))

    def tap(self, name: str, char: str | None = None) -> None:
        self.key(name, True, char)
        self.key(name, False)

    def type(self, text: str) -> None:
        for char in text:
            self.tap(char, char)

    def chord(self, *names: str) -> None:
        for name in names:
            self.key(name, True)
        for name in reversed(names):
            self.key(name, False)

    def click(self, x: int, y: int) -> None:
        self.raw.on_click(x, y, "left", True)
        self.raw.on_click(x, y, "left", False)

    def settle(self) -> None:
        """Wait until the worker has handled everything queued so far (held back included)."""
        pipeline = self.recorder.pipeline
        assert pipeline is not None
        queued = self.queue.puts - self.puts_at_start
        wait_for(lambda: pipeline.stats.raw_items >= queued)

    def stop(self) -> MemorySink:
        self.recorder.stop()
        return self.sink
