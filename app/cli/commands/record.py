"""`overt record`: record one session headlessly, after explicit consent, until stopped."""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import Any

from app.cli.support import CliError, vault_home
from app.core import settings as settings_file
from app.core.consent_drafting import draft_consent
from recorder.capture.hotkey import HotkeyError, check_hotkey
from recorder.consent.record import MAX_FPS, MAX_SESSION_S, ConsentScope
from recorder.consent.study import Study, load_study
from recorder.consent.text import STATEMENTS, affirm, render_text
from recorder.errors import CaptureUnavailable, RecorderError
from recorder.platform.environment import detect_display_server, refusal_reason
from storage.episodes import MAX_INSTRUCTION
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
        "the vault, encrypted, until the duration, Ctrl+C or SIGTERM. What it captures and "
        "how long it is kept start from your Settings (as in the tray); the flags change them "
        "for this session. Nothing is recorded until you type yes after reading what it "
        "captures, or pass --i-consent.",
    )
    parser.add_argument(
        "--i-consent",
        action="store_true",
        help="I agree to record this session with the scope my Settings and the other flags give",
    )
    parser.add_argument("--study", metavar="FILE", help="join a study's session scope")
    parser.add_argument("--apps", metavar="A,B", help="record only these apps (WM_CLASS)")
    parser.add_argument(
        "--deny",
        metavar="A,B",
        help="never record these apps (added to the built-in list and your Settings' list)",
    )
    parser.add_argument("--duration", metavar="S", type=float, help="stop after S seconds")
    parser.add_argument(
        "--text", choices=TEXT_MODES, help="typed text: full, keys or none (default: Settings)"
    )
    parser.add_argument("--fps", type=float, help="periodic frames/s (default: Settings)")
    parser.add_argument("--no-frames", action="store_true", help="record no screenshots")
    parser.add_argument("--no-titles", action="store_true", help="record no window titles")
    parser.add_argument("--no-mouse", action="store_true", help="record no pointer input")
    parser.add_argument("--raw-moves", action="store_true", help="keep every pointer move")
    parser.add_argument("--idle-stop", metavar="S", type=float, help="stop after S s idle")
    parser.add_argument(
        "--pause-hotkey",
        help="pause/resume chord: ctrl, alt or super plus one key, not one apps or the desktop "
        "use, e.g. ctrl+alt+shift+p (default: Settings)",
    )
    parser.add_argument(
        "--task",
        metavar="INSTRUCTION",
        help="start with this task open (mark it later with `overt task mark done`)",
    )
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.set_defaults(func=run_record)


def _names(value: str | None) -> tuple[str, ...]:
    return tuple(n.strip() for n in (value or "").split(",") if n.strip())


def scope_from_args(
    args: argparse.Namespace, settings: settings_file.Settings | None = None
) -> ConsentScope:
    """The consent scope of this session: the Settings' defaults, changed by the flags.

    Args:
        args: the parsed flags (a flag not given leaves the Settings' value).
        settings: the person's Settings; None means the defaults.

    Raises:
        CliError: a flag value is out of range.
    """
    base = (settings if settings is not None else settings_file.Settings()).scope()
    if args.pause_hotkey is not None:
        try:
            check_hotkey(args.pause_hotkey, "pause hotkey")
        except HotkeyError as error:
            raise CliError(str(error)) from None
    if args.idle_stop is not None and args.idle_stop <= 0:
        raise CliError("The idle stop must be a positive number of seconds.")
    text_mode = base.effective_text_mode if args.text is None else args.text
    try:
        return replace(
            base,
            mouse=base.mouse and not args.no_mouse,
            keys=text_mode != "none",
            text_mode=text_mode,
            frames=base.frames and not args.no_frames,
            fps=base.fps if args.fps is None else args.fps,
            window_titles=base.window_titles and not args.no_titles,
            apps_allow=_names(args.apps) or base.apps_allow,
            apps_deny=tuple(dict.fromkeys(base.apps_deny + _names(args.deny))),
            duration_s=args.duration,
            idle_stop_s=args.idle_stop,
            move_hz=None if args.raw_moves else base.move_hz,
            pause_hotkey=base.pause_hotkey if args.pause_hotkey is None else args.pause_hotkey,
        )
    except RecorderError as error:
        raise CliError(str(error)) from None


