"""Redaction does what it says: exact fills, text gone from keys/actions/titles, logged."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import SessionNotFound, Vault, text_reach
from storage.export.action_code import to_code
from tests.storage.helpers import PASS, bgrx_to_rgb, consent, frame_meta, key, type_action, window
from tests.storage.typist import SECRET, corrected_session

W, H = 96, 64


def _record_frames(vault: Vault, n: int = 12) -> tuple[str, list[bytes]]:
    rnd = random.Random(1)
    buf = bytearray(rnd.randbytes(W * H * 4))
    rgb = []
    with vault.begin_session(consent()) as w:
        for i in range(n):
            if i % 4 != 3:  # every 4th frame repeats the previous one
                for _ in range(20):
                    buf[rnd.randrange(len(buf))] = rnd.randrange(256)
            w.append_frame(bytes(buf), (W, H), frame_meta(i, W, H))
            rgb.append(bgrx_to_rgb(buf, W, H))
        return w.session_id, rgb


def _pixel(rgb: bytes, x: int, y: int) -> tuple[int, ...]:
    o = (y * W + x) * 3
    return tuple(rgb[o : o + 3])


@pytest.mark.parametrize("frames", [None, range(2, 7)])
def test_redact_region_exact_fill(vault: Vault, frames: range | None) -> None:
    sid, before = _record_frames(vault)
    u = vault.unlock(PASS)
    rect = (10, 5, 30, 20)
    fill = (255, 0, 128)
    changed = u.redact_region(sid, rect, frames, fill)
    targets = set(range(12) if frames is None else frames)
    assert changed == len(targets)
    r = u.open_session(sid)
    for i in range(12):
        got = r.frame_image(i).tobytes()
        for y in range(H):
            for x in range(W):
                inside = i in targets and 10 <= x < 40 and 5 <= y < 25
                want = fill if inside else _pixel(before[i], x, y)
                assert _pixel(got, x, y) == want, (i, x, y)
    (entry,) = r.redactions()
    assert entry["kind"] == "region"
    assert entry["where"]["rect"] == list(rect)
    assert entry["count"] == changed
    assert isinstance(entry["when"], float)
    assert u.verify(sid)[0].status == "ok"


def test_redact_region_clipped_and_outside(vault: Vault) -> None:
    sid, _ = _record_frames(vault, 3)
    u = vault.unlock(PASS)
    assert u.redact_region(sid, (500, 500, 10, 10)) == 0
    assert u.redact_region(sid, (-5, -5, 10, 10), range(0, 1)) == 1
    img = u.open_session(sid).frame_image(0)
    assert img.getpixel((4, 4)) == (0, 0, 0)
    with pytest.raises(ValueError, match="positive"):
        u.redact_region(sid, (0, 0, 0, 5))


def _typing_session(vault: Vault, secret: str) -> str:
    with vault.begin_session(consent()) as w:
        w.append_event(window(f"Login - {secret} - Browser"))
        seqs = []
        for ch in f"user {secret} done":
            seqs.append(w.append_event(key(ch, True)))
            w.append_event(key(ch, False, k=ch.lower()))
        w.append_action(type_action(f"user {secret} done", seqs))
        return w.session_id


def test_redact_text(vault: Vault) -> None:
    sid = _typing_session(vault, "hunter2")
    u = vault.unlock(PASS)
    n = u.redact_text(sid, "hunter2")
    assert n == 2  # typed once (its keys and its type action are one occurrence), the title
    r = u.open_session(sid)
    dump = json.dumps(list(r.events()) + list(r.actions()))
    assert "hunter2" not in dump
    keys = [e for e in r.events() if e["kind"] == "key"]
    typed = "".join(e["char"] or "" for e in keys if e["down"])
    assert typed == "user  done"
    released = [e["key"] for e in keys if not e["down"]]
    assert "".join(k for k in released if len(k) == 1) == "user  done"
    assert sum(e["key"] == "redacted" for e in keys) == 14
    (entry,) = r.redactions()
    assert entry["kind"] == "text"
    assert "hunter2" not in json.dumps(entry)
    assert u.redact_text(sid, "hunter2") == 0
    assert u.verify(sid)[0].status == "ok"


def test_redact_events_and_dependent_actions(vault: Vault) -> None:
    sid = _typing_session(vault, "pw")
    u = vault.unlock(PASS)
    assert u.redact_events(sid, range(1, 3)) == 2
    r = u.open_session(sid)
    assert [e["seq"] for e in r.events()][:2] == [0, 3]
    assert list(r.actions()) == []  # the type action was built on event 1
    assert r.redactions()[0]["kind"] == "events"


def test_redact_window_titles(vault: Vault) -> None:
    with vault.begin_session(consent()) as w:
        a = w.append_event(window("Bank - account 1234"))
        b = w.append_event(window("Editor - notes"))
        sid = w.session_id
    u = vault.unlock(PASS)
    assert u.redact_window_titles(sid, range(a, a + 1)) == 1
    titles = [e["title"] for e in u.open_session(sid).events()]
    assert titles == ["", "Editor - notes"]
    assert u.redact_window_titles(sid) == 1
    assert [e["title"] for e in u.open_session(sid).events()] == ["", ""]
    assert b == 1
    assert [x["kind"] for x in u.open_session(sid).redactions()] == ["window_titles"] * 2


def test_redact_unknown_session(vault: Vault) -> None:
    with pytest.raises(SessionNotFound):
        vault.unlock(PASS).redact_text("nope", "x")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_redact_region_property(vault: Vault, data: st.DataObject) -> None:
    """Any rect, any frame range, any mix of key/delta/same frames: exact fill, rest intact."""
    w, h = data.draw(st.integers(4, 20)), data.draw(st.integers(4, 20))
    n = data.draw(st.integers(1, 8))
    frames_rgb: list[bytes] = []
    with vault.begin_session(consent()) as wr:
        buf = bytearray(data.draw(st.binary(min_size=w * h * 3, max_size=w * h * 3)))
        for i in range(n):
            change = data.draw(st.sampled_from(["same", "pixel", "all"]))
            if change == "pixel":
                buf[data.draw(st.integers(0, len(buf) - 1))] ^= 0x5A
            elif change == "all":
                buf = bytearray(data.draw(st.binary(min_size=w * h * 3, max_size=w * h * 3)))
            wr.append_frame(bytes(buf), (w, h), frame_meta(i, w, h), pixel_format="RGB")
            frames_rgb.append(bytes(buf))
        sid = wr.session_id
    x, y = data.draw(st.integers(-3, w)), data.draw(st.integers(-3, h))
    rw, rh = data.draw(st.integers(1, w + 3)), data.draw(st.integers(1, h + 3))
    a = data.draw(st.integers(0, n))
    b = data.draw(st.integers(a, n + 2))
    fill = (1, 2, 3)
    u = vault.unlock(PASS)
    u.redact_region(sid, (x, y, rw, rh), range(a, b), fill)
    r = u.open_session(sid)
    for i in range(n):
        got = r.frame_image(i).tobytes()
        for py in range(h):
            for px in range(w):
                o = (py * w + px) * 3
                inside = a <= i < b and x <= px < x + rw and y <= py < y + rh
                want = bytes(fill) if inside else frames_rgb[i][o : o + 3]
                assert got[o : o + 3] == want, (i, px, py)


def test_text_split_by_a_pause_is_found_and_counted_once(vault: Vault) -> None:
    """One occurrence typed across two type actions (a pause) with a correction and cursor
    moves is one occurrence: the dialog's count (text_reach.plan) is the log's."""
    sid, _presses = corrected_session(vault)
    u = vault.unlock(PASS)
    r = u.open_session(sid)
    planned = text_reach.plan({"events": list(r.events()), "actions": list(r.actions())}, SECRET)
    assert planned.counts == [
        ("typed text", 1),
        ("window titles", 1),
        ("task instructions and notes", 0),
        ("UI element names", 0),
    ]
    assert u.redact_text(sid, SECRET) == planned.total == 2
    r = u.open_session(sid)
    (entry,) = r.redactions()
    assert entry["count"] == 2
    assert entry["places"] == {
        "typed text": 1,
        "window titles": 1,
        "task instructions and notes": 0,
        "UI element names": 0,
    }
    # Removed spans are marked, in the text and in the code exports make from it.
    actions = [a for a in r.actions() if a["kind"] == "type"]
    assert [a["text"] for a in actions[:2]] == ["[removed]", "[removed]"]
    assert to_code(actions[0]) == "pyautogui.write(message='[removed]')"
    titles = [e["title"] for e in r.events() if e["kind"] == "window"]
    assert titles[0] == "Notes — [removed]"


def test_removed_text_inside_a_run_is_marked_where_it_was(vault: Vault) -> None:
    sid = _typing_session(vault, "hunter2")
    u = vault.unlock(PASS)
    u.redact_text(sid, "hunter2")
    (action,) = u.open_session(sid).actions()
    assert action["text"] == "user [removed] done"
    assert to_code(action) == "pyautogui.write(message='user [removed] done')"
