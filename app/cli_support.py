"""Stand-in for the CLI framework's helpers (the real module lands with app/cli.py).

Kept minimal on purpose; the storage branch only needs these four names.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

import platformdirs


class CliError(Exception):
    """A user-facing command-line error; ``str()`` is one sentence."""


def vault_home(args: argparse.Namespace) -> Path:
    """The vault folder: --home, else OVERT_HOME, else the platform's user data folder."""
    home = getattr(args, "home", None) or os.environ.get("OVERT_HOME")
    return Path(home) if home else Path(platformdirs.user_data_dir("overt"))


def _read_file(path: str | os.PathLike[str]) -> bytes:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CliError(f"Cannot read the passphrase file {path}: {exc.strerror}.") from None
    return data[:-1] if data.endswith(b"\n") else data


def read_passphrase(args: argparse.Namespace, *, confirm: bool = False,
                    prompt: str = "Passphrase: ") -> bytes:
    """The passphrase from --passphrase-file, OVERT_PASSPHRASE_FILE, or a prompt on a tty."""
    path = getattr(args, "passphrase_file", None) or os.environ.get("OVERT_PASSPHRASE_FILE")
    if path:
        return _read_file(path)
    if sys.stdin.isatty():
        first = getpass.getpass(prompt).encode()
        if confirm and getpass.getpass("Repeat passphrase: ").encode() != first:
            raise CliError("The passphrases do not match.")
        return first
    raise CliError(
        "A passphrase is needed: pass --passphrase-file FILE or set OVERT_PASSPHRASE_FILE."
    )


def read_new_passphrase(args: argparse.Namespace) -> bytes:
    """The new passphrase for passwd: --new-passphrase-file, or prompted twice on a tty."""
    path = getattr(args, "new_passphrase_file", None)
    if path:
        return _read_file(path)
    if sys.stdin.isatty():
        first = getpass.getpass("New passphrase: ").encode()
        if getpass.getpass("Repeat new passphrase: ").encode() != first:
            raise CliError("The new passphrases do not match.")
        return first
    raise CliError("A new passphrase is needed: pass --new-passphrase-file FILE.")
