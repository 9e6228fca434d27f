"""`overt record`: record one session headlessly, after explicit consent, until stopped."""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from app.cli.support import CliError, vault_home
from app.core.version import overt_version
from recorder.capture.policy import parse_hotkey
from recorder.consent.participant import participant_id
from recorder.consent.record import (
    DEFAULT_DENY_APPS,
    DEFAULT_PAUSE_HOTKEY,
    ConsentScope,
    draft_consent,
    narrow_to_study,
)
from recorder.consent.study import Study, load_study
from recorder.consent.text import STATEMENTS, affirm, render_text
from recorder.errors import CaptureUnavailable, RecorderError
from recorder.platform.environment import detect_display_server, refusal_reason
from storage.format.records import TEXT_MODES

SinkFactory = Callable[[dict[str, Any]], Any]

NO_CONSENT = (
    "Recording needs your consent: answer yes at the prompt, or pass --i-consent to confirm "
    "you agree to record this session (nothing was recorded)."
)
DECLINED = "You did not type yes, so nothing was recorded."


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "record",
        parents=[common],
        help="record one session, after your consent",
        description="Record mouse, keyboard, windows and frames of this desktop session into "
        "the vault, encrypted, until the duration, Ctrl+C or SIGTERM. Nothing is recorded "
        "until you type yes after reading what it captures, or pass --i-consent.",
    )
    parser.add_argument(
        "--i-consent",
        action="store_true",
        help="I agree to record this session with the scope given by the other flags",
    )
    parser.add_argument("--study", metavar="FILE", help="join a study's session scope")
    parser.add_argument("--apps", metavar="A,B", help="record only these apps (WM_CLASS)")
    parser.add_argument(
        "--deny", metavar="A,B", help="never record these apps (added to the built-in list)"
    )
    parser.add_argument("--duration", metavar="S", type=float, help="stop after S seconds")
    parser.add_argument(
        "--text", choices=TEXT_MODES, default="full", help="typed text: full, keys or none"
    )
    parser.add_argument("--fps", type=float, default=1.0, help="periodic frames/s (default 1)")
    parser.add_argument("--no-frames", action="store_true", help="record no screenshots")
    parser.add_argument("--no-titles", action="store_true", help="record no window titles")
    parser.add_argument("--no-mouse", action="store_true", help="record no pointer input")
    parser.add_argument("--raw-moves", action="store_true", help="keep every pointer move")
    parser.add_argument("--idle-stop", metavar="S", type=float, help="stop after S s idle")
    parser.add_argument(
        "--pause-hotkey",
        default=DEFAULT_PAUSE_HOTKEY,
        help=f"pause/resume chord (default {DEFAULT_PAUSE_HOTKEY})",
    )
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.set_defaults(func=run_record)


def _names(value: str | None) -> tuple[str, ...]:
    return tuple(n.strip() for n in (value or "").split(",") if n.strip())


def scope_from_args(args: argparse.Namespace) -> ConsentScope:
    """The consent scope the flags describe.

    Raises:
        CliError: a flag value is out of range.
    """
    try:
        parse_hotkey(args.pause_hotkey)
    except ValueError as error:
        raise CliError(f"The pause hotkey is not valid: {error}.") from None
    if args.idle_stop is not None and args.idle_stop <= 0:
        raise CliError("The idle stop must be a positive number of seconds.")
    try:
        return ConsentScope(
            mouse=not args.no_mouse,
            keys=args.text != "none",
            text_mode=args.text,
            frames=not args.no_frames,
            fps=args.fps,
            window_titles=not args.no_titles,
            apps_allow=_names(args.apps),
            apps_deny=DEFAULT_DENY_APPS + _names(args.deny),
            duration_s=args.duration,
            idle_stop_s=args.idle_stop,
            move_hz=None if args.raw_moves else 60.0,
            pause_hotkey=args.pause_hotkey,
        )
    except RecorderError as error:
        raise CliError(str(error)) from None


