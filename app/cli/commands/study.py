"""`overt study new|show`: the researcher's side of a study file, and its facts in plain words."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from app.cli.support import CliError
from app.core.studies import study_facts
from recorder.consent.study import CaptureRequest, Study, load_study, parse_study, study_to_toml


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "study",
        parents=[common],
        help="researcher side: write or show a study file",
        description="Write a study file and its key pair, or show what a study file asks for.",
    )
    actions = parser.add_subparsers(title="study commands", metavar="ACTION", required=True)
    new = actions.add_parser(
        "new",
        parents=[common],
        help="write a study file and the researcher's identity file",
        description="Write a study file (give it to volunteers) and, separately, the private "
        "identity file that decrypts their exports (keep it to yourself).",
    )
    new.add_argument("--out", required=True, type=Path, help="the study file to write (.toml)")
    new.add_argument(
        "--identity-out",
        required=True,
        type=Path,
        help="where to write the private age identity (never share it)",
    )
    new.add_argument("--id", dest="study_id", required=True, help="short id, e.g. uxlab-forms")
    new.add_argument("--title", required=True)
    new.add_argument("--researcher", required=True, help="researcher or data controller")
    new.add_argument("--contact", required=True, help="email or web address")
    new.add_argument(
        "--purpose",
        action="append",
        required=True,
        dest="purposes",
        help="what the data is for (repeat for several)",
    )
    new.add_argument("--ethics-ref", default="", help="ethics board / IRB reference")
    new.add_argument("--complaints", default="", help="where participants can complain")
    new.add_argument("--retention-days", type=int, default=30)
    new.add_argument("--after-export", default="")
    new.add_argument("--text", choices=("full", "keys", "none"), default="full")
    new.add_argument("--fps", type=float, default=1.0)
    new.add_argument("--no-frames", action="store_true")
    new.add_argument("--no-titles", action="store_true")
    new.add_argument("--apps", default="", help="comma-separated apps in scope (default: all)")
    new.add_argument("--deny", default="", help="comma-separated apps never recorded")
    new.add_argument("--max-duration", type=float, default=None, help="seconds per session")
    new.set_defaults(func=run_new)
    show = actions.add_parser("show", parents=[common], help="validate and summarise a study file")
    show.add_argument("file", type=Path)
    show.set_defaults(func=run_show)


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def run_new(args: argparse.Namespace) -> int:
    import pyrage

    for path in (args.out, args.identity_out):
        if path.exists():
            raise CliError(f"{path} already exists; choose another name (nothing was written).")
    identity = pyrage.x25519.Identity.generate()
    study = Study(
        id=args.study_id, title=args.title, researcher=args.researcher, contact=args.contact,
        recipient=str(identity.to_public()), purposes=tuple(args.purposes),
        ethics_ref=args.ethics_ref, complaints=args.complaints,
        retention_days=args.retention_days, after_export=args.after_export,
        capture=CaptureRequest(
            text_mode=args.text, keys=args.text != "none", frame_rate=args.fps,
            frames=not args.no_frames, window_titles=not args.no_titles,
            apps_allow=_split(args.apps), apps_deny=_split(args.deny),
            max_duration_s=args.max_duration,
        ),
    )  # fmt: skip
    text = study_to_toml(study)
    import tomllib

    parse_study(tomllib.loads(text), str(args.out))  # the file we write must load back
    fd = os.open(args.identity_out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"# Overt study {study.id}: decrypts volunteers' exports. Keep private.\n")
        handle.write(f"# public key: {study.recipient}\n{identity}\n")
    args.out.write_text(text, encoding="utf-8")
    print(f"Wrote the study file {args.out} (give it to volunteers).")
    print(f"Wrote the private identity {args.identity_out} (keep it; it decrypts exports).")
    return 0


def run_show(args: argparse.Namespace) -> int:
    """Print what the study asks, in the words a volunteer reads in Studies…, and its full key.

    The researcher checks the key against the identity file `overt study new` wrote; the
    volunteer's dialog shortens it.
    """
    study = load_study(args.file)
    lines = [f"{label}: {text}" for label, text in study_facts(study)]
    lines.append(f"Exports are encrypted to: {study.recipient}")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
