"""The joined study (or the one sentence why it cannot be used), and a study's plain-words facts."""

from __future__ import annotations

from pathlib import Path

from app.core.settings import FILE, Settings, save
from app.core.studies import current_study, study_facts
from tests.app.study_files import make_study, write_study


def test_no_study_joined_is_none_and_no_problem(tmp_path: Path) -> None:
    assert current_study(tmp_path) == (None, "")


def test_the_joined_study_is_loaded(tmp_path: Path) -> None:
    path = tmp_path / "study.toml"
    study = write_study(path)
    save(tmp_path, Settings(study_path=str(path)))
    assert current_study(tmp_path) == (study, "")


def test_a_vanished_study_or_a_broken_settings_file_is_one_sentence(tmp_path: Path) -> None:
    gone = tmp_path / "gone.toml"
    save(tmp_path, Settings(study_path=str(gone)))
    assert current_study(tmp_path) == (None, f"The study file {gone} does not exist.")
    (tmp_path / FILE).write_text("{", encoding="utf-8")
    study, problem = current_study(tmp_path)
    assert study is None
    assert "cannot be read" in problem


def test_the_facts_say_what_is_asked_kept_and_for_whom() -> None:
    facts = dict(study_facts(make_study(complaints="")))
    assert facts["Asks to record"].startswith("mouse, keys without the text, screenshots")
    assert facts["Kept on this computer"] == "14 days, then deleted automatically"
    assert "only UX Lab, Example University can read them" in facts["Where exports go"]
    assert "To complain" not in facts
