"""Study files: strict validation with one-sentence errors, and a lossless round trip."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pyrage
import pytest
from hypothesis import given
from hypothesis import strategies as st

from recorder.consent.study import (
    CaptureRequest,
    Study,
    StudyError,
    load_study,
    parse_study,
    study_to_toml,
)

RECIPIENT = str(pyrage.x25519.Identity.generate().to_public())


def valid() -> dict[str, Any]:
    return {
        "format": 1,
        "study": {
            "id": "uxlab-forms",
            "title": "Filling in web forms",
            "researcher": "UX Lab, Example University",
            "contact": "uxlab@example.org",
            "recipient": RECIPIENT,
            "purposes": ["train a form-filling agent"],
        },
        "capture": {"text_mode": "keys", "frame_rate": 0.5, "apps_deny": ["thunderbird"]},
    }


def test_valid_study_parses() -> None:
    study = parse_study(valid(), "s.toml")
    assert study.id == "uxlab-forms"
    assert study.capture.text_mode == "keys"
    assert study.capture.apps_deny == ("thunderbird",)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["study"].update(colour="red"), "unknown field 'colour' in [study]"),
        (lambda d: d["capture"].update(audio=True), "unknown field 'audio' in [capture]"),
        (lambda d: d.update(extra={}), "unknown section [extra]"),
        (lambda d: d["study"].pop("contact"), "no contact for the researcher"),
        (lambda d: d["study"].update(contact="call me"), "must be an email address"),
        (lambda d: d["study"].update(recipient="age1nope"), "is not an age public key"),
        (lambda d: d["study"].update(purposes=[]), "has no purposes"),
        (lambda d: d["study"].update(id="Has Spaces"), "study id"),
        (lambda d: d["capture"].update(text_mode="all"), "text_mode"),
        (lambda d: d["capture"].update(frame_rate=120), "frame_rate"),
        (lambda d: d["capture"].update(mouse="yes"), "wrong type"),
        (lambda d: d.update(format=2), "update Overt"),
        (lambda d: d.pop("study"), "no [study] section"),
    ],
)
def test_invalid_study_gets_one_sentence(change: Any, message: str) -> None:
    data = valid()
    change(data)
    with pytest.raises(StudyError, match=message.replace("[", r"\[").replace("]", r"\]")) as info:
        parse_study(data, "s.toml")
    text = str(info.value)
    assert text.endswith(".")
    assert text.count(". ") == 0 or "e.g." in text  # one sentence


_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda s: s.strip() != "")


@given(
    title=_text,
    purposes=st.lists(_text, min_size=1, max_size=3),
    text_mode=st.sampled_from(["full", "keys", "none"]),
    fps=st.floats(min_value=0.1, max_value=30),
    apps=st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True), max_size=3),
    duration=st.none() | st.floats(min_value=1, max_value=86400),
)
def test_study_round_trips_through_toml(
    title: str, purposes: list[str], text_mode: str, fps: float, apps: list[str],
    duration: float | None,
) -> None:  # fmt: skip
    study = Study(
        id="s1", title=title, researcher="R", contact="https://example.org/c",
        recipient=RECIPIENT, purposes=tuple(purposes),
        capture=CaptureRequest(
            text_mode=text_mode, frame_rate=fps, apps_allow=tuple(apps), max_duration_s=duration
        ),
    )  # fmt: skip
    assert parse_study(tomllib.loads(study_to_toml(study)), "x") == study


def test_missing_and_broken_files(tmp_path: Path) -> None:
    with pytest.raises(StudyError, match="does not exist"):
        load_study(tmp_path / "none.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[study\n")
    with pytest.raises(StudyError, match="not valid TOML"):
        load_study(broken)


# --- tasks a study assigns (issue 16) --------------------------------------------------------


def with_tasks() -> dict[str, Any]:
    data = valid()
    data["tasks"] = [
        {"id": "train", "instruction": "Book a train to Leeds", "start_hint": "https://rail.example",
         "time_limit_s": 300},
        {"id": "hotel", "instruction": "Find a hotel near the station"},
    ]  # fmt: skip
    data["task_rules"] = {"free_text": False, "require_instructions": True}
    return data


def test_a_study_may_assign_tasks_and_they_reach_the_consent_record() -> None:
    study = parse_study(with_tasks(), "s.toml")
    assert [t.id for t in study.tasks] == ["train", "hotel"]
    assert study.tasks[0].start_hint == "https://rail.example"
    assert study.tasks[0].time_limit_s == 300
    assert (study.task_rules.free_text, study.task_rules.require_instructions) == (False, True)
    record = study.to_record()
    assert record["tasks"][1] == {
        "id": "hotel",
        "instruction": "Find a hotel near the station",
        "start_hint": "",
        "time_limit_s": None,
    }
    from storage.episodes import study_task_ids

    assert study_task_ids({"study": record}) == {"train", "hotel"}
    assert parse_study(tomllib.loads(study_to_toml(study)), "x") == study


def test_an_old_study_file_has_no_tasks_and_allows_free_text() -> None:
    study = parse_study(valid(), "s.toml")
    assert study.tasks == ()
    assert (study.task_rules.free_text, study.task_rules.require_instructions) == (True, False)
    assert "tasks" not in tomllib.loads(study_to_toml(study))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["tasks"][0].update(colour="red"), "unknown field 'colour' in [tasks]"),
        (lambda d: d["tasks"][1].update(id="train"), "lists the task id 'train' twice"),
        (lambda d: d["tasks"][0].update(id="has space"), "needs an id"),
        (lambda d: d["tasks"][0].update(instruction=""), "needs an instruction of 1 to 2000"),
        (lambda d: d["tasks"][0].update(instruction="x" * 2001), "needs an instruction"),
        (lambda d: d["tasks"][0].update(time_limit_s=0), "time_limit_s"),
        (lambda d: d["tasks"][0].update(time_limit_s="soon"), "wrong type"),
        (lambda d: d["task_rules"].update(free_text="no"), "wrong type"),
        (lambda d: d["task_rules"].update(strict=True), "unknown field 'strict' in [task_rules]"),
        (lambda d: d.update(tasks={"id": "x"}), "not [[tasks]] sections"),
        (lambda d: d.update(tasks=[]), "allows no free-text tasks but lists no [[tasks]]"),
    ],
)
def test_bad_tasks_get_one_sentence(change: Any, message: str) -> None:
    data = with_tasks()
    change(data)
    with pytest.raises(StudyError, match=message.replace("[", r"\[").replace("]", r"\]")) as info:
        parse_study(data, "s.toml")
    assert str(info.value).endswith(".")
