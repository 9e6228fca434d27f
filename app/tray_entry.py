"""Starting the tray app from the command line: checks that come before Qt is loaded."""

from __future__ import annotations

import argparse

from app.cli_support import CliError
from recorder.environment import detect_display_server


def run_tray(args: argparse.Namespace) -> int:
    """Start the tray app, or say in one sentence why it cannot start here."""
    server = detect_display_server()
    if server == "none":
        raise CliError(
            "No display to show Overt on (DISPLAY is not set); "
            "try `make demo` for a tour on a virtual display."
        )
    from app.tray import run_tray_app  # Qt is imported only now

    return run_tray_app(args)
