"""Recording defaults the person chose, kept in a small JSON file beside the vault (no Qt).

The file holds preferences only, never captured content. It is versioned: a file from a newer
Overt is refused rather than misread, and written atomically (temp file + rename).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from recorder.consent import DEFAULT_DENY_APPS, DEFAULT_PAUSE_HOTKEY, ConsentScope
from recorder.policy import parse_hotkey
from storage.records import TEXT_MODES

FILE = "settings.json"
VERSION = 1


class SettingsError(ValueError):
    """The settings file or a value in it is not usable (one sentence for the person)."""


@dataclass
class Settings:
    """Defaults for new recordings.

    Attributes:
        text_mode: "full", "keys" or "none".
        fps: periodic frames per second.
        frames: record screenshots at all.
        window_titles: record window titles.
        pause_hotkey: the pause/resume chord.
        deny_apps: apps never recorded, on top of the built-in list.
        keyring_unlock: remember the unlocked vault in the system keyring (opt-in).
        study_path: the study file the person joined (Studies… in the tray), or None.
    """

    text_mode: str = "full"
    fps: float = 1.0
    frames: bool = True
    window_titles: bool = True
    pause_hotkey: str = DEFAULT_PAUSE_HOTKEY
    deny_apps: list[str] = field(default_factory=list)
    keyring_unlock: bool = False
    study_path: str | None = None

    def check(self) -> None:
        """Raise SettingsError if a value is out of range."""
        if self.text_mode not in TEXT_MODES:
            raise SettingsError(f"The text mode must be one of {', '.join(TEXT_MODES)}.")
        if not 0 < self.fps <= 30:
            raise SettingsError("The frame rate must be above 0 and at most 30 frames/s.")
        try:
            parse_hotkey(self.pause_hotkey)
        except ValueError as exc:
            raise SettingsError(f"The pause hotkey is not valid: {exc}.") from None

    def scope(self) -> ConsentScope:
        """The consent scope these defaults describe."""
        extra = tuple(a for a in self.deny_apps if a and a not in DEFAULT_DENY_APPS)
        return ConsentScope(
            keys=self.text_mode != "none",
            text_mode=self.text_mode,  # type: ignore[arg-type]
            frames=self.frames,
            fps=self.fps,
            window_titles=self.window_titles,
            apps_deny=DEFAULT_DENY_APPS + extra,
            pause_hotkey=self.pause_hotkey,
        )


def load(home: Path) -> Settings:
    """The saved settings, or the defaults when there are none.

    Raises:
        SettingsError: the file is unreadable, malformed, or from a newer Overt.
    """
    path = Path(home) / FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise SettingsError(
            f"The settings file {path} cannot be read; delete it to go back to the defaults."
        ) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("version"), int):
        raise SettingsError(f"The settings file {path} is malformed.")
    if doc["version"] > VERSION:
        raise SettingsError(f"The settings file {path} is from a newer Overt.")
    known: dict[str, Any] = {k: v for k, v in doc.items() if k in Settings.__dataclass_fields__}
    try:
        settings = Settings(**known)
        settings.deny_apps = [str(a) for a in settings.deny_apps]
        settings.fps = float(settings.fps)
        if settings.study_path is not None and not isinstance(settings.study_path, str):
            raise TypeError("study_path")
    except (TypeError, ValueError):
        raise SettingsError(f"The settings file {path} is malformed.") from None
    settings.check()
    return settings


def save(home: Path, settings: Settings) -> None:
    """Write the settings atomically."""
    settings.check()
    home = Path(home)
    doc = {"version": VERSION, **asdict(settings)}
    fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=home)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(doc, out, indent=2)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, home / FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
