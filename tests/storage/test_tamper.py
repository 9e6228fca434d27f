"""Tampering anywhere in a vault raises a StorageError (never anything else) or reads back
exactly what was written; verify reports authenticated damage."""

from __future__ import annotations

import contextlib
import random
from pathlib import Path
from typing import Any

import pytest

from storage import StorageError, Vault
from tests.storage.helpers import (
    PASS,
    abandon,
    all_files,
    consent,
    frame_meta,
    key,
    make_vault,
    move,
    noise_bgrx,
    type_action,
    window,
)

W, H = 24, 16
CASES = {"flip": 1400, "truncate": 400, "splice": 500, "chunk": 200}


def _build(home: Path) -> dict[str, Any]:
    v = make_vault(home)
    with v.begin_session(consent(study_id="s")) as w:
        for i in range(15):
            w.append_event(move(i))
        w.append_event(window("a title"))
        seqs = [w.append_event(key(c)) for c in "abc"]
        w.append_action(type_action("abc", seqs))
        px = noise_bgrx(W, H)
        for i in range(4):
            px[i * 7] ^= 0x55
            w.append_frame(bytes(px), (W, H), frame_meta(i, W, H))
        w.note_stats({"drops": 0})
        complete = w.session_id
    v.unlock(PASS).redact_window_titles(complete)
    w = v.begin_session(consent())
    for i in range(10):
        w.append_event(move(100 + i))
    w.append_frame(bytes(noise_bgrx(W, H)), (W, H), frame_meta(0, W, H))
    abandon(w)
    interrupted = w.session_id
    return {"complete": complete, "interrupted": interrupted, "expected": _read_all(home)}


def _read_all(home: Path) -> dict[str, Any]:
    v = Vault.open(home)
    v.sessions()
    u = v.unlock(PASS)
    out = {}
    for sid in v.session_ids():
        r = u.open_session(sid)
        frames = r.frames()
        out[sid] = {
            "consent": r.consent,
            "events": list(r.events()),
            "actions": list(r.actions()),
            "frames": frames,
            "pixels": [r.frame_image(i).tobytes() for i in range(len(frames))],
            "stats": r.stats,
            "redactions": [{**x, "when": 0} for x in r.redactions()],
            "state": r.summary.state,
        }
    return out


def _is_prefix(got: list[Any], want: list[Any]) -> bool:
    return got == want[: len(got)]


def _check_case(home: Path, world: dict[str, Any], target: Path, truncated: bool) -> None:
    error: StorageError | None = None
    try:
        got = _read_all(home)
    except StorageError as exc:
        error = exc
    if error is not None:
        assert str(error).strip(), "every storage error has a message"
    else:
        for sid, want in world["expected"].items():
            g = got[sid]
            if sid == world["complete"] or not truncated:
                assert g == want, (target.name, sid)
            else:
                assert g["consent"] == want["consent"]
                for k in ("events", "actions", "frames", "pixels"):
                    assert _is_prefix(g[k], want[k]), (target.name, k)
    # verify never raises for a damaged session and flags authenticated damage.
    with contextlib.suppress(StorageError):
        structural = Vault.open(home).verify()  # no passphrase: framing only
        assert {r.session_id for r in structural} <= set(world["expected"])
    try:
        results = Vault.open(home).unlock(PASS).verify()
    except StorageError:
        return  # key file / permissions damaged: nothing to verify with
    sid = target.parent.name
    authenticated = target.name == "keys" or target.name.split(".")[-1].isdigit()
    if authenticated and sid in world["expected"]:
        (res,) = [r for r in results if r.session_id == sid]
        if sid == world["complete"] or not truncated:
            assert res.status == "damaged", (target.name, res)
        else:
            assert res.status in ("damaged", "interrupted")
        if res.status == "damaged":
            assert res.where
    for r in results:
        if r.session_id != sid:
            assert r.status in ("ok", "interrupted"), r


@pytest.mark.parametrize("kind", sorted(CASES))
def test_tamper(tmp_path: Path, kind: str) -> None:
    home = tmp_path / "v"
    world = _build(home)
    files = [f for f in all_files(home) if f.name != "writer.lock"]
    streams = [f for f in files if f.name.split(".")[-1].isdigit()]
    rnd = random.Random(f"tamper-{kind}")
    for _ in range(CASES[kind]):
        target = rnd.choice(files)
        original = target.read_bytes()
        data = bytearray(original)
        truncated = False
        if kind == "flip":
            if not data:
                continue
            data[rnd.randrange(len(data))] ^= rnd.randrange(1, 256)
        elif kind == "truncate":
            data = data[: rnd.randrange(len(data))] if data else data
            truncated = True
        elif kind == "splice":
            src = rnd.choice(files).read_bytes()
            if not src or not data:
                continue
            a = rnd.randrange(len(src))
            piece = src[a : a + rnd.randrange(1, 64)]
            at = rnd.randrange(len(data))
            if rnd.random() < 0.5:
                data[at : at + len(piece)] = piece
            else:
                data[at:at] = piece
            # Bytes that only extend the file are what a torn append leaves: an unclosed
            # session may end so (FORMAT.md section 5).
            truncated = bytes(data).startswith(original)
        else:  # swap or transplant whole chunks between stream files
            target = rnd.choice(streams)
            original = target.read_bytes()
            data = bytearray(original)
            chunks = _chunks(original)
            donor = _chunks(rnd.choice(streams).read_bytes())
            if len(chunks) < 2 or not donor:
                continue
            i, j = rnd.sample(range(len(chunks)), 2)
            if rnd.random() < 0.5:
                chunks[i], chunks[j] = chunks[j], chunks[i]
            else:
                chunks[i] = rnd.choice(donor)
            data = bytearray(original[:12] + b"".join(chunks))
        if bytes(data) == original:
            continue
        target.write_bytes(bytes(data))
        try:
            _check_case(home, world, target, truncated)
        finally:
            target.write_bytes(original)


def _chunks(data: bytes) -> list[bytes]:
    out, pos = [], 12
    while pos + 8 <= len(data):
        n = int.from_bytes(data[pos : pos + 4], "big") & 0x7FFF_FFFF
        out.append(data[pos : pos + 8 + n])
        pos += 8 + n
    return out
