"""Finding the external validators the packaging tests run (skip locally, fail under CI)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
LINUX = PACKAGING / "linux"
IN_CI = os.environ.get("CI", "").lower() == "true"


def require_tool(name: str, debian_package: str) -> str:
    """The path of a command-line tool; skips without it, or fails under CI=true."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is missing (Debian package {debian_package})"
        if IN_CI:
            pytest.fail(message + "; CI=true: a missing validator is a failure")
        pytest.skip(message)
    return path