def check_can_record(args: argparse.Namespace) -> tuple[ConsentScope, Study | None]:
    """Every refusal that needs no vault: consent, study, display server, flag values.

    Returns:
        The scope to record (a study's request narrowed by the flags) and the study, if any.
    """
    if not args.i_consent and not sys.stdin.isatty():
        raise CliError(NO_CONSENT)
    study = load_study(Path(args.study)) if args.study else None
    reason = refusal_reason(detect_display_server())
    if reason is not None:
        raise CaptureUnavailable(reason)
    scope = scope_from_args(args)
    if study is not None:
        try:
            scope = narrow_to_study(study.capture, scope)
        except RecorderError as error:
            raise CliError(str(error)) from None
    return scope, study


def affirmed_consent(
    args: argparse.Namespace, scope: ConsentScope, study: Study | None, home: Path
) -> dict[str, Any]:
    """The consent record, affirmed by --i-consent or by typing yes after reading its text.

    Raises:
        CliError: the person did not type yes (nothing is recorded).
    """
    draft = draft_consent(
        scope,
        participant_id=participant_id(home, study.id if study else None),
        study=study.to_record() if study else None,
        app_version=overt_version(),
    )
    statements = [statement_id for statement_id, _ in STATEMENTS]
    if args.i_consent:
        return affirm(draft, statements=statements, action="--i-consent flag")
    sys.stdout.write(render_text(draft))
    sys.stdout.write("Type yes to record this session with the statements above: ")
    sys.stdout.flush()
    try:
        answer = input()
    except (EOFError, KeyboardInterrupt):
        answer = ""
    if answer.strip().lower() != "yes":
        raise CliError(DECLINED)
    return affirm(draft, statements=statements, action="typed 'yes' at the CLI prompt")


def vault_sink_factory(home: Path) -> tuple[SinkFactory, Any]:
    """Opens the vault; returns how to begin a session in it, and the vault.

    Raises:
        CliError: there is no vault, or this build has no storage package.
    """
    if not home.is_dir() or not any(home.iterdir()):
        raise CliError(f"There is no vault at {home}; create one with `overt init` first.")
    try:
        from storage.vault import Vault
    except ImportError:
        raise CliError("This build of Overt has no storage package, so it cannot record.") from None
    vault = Vault.open(home)
    return vault.begin_session, vault


def run_record(args: argparse.Namespace, *, sink_factory: SinkFactory | None = None) -> int:
    scope, study = check_can_record(args)
    vault = None
    home = vault_home(args)
    if sink_factory is None:
        sink_factory, vault = vault_sink_factory(home)
    consent = affirmed_consent(args, scope, study, home)
    from recorder.platform.backend import default_backend
    from recorder.session import Recorder

    recorder = Recorder(consent, default_backend())
    session_id = recorder.start(sink_factory)
    previous = _on_signals(lambda *_: recorder.request_stop("signal"))
    try:
        print(f"Recording session {session_id}; stop with Ctrl+C.", flush=True)
        reason = recorder.wait()
    except BaseException:
        recorder.stop("error")
        raise
    finally:
        _restore_signals(previous)
    summary = recorder.stop(reason).to_dict()
    if recorder.failure is not None:
        # the sink's own error (a full disk...) is the one sentence the person needs
        raise recorder.failure
    summary["bytes"] = _session_bytes(vault, recorder.sink, session_id)
    if args.json:
        print(json.dumps(summary))
    else:
        print(
            f"Stopped ({reason}) after {summary['duration_s']:.1f} s: {summary['events']} events, "
            f"{summary['actions']} actions, {summary['frames']} frames, {summary['drops']} drops, "
            f"{summary['bytes'] if summary['bytes'] is not None else 'unknown'} bytes."
        )
    return 1 if reason == "failed" else 0


Handler = Callable[[int, FrameType | None], Any] | int | None


def _on_signals(handler: Callable[..., Any]) -> dict[int, Handler]:
    previous: dict[int, Handler] = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        previous[signum] = signal.signal(signum, handler)
    return previous


def _restore_signals(previous: dict[int, Handler]) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


def _session_bytes(vault: Any, sink: Any, session_id: str) -> int | None:
    try:
        if vault is not None:
            return int(vault.session(session_id).bytes)
        return int(sink.bytes)
    except Exception:  # noqa: BLE001 - the size is a nicety in the summary
        return None
