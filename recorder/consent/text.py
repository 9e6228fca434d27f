"""The consent text a person reads before a session, generated from the consent record itself.

The dialog and the CLI prompt show exactly this text, and its SHA-256 goes into the record, so
what was shown can be proved afterwards. The record's ``scope`` uses the field names of
``ConsentScope`` (mouse, keys, text_mode, frames, fps, window_titles, monitors, apps_allow,
apps_deny, duration_s).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from recorder.capture.hotkey import hotkey_label
from recorder.consent.record import DEFAULT_PAUSE_HOTKEY
from storage.text_reach import REACHES
from storage.typed_text import REMOVED

#: 2: the withdrawal line names the menu entry, no backticks; 3: what each removal reaches;
#: 4: task instructions and outcomes
#: 5: removing a text in review also searches the screenshots
#: 6: what "Never" reaches; 7: which pause hotkey is active
#: 8: removing a text reaches UI element names; 9: which UI element names are recorded
CONSENT_TEXT_VERSION = 9
LANGUAGE = "en"

#: What the person affirms, each every session, each ticked by the person (never pre-ticked).
STATEMENTS: tuple[tuple[str, str], ...] = (
    ("voluntary", "I am taking part voluntarily, and I can stop or withdraw at any time."),
    ("no_penalty", "Declining or stopping has no penalty for me."),
    ("no_employer", "No employer or anyone else requires me to record this session."),
    ("may_share", "I may share what will be on my screen (other people's data included)."),
)

RISKS = (
    "Screenshots can show other people's names, messages or faces if they are on your screen.",
    "Typing patterns and screen content can sometimes identify you even without your name.",
)


#: What the never-record list (and an allow list, for the apps not on it) reaches.
NEVER_REACHES = (
    "For those apps nothing is kept: no clicks, scrolls or keys you make in them, no title, and "
    "in screenshots their windows are blacked out, title bar and borders included."
)
#: What it cannot reach: the consent text says so, so no one is promised more.
NEVER_BEYOND = (
    "Beyond reach: their names or titles shown elsewhere (a taskbar or panel, a window "
    "switcher, another app's window) and their menus can still appear in screenshots."
)


@dataclass(frozen=True)
class Section:
    """One heading of the consent text and its plain-language lines."""

    title: str
    lines: tuple[str, ...]


def _duration(seconds: float | None) -> str:
    if not seconds:
        return "until you stop it (pause and stop are always one click or one hotkey away)"
    minutes = seconds / 60
    if minutes < 1:
        return f"{seconds:g} seconds, then it stops by itself"
    if minutes < 120:
        return f"{minutes:g} minutes, then it stops by itself"
    return f"{minutes / 60:g} hours, then it stops by itself"


def _elements_line(text_mode: str) -> str:
    """What is kept of the buttons, menus and fields used (recorder/capture/grounding.py):
    with text mode ``none``, their kind and box only."""
    if text_mode == "none":
        return (
            "Buttons, menus and fields you click or type into, without their names: only "
            "what kind each is and its box on screen (e.g. 'button at 812, 344')."
        )
    return (
        "Buttons, menus and fields you click or type into: their names (e.g. the button "
        "'Send', the menu item 'Save As…') and those of the menus and panels they are in, "
        "what kind each is and its box on screen; never a password field's name or contents."
    )


def _pause_line(scope: dict[str, Any]) -> str:
    chord = scope.get("pause_hotkey") or DEFAULT_PAUSE_HOTKEY
    return (
        f"Pause or resume at any time from the tray icon's menu or with the hotkey "
        f"{hotkey_label(chord)}."
    )


def describe(record: dict[str, Any]) -> list[Section]:
    """The consent text as sections, from a (draft) consent record.

    Args:
        record: a consent record with at least ``scope``; ``study`` may be None.
    """
    scope = record["scope"]
    study = record.get("study")
    captured: list[str] = []
    if scope.get("mouse", True):
        captured.append(
            "Mouse: where the pointer moves, clicks, drags and scrolls "
            "(e.g. 'left click at 812, 344')."
        )
    text_mode = scope.get("text_mode", "full") if scope.get("keys", True) else "none"
    if text_mode == "full":
        captured.append(
            "Keys and typed text: every key you press and the text it types "
            "(e.g. 'typed: Dear Sam'). Password prompts are guarded, but not perfectly."
        )
    elif text_mode == "keys":
        captured.append(
            "Keys without text: which keys and shortcuts you press (e.g. 'ctrl+c', 'enter'), "
            "not the letters you type."
        )
    if scope.get("frames", True):
        captured.append(
            f"Screenshots: your screen when you click or type and about {scope.get('fps', 1):g} "
            "per second while it changes (e.g. the whole page you are reading)."
        )
    if scope.get("window_titles", True):
        captured.append(
            "Window titles and app names: which app is in front and its title "
            "(e.g. 'Firefox - Inbox (3)')."
        )
    else:
        captured.append("App names (not window titles): which app is in front (e.g. 'Firefox').")
    if scope.get("mouse", True) or scope.get("keys", True):
        captured.append(_elements_line(text_mode))
    captured.append(
        "Tasks, if you mark them: what you say you set out to do, in your words, and whether "
        "it worked (e.g. 'Book a train to Leeds: done'), with any note you add."
    )
    not_captured = ["Audio, camera, files on disk, and anything while recording is paused."]
    if text_mode != "full":
        not_captured.append("The text you type.")
    if text_mode == "none":
        not_captured.append("The names of the buttons, menus and fields you click.")
    if not scope.get("frames", True):
        not_captured.append("Screenshots.")

    allow = scope.get("apps_allow") or []
    deny = scope.get("apps_deny") or []
    apps = [
        "Only these apps: " + ", ".join(allow) if allow else "All apps, except those below.",
        "Never: " + ", ".join(deny) + ", and private-browsing windows."
        if deny
        else "Never: private-browsing windows.",
        NEVER_REACHES,
        NEVER_BEYOND,
    ]
    if study:
        who = (
            f"The study '{study['title']}' run by {study['researcher']} ({study['contact']}). "
            f"Ethics reference: {study.get('ethics_ref') or 'none given'}."
        )
        purposes = "Purposes: " + "; ".join(study.get("purposes", []))
        gets = [
            who,
            purposes,
            "Nothing leaves this computer until you review, redact and approve the session "
            "and export it yourself; exports are encrypted so only the study can read them.",
        ]
        if study.get("complaints"):
            gets.append(f"To complain: {study['complaints']}.")
    else:
        gets = [
            "Only you: this is a personal recording. Nothing leaves this computer unless you "
            "export it yourself."
        ]
    retention = record.get("retention") or {}
    keep = (
        f"On this computer, encrypted, for {retention['local_days']} days, then deleted."
        if retention.get("local_days")
        else "On this computer, encrypted, until you delete it."
    )
    return [
        Section("What this session records", tuple(captured)),
        Section("What it does not record", tuple(not_captured)),
        Section("Which apps", tuple(apps)),
        Section("For how long", (_duration(scope.get("duration_s")), _pause_line(scope))),
        Section("Who gets the data", tuple(gets)),
        Section("Where it is kept", (keep,)),
        Section("Risks", RISKS),
        Section("Removing what was recorded", removal_lines()),
        Section(
            "Withdrawing",
            (
                "Withdraw any session at any time with Withdraw… in the tray's menu (or the "
                "command overt withdraw): "
                "it is deleted irrecoverably and you get a receipt to send to the researcher.",
            ),
        ),
    ]


def removal_lines() -> tuple[str, ...]:
    """What each removal in review (and ``overt redact``) reaches, said exactly; the places a
    text is removed from come from ``storage/text_reach.py``, so this stays true as it grows."""
    places = [reach.place for reach in REACHES]
    listed = ", ".join(places[:-1]) + " and " + places[-1] if len(places) > 1 else places[0]
    return (
        f"Removing a text removes every occurrence of it from {listed}: typed text as you "
        "typed it, corrections included, with the key presses that typed it; where it was, "
        f"the actions say {REMOVED}.",
        "In review, Remove every occurrence… also searches the screenshots for the text with "
        "OCR, when Tesseract OCR is installed, and blacks it out where it is read (it says in "
        "how many frames, or that they were not searched); OCR can miss text, so look too. "
        "The command overt redact --text does not change screenshots.",
        "Blacking out a region changes only the screenshots you choose; deleting events "
        "also deletes the actions built on them; blanking window titles changes only titles.",
    )


def render_text(record: dict[str, Any]) -> str:
    """The whole consent text as plain text (what the CLI prints; what the dialog shows)."""
    parts = []
    for section in describe(record):
        parts.append(section.title + ":")
        parts.extend(f"  - {line}" for line in section.lines)
    parts.append("You affirm:")
    parts.extend(f"  - {text}" for _, text in STATEMENTS)
    return "\n".join(parts) + "\n"


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def affirm(
    draft: dict[str, Any],
    *,
    statements: Iterable[str],
    action: str,
    now: float | None = None,
) -> dict[str, Any]:
    """The consent record once the person has affirmed it.

    Args:
        draft: the record as shown (scope, study, retention...).
        statements: ids of the statements the person ticked; all are required.
        action: the affirmative action taken, e.g. "consent dialog: 'Start recording' button".
        now: the time of affirmation (Unix seconds); defaults to the clock.

    Raises:
        ValueError: a statement was not affirmed (a bug in the caller: the UI must prevent it).
    """
    ticked = set(statements)
    missing = [sid for sid, _ in STATEMENTS if sid not in ticked]
    if missing:
        raise ValueError(f"statements not affirmed: {', '.join(missing)}")
    text = render_text(draft)
    return {
        **draft,
        "statements": {sid: body for sid, body in STATEMENTS},
        "risks": list(RISKS),
        "text": {
            "sha256": text_sha256(text),
            "version": CONSENT_TEXT_VERSION,
            "language": LANGUAGE,
        },
        "affirmed_by": action,
        "time": time.time() if now is None else now,
    }
