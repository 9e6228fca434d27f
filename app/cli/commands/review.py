"""`overt redact | approve | withdraw`: review decisions from the command line.

Thin adapters over the vault: each change is applied irrecoverably by storage and logged there
(what kind, where, when; never the content).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.support import CliError, confirm, read_passphrase, vault_home
from app.core import withdrawal
from storage import Vault


def parse_span(text: str, what: str) -> range:
    """ "A..B" (both included) or "N" as a range."""
    if not text.strip():
        raise CliError(f"{what} must be a number or a span like 10..20, not empty.")
    try:
        if ".." in text:
            first, last = (int(part) for part in text.split("..", 1))
        else:
            first = last = int(text)
    except ValueError:
        raise CliError(f"{what} must be a number or a span like 10..20, not {text!r}.") from None
    if first < 0 or last < first:
        raise CliError(f"{what} {text!r} is not a span from a smaller to a larger number.")
    return range(first, last + 1)


def parse_region(text: str) -> tuple[int, int, int, int]:
    if not text.strip():
        raise CliError("A region is X,Y,W,H in pixels, not empty.")
    try:
        x, y, w, h = (int(part) for part in text.split(","))
    except ValueError:
        raise CliError(f"A region is X,Y,W,H in pixels, not {text!r}.") from None
    if w <= 0 or h <= 0 or x < 0 or y < 0:
        raise CliError(f"The region {text!r} must have a positive width and height.")
    return (x, y, w, h)


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "redact",
        parents=[common],
        help="irrecoverably remove text, a region or events",
        description="Remove part of a session irrecoverably: the original cannot be decrypted "
        "afterwards, even from copies of the old files.",
    )
    p.add_argument("id", metavar="ID")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--text", metavar="STR", help="every occurrence of this typed text")
    what.add_argument("--region", metavar="X,Y,W,H", help="a solid fill over this region")
    what.add_argument("--events", metavar="A..B", help="these events (and actions built on them)")
    what.add_argument("--titles", metavar="A..B", nargs="?", const="all",
                      help="window titles (of events A..B, or all)")  # fmt: skip
    p.add_argument("--frames", metavar="A..B", help="with --region: only these frames")
    p.set_defaults(func=run_redact)

    p = subparsers.add_parser("approve", parents=[common], help="mark a session reviewed")
    p.add_argument("id", metavar="ID")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=run_approve)

    p = subparsers.add_parser(
        "withdraw",
        parents=[common],
        help="delete sessions and write a withdrawal receipt",
        description="Delete a session (or every session of a study) irrecoverably and write a "
        "withdrawal receipt to send to the researcher.",
    )
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("id", metavar="ID", nargs="?")
    target.add_argument("--study", metavar="S", help="every session of study S")
    p.add_argument("--out", type=Path, default=None,
                   help="folder for the receipts (default: VAULT/receipts)")  # fmt: skip
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=run_withdraw)


def run_redact(args: argparse.Namespace) -> int:
    if args.frames is not None and args.region is None:
        raise CliError("--frames goes with --region.")
    vault = Vault.open(vault_home(args))
    vault.session(args.id)  # SessionNotFound before asking for a passphrase
    unlocked = vault.unlock(read_passphrase(args))
    if args.text is not None:
        if not args.text:
            raise CliError("The text to redact must not be empty.")
        count = unlocked.redact_text(args.id, args.text)
        print(f"Removed {count} occurrence(s) of the text from session {args.id}.")
    elif args.region is not None:
        region = parse_region(args.region)
        frames = None
        if args.frames is not None:  # an empty --frames must never mean "every frame"
            frames = parse_span(args.frames, "--frames")
            held = len(unlocked.open_session(args.id).frames())
            if frames.stop > held:
                raise CliError(
                    f"Session {args.id} has {held} frame(s), numbered from 0; --frames "
                    f"{args.frames[:40]} goes past the last one."
                )
        count = unlocked.redact_region(args.id, region, frames)
        print(f"Filled the region in {count} frame(s) of session {args.id}.")
    elif args.events is not None:
        count = unlocked.redact_events(args.id, parse_span(args.events, "--events"))
        print(f"Removed {count} event(s) from session {args.id}.")
    else:
        span = None if args.titles == "all" else parse_span(args.titles, "--titles")
        count = unlocked.redact_window_titles(args.id, span)
        print(f"Removed {count} window title(s) from session {args.id}.")
    return 0


def run_approve(args: argparse.Namespace) -> int:
    vault = Vault.open(vault_home(args))
    vault.session(args.id)
    unlocked = vault.unlock(read_passphrase(args))
    reader = unlocked.open_session(args.id)
    summary = reader.summary
    apps: set[str] = set()
    typed: list[str] = []
    for event in reader.events():
        if event.get("kind") == "window" and event.get("app"):
            apps.add(event["app"])
    for action in reader.actions():
        if action.get("kind") == "type" and action.get("text"):
            typed.append(action["text"])
    text = " ".join(typed)
    print(f"Session {args.id} will be exportable with:")
    print(f"  {summary.events} events, {summary.actions} actions, {summary.frames} frames")
    print(f"  apps: {', '.join(sorted(apps)) or 'none recorded'}")
    print(f"  typed text: {text[:200] + ('...' if len(text) > 200 else '') or 'none'}")
    confirm("Approve it?", assume_yes=args.yes)
    unlocked.approve(args.id)
    print(f"Approved session {args.id}; it can now be exported.")
    return 0


def run_withdraw(args: argparse.Namespace) -> int:
    home = vault_home(args)
    vault = Vault.open(home)
    unlocked = vault.unlock(read_passphrase(args))
    if args.study:
        targets = [
            (s.id, s.consent)
            for s in withdrawal.list_sessions(unlocked, strict=True)
            if s.study_id == args.study
        ]
        if not targets:
            raise CliError(f"No session in this vault belongs to study {args.study!r}.")
    else:
        vault.session(args.id)
        targets = [(args.id, unlocked.open_session(args.id).consent)]
    ids = ", ".join(session_id for session_id, _ in targets)
    confirm(f"Delete {len(targets)} session(s) irrecoverably ({ids})?", assume_yes=args.yes)
    out_dir = args.out or withdrawal.receipt_dir(home)
    if out_dir.exists() and not out_dir.is_dir():
        raise CliError(f"{out_dir} is not a folder; choose a folder for the receipts.")
    for session_id, consent in targets:
        try:
            path = withdrawal.withdraw_session(unlocked, session_id, out_dir, consent=consent)
        except OSError as error:
            raise CliError(
                f"The receipt for session {session_id} could not be written in {out_dir} "
                f"({error.strerror or error}); it was not deleted."
            ) from None
        print(f"Deleted session {session_id}; receipt: {path}")
    return 0
