"""What one session may capture (its consent scope), and the minimal consent record the CLI builds.

The consent feature (issue 5) will produce richer records from study files and a dialog; the
recorder only needs the scope, and refuses to start without a record that carries one.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from recorder.errors import ConsentRequired
from storage.format.records import TEXT_MODES, TextMode

#: Password managers and Overt itself, matched against WM_CLASS / process names.
DEFAULT_DENY_APPS: tuple[str, ...] = (
    "keepassxc",
    "keepass",
    "keepass2",
    "1password",
    "bitwarden",
    "enpass",
    "lastpass",
    "dashlane",
    "keeper",
    "seahorse",
    "kwalletmanager5",
    "overt",
)
#: Window-title markers of private browsing windows (matched case-insensitively).
PRIVATE_TITLE_MARKERS: tuple[str, ...] = (
    "private browsing",
    "incognito",
    "inprivate",
    "private window",
)
DEFAULT_PAUSE_HOTKEY = "ctrl+alt+shift+p"


#: The highest frame rate a consent may allow.
MAX_FPS = 30.0
#: The longest duration (or idle stop) a consent may name: a week; beyond it means no end.
MAX_SESSION_S = 7 * 86400.0


@dataclass(frozen=True)
class ConsentScope:
    """The capture scope one session's consent covers.

    Attributes:
        mouse: record pointer moves, buttons and scrolls.
        keys: record key events at all (False is the same as text_mode "none").
        text_mode: "full" (keys and the text they typed), "keys" (key identities only) or "none".
        frames: record screenshots.
        fps: periodic frame rate while the screen changes.
        window_titles: record window titles (app names are always recorded in scope).
        monitors: 1-based monitor indexes in scope; empty means all.
        apps_allow: apps in scope (WM_CLASS or process name); empty means all.
        apps_deny: apps never recorded, even if allowed.
        duration_s: stop after this many seconds; None means until stopped.
        idle_stop_s: stop after this long without input; None means never.
        move_hz: thinning rate for pointer moves; None records every move (raw mode).
        pause_hotkey: the global pause/resume chord, e.g. "ctrl+alt+shift+p".
    """

    mouse: bool = True
    keys: bool = True
    text_mode: TextMode = "full"
    frames: bool = True
    fps: float = 1.0
    window_titles: bool = True
    monitors: tuple[int, ...] = ()
    apps_allow: tuple[str, ...] = ()
    apps_deny: tuple[str, ...] = DEFAULT_DENY_APPS
    duration_s: float | None = None
    idle_stop_s: float | None = None
    move_hz: float | None = 60.0
    pause_hotkey: str = DEFAULT_PAUSE_HOTKEY
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.text_mode not in TEXT_MODES:
            raise ConsentRequired(f"The text mode must be one of {', '.join(TEXT_MODES)}.")
        # written as "not (inside)" so that NaN, which fails every comparison, is refused too
        if not 0 < self.fps <= MAX_FPS:
            raise ConsentRequired("The frame rate must be above 0 and at most 30 frames/s.")
        for what, value in (("duration", self.duration_s), ("idle stop", self.idle_stop_s)):
            if value is not None and not 0 < value <= MAX_SESSION_S:
                raise ConsentRequired(
                    f"The {what} must be a positive number of seconds, at most a week."
                )

    @property
    def effective_text_mode(self) -> TextMode:
        return self.text_mode if self.keys else "none"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("extra")
        for key in ("monitors", "apps_allow", "apps_deny"):
            data[key] = list(data[key])
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConsentScope:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        for key in ("monitors", "apps_allow", "apps_deny"):
            if key in known:
                known[key] = tuple(known[key])
        return cls(**known)


def build_cli_consent(scope: ConsentScope, *, app_version: str) -> dict[str, Any]:
    """The minimal consent record for a session started with ``overt record --i-consent``.

    Args:
        scope: what the person agreed this session captures.
        app_version: Overt's version, recorded with the consent.

    Returns:
        A JSON-able dict; ``scope`` holds the categories, monitors, apps and duration.
    """
    return {
        "version": 1,
        "consent_id": uuid.uuid4().hex,
        "study": None,
        "purpose": "personal use",
        "scope": scope.to_dict(),
        "time": time.time(),
        "app_version": app_version,
        "affirmed_by": "--i-consent flag",
    }


def scope_from_consent(consent: dict[str, Any] | None) -> ConsentScope:
    """The scope a consent record grants; refuses a missing or scope-less record.

    Raises:
        ConsentRequired: there is no consent record, or it says nothing about scope.
    """
    if not consent or not isinstance(consent.get("scope"), dict):
        raise ConsentRequired("Recording needs a consent record for this session; none was given.")
    return ConsentScope.from_dict(consent["scope"])


def narrow_to_study(request: Any, chosen: ConsentScope) -> ConsentScope:
    """The scope a study session records: what the study asks, narrowed by the volunteer.

    A study can ask; the volunteer can turn a category off, lower the frame rate, keep less
    text, or shrink the app scope, and is never recorded more widely than they chose.

    Args:
        request: the study's ``CaptureRequest`` (recorder.consent.study).
        chosen: what the volunteer chose (flags, settings or the dialog).
    """
    text_order = {"none": 0, "keys": 1, "full": 2}
    asked_text: TextMode = request.text_mode if request.keys else "none"
    text_mode: TextMode = min(
        asked_text, chosen.effective_text_mode, key=lambda mode: text_order[mode]
    )
    if request.apps_allow and chosen.apps_allow:
        allow = tuple(a for a in chosen.apps_allow if a.lower() in
                      {r.lower() for r in request.apps_allow})  # fmt: skip
        if not allow:
            raise ConsentRequired("None of the apps you chose is in the study's app list.")
    else:
        allow = tuple(chosen.apps_allow or request.apps_allow)
    deny = tuple(dict.fromkeys((*chosen.apps_deny, *request.apps_deny)))
    durations = [d for d in (request.max_duration_s, chosen.duration_s) if d]
    return ConsentScope(
        mouse=request.mouse and chosen.mouse,
        keys=text_mode != "none",
        text_mode=text_mode,
        frames=request.frames and chosen.frames,
        fps=min(request.frame_rate, chosen.fps),
        window_titles=request.window_titles and chosen.window_titles,
        monitors=chosen.monitors,
        apps_allow=allow,
        apps_deny=deny,
        duration_s=min(durations) if durations else None,
        idle_stop_s=chosen.idle_stop_s,
        move_hz=chosen.move_hz,
        pause_hotkey=chosen.pause_hotkey,
    )


def draft_consent(
    scope: ConsentScope,
    *,
    participant_id: str,
    study: dict[str, Any] | None = None,
    app_version: str,
    retention_days: int | None = None,
) -> dict[str, Any]:
    """The consent record shown to the person before they affirm it (consent issue fields).

    Args:
        scope: what this session will capture.
        participant_id: the pseudonymous id for this study (recorder.consent.participant).
        study: the study as ``Study.to_record()``, or None for personal use.
        app_version: Overt's version.
        retention_days: local retention for personal sessions (studies set their own).
    """
    days = study.get("retention_days") if study else retention_days
    return {
        "version": 1,
        "consent_id": uuid.uuid4().hex,
        "participant_id": participant_id,
        "study": study,
        "purpose": "; ".join(study["purposes"]) if study else "personal use",
        "purposes": list(study["purposes"]) if study else ["personal use"],
        "scope": scope.to_dict(),
        "retention": {
            "local_days": days,
            "after_export": (study.get("after_export") or "") if study else "",
        },
        "recipients": (
            {"who": study["researcher"], "contact": study["contact"], "key": study["recipient"]}
            if study
            else {"who": "only you", "contact": "", "key": None}
        ),
        "destination": "an export file you hand over yourself; Overt sends nothing",
        "lifecycle": "start, stop, pauses and re-confirmations are markers in the session",
        "time": time.time(),
        "app_version": app_version,
    }
