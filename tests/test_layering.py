"""The architecture's promises that a test can check: no Qt in the core, no network code."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

CORE_IMPORT_CHECK = """
import importlib, pkgutil, sys
import recorder, storage
for package in (recorder, storage):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(module.name)
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6"))
assert not qt, f"Qt loaded by the core: {qt}"
print("ok")
"""


def test_core_packages_load_no_qt() -> None:
    """Importing every module of recorder/ and storage/ loads no Qt."""
    out = subprocess.run(
        [sys.executable, "-c", CORE_IMPORT_CHECK],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_no_network_modules_in_overt() -> None:
    """No module of Overt imports a networking library."""
    banned = (
        "socket",
        "urllib",
        "http.client",
        "requests",
        "httpx",
        "aiohttp",
        "ftplib",
        "smtplib",
    )
    offenders = []
    for package in ("app", "recorder", "storage"):
        for path in (ROOT / package).rglob("*.py"):
            for line in path.read_text(encoding="utf-8").splitlines():
                stripped = line.strip()
                for name in banned:
                    if stripped.startswith(
                        (f"import {name}", f"from {name} ")
                    ) or stripped.startswith(f"from {name}."):
                        offenders.append(f"{path.relative_to(ROOT)}: {stripped}")
    assert offenders == []


def test_network_guard_catches_a_connection(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The autouse guard fails a test that opens an internet socket (proves it can fail)."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makeconftest((ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(
        """
        import socket
        def test_connects():
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                s.connect_ex(("127.0.0.1", 9))
            finally:
                s.close()
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-W", "ignore")
    result.assert_outcomes(passed=1, errors=1)
    assert "a network socket was used" in result.stdout.str()