def load_settings(home: Path) -> settings_file.Settings:
    """The person's Settings (defaults when there are none).

    Raises:
        CliError: the settings file cannot be used; nothing is recorded, since it may hold
            apps the person never wants recorded.
    """
    notices: list[str] = []
    try:
        settings = settings_file.load(home, notices)
    except settings_file.SettingsError as error:
        raise CliError(f"{error} Nothing was recorded.") from None
    for notice in notices:
        print(notice, file=sys.stderr)
    return settings


def check_numbers(args: argparse.Namespace) -> None:
    """Refuse --fps, --duration and --idle-stop outside their range, NaN and infinity too.

    A NaN frame rate would be written into the consent record (invalid JSON in exports) and
    a NaN, infinite or astronomical duration would record with no end.
    """
    for flag, value, top, unit in (
        ("--fps", args.fps, MAX_FPS, "frames a second"),
        ("--duration", args.duration, MAX_SESSION_S, "seconds"),
        ("--idle-stop", args.idle_stop, MAX_SESSION_S, "seconds"),
    ):
        if value is not None and not 0 < value <= top:
            raise CliError(f"{flag} must be above 0 and at most {top:g} {unit}, not {value}.")


def check_can_record(args: argparse.Namespace) -> Study | None:
    """Every refusal that needs neither the vault nor the Settings: consent, study, display.

    Returns:
        The study to record for, if any.
    """
    if not args.i_consent and not sys.stdin.isatty():
        raise CliError(NO_CONSENT)
    check_numbers(args)
    study = load_study(Path(args.study)) if args.study else None
    reason = refusal_reason(detect_display_server())
    if reason is not None:
        raise CaptureUnavailable(reason)
    return study


def affirmed_consent(
    args: argparse.Namespace,
    scope: ConsentScope,
    study: Study | None,
    home: Path,
    settings: settings_file.Settings | None = None,
) -> dict[str, Any]:
    """The consent record, affirmed by --i-consent or by typing yes after reading its text.

    Drafted as the tray drafts it (app/core/consent_drafting.py): a study narrows ``scope``,
    and a personal session is kept as long as the Settings say.

    Args:
        scope: this session's scope (``scope_from_args``).
        settings: the person's Settings; None means the defaults.

    Raises:
        CliError: the person did not type yes, or the study and the flags leave nothing to
            record (nothing is recorded).
    """
    try:
        chosen = settings if settings is not None else settings_file.Settings()
        draft = draft_consent(home, chosen, scope=scope, study=study)
    except RecorderError as error:
        raise CliError(str(error)) from None
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
    """Record one session; the exit status.

    Args:
        sink_factory: begins the session's sink (tests pass an in-memory one); None opens the
            vault.
    """
    task = getattr(args, "task", None)
    if task is not None and len(task) > MAX_INSTRUCTION:
        raise CliError(
            f"The task's instruction is {len(task)} characters; the limit is "
            f"{MAX_INSTRUCTION} (nothing was recorded)."
        )
    study = check_can_record(args)
    home = vault_home(args)
    settings = load_settings(home)
    scope = scope_from_args(args, settings)
    vault = None
    if sink_factory is None:
        sink_factory, vault = vault_sink_factory(home)
    consent = affirmed_consent(args, scope, study, home, settings)
    from recorder.platform.backend import default_backend
    from recorder.session import Recorder

    recorder = Recorder(consent, default_backend())
    session_id = recorder.start(sink_factory)
    previous = _on_signals(lambda *_: recorder.request_stop("signal"))
    control = None
    try:
        if task is not None:
            recorder.new_task(task)
        control = _task_control(home, recorder)
        print(f"Recording session {session_id}; stop with Ctrl+C.", flush=True)
        reason = recorder.wait()
    except BaseException:
        recorder.stop("error")
        raise
    finally:
        _restore_signals(previous)
        if control is not None:
            control.stop()
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


def _task_control(home: Path, recorder: Any) -> Any:
    """Take `overt task mark/new` from other terminals (named pipes in the vault's folder)."""
    from app.core.task_control import ControlError, TaskControlServer

    try:
        return TaskControlServer(home, recorder)
    except (OSError, ControlError) as error:
        sys.stderr.write(f"overt: Task commands from other terminals are off: {error}\n")
        return None


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
