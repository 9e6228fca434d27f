"""The study a person joined, and what a study asks in plain words (no Qt).

One description serves both readers: the volunteer in Studies… (app/dialogs/studies_dialog.py)
and the researcher checking their file with `overt study show` (app/cli/commands/study.py).
"""

from __future__ import annotations

from pathlib import Path

from app.core import settings as settings_file
from recorder.consent.study import Study, StudyError, load_study


def current_study(home: Path) -> tuple[Study | None, str]:
    """The joined study and "", or None and why not ("" when no study was joined).

    Never raises: a broken settings or study file becomes its one sentence.
    """
    try:
        path = settings_file.load(home).study_path
    except settings_file.SettingsError as exc:
        return None, str(exc)
    if not path:
        return None, ""
    try:
        return load_study(Path(path)), ""
    except StudyError as exc:
        return None, str(exc)


def study_facts(study: Study) -> list[tuple[str, str]]:
    """What a study asks, as (label, plain words) pairs: who, why, what, how long, to whom."""
    capture = study.capture
    asks = []
    if capture.mouse:
        asks.append("mouse")
    if capture.keys and capture.text_mode != "none":
        asks.append("typed text" if capture.text_mode == "full" else "keys without the text")
    if capture.frames:
        asks.append(f"screenshots (about {capture.frame_rate:g} per second)")
    asks.append("window titles" if capture.window_titles else "app names only")
    apps = ", ".join(capture.apps_allow) or "all apps"
    if capture.apps_deny:
        apps += f"; never {', '.join(capture.apps_deny)}"
    if capture.max_duration_s:
        asks.append(f"at most {capture.max_duration_s / 60:g} minutes a session")
    kept = (
        f"{study.retention_days} days, then deleted automatically"
        if study.retention_days
        else "until you delete it"
    )
    exports = (
        "Nothing leaves this computer until you review, approve and export a session "
        f"yourself; exports are encrypted so only {study.researcher} can read them "
        f"(key {study.recipient[:16]}…)."
    )
    if study.after_export:
        exports += f" After export: {study.after_export.rstrip('.')}."
    facts = [
        ("Study", f"{study.title} ({study.id})"),
        ("Run by", study.researcher),
        ("Contact", study.contact),
        ("Ethics reference", study.ethics_ref or "none given"),
        ("Purposes", "; ".join(study.purposes)),
        ("Asks to record", ", ".join(asks) + "; you can always record less"),
        ("Apps", apps),
        ("Kept on this computer", kept),
        ("Where exports go", exports),
    ]
    if study.complaints:
        facts.append(("To complain", study.complaints))
    return facts
