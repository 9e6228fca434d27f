"""`overt collect`: verify exports and merge them into a sharded dataset (researcher side)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.support import CliError

EXIT_REJECTED = 1


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "collect",
        parents=[common],
        help="merge exports into a sharded dataset, honouring withdrawal receipts",
        description="Verify exports (folder, zip or age-encrypted) and withdrawal receipts, "
        "and add what is new to the dataset in --out. Exits 1 when any input was rejected.",
    )
    parser.add_argument("inputs", nargs="+", metavar="IN", help="exports and receipts (.json)")
    parser.add_argument("--out", required=True, metavar="DIR", help="the dataset folder")
    parser.add_argument(
        "--identity", metavar="FILE", help="age identity file for encrypted exports"
    )
    parser.add_argument(
        "--shard-mb", type=int, default=256, metavar="N", help="shard size bound (default 256)"
    )
    parser.add_argument(
        "--shared",
        action="store_true",
        help="files 0644 and folders 0755, readable by other accounts on this computer "
        "(default: 0600 / 0700, only you)",
    )
    parser.set_defaults(func=run_collect)


def _progress(name: str, done: int, total: int) -> None:
    sys.stderr.write(f"Checked {done}/{total}: {name}\n")


def run_collect(args: argparse.Namespace) -> int:
    from storage.export.age import read_identities
    from storage.export.collect import collect

    identities: list[Any] = []
    if args.identity:
        try:
            identities = read_identities(Path(args.identity).expanduser())
        except OSError as error:
            why = error.strerror or "it cannot be opened"
            raise CliError(
                f"The identity file {args.identity} cannot be read: {why.lower()}."
            ) from None
        except ValueError as error:
            raise CliError(f"The identity file {args.identity} {error}.") from None
        if not identities:
            raise CliError(f"The identity file {args.identity} holds no age identity.")
    missing = [p for p in args.inputs if not Path(p).exists()]
    if missing:
        raise CliError(f"{missing[0]} does not exist.")
    odd = [p for p in args.inputs if not (Path(p).is_file() or Path(p).is_dir())]
    if odd:  # a device or a pipe (/dev/zero) would be read for ever
        raise CliError(f"{odd[0]} is not a file or a folder; give exports and receipts.")
    report = collect(
        [Path(p) for p in args.inputs],
        Path(args.out),
        identities=identities,
        shard_bytes=args.shard_mb * 1024 * 1024,
        progress=_progress,
        shared=args.shared,
    )
    for line in report.lines():
        print(line)
    return EXIT_REJECTED if report.rejected else 0
