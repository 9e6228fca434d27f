"""Recording defaults the person chose, kept in a small JSON file beside the vault (no Qt).

The file holds preferences only, never captured content. It is versioned: a file from a newer
Overt is refused rather than misread (an older Overt would silently drop an allow list it does
not know, and record more widely than the person chose), and written atomically (temp file +
rename). Every problem is one sentence that names the field.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from recorder.capture.hotkey import HotkeyError, check_hotkey
from recorder.consent.record import DEFAULT_DENY_APPS, DEFAULT_PAUSE_HOTKEY, ConsentScope
from storage.format.files import write_json_atomic
from storage.format.records import TEXT_MODES

FILE = "settings.json"
#: 2 added mouse, keys, allow_apps and retention_days; version 1 files still load.
VERSION = 2
#: The longest personal retention the dialog offers (100 years: effectively "a long time").
MAX_RETENTION_DAYS = 36_500

#: What each field is called in sentences for the person.
LABELS = {
    "text_mode": "typed text mode",
    "fps": "frame rate",
    "frames": "record screenshots",
    "window_titles": "record window titles",
    "pause_hotkey": "pause hotkey",
    "deny_apps": "never-record apps",
    "keyring_unlock": "keyring unlock",
    "mouse": "record mouse",
    "keys": "record keys",
    "allow_apps": "only-record apps",
    "retention_days": "retention",
}


class SettingsError(ValueError):
    """The settings file or a value in it is not usable (one sentence for the person).

    Attributes:
        field: the settings field at fault, when one is.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class Settings:
    """Defaults for new recordings: they pre-fill the consent dialog, which still asks each time.

    Attributes:
        text_mode: "full", "keys" or "none".
        fps: periodic frames per second.
        frames: record screenshots at all.
        window_titles: record window titles.
        pause_hotkey: the pause/resume chord.
        deny_apps: apps never recorded, on top of the built-in list.
        keyring_unlock: remember the unlocked vault in the system keyring (opt-in).
        study_path: the study file the person joined (Studies… in the tray), or None.
        mouse: record pointer moves, clicks and scrolls.
        keys: record key presses at all (off is the same as text mode "none").
        allow_apps: only these apps are recorded; empty means every app not denied.
        retention_days: personal sessions are deleted this many days after they start; None
            keeps them until deleted by hand. Study sessions keep the study's retention.
    """

    text_mode: str = "full"
    fps: float = 1.0
    frames: bool = True
    window_titles: bool = True
    pause_hotkey: str = DEFAULT_PAUSE_HOTKEY
    deny_apps: list[str] = field(default_factory=list)
    keyring_unlock: bool = False
    study_path: str | None = None
    mouse: bool = True
    keys: bool = True
    allow_apps: list[str] = field(default_factory=list)
    retention_days: int | None = None

    def check(self) -> None:
        """Raise SettingsError (naming the field) if a value is out of range or contradictory."""
        if self.text_mode not in TEXT_MODES:
            raise SettingsError(
                f"The typed text mode must be one of {', '.join(TEXT_MODES)}.", "text_mode"
            )
        if not 0 < self.fps <= 30:
            raise SettingsError("The frame rate must be above 0 and at most 30 frames/s.", "fps")
        try:
            check_hotkey(self.pause_hotkey, "pause hotkey")
        except HotkeyError as exc:
            raise SettingsError(str(exc), "pause_hotkey") from None
        if self.retention_days is not None and not 1 <= self.retention_days <= MAX_RETENTION_DAYS:
            raise SettingsError(
                f"The retention must be between 1 and {MAX_RETENTION_DAYS} days, "
                "or empty to keep recordings until you delete them.",
                "retention_days",
            )
        for name in ("allow_apps", "deny_apps"):
            if any(not app.strip() or "," in app for app in getattr(self, name)):
                raise SettingsError(
                    f"The {LABELS[name]} list has an empty name or a name with a comma.", name
                )
        conflict = both_allowed_and_denied(self.allow_apps, self.deny_apps)
        if conflict:
            raise SettingsError(conflict, "allow_apps")

    def scope(self) -> ConsentScope:
        """The consent scope these defaults describe (what the consent dialog starts from)."""
        keys = self.keys and self.text_mode != "none"
        extra = tuple(a for a in self.deny_apps if a and a not in DEFAULT_DENY_APPS)
        return ConsentScope(
            mouse=self.mouse,
            keys=keys,
            text_mode=self.text_mode if keys else "none",  # type: ignore[arg-type]
            frames=self.frames,
            fps=self.fps,
            window_titles=self.window_titles,
            apps_allow=tuple(self.allow_apps),
            apps_deny=DEFAULT_DENY_APPS + extra,
            pause_hotkey=self.pause_hotkey,
        )


