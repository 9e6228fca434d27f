"""Running the real `overt` command in a child process, as a person or a script would."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping

from tests.conftest import ROOT


def run_overt(
    *args: str, env: Mapping[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """`python -m app ARGS` from the checkout, no terminal on stdin; never raises on exit codes."""
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env=None if env is None else dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        stdin=subprocess.DEVNULL,
    )
