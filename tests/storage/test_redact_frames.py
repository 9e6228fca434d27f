"""Deleting frames and typed-text spans: the rest stays exact, the deleted part is gone."""

from __future__ import annotations

import io
import json
import random
import shutil
from pathlib import Path

import pytest
from PIL import Image

from storage import Vault
from storage.format import keyrecord
from storage.format.stream import StreamContext, StreamEnd, iter_chunks
from tests.storage.helpers import (
    PASS,
    assert_no_remnant,
    consent,
    frame_meta,
    key,
    type_action,
    window,
)

W, H = 96, 64
CANARY = (0, 254, 3)  # no background pixel has red < 16: only the canary frame holds this
CANARY_BOX = (40, 20, 8, 8)


def _frames(n: int, canary: int) -> list[bytes]:
    """RGB frames that mostly differ a little (deltas), with repeats; ``canary`` has a block."""
    rnd = random.Random(7)
    buf = bytearray(rnd.randrange(16, 256) for _ in range(W * H * 3))
    out = []
    for i in range(n):
        if i % 5 != 4:  # every 5th frame repeats the previous one ("same")
            for _ in range(10):
                o = rnd.randrange(W * H) * 3
                buf[o : o + 3] = bytes(rnd.randrange(16, 256) for _ in range(3))
        frame = bytearray(buf)
        if i == canary:
            x0, y0, w, h = CANARY_BOX
            for y in range(y0, y0 + h):
                for x in range(x0, x0 + w):
                    frame[(y * W + x) * 3 : (y * W + x) * 3 + 3] = bytes(CANARY)
        out.append(bytes(frame))
    return out


def _session(vault: Vault, pixels: list[bytes]) -> str:
    with vault.begin_session(consent()) as w:
        for i, px in enumerate(pixels):
            w.append_frame(px, (W, H), frame_meta(i, W, H), pixel_format="RGB")
        for i in range(len(pixels)):
            seq = w.append_event(key("a"))
            w.append_action(
                {
                    **type_action("a", [seq]),
                    "frame_before": i,
                    "frame_after": min(i + 1, len(pixels) - 1),
                }
            )
        return w.session_id


def _decoded_frame_blobs(vault: Vault, sid: str) -> list[Image.Image]:
    """Every image in the session's current frames stream, decrypted with its current key."""
    priv = Vault.open(vault.home).key_file.unwrap(PASS)
    folder = vault.home / "sessions" / sid
    rec = keyrecord.open_record(keyrecord.read_bytes(folder, sid), vault.vault_id, priv, sid)
    sk = rec.streams["frames"]
    ctx = StreamContext(vault.vault_id, sid, "frames", rec.consent_sha256)
    out = []
    for _c, recs in iter_chunks(folder / sk.file, sk.key, ctx, StreamEnd()):
        for blob in recs:
            with Image.open(io.BytesIO(blob)) as img:
                out.append(img.convert("RGB"))
    return out


@pytest.mark.parametrize("doomed", [{6}, {0}, {5, 6, 7}, set(range(3, 12))])
def test_deleted_frames_are_gone_and_the_rest_decode_exactly(
    vault: Vault, tmp_path: Path, doomed: set[int]
) -> None:
    n = 14
    pixels = _frames(n, min(doomed))  # the canary is in a deleted frame
    sid = _session(vault, pixels)
    u = vault.unlock(PASS)
    kinds = [m["_store"]["kind"] for m in u.open_session(sid)._metas()]
    assert {"key", "delta", "same"} <= set(kinds)
    before = tmp_path / "before"
    shutil.copytree(vault.home, before)

    assert u.delete_frames(sid, doomed) == len(doomed)

    r = u.open_session(sid)
    kept = [i for i in range(n) if i not in doomed]
    assert [m["index"] for m in r.frames()] == list(range(len(kept)))
    assert [m["t"] for m in r.frames()] == [float(i) for i in kept]
    for new, old in enumerate(kept):
        assert r.frame_image(new).tobytes() == pixels[old], (new, old)
    # The canary's pixels are in no image the session holds now ...
    for img in _decoded_frame_blobs(vault, sid):
        assert CANARY not in {c for _n, c in img.getcolors(W * H) or []}
    # ... and the old frames file cannot be decrypted with anything the vault holds now.
    assert_no_remnant(vault, before, sid, {"frames", "framemeta", "actions"})
    # Actions follow the new numbering; references to deleted frames become null.
    renumber = {old: new for new, old in enumerate(kept)}
    for i, a in enumerate(r.actions()):
        assert a["frame_before"] == renumber.get(i)
        assert a["frame_after"] == renumber.get(min(i + 1, n - 1))
    (entry,) = r.redactions()
    assert entry["kind"] == "frames"
    assert entry["count"] == len(doomed)
    assert sum(b - a for a, b in entry["where"]["frames"]) == len(doomed)
    assert vault.session(sid).frames == len(kept)
    assert u.verify(sid)[0].status == "ok"
    # Frames before the first deleted one keep their stored form (copied, not re-encoded).
    first = min(doomed)
    assert [m["_store"]["kind"] for m in r._metas()][:first] == kinds[:first]


