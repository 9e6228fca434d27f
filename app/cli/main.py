"""The `overt` command: parses arguments, runs one sub-command, turns errors into one sentence.

Sub-commands live in ``app.cli.commands.*``; each module exposes ``register(subparsers, common)``.
With no command, app/main.py (the `overt` entry point) starts the tray instead.
Errors that are the environment's or the person's (bad input, wrong passphrase, a corrupt
file) print one sentence to stderr and exit non-zero; anything else is a bug, which prints a
one-sentence pointer to ``--debug`` rather than a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Callable, Sequence

from app.cli import commands
from app.cli.support import CliError
from app.core.version import overt_version

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def _expected_errors() -> tuple[type[BaseException], ...]:
    """Error classes whose message is meant for the person (imported lazily, if present)."""
    found: list[type[BaseException]] = [CliError]
    for module_name, class_name in (
        ("storage.errors", "StorageError"),
        ("recorder.errors", "RecorderError"),
    ):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        found.append(getattr(module, class_name))
    return tuple(found)


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in one sentence (exit 2), not a usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"overt: {message[0].upper()}{message[1:]}. See '{self.prog} --help'.\n")
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every sub-command module registered."""
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS keeps a value given before the sub-command from being reset by its parser.
    common.add_argument(
        "--home",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="vault folder (default: $OVERT_HOME or the platform's data folder)",
    )
    common.add_argument(
        "--passphrase-file",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="read the passphrase from FILE (default: $OVERT_PASSPHRASE_FILE, else ask)",
    )
    common.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show tracebacks for unexpected errors",
    )
    parser = _Parser(
        prog="overt",
        description="Overt: an opt-in, local, encrypted interaction recorder. "
        "With no command, starts the tray app.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"overt {overt_version()}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)
    for module_info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{module_info.name}")
        module.register(subparsers, common)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    without_command: Callable[[argparse.Namespace], int] | None = None,
) -> int:
    """Run one sub-command; returns the exit status.

    Args:
        argv: the arguments (None: the process's).
        without_command: what runs when no command is given (app/main.py starts the tray);
            None makes a missing command a usage error.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    debug = getattr(args, "debug", False)
    func = getattr(args, "func", None)
    if func is None and without_command is None:
        parser.error("a command is needed")
    try:
        if func is None:
            assert without_command is not None
            return int(without_command(args))
        return int(func(args) or 0)
    except KeyboardInterrupt:
        sys.stderr.write("overt: Interrupted.\n")
        return EXIT_INTERRUPTED
    except _expected_errors() as error:
        if debug:
            raise
        sys.stderr.write(f"overt: {error}\n")
        return EXIT_ERROR
    except Exception as error:
        if debug:
            raise
        sys.stderr.write(
            f"overt: Unexpected internal error ({type(error).__name__}); "
            "run again with --debug to see the details.\n"
        )
        return EXIT_ERROR
