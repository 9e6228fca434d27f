"""Real vaults with synthetic sessions, for the app's tests, e2e test and benchmark."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from recorder.platform.accessibility.element import (
    NO_BUS,
    ElementRecord,
    Missing,
    PathStep,
    make_element,
    to_record,
)
from storage import UnlockedVault, Vault

PASSPHRASE = b"correct horse battery staple"
TEST_LOG_N = 10  # cheap scrypt for tests


def consent(study: str | None = None) -> dict[str, Any]:
    """A minimal consent record."""
    return {
        "version": 1,
        "consent_id": "c-test",
        "study": study,
        "text_mode": "full",
        "scope": {"text_mode": "full", "frames": True, "fps": 1},
    }


def frame_pixels(w: int, h: int, i: int) -> bytes:
    """A BGRX frame: a light background, a 'window' box, and a marker that moves with ``i``."""
    row = bytearray(b"\xf0\xf0\xf0\x00" * w)
    top = bytearray(b"\x80\x50\x30\x00" * w)  # a dark blue title bar (BGRX)
    rows = []
    mark_x = (i * 7) % max(w - 8, 1)
    for y in range(h):
        r = bytearray(top if y < h // 8 else row)
        if h // 3 <= y < h // 3 + 8:
            r[mark_x * 4 : (mark_x + 8) * 4] = b"\x00\x00\xff\x00" * 8  # a red block
        rows.append(bytes(r))
    return b"".join(rows)


def meta(t: float, w: int, h: int, reason: str = "periodic") -> dict[str, Any]:
    """Frame metadata for a frame at ``t``."""
    return {
        "t": t,
        "wall": 1_700_000_000.0 + t,
        "reason": reason,
        "monitor": {"index": 0, "x": 0, "y": 0, "w": w, "h": h, "scale": 1.0},
    }


def write_session(
    vault: Vault,
    *,
    frames: int = 6,
    size: tuple[int, int] = (160, 90),
    seconds_per_frame: float = 1.0,
    typed: str = "hello secret world",
    study: str | None = None,
    moves_per_frame: int = 3,
    started_ago: float = 0.0,
    elements: bool = False,
) -> str:
    """Write a session: frames, moves, a window, a click per frame, a typed run, a hotkey.

    ``started_ago`` back-dates its start, so its length (end minus start) covers its records.
    ``elements`` also stores each click's UI element (a "Save" button, click_element, 40 x 20
    px with the click at its centre), the typed run's focused text field and the hotkey's
    lookup as missing (NO_BUS).

    Returns:
        The session id.
    """
    w, h = size
    writer = vault.begin_session(consent(study), clock=lambda: time.time() - started_ago)
    ev = writer.append_event
    t0 = 0.0
    win = ev(
        {
            "t": t0,
            "wall": 1_700_000_000.0,
            "kind": "window",
            "app": "Editor",
            "title": "notes.txt — Editor",
            "pid": 42,
            "x": 10,
            "y": 5,
            "w": w - 20,
            "h": h - 10,
            "wid": 7,
        }
    )
    pixel_cache: dict[int, bytes] = {}
    for i in range(frames):
        t = i * seconds_per_frame
        px = pixel_cache.setdefault(i % 30, frame_pixels(w, h, i % 30))
        writer.append_frame(px, size, meta(t, w, h))
        for k in range(moves_per_frame):
            ev(
                {
                    "t": t + 0.1 + 0.1 * k,
                    "wall": 1.0,
                    "kind": "move",
                    "x": (20 + i * 3 + k * 5) % w,
                    "y": (30 + k * 4) % h,
                }
            )
        x, y = (40 + i) % w, 40 % h
        down = ev(
            {
                "t": t + 0.5,
                "wall": 1.0,
                "kind": "button",
                "button": "left",
                "down": True,
                "x": x,
                "y": y,
            }
        )
        up = ev(
            {
                "t": t + 0.55,
                "wall": 1.0,
                "kind": "button",
                "button": "left",
                "down": False,
                "x": x,
                "y": y,
            }
        )
        click = writer.append_action(
            {
                "t": t + 0.5,
                "t_end": t + 0.55,
                "wall": 1.0,
                "kind": "click",
                "events": [down, up],
                "frame_before": i,
                "frame_after": min(i + 1, frames - 1),
                "window_seq": win,
                "x": x,
                "y": y,
                "button": "left",
            }
        )
        if elements:
            box = (x - 20, y - 10, 40, 20)
            writer.append_element({"action": click, "element": click_element(box)})
    # A typed run at the end, with its key events.
    t = frames * seconds_per_frame
    seqs = []
    for k, ch in enumerate(typed):
        seqs.append(
            ev(
                {
                    "t": t + 0.01 * k,
                    "wall": 1.0,
                    "kind": "key",
                    "down": True,
                    "key": ch.lower(),
                    "char": ch,
                    "vk": None,
                    "mods": [],
                }
            )
        )
        seqs.append(
            ev(
                {
                    "t": t + 0.01 * k + 0.005,
                    "wall": 1.0,
                    "kind": "key",
                    "down": False,
                    "key": ch.lower(),
                    "char": None,
                    "vk": None,
                    "mods": [],
                }
            )
        )
    typed_seq = writer.append_action(
        {
            "t": t,
            "t_end": t + 0.01 * len(typed),
            "wall": 1.0,
            "kind": "type",
            "events": seqs,
            "frame_before": frames - 1,
            "frame_after": None,
            "window_seq": win,
            "text": typed,
        }
    )
    c = ev(
        {
            "t": t + 1,
            "wall": 1.0,
            "kind": "key",
            "down": True,
            "key": "c",
            "char": None,
            "vk": None,
            "mods": ["ctrl"],
        }
    )
    hotkey = writer.append_action(
        {
            "t": t + 1,
            "t_end": t + 1.1,
            "wall": 1.0,
            "kind": "hotkey",
            "events": [c],
            "frame_before": None,
            "frame_after": None,
            "window_seq": win,
            "keys": ["ctrl", "c"],
        }
    )
    if elements:
        field = element_record("text", "Notes", ["editable", "focused"], (10, 5, w - 20, h - 10))
        writer.append_element({"action": typed_seq, "element": field})
        writer.append_element({"action": hotkey, "element": to_record(Missing(NO_BUS), 0.2)})
    writer.close()
    return writer.session_id


def element_record(
    role: str, name: str, states: list[str], box: tuple[int, int, int, int]
) -> ElementRecord:
    """A found element's stored record, in the Editor's window (recorder's own shape)."""
    path: list[PathStep] = [
        {"role": "application", "name": "Editor"},
        {"role": "frame", "name": "notes.txt — Editor"},
        {"role": "panel", "name": None},
        {"role": role, "name": name},
    ]
    return to_record(make_element(role, name, None, states, box, path, app="Editor"), 3.0)


def click_element(box: tuple[int, int, int, int]) -> ElementRecord:
    """Each click's element in write_session(elements=True): a "Save" push button."""
    return element_record("push button", "Save", [], box)


def make_vault(home: Path) -> Vault:
    """A new vault with cheap key derivation."""
    return Vault.create(home, PASSPHRASE, log_n=TEST_LOG_N)


def vault_with_session(home: Path, **kwargs: Any) -> tuple[UnlockedVault, str]:
    """A new vault holding one synthetic session, unlocked."""
    vault = make_vault(home)
    sid = write_session(vault, **kwargs)
    return vault.unlock(PASSPHRASE), sid


#: Qt's offscreen platform cannot pass size constraints on or raise windows (a real display
#: can); these warnings say nothing about our code.
OFFSCREEN_LIMITS = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)"
)