def test_a_frame_the_same_as_a_deleted_one_is_kept_exactly(vault: Vault) -> None:
    pixels = _frames(8, -1)
    sid = _session(vault, pixels)
    u = vault.unlock(PASS)
    metas = u.open_session(sid)._metas()
    assert metas[4]["_store"]["kind"] == "same"
    assert metas[4]["same_as"] == 3
    assert metas[5]["_store"]["kind"] == "delta"
    assert u.delete_frames(sid, {3}) == 1
    r = u.open_session(sid)
    kept = [0, 1, 2, 4, 5, 6, 7]
    for new, old in enumerate(kept):
        assert r.frame_image(new).tobytes() == pixels[old], (new, old)
    after = r._metas()
    assert after[3]["_store"]["kind"] == "key"  # old frame 4 lost what it repeated
    assert after[4]["_store"]["kind"] == "delta"  # old frame 5: its base survived, copied
    assert after[4]["_store"]["base"] == 3


def test_deleting_no_frame_changes_nothing(vault: Vault) -> None:
    sid = _session(vault, _frames(3, -1))
    u = vault.unlock(PASS)
    assert u.delete_frames(sid, {7}) == 0
    assert u.open_session(sid).redactions() == []


def test_deleting_every_frame(vault: Vault) -> None:
    sid = _session(vault, _frames(3, -1))
    u = vault.unlock(PASS)
    assert u.delete_frames(sid, {0, 1, 2}) == 3
    r = u.open_session(sid)
    assert r.frames() == []
    assert all(a["frame_before"] is None for a in r.actions())
    assert u.verify(sid)[0].status == "ok"


def _typed(vault: Vault, text: str) -> str:
    with vault.begin_session(consent()) as w:
        w.append_event(window("Editor"))
        seqs = []
        for ch in text:
            seqs.append(w.append_event(key(ch, True)))
            seqs.append(w.append_event(key(ch, False, k=ch.lower())))
        w.append_action(type_action(text, seqs))
        w.append_action(type_action("again secret", []))
        return w.session_id


def test_typed_span_removes_that_span_only(vault: Vault) -> None:
    sid = _typed(vault, "my secret and your secret")
    u = vault.unlock(PASS)
    r = u.open_session(sid)
    first = next(a for a in r.actions() if a["kind"] == "type")
    assert u.redact_typed_spans(sid, [(first["seq"], 3, 9)]) == 6
    r = u.open_session(sid)
    texts = [a["text"] for a in r.actions()]
    assert texts == ["my [removed] and your secret", "again secret"]
    downs = [e for e in r.events() if e["kind"] == "key" and e["down"]]
    assert "".join(e["char"] or "" for e in downs) == "my  and your secret"
    ups = [e for e in r.events() if e["kind"] == "key" and not e["down"]]
    assert sum(e["key"] == "redacted" for e in ups) == 6
    (entry,) = r.redactions()
    assert entry["kind"] == "typed_span"
    assert "secret" not in json.dumps(entry)
    assert u.verify(sid)[0].status == "ok"


def test_typed_span_with_backspace(vault: Vault) -> None:
    with vault.begin_session(consent()) as w:
        seqs = [w.append_event(key(c)) for c in "abx"]
        seqs.append(w.append_event(key(None, k="backspace")))
        seqs += [w.append_event(key(c)) for c in "cd"]
        w.append_action(type_action("abcd", seqs))
        sid = w.session_id
    u = vault.unlock(PASS)
    seq = next(u.open_session(sid).actions())["seq"]
    assert u.redact_typed_spans(sid, [(seq, 1, 3)]) == 2  # "bc"
    r = u.open_session(sid)
    assert next(r.actions())["text"] == "a[removed]d"
    chars = [e["char"] for e in r.events()]
    assert chars == ["a", None, None, None, None, "d"]  # the corrected-away x goes with "bc"


def test_typed_span_outside_the_text_is_refused(vault: Vault) -> None:
    sid = _typed(vault, "abc")
    u = vault.unlock(PASS)
    seq = next(a for a in u.open_session(sid).actions() if a["kind"] == "type")["seq"]
    with pytest.raises(ValueError, match="not in this session"):
        u.redact_typed_spans(sid, [(seq, 2, 9)])
    assert u.open_session(sid).redactions() == []
