"""The one way a session's consent record is drafted, for the tray and `overt record` (no Qt).

Both start from the person's Settings: the capture defaults (``Settings.scope()``, which the
CLI's flags may change for one session) and the retention of personal sessions. A joined
study narrows the scope and brings its own retention. The person then reads the draft and
affirms it (the consent dialog, or the CLI's prompt or ``--i-consent``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.core.settings import Settings
from app.core.version import overt_version
from recorder.consent.participant import participant_id
from recorder.consent.record import ConsentScope, narrow_to_study
from recorder.consent.record import draft_consent as build_record
from recorder.consent.study import Study


def draft_consent(
    home: Path,
    settings: Settings,
    *,
    scope: ConsentScope | None = None,
    study: Study | None = None,
    app_version: str | None = None,
) -> dict[str, Any]:
    """The consent record shown to the person before they affirm it.

    With a study, the scope is what the study asks narrowed by the person's choices (never
    wider), and the record names the study's who, why and recipients. A personal session's
    retention is the one in Settings (``overt expire`` and the tray's daily expiry honour it);
    a study session keeps the study's own retention.

    Args:
        home: the vault folder (its participant secret makes the pseudonymous id).
        settings: the person's Settings.
        scope: this session's choices; None records what the Settings describe.
        study: the joined study, or None for a personal session.
        app_version: Overt's version; None is this Overt's.

    Raises:
        ConsentRequired: the person's choices and the study's request leave nothing to record.
    """
    chosen = settings.scope() if scope is None else scope
    if study is not None:
        chosen = narrow_to_study(study.capture, chosen)
    return build_record(
        chosen,
        participant_id=participant_id(home, study.id if study else None),
        study=study.to_record() if study else None,
        app_version=overt_version() if app_version is None else app_version,
        retention_days=None if study else settings.retention_days,
    )
