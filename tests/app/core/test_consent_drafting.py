"""The one consent draft: the Settings' defaults and retention, narrowed by a joined study."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.consent_drafting import draft_consent
from app.core.settings import Settings, load, save
from recorder.consent.participant import participant_id
from recorder.consent.record import ConsentScope
from recorder.consent.study import CaptureRequest
from recorder.errors import ConsentRequired
from tests.app.study_files import make_study


def test_defaults_and_retention_pre_fill_the_consent_draft(tmp_path: Path) -> None:
    save(tmp_path, Settings(mouse=False, text_mode="keys", frames=False, window_titles=False,
                            allow_apps=["firefox"], retention_days=7))  # fmt: skip
    draft = draft_consent(tmp_path, load(tmp_path))
    scope = draft["scope"]
    assert (scope["mouse"], scope["keys"], scope["text_mode"]) == (False, True, "keys")
    assert (scope["frames"], scope["window_titles"], scope["apps_allow"]) == (
        False, False, ["firefox"])  # fmt: skip
    assert draft["retention"]["local_days"] == 7


def test_a_study_keeps_its_own_retention(tmp_path: Path) -> None:
    save(tmp_path, Settings(retention_days=365))
    study = make_study(retention_days=30)
    assert draft_consent(tmp_path, load(tmp_path), study=study)["retention"]["local_days"] == 30


def test_without_a_retention_setting_personal_sessions_are_kept(tmp_path: Path) -> None:
    assert draft_consent(tmp_path, Settings())["retention"]["local_days"] is None


def test_a_session_scope_replaces_the_settings_scope_but_not_the_retention(tmp_path: Path) -> None:
    draft = draft_consent(tmp_path, Settings(fps=5.0, retention_days=3), scope=ConsentScope())
    assert draft["scope"]["fps"] == 1.0
    assert draft["retention"]["local_days"] == 3


def test_a_study_narrows_and_names_its_researcher(tmp_path: Path) -> None:
    draft = draft_consent(tmp_path, Settings(fps=1.0), study=make_study(), app_version="9.9")
    assert (draft["scope"]["text_mode"], draft["scope"]["fps"]) == ("keys", 1.0)
    assert draft["recipients"]["who"] == "UX Lab, Example University"
    assert draft["participant_id"] == participant_id(tmp_path, "uxlab-forms")
    assert draft["app_version"] == "9.9"


def test_nothing_left_to_record_is_refused(tmp_path: Path) -> None:
    study = make_study(capture=CaptureRequest(apps_allow=("gimp",)))
    with pytest.raises(ConsentRequired, match="None of the apps you chose"):
        draft_consent(tmp_path, Settings(allow_apps=["firefox"]), study=study)
