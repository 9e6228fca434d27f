"""A recorded session with a canary in its title, typed text and frames, for export tests.

Shared by the vault export tests here and the export command's tests (tests/app/cli).
"""

from __future__ import annotations

from PIL import Image

from storage import Vault
from tests.storage.helpers import consent, frame_meta, key, window

W, H = 160, 100
CANARY = "zqcanary4471"
SECRET_RGB = (201, 33, 77)
RECT = (20, 20, 40, 30)
FILL = (0, 0, 0)


def bgrx(i: int) -> bytes:
    image = Image.new("RGB", (W, H), (40 + 10 * i, 120, 160))
    image.paste(SECRET_RGB, (RECT[0], RECT[1], RECT[0] + RECT[2], RECT[1] + RECT[3]))
    r, g, b = image.split()
    return Image.merge("RGBA", (b, g, r, Image.new("L", (W, H), 0))).tobytes()


def record(vault: Vault) -> str:
    with vault.begin_session(consent(consent_id="c-1")) as w:
        win = w.append_event(window(f"Mail to {CANARY} - Editor"))
        seqs = []
        for ch in f"hi {CANARY}":
            seqs.append(w.append_event(key(ch)))
            w.append_event(key(ch, down=False))
        for i in range(5):
            w.append_frame(bgrx(i), (W, H), frame_meta(float(i), W, H))
        base = {"t": 0.1, "t_end": 0.2, "wall": 1.0, "window_seq": win}
        w.append_action(
            {
                **base,
                "kind": "click",
                "events": [],
                "x": 80,
                "y": 50,
                "button": "left",
                "frame_before": 0,
                "frame_after": 1,
            }
        )
        w.append_action(
            {
                **base,
                "kind": "type",
                "events": seqs,
                "text": f"hi {CANARY}",
                "frame_before": 1,
                "frame_after": 2,
            }
        )
        return w.session_id
