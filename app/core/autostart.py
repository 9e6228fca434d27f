"""Start the tray (never capture) at login: an autostart entry, off until Settings enables it."""

from __future__ import annotations

import os
import shutil
import sys
from importlib.resources import files
from pathlib import Path

from storage.format.files import write_atomic

NAME = "overt-autostart.desktop"


def autostart_path() -> Path:
    """Where the desktop looks for autostart entries ($XDG_CONFIG_HOME/autostart)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "autostart" / NAME


def overt_command() -> str:
    """The command that starts Overt: the bundle's executable, or `overt` on PATH."""
    if getattr(sys, "frozen", False):
        return sys.executable
    return shutil.which("overt") or "overt"


def is_enabled() -> bool:
    return autostart_path().is_file()


def enable() -> Path:
    """Write the autostart entry (atomically). Its Exec starts the tray with no arguments.

    Raises:
        OSError: the autostart folder cannot be made.
        StorageError: the entry cannot be written (in one sentence).
    """
    template = files("app").joinpath("resources", NAME).read_text(encoding="utf-8")
    exe = overt_command()
    exec_value = f'"{exe}"' if any(c.isspace() for c in exe) else exe
    text = template.replace("\nExec=overt\n", f"\nExec={exec_value}\n")
    text = text.replace("\nTryExec=overt\n", f"\nTryExec={exe}\n")
    path = autostart_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"))
    return path


def disable() -> None:
    autostart_path().unlink(missing_ok=True)
