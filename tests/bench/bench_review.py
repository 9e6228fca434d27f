"""Review window: a 1-hour session (3600 1080p frames at 1/s) opened to its first frame, and steps.

Targets (DESIGN.md): open to the first frame <= 1 s; stepping a frame <= 50 ms. Also times
deleting one frame from the middle of the hour (no target; it runs off the GUI thread). Times run
from the call (window construction + ``open_session``, or ``step_frame``) until the frame is
painted. The vault is unlocked beforehand: key derivation is the passphrase's cost, not the
window's. Frames are synthetic (a cycle of 30 screens with a moving block, so mostly
deltas), with 5 events and 1 action per frame.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from app.qt.guard import guard_none_refcount
from app.review.window import ReviewWindow
from tests.app.sessions import PASSPHRASE, make_vault, write_session

FRAMES = int(os.environ.get("OVERT_BENCH_REVIEW_FRAMES", "3600"))
OPEN_RUNS = 5
STEPS = 120


def wait_for(signal: object, timeout_s: float = 60.0) -> None:
    """Run the event loop until ``signal`` fires."""
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)  # type: ignore[attr-defined]


def timed_frame(window: ReviewWindow, action: Callable[[], object], want: int) -> float:
    """Milliseconds from ``action()`` until frame ``want`` is shown and painted."""
    shown: list[int] = []
    loop = QEventLoop()

    def on_shown(index: int) -> None:
        shown.append(index)
        if index == want:
            loop.quit()

    window.frameShown.connect(on_shown)
    QTimer.singleShot(60_000, loop.quit)
    started = time.perf_counter()
    action()
    if want not in shown:
        loop.exec()
    window.view.repaint()
    elapsed = (time.perf_counter() - started) * 1000
    window.frameShown.disconnect(on_shown)
    if want not in shown:
        raise RuntimeError(f"frame {want} was never shown")
    return elapsed


def main(report: dict[str, float]) -> None:
    """Write the session, then time opening and stepping."""
    guard_none_refcount()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        vault = make_vault(Path(tmp) / "vault")
        started = time.perf_counter()
        sid = write_session(vault, frames=FRAMES, size=(1920, 1080), moves_per_frame=3)
        report["review_bench_session_write_s"] = round(time.perf_counter() - started, 1)
        unlocked = vault.unlock(PASSPHRASE)
        opens = []
        window: ReviewWindow | None = None
        for _ in range(OPEN_RUNS):
            if window is not None:
                window.close()
                window.deleteLater()
            shown = QEventLoop()
            started = time.perf_counter()
            window = ReviewWindow(unlocked)
            window.frameShown.connect(shown.quit)
            window.show()
            window.open_session(sid)
            shown.exec()
            window.view.repaint()
            opens.append((time.perf_counter() - started) * 1000)
            window.frameShown.disconnect(shown.quit)
            wait_for(window.recordsLoaded)
        assert window is not None
        assert window.model is not None
        report["review_open_first_frame_ms"] = round(statistics.median(opens), 1)
        report["review_open_first_frame_max_ms"] = round(max(opens), 1)
        steps = []
        for _ in range(STEPS):
            target = window.index + 1
            steps.append(timed_frame(window, lambda: window.step_frame(1), target))
        steps.sort()
        report["review_step_frame_ms"] = round(statistics.median(steps), 1)
        report["review_step_frame_p95_ms"] = round(steps[int(len(steps) * 0.95) - 1], 1)
        backs = [
            timed_frame(window, lambda: window.step_frame(-1), window.index - 1) for _ in range(30)
        ]
        report["review_step_back_frame_ms"] = round(statistics.median(backs), 1)
        count = window.model.frame_count
        jumps = []
        for k in range(1, 6):
            target = (k * 677) % count
            jumps.append(timed_frame(window, lambda t=target: window.show_frame(t), target))
        report["review_jump_frame_ms"] = round(statistics.median(jumps), 1)
        window.close()
        # Deleting one frame mid-session rewrites the frame stream under a new key (survivors
        # copied, the frame after it re-stored): the whole change, through the vault.
        started = time.perf_counter()
        unlocked.delete_frames(sid, {count // 2})
        report["review_delete_one_frame_s"] = round(time.perf_counter() - started, 2)
    app.processEvents()


if __name__ == "__main__":
    import json

    result: dict[str, float] = {}
    main(result)
    print(json.dumps(result))
