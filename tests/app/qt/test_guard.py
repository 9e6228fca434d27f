"""The guard against PySide6 6.12.0 dropping references to None on void calls."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

PROBE = (
    "import sys\n"
    "from app.qt.guard import guard_none_refcount\n"
    "guard_none_refcount()\n"
    "from PySide6.QtCore import QPointF\n"
    "p = QPointF()\n"
    "for _ in range(200_000):\n"
    "    p.setX(1.0)\n"
    "print('survived')\n"
)


def test_many_void_qt_calls_do_not_kill_the_interpreter() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-500:]
    assert out.stdout.strip() == "survived"
