"""An in-memory SessionReader stand-in for export tests (the shape of storage/API.md)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from PIL import Image, ImageDraw

MONITOR = {"index": 0, "x": 0, "y": 0, "w": 320, "h": 200, "scale": 1.0}


@dataclass
class FakeSummary:
    id: str
    review: str = "approved"
    started: float = 1_700_000_000.0
    duration: float = 10.0
    state: str = "complete"
    events: int = 0
    actions: int = 0
    frames: int = 0
    bytes: int = 0
    study_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class FakeReader:
    """Holds a session's records and frames; returns copies, like a reader would decrypt."""

    def __init__(
        self,
        session_id: str,
        events: list[dict[str, Any]],
        actions: list[dict[str, Any]],
        images: list[Image.Image],
        consent: dict[str, Any] | None = None,
        review: str = "approved",
    ) -> None:
        self._events = events
        self._actions = actions
        self._images = images
        self._metas = [
            {
                "index": i,
                "t": float(i),
                "wall": 1_700_000_000.0 + i,
                "monitor": MONITOR,
                "reason": "periodic",
                "same_as": None,
            }
            for i in range(len(images))
        ]
        self.consent = consent or {
            "consent_id": f"c-{session_id}",
            "session_id": session_id,
            "purposes": ["testing export"],
        }
        self.stats = {"drops": 0}
        self.summary = FakeSummary(
            session_id,
            review,
            events=len(events),
            actions=len(actions),
            frames=len(images),
            bytes=100_000,
        )
        self.redaction_log: list[dict[str, Any]] = []

    def mark_same(self, index: int, same_as: int) -> None:
        self._metas[index]["same_as"] = same_as
        self._images[index] = self._images[same_as]

    def events(self) -> Iterator[dict[str, Any]]:
        return iter(copy.deepcopy(self._events))

    def actions(self) -> Iterator[dict[str, Any]]:
        return iter(copy.deepcopy(self._actions))

    def frames(self) -> list[dict[str, Any]]:
        return copy.deepcopy(self._metas)

    def frame_image(self, index: int) -> Image.Image:
        return self._images[index].copy()

    def frame_changes(
        self, index: int, since: int | None
    ) -> tuple[Image.Image, tuple[int, int, int, int] | None]:
        """The image, and "not known" for the box: export compares the pixels itself."""
        return self._images[index].copy(), None

    def redactions(self) -> list[dict[str, Any]]:
        return copy.deepcopy(self.redaction_log)

    def damage(self) -> list[str]:
        return []


def frame(i: int, size: tuple[int, int] = (320, 200)) -> Image.Image:
    image = Image.new("RGB", size, (30 + i % 200, 60, 90))
    draw = ImageDraw.Draw(image)
    draw.rectangle((10 + i, 10, 60 + i, 40), fill=(250, 250, 250))
    return image


def make_session(session_id: str = "s1", frames: int = 6, **kwargs: Any) -> FakeReader:
    """A small session: a window, a click, typing (with an email), a scroll, a hotkey."""
    t = 0.0
    events: list[dict[str, Any]] = [
        {
            "seq": 0,
            "t": t,
            "wall": t,
            "kind": "window",
            "app": "Editor",
            "title": "notes.txt - Editor",
            "pid": 1,
            "x": 0,
            "y": 0,
            "w": 320,
            "h": 200,
            "wid": 7,
        },
        {
            "seq": 1,
            "t": t,
            "wall": t,
            "kind": "button",
            "button": "left",
            "down": True,
            "x": 160,
            "y": 50,
        },
        {
            "seq": 2,
            "t": t,
            "wall": t,
            "kind": "button",
            "button": "left",
            "down": False,
            "x": 160,
            "y": 50,
        },
    ]
    seq = 3
    key_seqs = []
    for ch in "hi jo@example.org":
        for down in (True, False):
            events.append(
                {
                    "seq": seq,
                    "t": t,
                    "wall": t,
                    "kind": "key",
                    "down": down,
                    "key": ch,
                    "char": ch if down else None,
                    "vk": None,
                    "mods": [],
                }
            )
            if down:
                key_seqs.append(seq)
            seq += 1
    events.append(
        {"seq": seq, "t": t, "wall": t, "kind": "scroll", "x": 100, "y": 100, "dx": 0, "dy": -3}
    )
    base = {"t": 0.0, "t_end": 0.1, "wall": 0.0, "window_seq": 0}
    last = frames - 1
    actions = [
        {
            **base,
            "seq": 0,
            "kind": "click",
            "events": [1, 2],
            "x": 160,
            "y": 50,
            "button": "left",
            "frame_before": 0,
            "frame_after": min(1, last),
        },
        {
            **base,
            "seq": 1,
            "kind": "type",
            "events": key_seqs,
            "text": "hi jo@example.org",
            "frame_before": min(1, last),
            "frame_after": min(2, last),
        },
        {
            **base,
            "seq": 2,
            "kind": "scroll",
            "events": [seq],
            "x": 100,
            "y": 100,
            "dx": 0,
            "dy": -3,
            "frame_before": min(2, last),
            "frame_after": min(3, last),
        },
        {
            **base,
            "seq": 3,
            "kind": "hotkey",
            "events": [],
            "keys": ["ctrl_l", "s"],
            "frame_before": min(3, last),
            "frame_after": None,
        },
    ]
    return FakeReader(session_id, events, actions, [frame(i) for i in range(frames)], **kwargs)
