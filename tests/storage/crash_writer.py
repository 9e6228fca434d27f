"""Child process for the kill -9 test: records sessions back to back until killed.

Prints ``begin <session_id> <monotonic>`` for each session it starts, then appends an event
about every millisecond (``t`` = monotonic clock, shared with the parent) and a small frame
every 20 events, closing each session after a random 0.3-2.5 s.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

from storage import Vault


def main() -> None:
    home = Path(sys.argv[1])
    rnd = random.Random(int(sys.argv[2]))
    vault = Vault.open(home)
    px = bytearray(os.urandom(32 * 24 * 4))
    first_long = sys.argv[3] == "long"
    while True:
        w = vault.begin_session({"purpose": "crash test"})
        print("begin", w.session_id, time.monotonic(), flush=True)
        until = time.monotonic() + (3.0 if first_long else rnd.uniform(0.1, 1.0))
        first_long = False
        n = 0
        while time.monotonic() < until:
            w.append_event(
                {"t": time.monotonic(), "wall": time.time(), "kind": "move", "x": n, "y": 0}
            )
            if n % 20 == 0:
                px[rnd.randrange(len(px))] ^= 0xFF
                w.append_frame(
                    bytes(px),
                    (32, 24),
                    {
                        "t": time.monotonic(),
                        "wall": 0.0,
                        "reason": "periodic",
                        "monitor": {"index": 0, "x": 0, "y": 0, "w": 32, "h": 24, "scale": 1.0},
                    },
                )
            n += 1
            time.sleep(0.001)
        w.close()


if __name__ == "__main__":
    main()
