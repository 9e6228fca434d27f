"""Seeded tamper fuzz through the public API: bytes and fields of every vault file, planted
and missing files. Each case raises a typed storage error or yields the authentic data (reads,
summaries, exports), never another exception and never altered content; and export refuses
exactly what full verification calls damaged."""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path
from typing import Any

from storage import StorageError, Vault
from storage.export import export_sessions
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

CASES = 300
SEED = 20
W, H = 24, 16
HOSTILE: list[Any] = [
    10**40, -1, 0, 1.5, float("nan"), float("inf"), "", "x" * 5000, [], {}, None, True,
    "recording", "complete", "approved", [1, {"a": 1}],
]  # fmt: skip


def _build(home: Path) -> dict[str, Any]:
    v = make_vault(home)
    with v.begin_session(consent(retention={"local_days": 3})) as w:
        for i in range(8):
            w.append_event(move(i))
        w.append_event(window("a title"))
        seqs = [w.append_event(key(c)) for c in "ab"]
        w.append_action(type_action("ab", seqs))
        px = noise_bgrx(W, H)
        for i in range(3):
            px[i * 5] ^= 0x55
            w.append_frame(bytes(px), (W, H), frame_meta(i, W, H))
        w.note_stats({"drops": 0})
        complete = w.session_id
    u = v.unlock(PASS)
    u.redact_window_titles(complete)
    u.approve(complete)
    w = v.begin_session(consent())
    for i in range(5):
        w.append_event(move(100 + i))
    abandon(w)
    return {"complete": complete, "interrupted": w.session_id, "truth": _read(home)}


def _read(home: Path) -> dict[str, Any]:
    """Everything the public API gives after unlock (raises StorageError, nothing else)."""
    v = Vault.open(home)
    v.sessions()
    v.verify()  # structure only
    u = v.unlock(PASS)
    out: dict[str, Any] = {"verify": {r.session_id: r.status for r in u.verify()}}
    for sid in v.session_ids():
        try:
            r = u.open_session(sid)
            frames = r.frames()
            s = r.summary
            out[sid] = {
                "consent": r.consent,
                "events": list(r.events()),
                "actions": list(r.actions()),
                "frames": frames,
                "pixels": [r.frame_image(i).tobytes() for i in range(len(frames))],
                "stats": r.stats,
                "redactions": [{**x, "when": 0} for x in r.redactions()],
                "summary": (s.state, s.review, s.started, s.events, s.actions, s.frames, s.expires),
                "duration": s.duration,
            }
        except StorageError as exc:
            out[sid] = exc
    return out


def _export(home: Path, sid: str, out: Path) -> dict[str, Any] | StorageError:
    try:
        reader = Vault.open(home).unlock(PASS).open_session(sid)
        export_sessions([reader], "folder", out)
    except StorageError as exc:
        return exc
    [doc] = [json.loads(p.read_text()) for p in out.rglob("session.json")]
    [events] = [p.read_text().splitlines() for p in out.rglob("events.jsonl")]
    return {"session": doc, "events": [json.loads(e) for e in events]}


def _mutate(rnd: random.Random, home: Path) -> str:
    """One seeded change to the vault at ``home``; returns what it was."""
    files = [f for f in all_files(home) if f.name != "writer.lock"]
    target = rnd.choice(files)
    what = f"{target.relative_to(home)}"
    kind = rnd.choice(["flip", "flip", "truncate", "append", "field", "delete", "plant", "swap"])
    data = bytearray(target.read_bytes())
    if kind == "field" and target.suffix in (".json", ".key"):
        doc = json.loads(data)
        holder = doc["kdf"] if "kdf" in doc and rnd.random() < 0.3 else doc
        name = rnd.choice(sorted(holder))
        value = rnd.choice(HOSTILE)
        holder[name] = value
        target.write_text(json.dumps(doc))
        return f"{what}: {name} = {str(value)[:20]}"
    if kind == "delete":
        target.unlink()
        return f"{what}: deleted"
    if kind in ("plant", "swap"):
        sessions = sorted(p for p in (home / "sessions").iterdir() if p.is_dir())
        into = rnd.choice(sessions)
        donor = rnd.choice(files).read_bytes() if rnd.random() < 0.7 else os.urandom(200)
        name = "keys.next" if kind == "plant" else rnd.choice(["keys", "events.9", "zzz.0"])
        (into / name).write_bytes(donor)
        os.chmod(into / name, 0o600)
        return f"{into.name}/{name}: {kind}ed"
    if not data or kind == "append":
        data += os.urandom(rnd.randrange(1, 40))
    elif kind == "truncate":
        data = data[: rnd.randrange(len(data))]
    else:
        data[rnd.randrange(len(data))] ^= rnd.randrange(1, 256)
    target.write_bytes(bytes(data))
    return f"{what}: {kind}"


def _check(got: dict[str, Any] | StorageError, exported: Any, world: dict[str, Any]) -> None:
    if isinstance(got, StorageError):
        assert str(got).strip(), "every storage error says something"
        return
    truth = world["truth"]
    for sid, want in truth.items():
        if sid == "verify" or sid not in got or isinstance(got[sid], StorageError):
            continue
        g = dict(got[sid])
        assert 0.0 <= g.pop("duration") <= want["duration"] + 1e-6
        w = {k: v for k, v in want.items() if k != "duration"}
        if sid == world["complete"]:
            assert g == w, sid
        else:  # an interrupted session may lose its tail (chunks, or the whole stream file)
            assert g["consent"] == w["consent"]
            for k in ("events", "actions", "frames", "pixels"):
                assert g[k] == w[k][: len(g[k])], k
    complete = world["complete"]
    status = got["verify"].get(complete)
    if status == "ok":
        assert not isinstance(got.get(complete), StorageError), got.get(complete)
    if isinstance(exported, dict):
        assert status == "ok", "export passed on a session verify does not call sound"
        assert exported["events"] == truth[complete]["events"]
        doc = exported["session"]
        assert (doc["events"], doc["actions"], doc["frames"]) == truth[complete]["summary"][3:6]
    elif status == "damaged":
        assert isinstance(exported, StorageError)


def test_tamper_fuzz(tmp_path: Path) -> None:
    template = tmp_path / "template"
    world = _build(template)
    assert world["truth"]["verify"] == {
        world["complete"]: "ok",
        world["interrupted"]: "interrupted",
    }
    rnd = random.Random(SEED)
    failures = []
    for n in range(CASES):
        home = tmp_path / f"c{n}"
        shutil.copytree(template, home)
        what = _mutate(rnd, home)
        try:
            try:
                got: dict[str, Any] | StorageError = _read(home)
            except StorageError as exc:
                got = exc
            exported = _export(home, world["complete"], tmp_path / f"out{n}")
            _check(got, exported, world)
        except Exception as exc:  # every case's failure is reported together
            failures.append(f"case {n} ({what}): {type(exc).__name__}: {str(exc)[:200]}")
        shutil.rmtree(home)
        shutil.rmtree(tmp_path / f"out{n}", ignore_errors=True)
    assert not failures, "\n".join(failures)