def app_names(text: str) -> list[str]:
    """The app names in a comma-separated list, trimmed, lower-cased, without repeats.

    Matching is case-insensitive (recorder.capture.policy), so one spelling per app is kept.
    """
    names = (part.strip().lower() for part in text.split(","))
    return list(dict.fromkeys(name for name in names if name))


def both_allowed_and_denied(allow: list[str], deny: list[str]) -> str | None:
    """One sentence naming an app that is both allowed and never recorded, else None.

    The built-in deny list (password managers, Overt) counts: allowing one of those would
    look like it works and record nothing.
    """
    denied = {a.lower() for a in (*deny, *DEFAULT_DENY_APPS)}
    clash = [a for a in allow if a.lower() in denied]
    if not clash:
        return None
    app = clash[0]
    if app.lower() in DEFAULT_DENY_APPS and app.lower() not in {d.lower() for d in deny}:
        return (
            f"{app} is never recorded (password managers and Overt itself always stay out), "
            "so it cannot be in the only-record list."
        )
    return (
        f"{app} is both in the only-record list and the never-record list; "
        "remove it from one of them."
    )


def _kind_ok(annotation: str, value: Any) -> bool:
    """Whether a JSON value fits a field's annotation (bool is never a number here)."""
    if annotation == "bool":
        return isinstance(value, bool)
    if annotation == "str":
        return isinstance(value, str)
    if annotation == "str | None":
        return value is None or isinstance(value, str)
    if annotation == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if annotation == "int | None":
        return value is None or (isinstance(value, int) and not isinstance(value, bool))
    if annotation == "list[str]":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    raise TypeError(f"no JSON check for a settings field of type {annotation}")


_EXPECTED = {
    "bool": "true or false",
    "str": "text",
    "str | None": "text or null",
    "float": "a number",
    "int | None": "a whole number or null",
    "list[str]": "a list of names",
}


def from_document(doc: Any, where: str, notices: list[str] | None = None) -> Settings:
    """Settings from a parsed settings file, checked field by field.

    A saved pause hotkey that cannot serve (saved by an older Overt, or edited by hand)
    falls back to the default rather than stopping every recording; ``notices`` gets the
    sentence that says so.

    Args:
        doc: the parsed JSON.
        where: how to name the file in sentences.
        notices: where sentences about values that were replaced go.

    Raises:
        SettingsError: a wrong version, an unknown field, or a bad value (naming the field).
    """
    if not isinstance(doc, dict):
        raise SettingsError(f"The settings file {where} is malformed: it is not a JSON object.")
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SettingsError(f"The settings file {where} has no valid version number.")
    if version > VERSION:
        raise SettingsError(
            f"The settings file {where} is from a newer Overt (version {version}); "
            "update Overt or delete the file to go back to the defaults."
        )
    types = {f.name: str(f.type) for f in fields(Settings)}
    values: dict[str, Any] = {}
    for name, value in doc.items():
        if name == "version":
            continue
        if name not in types:
            raise SettingsError(f"The settings file {where} has an unknown field {name!r}.", name)
        if not _kind_ok(types[name], value):
            raise SettingsError(
                f"The settings file {where} has a bad value for {name!r}: "
                f"it must be {_EXPECTED[types[name]]}.",
                name,
            )
        values[name] = float(value) if types[name] == "float" else value
    settings = Settings(**values)
    try:
        check_hotkey(settings.pause_hotkey, "saved pause hotkey")
    except HotkeyError as exc:
        settings.pause_hotkey = DEFAULT_PAUSE_HOTKEY
        if notices is not None:
            notices.append(f"{exc} Overt uses {DEFAULT_PAUSE_HOTKEY} until you choose another.")
    try:
        settings.check()
    except SettingsError as exc:
        reason = str(exc)
        raise SettingsError(
            f"The settings file {where} has a bad value for {exc.field!r}: "
            f"{reason[0].lower()}{reason[1:]}",
            exc.field,
        ) from None
    return settings


def load(home: Path, notices: list[str] | None = None) -> Settings:
    """The saved settings, or the defaults when there are none.

    ``notices`` gets a sentence for each saved value replaced by its default (from_document).

    Raises:
        SettingsError: the file is unreadable, malformed, from a newer Overt, or has a bad
            value (the sentence names the field).
    """
    path = Path(home) / FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise SettingsError(
            f"The settings file {path} cannot be read; delete it to go back to the defaults."
        ) from None
    return from_document(doc, str(path), notices)


def save(home: Path, settings: Settings) -> None:
    """Write the settings atomically: a reader sees the old file or the new one, never half.

    Raises:
        SettingsError: a value is out of range (nothing is written).
        StorageError: the file cannot be written (DiskFull when the disk is full), in one
            sentence; the old file is kept.
    """
    settings.check()
    write_json_atomic(Path(home) / FILE, {"version": VERSION, **asdict(settings)})
