"""The `overt` program: a command runs from app/cli; with none, the tray app starts (app/tray).

The only module that knows both: the CLI never imports the tray, nor the tray the CLI.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from app.cli import main as cli
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
    home = vault_home(args)
    from app.tray.start import run_tray_app  # Qt is imported only now

    return run_tray_app(home)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `overt` console script; returns the exit status."""
    return cli.main(argv, without_command=run_tray)


if __name__ == "__main__":
    sys.exit(main())
