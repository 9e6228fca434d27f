"""Hypothesis round-trips of every record kind, and pixel-exact frames."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import Vault
from tests.storage.helpers import PASS, consent, frame_meta, make_vault

texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
ints = st.integers(-(2**31), 2**31 - 1)
floats = st.floats(allow_nan=False, allow_infinity=False)
common = {"t": floats, "wall": floats}

move = st.fixed_dictionaries({**common, "kind": st.just("move"), "x": ints, "y": ints})
button = st.fixed_dictionaries(
    {
        **common,
        "kind": st.just("button"),
        "button": st.sampled_from(["left", "right", "x1"]),
        "down": st.booleans(),
        "x": ints,
        "y": ints,
    }
)
scroll = st.fixed_dictionaries(
    {**common, "kind": st.just("scroll"), "x": ints, "y": ints, "dx": ints, "dy": ints}
)
key = st.fixed_dictionaries(
    {
        **common,
        "kind": st.just("key"),
        "down": st.booleans(),
        "key": texts,
        "char": st.none() | texts,
        "vk": st.none() | ints,
        "mods": st.lists(st.sampled_from(["ctrl", "alt", "shift"])),
    }
)
window = st.fixed_dictionaries(
    {
        **common,
        "kind": st.just("window"),
        "app": texts,
        "title": texts,
        "pid": st.none() | ints,
        "x": ints,
        "y": ints,
        "w": ints,
        "h": ints,
        "wid": st.none() | ints,
    }
)
marker = st.fixed_dictionaries(
    {
        **common,
        "kind": st.just("marker"),
        "what": st.sampled_from(["pause", "resume", "drops", "stop"]),
    },
    optional={"count": ints, "source": texts, "note": texts},
)
events = st.one_of(move, button, scroll, key, window, marker)
actions = st.fixed_dictionaries(
    {
        "t": floats,
        "t_end": floats,
        "wall": floats,
        "kind": st.sampled_from(["click", "double_click", "drag", "scroll", "type", "hotkey"]),
        "events": st.lists(st.integers(0, 10**6)),
        "frame_before": st.none() | ints,
        "frame_after": st.none() | ints,
        "window_seq": st.none() | ints,
    },
    optional={
        "x": ints,
        "y": ints,
        "x2": ints,
        "y2": ints,
        "button": texts,
        "dx": ints,
        "dy": ints,
        "text": texts,
        "keys": st.lists(texts),
    },
)
json_values = st.recursive(
    st.none() | st.booleans() | ints | floats | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)
consents = st.dictionaries(texts, json_values, min_size=1, max_size=6)
frame_metas = st.fixed_dictionaries(
    {
        "t": floats,
        "wall": floats,
        "monitor": st.fixed_dictionaries(
            {
                "index": st.integers(0, 8),
                "x": ints,
                "y": ints,
                "w": ints,
                "h": ints,
                "scale": floats,
            }
        ),
        "reason": st.sampled_from(
            ["periodic", "pre_action", "post_action", "typing_pause", "first", "window"]
        ),
    }
)


@pytest.fixture(scope="module")
def shared_vault() -> Iterator[Vault]:
    with tempfile.TemporaryDirectory() as d:
        yield make_vault(Path(d) / "v")


SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(
    evs=st.lists(events, max_size=30),
    acts=st.lists(actions, max_size=10),
    cons=consents,
    stats=st.dictionaries(texts, json_values, max_size=4),
)
def test_records_round_trip(
    shared_vault: Vault,
    evs: list[dict[str, Any]],
    acts: list[dict[str, Any]],
    cons: dict[str, Any],
    stats: dict[str, Any],
) -> None:
    with shared_vault.begin_session(cons) as w:
        for i, e in enumerate(evs):
            assert w.append_event(e) == i
        for i, a in enumerate(acts):
            assert w.append_action(a) == i
        w.note_stats(stats)
        sid = w.session_id
    r = shared_vault.unlock(PASS).open_session(sid)
    assert list(r.events()) == evs
    assert list(r.actions()) == acts
    assert r.consent == cons
    assert r.stats == stats
    s = shared_vault.session(sid)
    assert (s.events, s.actions, s.state) == (len(evs), len(acts), "complete")


@SETTINGS
@given(
    data=st.data(),
    metas=st.lists(frame_metas, min_size=1, max_size=6),
    w=st.integers(1, 24),
    h=st.integers(1, 24),
    fmt=st.sampled_from(["BGRX", "BGRA", "RGBX", "RGB", "BGR"]),
)
def test_frames_round_trip_pixel_exact(
    shared_vault: Vault, data: st.DataObject, metas: list[dict[str, Any]], w: int, h: int, fmt: str
) -> None:
    bpp = len(fmt)
    raws: list[bytes] = []
    with shared_vault.begin_session(consent()) as wr:
        prev = None
        for i, m in enumerate(metas):
            if prev is not None and data.draw(st.booleans()):
                raw = prev  # identical frame: stored once
            elif prev is not None and data.draw(st.booleans()):
                buf = bytearray(prev)  # a small change: stored as a delta
                pos = data.draw(st.integers(0, w * h - 1)) * bpp
                buf[pos] ^= 0xFF
                raw = bytes(buf)
            else:
                raw = data.draw(st.binary(min_size=w * h * bpp, max_size=w * h * bpp))
            assert wr.append_frame(raw, (w, h), m, pixel_format=fmt) == i
            raws.append(raw)
            prev = raw
        sid = wr.session_id
    r = shared_vault.unlock(PASS).open_session(sid)
    assert r.frames() == metas  # the writer filled index and same_as into the caller's dicts
    for i, raw in enumerate(raws):
        img = r.frame_image(i)
        assert img.mode == "RGB"
        assert img.size == (w, h)
        assert img.tobytes() == _to_rgb(raw, fmt)
        if metas[i]["same_as"] is not None:
            assert raws[metas[i]["same_as"]] == raw


def _to_rgb(raw: bytes, fmt: str) -> bytes:
    bpp = len(fmt)
    chans = [raw[fmt.index(c) :: bpp] for c in "RGB"]
    out = bytearray(len(chans[0]) * 3)
    for k in range(3):
        out[k::3] = chans[k]
    return bytes(out)


def test_long_chain_and_large_frames(shared_vault: Vault) -> None:
    """Many delta frames across keyframe boundaries, random access in any order."""
    import random

    rnd = random.Random(7)
    w, h = 200, 120
    buf = bytearray(rnd.randbytes(w * h * 4))
    expected = []
    with shared_vault.begin_session(consent()) as wr:
        for i in range(130):
            for _ in range(3):
                buf[rnd.randrange(len(buf))] = rnd.randrange(256)
            wr.append_frame(bytes(buf), (w, h), frame_meta(i, w, h))
            expected.append(_to_rgb(bytes(buf), "BGRX"))
        sid = wr.session_id
    r = shared_vault.unlock(PASS).open_session(sid)
    order = list(range(130))
    rnd.shuffle(order)
    for i in order[:40] + list(range(130)):
        assert r.frame_image(i).tobytes() == expected[i]
