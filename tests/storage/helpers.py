"""Record factories and vault helpers shared by the storage tests (fixtures: conftest.py)."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Any

from storage import CorruptData, Vault
from storage.format import keyrecord
from storage.format.stream import StreamContext, StreamEnd, iter_chunks

PASS = b"correct horse battery staple"
TEST_LOG_N = 10  # cheap scrypt for tests; production default is 2^16


class DetRng:
    """Deterministic 'randomness' for known-answer vectors: SHA-256(seed || counter) blocks."""

    def __init__(self, seed: bytes) -> None:
        self.seed = seed
        self.counter = 0

    def __call__(self, n: int) -> bytes:
        out = b""
        while len(out) < n:
            out += hashlib.sha256(self.seed + self.counter.to_bytes(8, "big")).digest()
            self.counter += 1
        return out[:n]


def make_vault(home: Path) -> Vault:
    return Vault.create(home, PASS, log_n=TEST_LOG_N)


def consent(**extra: Any) -> dict[str, Any]:
    return {
        "version": 1,
        "purpose": "testing",
        "captures": ["input", "screen"],
        "text_mode": "full",
        "affirmed_at": 1700000000.0,
        **extra,
    }


def move(i: int = 0) -> dict[str, Any]:
    return {"t": i * 0.01, "wall": time.time(), "kind": "move", "x": i % 1920, "y": i % 1080}


def key(char: str | None, down: bool = True, k: str | None = None) -> dict[str, Any]:
    return {
        "t": 0.5,
        "wall": 1.0,
        "kind": "key",
        "down": down,
        "key": k if k is not None else (char.lower() if char else "shift"),
        "char": char if down else None,
        "vk": None,
        "mods": [],
    }


def window(title: str, app: str = "editor") -> dict[str, Any]:
    return {
        "t": 0.1,
        "wall": 1.0,
        "kind": "window",
        "app": app,
        "title": title,
        "pid": 42,
        "x": 0,
        "y": 0,
        "w": 800,
        "h": 600,
        "wid": 7,
    }


def type_action(text: str, events: list[int]) -> dict[str, Any]:
    return {
        "t": 0.1,
        "t_end": 0.9,
        "wall": 1.0,
        "kind": "type",
        "events": events,
        "frame_before": None,
        "frame_after": None,
        "window_seq": None,
        "text": text,
    }


def frame_meta(t: float = 0.0, w: int = 64, h: int = 48) -> dict[str, Any]:
    return {
        "t": t,
        "wall": 1.0,
        "reason": "periodic",
        "monitor": {"index": 0, "x": 0, "y": 0, "w": w, "h": h, "scale": 1.0},
    }


def noise_bgrx(w: int, h: int) -> bytearray:
    return bytearray(os.urandom(w * h * 4))


def bgrx_to_rgb(px: bytes | bytearray, w: int, h: int) -> bytes:
    out = bytearray(w * h * 3)
    out[0::3] = px[2::4]
    out[1::3] = px[1::4]
    out[2::3] = px[0::4]
    return bytes(out)


def all_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def abandon(writer: Any) -> None:
    """Make a writer look like its process died after a flush: locks dropped, never closed."""
    writer.flush()
    writer._ticker.stop()
    for lock in writer._locks:
        lock.release()


# --- remnants: what old copies of a session's files still decrypt with ----------------


def keys_after(vault: Vault) -> list[tuple[str, bytes, bytes]]:
    """Every (session, stream key, consent hash) the vault holds, unlocked with the passphrase."""
    fresh = Vault.open(vault.home)
    priv = fresh.key_file.unwrap(PASS)
    out = []
    for sid in fresh.session_ids():
        rec = keyrecord.open_record(
            keyrecord.read_bytes(fresh.session_dir(sid), sid), fresh.vault_id, priv, sid
        )
        out += [(sid, sk.key, rec.consent_sha256) for sk in rec.streams.values()]
    return out


def decryptable(
    old: Path, vault: Vault, sid: str, stream: str, keys: list[tuple[str, bytes, bytes]]
) -> list[bytes]:
    """Plaintext records of ``old`` that any key held afterwards can decrypt."""
    got: list[bytes] = []
    for _ksid, k, sha in keys:
        ctx = StreamContext(vault.vault_id, sid, stream, sha)
        try:
            for _c, recs in iter_chunks(old, k, ctx, StreamEnd()):
                got += recs
        except CorruptData:
            continue
    return got


def assert_no_remnant(vault: Vault, before: Path, sid: str, streams: set[str]) -> None:
    """No copy of ``streams`` of ``sid`` in the ``before`` snapshot decrypts with any key the
    vault holds now."""
    keys = keys_after(vault)
    assert keys or streams, "the vault should still hold other sessions' keys"
    checked = 0
    for old in (before / "sessions" / sid).iterdir():
        name = old.name.split(".")[0]
        if name not in streams or old.name.startswith("keys"):
            continue
        checked += 1
        assert decryptable(old, vault, sid, name, keys) == [], old.name
    assert checked >= len(streams)
