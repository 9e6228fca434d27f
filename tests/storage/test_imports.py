"""storage/ imports no Qt and no network module (checked in a fresh interpreter)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
FORBIDDEN = {
    "PySide6",
    "shiboken6",
    "PyQt5",
    "PyQt6",
    "socket",
    "_socket",
    "ssl",
    "_ssl",
    "http",
    "asyncio",
    "selectors",
    "requests",
    "urllib3",
    "keyring",
}


def test_storage_imports_no_qt_and_no_network() -> None:
    code = (
        "import json, sys, storage, storage.vault, storage.redact, storage.verify; "
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    loaded = {m.split(".")[0] for m in json.loads(out)}
    assert not loaded & FORBIDDEN, loaded & FORBIDDEN
