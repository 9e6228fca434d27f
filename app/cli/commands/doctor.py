"""`overt doctor`: what works on this machine, and why not."""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from app.cli.support import vault_home
from recorder.platform.environment import (
    ProbeResult,
    detect_display_server,
    probe_input_capture,
    probe_screen_capture,
    refusal_reason,
)

PACKAGES = ("PySide6-Essentials", "pynput", "mss", "cryptography", "Pillow", "platformdirs")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "doctor",
        parents=[common],
        help="check what works here: display, capture, tray, vault",
        description="Check what works here. Exits 0 when recording can work on this machine.",
    )
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    # Internal: the tray check runs in a child process (see probe_tray).
    parser.add_argument("--probe-tray", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(func=run_doctor)


def tray_probe_command() -> list[str]:
    """How to run `overt doctor --probe-tray` as a child, from a checkout or a bundle."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "doctor", "--probe-tray"]
    return [sys.executable, "-m", "app", "doctor", "--probe-tray"]


def answer_tray_probe() -> int:
    """The child's side of probe_tray: print whether Qt sees a system tray."""
    from app.qt.widgets import QApplication, QSystemTrayIcon

    app = QApplication.instance() or QApplication(sys.argv[:1])
    print("yes" if QSystemTrayIcon.isSystemTrayAvailable() else "no")
    del app
    return 0


def probe_tray() -> ProbeResult:
    """Ask Qt, in a child process, whether a system tray host is running.

    A child process because Qt aborts the whole process when its platform plugin cannot load.
    """
    try:
        out = subprocess.run(
            tray_probe_command(),
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return ProbeResult(False, "Qt did not answer within 20 s")
    answer = out.stdout.strip().splitlines()[-1:] if out.stdout.strip() else []
    if out.returncode != 0 or not answer:
        hint = "Qt could not start (missing xcb libraries? `make test` lists them)"
        return ProbeResult(False, hint)
    if answer == ["yes"]:
        return ProbeResult(True, "a system tray is available")
    return ProbeResult(
        False, "no system tray: Overt will show a small always-on-top status window instead"
    )


def probe_accessibility(report: Any = None) -> ProbeResult:
    """Whether UI elements can be recorded: the accessibility bus, and which running apps
    expose their elements and which do not (``report``: an AccessibilityReport, for tests)."""
    if report is None:
        from recorder.platform.accessibility.status import probe

        try:
            report = probe()
        except Exception as error:  # noqa: BLE001 - doctor reports, never crashes
            return ProbeResult(False, f"the accessibility bus could not be asked ({error})")
    if not report.bus:
        return ProbeResult(False, f"{report.detail}; UI elements will be recorded as missing")
    names = [f"{a.name} ({a.toolkit})" if a.toolkit else a.name for a in report.exposed]
    detail = "elements from " + (", ".join(names) if names else "no running app")
    if report.silent:
        detail += "; none from " + ", ".join(report.silent)
    return ProbeResult(True, detail)


def probe_vault(home: Path) -> ProbeResult:
    """Where the vault is and whether it opens (no passphrase needed)."""
    if not home.exists() or not any(home.iterdir()):
        return ProbeResult(False, f"no vault yet at {home}; create one with `overt init`")
    try:
        from storage.vault import Vault
    except ImportError:
        return ProbeResult(True, f"vault folder at {home}")
    try:
        vault = Vault.open(home)
        count = len(vault.sessions())
    except Exception as error:  # noqa: BLE001 - a storage error is a finding to report
        return ProbeResult(False, f"vault at {home} does not open: {error}")
    return ProbeResult(True, f"vault at {home} with {count} session(s)")


def free_disk(home: Path) -> str:
    place = home
    while not place.exists() and place != place.parent:
        place = place.parent
    usage = shutil.disk_usage(place)
    return f"{usage.free / 2**30:.1f} GiB free of {usage.total / 2**30:.1f} GiB at {place}"


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in ("overt", *PACKAGES):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found


def run_doctor(args: argparse.Namespace) -> int:
    if args.probe_tray:
        return answer_tray_probe()
    server = detect_display_server()
    refusal = refusal_reason(server)
    findings: dict[str, Any] = {"display_server": server}
    if refusal is None and server == "x11":
        findings["input_capture"] = probe_input_capture()
        findings["screen_capture"] = probe_screen_capture()
        findings["tray"] = probe_tray()
        findings["accessibility"] = probe_accessibility()
    elif refusal is None:
        findings["input_capture"] = ProbeResult(
            False, f"capture on {server} is implemented but not tested on a real system yet"
        )
        findings["screen_capture"] = probe_screen_capture()
        findings["tray"] = probe_tray()
    home = vault_home(args)
    findings["vault"] = probe_vault(home)
    findings["disk"] = free_disk(home)
    findings["versions"] = versions()
    can_record = refusal is None and all(
        findings[key].ok for key in ("input_capture", "screen_capture")
    )
    findings["can_record"] = can_record
    findings["reason"] = refusal or _first_failure(findings)

    if getattr(args, "json", False):
        print(json.dumps(_jsonable(findings), indent=2))
    else:
        _print_report(findings)
    return 0 if can_record else 1


def _first_failure(findings: dict[str, Any]) -> str | None:
    for key in ("input_capture", "screen_capture"):
        result = findings.get(key)
        if isinstance(result, ProbeResult) and not result.ok:
            return result.detail
    return None


def _jsonable(findings: dict[str, Any]) -> dict[str, Any]:
    return {
        key: {"ok": value.ok, "detail": value.detail} if isinstance(value, ProbeResult) else value
        for key, value in findings.items()
    }


def _print_report(findings: dict[str, Any]) -> None:
    labels = {
        "input_capture": "input capture",
        "screen_capture": "screen capture",
        "tray": "system tray",
        "accessibility": "UI elements",
        "vault": "vault",
    }
    print(f"display server: {findings['display_server']}")
    for key, label in labels.items():
        result = findings.get(key)
        if isinstance(result, ProbeResult):
            print(f"{label}: {'ok' if result.ok else 'NO'} - {result.detail}")
    print(f"disk: {findings['disk']}")
    print("versions: " + ", ".join(f"{k} {v}" for k, v in findings["versions"].items()))
    if findings["can_record"]:
        print("Recording can work here.")
    else:
        print(f"Recording cannot work here: {findings['reason']}")
