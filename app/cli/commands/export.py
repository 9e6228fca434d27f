"""`overt export`: write approved sessions in a research format, optionally age-encrypted."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from app.cli.support import read_passphrase, vault_home
from app.core.dismissals import dismissed_keys
from app.core.formatting import format_size


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    from storage.export import FORMATS
    from storage.export.steps import DEFAULT_SPACE, SPACES

    parser = subparsers.add_parser(
        "export",
        parents=[common],
        help="export approved sessions (folder, zip, webdataset, parquet, trajectory, agentnet)",
        description="Export approved sessions. Only what the reader returns (the redacted "
        "store) is written; nothing is written until the whole export is complete.",
    )
    parser.add_argument("ids", nargs="+", metavar="ID", help="session ids")
    parser.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
    parser.add_argument("--out", required=True, metavar="PATH", help="the new export's path")
    parser.add_argument(
        "--recipient",
        metavar="KEY",
        help="age public key (age1...) to encrypt to; study sessions default to the study's",
    )
    parser.add_argument(
        "--coords",
        choices=SPACES,
        default=DEFAULT_SPACE,
        help="coordinate space of the step formats (webdataset, parquet, trajectory, agentnet): "
        "normalized 0..1 (default), pixels of the frame, or 0-1000",
    )
    parser.add_argument(
        "--shared",
        action="store_true",
        help="files 0644 and folders 0755, readable by other accounts on this computer "
        "(default: 0600 / 0700, only you)",
    )
    parser.set_defaults(func=run_export)


class _Progress:
    """A one-line progress display on stderr, redrawn at most 10 times a second."""

    def __init__(self) -> None:
        self._tty = sys.stderr.isatty()
        self._last = 0.0

    def __call__(self, what: str, done: int, total: int) -> None:
        now = time.monotonic()
        if not self._tty or (done < total and now - self._last < 0.1):
            return
        self._last = now
        sys.stderr.write(f"\rExporting {what}: {done}/{total}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def run_export(args: argparse.Namespace) -> int:
    from storage import Vault
    from storage.export import export_sessions, preview
    from storage.export.run import check_approved, check_target

    vault = Vault.open(vault_home(args))
    unlocked = vault.unlock(read_passphrase(args))
    readers = [unlocked.open_session(session_id) for session_id in args.ids]
    check_approved(readers)
    check_target(Path(args.out), vault.home)
    shown = preview(readers, args.recipient, dismissed=dismissed_keys(vault.home, args.ids))
    for line in shown.lines():
        sys.stderr.write(line + "\n")
    if shown.unresolved:
        kinds = sorted({s.kind for s in shown.unresolved})
        sys.stderr.write(
            f"overt: Warning: {len(shown.unresolved)} possibly sensitive item(s) "
            f"({', '.join(kinds)}) were neither redacted nor dismissed.\n"
        )
    started = time.monotonic()
    manifest = export_sessions(
        readers,
        args.fmt,
        Path(args.out),
        recipient=args.recipient,
        progress=_Progress(),
        home=vault.home,
        coords=args.coords,
        shared=args.shared,
    )
    size = (
        Path(args.out).stat().st_size
        if Path(args.out).is_file()
        else sum(int(f["bytes"]) for f in manifest["files"].values())
    )
    sys.stderr.write(
        f"Exported {len(readers)} session(s) to {args.out} "
        f"({format_size(size)}, {time.monotonic() - started:.1f} s).\n"
    )
    return 0
