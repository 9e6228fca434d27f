"""No plaintext at rest: canaries written through every path never appear under the vault."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from storage import Vault
from tests.storage.helpers import PASS, all_files, consent, frame_meta, key, type_action, window

CANARY = "CANARY-7f3a-ZEBRA"
W, H = 64, 40
# A distinctive pixel pattern: 16 pixels whose BGRX bytes spell out a recognisable row.
PATTERN_BGRX = bytes([0xDE, 0xAD, 0xBE, 0x00, 0x13, 0x37, 0xC0, 0x00]) * 8


def _canary_frame() -> bytes:
    px = bytearray(os.urandom(W * H * 4))
    for row in range(H):
        px[row * W * 4 : row * W * 4 + len(PATTERN_BGRX)] = PATTERN_BGRX
    return bytes(px)


def _rgb(bgrx: bytes) -> bytes:
    return b"".join(bytes((bgrx[i + 2], bgrx[i + 1], bgrx[i])) for i in range(0, len(bgrx), 4))


def _needles() -> list[bytes]:
    out = []
    for s in (CANARY, CANARY.lower(), f"Title {CANARY}", f"app-{CANARY}"):
        out += [s.encode(), s.encode("utf-16-le"), base64.b64encode(s.encode())]
    typed_run = "".join(c for c in CANARY)
    out.append(typed_run.encode())
    out += [PATTERN_BGRX[:32], _rgb(PATTERN_BGRX)[:24]]
    return out


def test_no_plaintext_anywhere(vault: Vault, tmp_path: Path) -> None:
    with vault.begin_session(consent(note=CANARY, study_id=f"study-{CANARY}")) as w:
        w.append_event(window(f"Title {CANARY}", app=f"app-{CANARY}"))
        seqs = [w.append_event(key(c)) for c in CANARY]
        w.append_event({"t": 1, "wall": 1, "kind": "marker", "what": "pause", "note": CANARY})
        w.append_action(type_action(CANARY, seqs))
        frame = _canary_frame()
        w.append_frame(frame, (W, H), frame_meta(0, W, H))
        w.append_frame(frame, (W, H), frame_meta(1, W, H))  # a repeat
        w.note_stats({"comment": CANARY})
        w.flush()
        _scan(vault.home)  # mid-recording too: nothing leaks before close
        sid = w.session_id
    u = vault.unlock(PASS)
    # Sanity: the canaries really were stored and come back.
    r = u.open_session(sid)
    assert any(CANARY in str(e) for e in r.events())
    assert r.frame_image(0).tobytes()[: len(_rgb(PATTERN_BGRX))] == _rgb(PATTERN_BGRX)
    u.redact_window_titles(sid)  # the redaction log is encrypted too
    u.approve(sid)
    u.rebuild_index()
    _scan(vault.home)


def _scan(home: Path) -> None:
    files = all_files(home)
    assert files
    needles = _needles()
    for f in files:
        data = f.read_bytes()
        for n in needles:
            assert n not in data, (f.name, n)
        assert not f.name.startswith(".") or f.name.endswith(".lock"), f"temp file {f}"
