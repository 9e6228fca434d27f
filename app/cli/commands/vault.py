"""`overt init | sessions | show | delete | verify | passwd`: the vault's sub-commands.

Thin adapters over storage/: they parse, call the vault, print. Storage errors propagate;
the CLI framework prints their one-sentence message and exits 1.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from app.cli.support import (
    CliError,
    confirm,
    read_new_passphrase,
    read_passphrase,
    vault_home,
)
from app.core.formatting import format_duration, format_size
from app.core.session_stats import stats_lines
from storage import SessionSummary, Vault


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add the vault commands to an argparse subparsers object.

    Args:
        subparsers: from ``ArgumentParser.add_subparsers()``.
        common: parent parser with the shared options (--home, --passphrase-file).
    """
    p = subparsers.add_parser("init", parents=[common], help="create a vault")
    p.set_defaults(func=run_init)

    p = subparsers.add_parser("sessions", parents=[common], help="list sessions")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=run_sessions)

    p = subparsers.add_parser("show", parents=[common], help="one session's summary")
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--events", action="store_true", help="list its events (needs passphrase)")
    p.add_argument("--actions", action="store_true", help="list its actions (needs passphrase)")
    p.add_argument("--tasks", action="store_true", help="list its task episodes (needs passphrase)")
    p.add_argument(
        "--stats",
        action="store_true",
        help="what the recording lost and how many clicks have their UI element (needs passphrase)",
    )
    p.set_defaults(func=run_show)

    p = subparsers.add_parser("delete", parents=[common], help="irrecoverably delete a session")
    p.add_argument("id", metavar="ID")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=run_delete)

    p = subparsers.add_parser(
        "verify", parents=[common], help="check the integrity of the vault or one session"
    )
    p.add_argument("id", metavar="ID", nargs="?")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument(
        "--structure-only",
        action="store_true",
        help="check file structure only, without the passphrase",
    )
    p.set_defaults(func=run_verify)

    p = subparsers.add_parser("passwd", parents=[common], help="change the passphrase")
    p.add_argument(
        "--new-passphrase-file", metavar="FILE", help="read the new passphrase from FILE"
    )
    p.set_defaults(func=run_passwd)


def run_init(args: argparse.Namespace) -> int:
    """Create a vault."""
    home = vault_home(args)
    passphrase = read_passphrase(args, confirm=True)
    if not passphrase:
        raise CliError("The passphrase must not be empty.")
    Vault.create(home, passphrase)
    print(f"Created a vault at {home}.")
    return 0


def run_sessions(args: argparse.Namespace) -> int:
    """List sessions from the index (no passphrase needed)."""
    sessions = Vault.open(vault_home(args)).sessions()
    if args.json:
        print(json.dumps([s.to_json() for s in sessions], indent=1))
        return 0
    if not sessions:
        print("No sessions.")
        return 0
    print(
        f"{'ID':<25} {'STARTED':<17} {'DURATION':>9} {'EVENTS':>8} {'ACTIONS':>8} "
        f"{'FRAMES':>7} {'STATE':<12} {'REVIEW':<11} {'SIZE':>9}"
    )
    for s in sessions:
        print(
            f"{s.id:<25} {_when(s.started):<17} {format_duration(s.duration):>9} {s.events:>8} "
            f"{s.actions:>8} {s.frames:>7} {s.state:<12} {s.review:<11} {format_size(s.bytes):>9}"
        )
    return 0


def run_show(args: argparse.Namespace) -> int:
    """Show one session; with --events/--actions, decrypt and list them."""
    vault = Vault.open(vault_home(args))
    summary = vault.session(args.id)
    doc: dict[str, Any] = {}
    if args.events or args.actions or args.tasks or args.stats:
        reader = vault.unlock(read_passphrase(args)).open_session(args.id)
        summary = reader.summary
        if args.stats:
            doc["stats"] = reader.stats
        if args.events:
            doc["events"] = list(reader.events())
        if args.actions:
            doc["actions"] = list(reader.actions())
        if args.tasks:
            doc["tasks"] = reader.episodes()
    if args.json:
        print(json.dumps({**summary.to_json(), **doc}, indent=1, ensure_ascii=False))
        return 0
    _print_summary(summary)
    if "stats" in doc:
        print("\n".join(stats_lines(doc["stats"], summary.state)))
    if "tasks" in doc:
        print("tasks:" if doc["tasks"] else "tasks: none")
        for ep in doc["tasks"]:
            print("  " + task_line(ep))
    for kind in ("events", "actions"):
        if kind in doc:
            print(f"{kind}:")
            for rec in doc[kind]:
                print("  " + json.dumps(rec, ensure_ascii=False))
    return 0


def task_line(ep: Any) -> str:
    """One episode in a line: id, bounds, outcome, action seqs, study task, instruction."""
    end = "open" if ep["t_end"] is None else f"{ep['t_end']:.2f}"
    seqs = "no actions"
    if ep.get("start_seq") is not None:
        seqs = f"actions {ep['start_seq']}..{ep['end_seq']}"
    task = f" [study task {ep['study_task_id']}]" if ep.get("study_task_id") else ""
    text = json.dumps(ep["instruction"], ensure_ascii=False)
    note = f" note {json.dumps(ep['note'], ensure_ascii=False)}" if ep.get("note") else ""
    outcome = ep["outcome"] or "no outcome"
    return f"{ep['id']} {ep['t_start']:.2f}-{end} s, {outcome}, {seqs}{task}: {text}{note}"


def run_delete(args: argparse.Namespace) -> int:
    """Delete a session irrecoverably, after confirmation (or --yes)."""
    vault = Vault.open(vault_home(args))
    vault.session(args.id)  # SessionNotFound before asking
    confirm(f"Delete session {args.id} irrecoverably?", assume_yes=args.yes)
    vault.delete_session(args.id)
    print(f"Deleted session {args.id}.")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    """Verify every chunk; exit 1 if any session is damaged."""
    vault = Vault.open(vault_home(args))
    if args.structure_only:
        results = vault.verify(args.id)
    else:
        results = vault.verify(args.id, passphrase=read_passphrase(args))
    if args.json:
        print(json.dumps([r.to_json() for r in results], indent=1))
    else:
        for r in results:
            print(f"{r.session_id}: {r.status}")
            for where in r.where:
                print(f"  {where}")
        if not results:
            print("No sessions.")
    damaged = sum(not r.ok for r in results)
    if damaged and not args.json:
        print(f"{damaged} damaged session(s).", file=sys.stderr)
    return 1 if damaged else 0


def run_passwd(args: argparse.Namespace) -> int:
    """Change the passphrase (only the key file is rewritten)."""
    vault = Vault.open(vault_home(args))
    old = read_passphrase(args, prompt="Current passphrase: ")
    new = read_new_passphrase(args)
    if not new:
        raise CliError("The new passphrase must not be empty.")
    vault.change_passphrase(old, new)
    print("Passphrase changed.")
    return 0


def _print_summary(s: SessionSummary) -> None:
    print(f"Session   {s.id}")
    print(f"Started   {_when(s.started)}  ({format_duration(s.duration)})")
    print(f"State     {s.state}, {s.review}")
    print(f"Contents  {s.events} events, {s.actions} actions, {s.frames} frames")
    print(f"Size      {format_size(s.bytes)}")
    if s.study_id:
        print(f"Study     {s.study_id}")


def _when(ts: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ts)) if ts else "unknown"
