"""In-memory stand-ins for the recorder's seams: a session sink, a backend and a screen."""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from recorder.capture.keys import KeyInfo
from recorder.capture.policy import WindowInfo
from recorder.capture.rawinput import RawInput, RawItem, RawMove


def wait_for(check: Callable[[], bool], timeout: float = 5.0) -> None:
    """Poll ``check`` until it holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.005)


class ManualClock:
    """A monotonic clock that moves only when the test moves it."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class MemorySink:
    """Keeps events, actions and frames (pixels deduplicated by hash) in lists."""

    def __init__(self, consent: dict[str, Any] | None = None) -> None:
        self.consent = consent
        self.session_id = uuid.uuid4().hex[:12]
        self.events: list[dict[str, Any]] = []
        self.actions: list[dict[str, Any]] = []
        self.episodes: list[dict[str, Any]] = []  # every version put, in order
        self.elements: list[dict[str, Any]] = []
        self.frames: list[dict[str, Any]] = []
        self.pixels: dict[int, bytes] = {}
        self.stats: dict[str, Any] = {}
        self.state: str | None = None
        self.flushes = 0
        self._hashes: dict[bytes, int] = {}
        self._lock = threading.Lock()
        self.bytes = 0

    def append_event(self, event: dict[str, Any]) -> int:
        with self._lock:
            event["seq"] = len(self.events)
            self.events.append(dict(event))
            return event["seq"]

    def append_action(self, action: dict[str, Any]) -> int:
        with self._lock:
            action["seq"] = len(self.actions)
            self.actions.append(dict(action))
            return action["seq"]

    def append_element(self, element: dict[str, Any]) -> int:
        with self._lock:
            element["seq"] = len(self.elements)
            self.elements.append(dict(element))
            return element["seq"]

    def append_frame(
        self,
        pixels: bytes | bytearray | memoryview,
        size: tuple[int, int],
        meta: dict[str, Any],
        pixel_format: str = "BGRX",
    ) -> int:
        data = bytes(pixels)
        assert len(data) == size[0] * size[1] * 4
        digest = hashlib.blake2b(data, digest_size=16).digest()
        with self._lock:
            index = len(self.frames)
            meta = dict(meta, index=index, size=size)
            if digest in self._hashes:
                meta["same_as"] = self._hashes[digest]
            else:
                self._hashes[digest] = index
                self.pixels[index] = data
                self.bytes += len(data)
            self.frames.append(meta)
            return index

    def frame_pixels(self, index: int) -> bytes:
        meta = self.frames[index]
        return self.pixels[meta.get("same_as", index)]

    def put_episode(self, episode: dict[str, Any]) -> None:
        with self._lock:
            self.episodes.append(dict(episode))

    def note_stats(self, stats: dict[str, Any]) -> None:
        self.stats.update(stats)

    def flush(self) -> None:
        self.flushes += 1

    def close(self, state: str = "complete") -> None:
        self.state = state

    def kinds(self, kind: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["kind"] == kind]

    def markers(self) -> list[str]:
        return [e["what"] for e in self.events if e["kind"] == "marker"]


class FakeKey:
    """A key object as a fake backend's listener would report it."""

    def __init__(self, name: str, char: str | None = None, code: int | None = None) -> None:
        self.name = name
        self.char = char
        self.code = code


class FakeScreen:
    """A one-monitor screen whose pixels the test sets (``color`` fills it)."""

    def __init__(self, width: int = 64, height: int = 32) -> None:
        self.width = width
        self.height = height
        self.color = b"\x10\x20\x30\x00"
        self.grabs = 0
        self.lock = threading.Lock()

    def monitors(self) -> list[dict[str, Any]]:
        return [{"index": 1, "x": 0, "y": 0, "w": self.width, "h": self.height, "scale": 1.0}]

    def grab(self, monitor: dict[str, Any]) -> tuple[bytes, tuple[int, int]]:
        with self.lock:
            self.grabs += 1
            return self.color * (self.width * self.height), (self.width, self.height)

    def close(self) -> None:
        pass


class FakeBackend:
    """A backend whose input the test drives by calling ``raw``'s callbacks itself."""

    reports_visible_windows = False

    def __init__(self, screen: FakeScreen | None = None, *, ready: bool = True) -> None:
        self.raw: RawInput | None = None
        self.screen = screen or FakeScreen()
        self.ready = ready
        self.on_window: Callable[[WindowInfo | None], None] | None = None
        self.input_running = False
        self.windows_running = False

    def start_input(self, raw: RawInput) -> None:
        self.raw = raw
        self.input_running = True

    def inject_sentinel(self) -> list[Callable[[RawItem], bool]]:
        assert self.raw is not None
        if self.ready:
            self.raw.on_move(-7, -7)
        return [lambda item: isinstance(item, RawMove) and item.x == -7]

    def stop_input(self) -> None:
        self.input_running = False

    def start_windows(self, raw: RawInput) -> None:
        self.on_window = raw.on_window
        self.windows_running = True

    def stop_windows(self) -> None:
        self.windows_running = False

    def resolve_key(self, key: Any) -> KeyInfo | None:
        if key is None:
            return None
        return KeyInfo(key.name, key.char, None, key.code)

    def button_name(self, button: Any) -> str:
        return str(button)

    def make_screen(self) -> FakeScreen:
        return self.screen


def window(app: str = "editor", title: str = "notes.txt", **kw: Any) -> WindowInfo:
    fields: dict[str, Any] = {
        "app": app,
        "title": title,
        "pid": 4242,
        "x": 10,
        "y": 20,
        "w": 300,
        "h": 200,
        "wid": 7,
    }
    fields.update(kw)
    return WindowInfo(**fields)
