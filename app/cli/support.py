"""What every `overt` sub-command shares: where the vault lives, reading a passphrase, errors."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path


class CliError(Exception):
    """A problem with what the person asked for; ``str()`` is one sentence for stderr."""


def vault_home(args: argparse.Namespace) -> Path:
    """The vault folder: ``--home``, else ``OVERT_HOME``, else the folder chosen in Settings
    (app/core/vault_location.py), else the platform's data folder.

    Raises:
        CliError: the storage location file cannot be used (Overt cannot know where the vault
            is, so it guesses nowhere).
    """
    home = getattr(args, "home", None) or os.environ.get("OVERT_HOME")
    if home:
        return Path(home).expanduser()
    # imported here: they pull in storage and cryptography, which `overt --help` does not need
    from app.core.settings import SettingsError
    from app.core.vault_location import configured_home

    try:
        return configured_home()
    except SettingsError as error:
        raise CliError(str(error)) from None


#: Far above any passphrase; a file past it (or endless, like /dev/zero) is refused unread.
SECRET_FILE_LIMIT = 64 * 1024


def _read_secret_file(path: str, what: str) -> bytes:
    try:
        with Path(path).expanduser().open("rb") as f:
            data = f.read(SECRET_FILE_LIMIT + 1)
    except FileNotFoundError:
        raise CliError(f"The {what} file {path} does not exist.") from None
    except OSError as error:
        raise CliError(f"The {what} file {path} cannot be read: {error.strerror}.") from None
    if len(data) > SECRET_FILE_LIMIT:
        raise CliError(f"The {what} file {path} is far too large to hold a passphrase.")
    if data.endswith(b"\r\n"):
        data = data[:-2]
    elif data.endswith(b"\n"):
        data = data[:-1]
    if not data:
        raise CliError(f"The {what} file {path} is empty.")
    return data


def _prompt(prompt: str) -> bytes:
    try:
        return getpass.getpass(prompt).encode("utf-8")
    except (EOFError, KeyboardInterrupt):
        raise CliError("No passphrase was entered.") from None


def read_passphrase(
    args: argparse.Namespace, *, confirm: bool = False, prompt: str = "Passphrase: "
) -> bytes:
    """The passphrase from ``--passphrase-file`` / ``OVERT_PASSPHRASE_FILE``, else a prompt.

    Args:
        args: parsed arguments (``passphrase_file`` may be None).
        confirm: ask twice when prompting (for a new passphrase).
        prompt: the prompt text.

    Raises:
        CliError: no file and no terminal to ask on, an unreadable file, or a mismatch.
    """
    path = getattr(args, "passphrase_file", None) or os.environ.get("OVERT_PASSPHRASE_FILE")
    if path:
        return _read_secret_file(path, "passphrase")
    if not sys.stdin.isatty():
        raise CliError(
            "A passphrase is needed: pass --passphrase-file FILE or set OVERT_PASSPHRASE_FILE."
        )
    first = _prompt(prompt)
    if not first:
        raise CliError("The passphrase cannot be empty.")
    if confirm and _prompt("Again: ") != first:
        raise CliError("The two passphrases differ; nothing was changed.")
    return first


def read_new_passphrase(args: argparse.Namespace) -> bytes:
    """The new passphrase for ``passwd``: ``--new-passphrase-file``, else asked twice."""
    path = getattr(args, "new_passphrase_file", None)
    if path:
        return _read_secret_file(path, "new passphrase")
    if not sys.stdin.isatty():
        raise CliError("A new passphrase is needed: pass --new-passphrase-file FILE.")
    first = _prompt("New passphrase: ")
    if not first:
        raise CliError("The passphrase cannot be empty.")
    if _prompt("Again: ") != first:
        raise CliError("The two passphrases differ; nothing was changed.")
    return first


def confirm(question: str, *, assume_yes: bool) -> None:
    """Ask y/N on a terminal before something irreversible; refuse when nobody can answer.

    Args:
        question: the question, without the "[y/N]".
        assume_yes: the person passed --yes.

    Raises:
        CliError: the answer was not yes, or there is no terminal and no --yes.
    """
    if assume_yes:
        return
    if not sys.stdin.isatty():
        raise CliError("Refusing to go on without confirmation: pass --yes.")
    try:
        answer = input(f"{question} [y/N] ")
    except (EOFError, KeyboardInterrupt):
        answer = ""
    if answer.strip().lower() not in ("y", "yes"):
        raise CliError("Nothing was changed.")
