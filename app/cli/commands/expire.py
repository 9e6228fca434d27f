"""`overt expire`: delete, irrecoverably, the sessions past the retention their consent set."""

from __future__ import annotations

import argparse
import time
from typing import Any

from app.cli.support import vault_home
from storage import Vault


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "expire", parents=[common], help="delete sessions past their retention",
        description="Delete, irrecoverably, every session whose consent's retention has "
        "passed. Needs no passphrase: the expiry is in the index.",
    )  # fmt: skip
    p.add_argument("--dry-run", action="store_true", help="only list what would be deleted")
    p.set_defaults(func=run_expire)


def run_expire(args: argparse.Namespace) -> int:
    vault = Vault.open(vault_home(args))
    now = time.time()
    due = vault.expired(now)
    if not due:
        print("No session is past its retention.")
        return 0
    if args.dry_run:
        for summary in due:
            print(f"would delete {summary.id} (expired {time.ctime(summary.expires or now)})")
        return 0
    for session_id in vault.expire(now):
        print(f"Deleted {session_id}: past the retention its consent set.")
    return 0
