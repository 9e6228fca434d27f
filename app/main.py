"""Starting the tray app from the command line: checks that come before Qt is loaded."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.support import CliError, vault_home
from recorder.platform.environment import detect_display_server

#: The source checkout, when Overt runs from one (then `make demo` exists).
CHECKOUT = Path(__file__).resolve().parents[1]


def run_tray(args: argparse.Namespace) -> int:
    """Start the tray app, or say in one sentence why it cannot start here."""
    server = detect_display_server()
    if server == "none":
        hint = (
            "; try `make demo` for a tour on a virtual display"
            if (CHECKOUT / "Makefile").exists()
            else ""
        )
        raise CliError(f"No display to show Overt on (DISPLAY is not set){hint}.")
    from app.tray.start import run_tray_app  # Qt is imported only now

    return run_tray_app(vault_home(args))
