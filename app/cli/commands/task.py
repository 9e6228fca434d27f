"""`overt task`: mark tasks on the running recording, or change a recorded session's tasks.

``overt task mark done|failed|abandoned`` and ``overt task new "instruction"`` reach the
``overt record`` process through app/core/task_control.py (named pipes in the vault; no
network). ``overt task ID add|edit|outcome|split|merge|delete ...`` builds a new list with
storage/episodes.py and hands it to ``UnlockedVault.set_episodes``, which checks it whole:
on bad input nothing stored changes.
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.support import CliError, read_passphrase, vault_home
from app.core import task_control
from storage import Vault
from storage import episodes as eps

MARKS = {"done": "success", "failed": "failure", "abandoned": "abandoned"}
OUTCOMES = {"success": "success", "failure": "failure", "abandoned": "abandoned", "none": None}
USAGE = (
    "overt task mark done|failed|abandoned | overt task new INSTRUCTION [--study-task ID] | "
    "overt task SESSION add|edit|outcome|split|merge|delete ..."
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise CliError(f"{message[0].upper()}{message[1:]}; usage: {self.usage or self.prog}.")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "task",
        parents=[common],
        help="mark tasks while recording, or change a session's tasks",
        description='While `overt record` runs: `overt task new "Book a train"`, '
        "`overt task mark done` (or failed, abandoned). For a recorded session: "
        "`overt task ID add INSTRUCTION --start S --end S`, `edit EPISODE [--instruction T] "
        "[--note T]`, `outcome EPISODE success|failure|abandoned|none`, `split EPISODE AT`, "
        "`merge EPISODE OTHER`, `delete EPISODE` (times in seconds since the session start).",
        usage=USAGE,
    )
    p.add_argument("target", metavar="mark|new|SESSION")
    p.add_argument("words", nargs=argparse.REMAINDER)
    p.set_defaults(func=run_task, _common=common)


def run_task(args: argparse.Namespace) -> int:
    if args.target in ("mark", "new"):
        return _live(args)
    return _change(args)


def _inner(prog: str, common: argparse.ArgumentParser) -> _Parser:
    return _Parser(prog=f"overt task {prog}", parents=[common], add_help=False)


def _live(args: argparse.Namespace) -> int:
    """Act on the recording running into this vault."""
    common = args._common
    if args.target == "mark":
        p = _inner("mark", common)
        p.add_argument("mark", choices=sorted(MARKS))
        p.parse_args(args.words, namespace=args)
        request: dict[str, Any] = {"op": "mark", "outcome": MARKS[args.mark]}
    else:
        p = _inner("new", common)
        p.add_argument("instruction")
        p.add_argument("--study-task", metavar="ID", default=None)
        p.parse_args(args.words, namespace=args)
        _check_instruction(args.instruction)
        request = {"op": "new", "instruction": args.instruction, "study_task_id": args.study_task}
    try:
        reply = task_control.send(vault_home(args), request)
    except task_control.ControlError as error:
        raise CliError(str(error)) from None
    if not reply.get("ok"):
        raise CliError(str(reply.get("message") or "The recording refused the request."))
    print(reply.get("message", "Done."))
    return 0


def _check_instruction(text: str) -> None:
    if len(text) > eps.MAX_INSTRUCTION:
        raise CliError(
            f"The instruction is {len(text)} characters; the limit is {eps.MAX_INSTRUCTION}."
        )


def _change(args: argparse.Namespace) -> int:
    """Change a recorded session's tasks: one whole new list, checked before it is stored."""
    if not args.words:
        raise CliError(f"Say what to do with session {args.target}'s tasks; usage: {USAGE}.")
    action, rest = args.words[0], args.words[1:]
    p = _inner(f"SESSION {action}", args._common)
    if action == "add":
        p.add_argument("instruction")
        p.add_argument("--start", type=float, required=True)
        p.add_argument("--end", type=float, required=True)
        p.add_argument("--outcome", choices=sorted(OUTCOMES), default="none")
        p.add_argument("--note", default="")
        p.add_argument("--study-task", metavar="ID", default=None)
    elif action == "edit":
        p.add_argument("episode")
        p.add_argument("--instruction", default=None)
        p.add_argument("--note", default=None)
        p.add_argument("--start", type=float, default=None)
        p.add_argument("--end", type=float, default=None)
    elif action == "outcome":
        p.add_argument("episode")
        p.add_argument("outcome", choices=sorted(OUTCOMES))
    elif action == "split":
        p.add_argument("episode")
        p.add_argument("at", type=float)
    elif action == "merge":
        p.add_argument("episode")
        p.add_argument("other")
    elif action == "delete":
        p.add_argument("episode")
    else:
        raise CliError(f"There is no task action {action!r}; usage: {USAGE}.")
    p.parse_args(rest, namespace=args)
    vault = Vault.open(vault_home(args))
    vault.session(args.target)  # SessionNotFound before asking for the passphrase
    unlocked = vault.unlock(read_passphrase(args))
    current = unlocked.open_session(args.target).episodes()
    new = _edited(action, current, args)
    count = unlocked.set_episodes(args.target, new)
    print(f"Session {args.target} now has {count} task(s).")
    return 0


def _edited(action: str, current: list[Any], args: argparse.Namespace) -> list[dict[str, Any]]:
    if action == "add":
        _check_instruction(args.instruction)
        return eps.add(
            current,
            args.instruction,
            args.start,
            args.end,
            outcome=OUTCOMES[args.outcome],
            note=args.note,
            study_task_id=args.study_task,
        )
    if action == "edit":
        if args.instruction is not None:
            _check_instruction(args.instruction)
        new = eps.edit(current, args.episode, instruction=args.instruction, note=args.note)
        if args.start is not None or args.end is not None:
            ep = next(e for e in new if e["id"] == args.episode)
            start = ep["t_start"] if args.start is None else args.start
            end = ep["t_end"] if args.end is None else args.end
            new = eps.move(new, args.episode, start, end)
        return new
    if action == "outcome":
        return eps.edit(current, args.episode, outcome=OUTCOMES[args.outcome])
    if action == "split":
        return eps.split(current, args.episode, args.at)
    if action == "merge":
        return eps.merge(current, args.episode, args.other)
    return eps.remove(current, args.episode)
