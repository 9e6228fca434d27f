"""Study files: what a researcher asks volunteers to record, for whom, and where exports go.

A study file is TOML a researcher writes with `overt study new` and hands to volunteers. It
is validated strictly (unknown fields, a bad key, a missing contact each get one sentence)
because a volunteer's consent is only informed if the file says what it means.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from recorder.consent.record import MAX_SESSION_S
from recorder.errors import RecorderError
from storage.episodes import MAX_INSTRUCTION
from storage.format.bounded import TooLarge, loads_toml, read_bounded
from storage.format.records import TEXT_MODES

STUDY_FORMAT_VERSION = 1
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
_EMAIL_OR_URL = re.compile(r"^([^@\s]+@[^@\s]+\.[^@\s]+|https?://\S+)$")


class StudyError(RecorderError):
    """A study file is missing, unreadable or invalid."""


@dataclass(frozen=True)
class CaptureRequest:
    """What a study asks to capture. A volunteer may narrow it, never widen it.

    Attributes:
        mouse: pointer moves, clicks, drags and scrolls.
        keys: key presses (with ``text_mode`` deciding whether their text is kept).
        text_mode: "full" keeps typed text, "keys" only key names, "none" no keys at all.
        frames: screenshots.
        frame_rate: periodic frames per second (action frames come on top).
        window_titles: the active window's title (its app name is always needed for scope).
        apps_allow: apps in scope; empty means all apps not denied.
        apps_deny: apps never recorded.
        max_duration_s: the longest single session, or None.
    """

    mouse: bool = True
    keys: bool = True
    text_mode: str = "full"
    frames: bool = True
    frame_rate: float = 1.0
    window_titles: bool = True
    apps_allow: tuple[str, ...] = ()
    apps_deny: tuple[str, ...] = ()
    max_duration_s: float | None = None


@dataclass(frozen=True)
class StudyTask:
    """A task a study assigns (what "New task…" offers; the episode keeps its id).

    Attributes:
        id: short identifier, unique in the study.
        instruction: what the volunteer is asked to do, in the researcher's words.
        start_hint: where to begin (a web address or an app), or "".
        time_limit_s: how long the task should take at most, or None.
    """

    id: str
    instruction: str
    start_hint: str = ""
    time_limit_s: float | None = None


@dataclass(frozen=True)
class TaskRules:
    """How a study's sessions label their tasks.

    Attributes:
        free_text: volunteers may type a task of their own besides the assigned ones.
        require_instructions: export refuses a task episode without an instruction.
    """

    free_text: bool = True
    require_instructions: bool = False


@dataclass(frozen=True)
class Study:
    """A research study a volunteer can join.

    Attributes:
        id: short identifier, e.g. "uxlab-2026-forms".
        title, researcher, contact: who runs it and how to reach them.
        ethics_ref: the ethics board / IRB reference ("" when there is none, said so plainly).
        complaints: where to complain (a data-protection authority, an ombudsperson).
        purposes: what the data will be used for.
        recipient: the age public key exports are encrypted to.
        retention_days: how long sessions may stay on this computer before automatic deletion.
        after_export: what the researcher does with exported data (plain words).
        capture: what the study asks to record.
        tasks: the tasks it assigns (none for a study without).
        task_rules: free-text tasks allowed, instructions required.
    """

    id: str
    title: str
    researcher: str
    contact: str
    recipient: str
    purposes: tuple[str, ...]
    ethics_ref: str = ""
    complaints: str = ""
    retention_days: int | None = 30
    after_export: str = ""
    capture: CaptureRequest = field(default_factory=CaptureRequest)
    tasks: tuple[StudyTask, ...] = ()
    task_rules: TaskRules = field(default_factory=TaskRules)

    def to_record(self) -> dict[str, Any]:
        """The study as it is copied into a consent record."""
        data = asdict(self)
        data["purposes"] = list(self.purposes)
        data["tasks"] = [asdict(t) for t in self.tasks]
        data["capture"]["apps_allow"] = list(self.capture.apps_allow)
        data["capture"]["apps_deny"] = list(self.capture.apps_deny)
        return data


_STUDY_FIELDS = {
    "id": str, "title": str, "researcher": str, "contact": str, "recipient": str,
    "purposes": list, "ethics_ref": str, "complaints": str, "retention_days": int,
    "after_export": str,
}  # fmt: skip
_REQUIRED = ("id", "title", "researcher", "contact", "recipient", "purposes")
_TASK_FIELDS = {
    "id": str, "instruction": str, "start_hint": str, "time_limit_s": (int, float),
}  # fmt: skip
_TASK_RULE_FIELDS = {"free_text": bool, "require_instructions": bool}
_TASK_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MAX_STUDY_TASKS = 1000
_CAPTURE_FIELDS = {
    "mouse": bool, "keys": bool, "text_mode": str, "frames": bool, "frame_rate": (int, float),
    "window_titles": bool, "apps_allow": list, "apps_deny": list, "max_duration_s": (int, float),
}  # fmt: skip


def validate_recipient(key: str, where: str) -> str:
    """Check an age public key ("age1...") and return it.

    Raises:
        StudyError: it is not an X25519 age recipient.
    """
    import pyrage

    try:
        pyrage.x25519.Recipient.from_str(key)
    except Exception:  # noqa: BLE001 - pyrage raises its own error types
        raise StudyError(
            f"The recipient key in {where} is not an age public key (age1...)."
        ) from None
    return key


def parse_study(data: dict[str, Any], where: str) -> Study:
    """Build a Study from parsed TOML, checking every field.

    Args:
        data: the TOML document as a dict.
        where: how to name the source in messages (usually the file path).

    Raises:
        StudyError: with one sentence naming the first problem found.
    """
    unknown_tables = set(data) - {"format", "study", "capture", "tasks", "task_rules"}
    if unknown_tables:
        raise StudyError(f"{where} has an unknown section [{sorted(unknown_tables)[0]}].")
    version = data.get("format", STUDY_FORMAT_VERSION)
    if version != STUDY_FORMAT_VERSION:
        raise StudyError(
            f"{where} is study format {version}, but this Overt reads format "
            f"{STUDY_FORMAT_VERSION}; update Overt."
        )
    study = data.get("study")
    if not isinstance(study, dict):
        raise StudyError(f"{where} has no [study] section.")
    _check_fields(study, _STUDY_FIELDS, "study", where)
    for name in _REQUIRED:
        value = study.get(name)
        if value in (None, "", []):
            what = "contact for the researcher" if name == "contact" else name
            raise StudyError(f"{where} has no {what} ([study] {name}).")
    if not _ID.match(study["id"]):
        raise StudyError(
            f"The study id in {where} must be 2-64 lowercase letters, digits, '.', '_' or '-'."
        )
    if not _EMAIL_OR_URL.match(study["contact"].strip()):
        raise StudyError(f"The contact in {where} must be an email address or a web address.")
    if not all(isinstance(p, str) and p.strip() for p in study["purposes"]):
        raise StudyError(f"The purposes in {where} must be a list of non-empty texts.")
    validate_recipient(study["recipient"], where)
    retention = study.get("retention_days", 30)
    if retention is not None and retention < 1:
        raise StudyError(f"The retention_days in {where} must be at least 1.")

    capture_data = data.get("capture", {})
    if not isinstance(capture_data, dict):
        raise StudyError(f"{where} has a [capture] that is not a section.")
    _check_fields(capture_data, _CAPTURE_FIELDS, "capture", where)
    for name in ("apps_allow", "apps_deny"):
        apps = capture_data.get(name, [])
        if not all(isinstance(app, str) and app.strip() for app in apps):
            raise StudyError(f"The {name} in {where} must be a list of application names.")
    longest = capture_data.get("max_duration_s")
    if longest is not None and not 0 < longest <= MAX_SESSION_S:
        raise StudyError(f"The max_duration_s in {where} must be above 0 and at most a week.")
    capture = CaptureRequest(
        **{
            **capture_data,
            "apps_allow": tuple(capture_data.get("apps_allow", ())),
            "apps_deny": tuple(capture_data.get("apps_deny", ())),
        }
    )
    if capture.text_mode not in TEXT_MODES:
        raise StudyError(f"The text_mode in {where} must be one of {', '.join(TEXT_MODES)}.")
    if not 0 < capture.frame_rate <= 30:
        raise StudyError(f"The frame_rate in {where} must be between 0 and 30 frames a second.")
    tasks, rules = _parse_tasks(data, where)
    return Study(
        **{
            **study,
            "purposes": tuple(study["purposes"]),
            "capture": capture,
            "tasks": tasks,
            "task_rules": rules,
        }
    )


def _parse_tasks(data: dict[str, Any], where: str) -> tuple[tuple[StudyTask, ...], TaskRules]:
    """The ``[[tasks]]`` a study assigns and its ``[task_rules]`` (both optional)."""
    rules_data = data.get("task_rules", {})
    if not isinstance(rules_data, dict):
        raise StudyError(f"{where} has a [task_rules] that is not a section.")
    _check_fields(rules_data, _TASK_RULE_FIELDS, "task_rules", where)
    listed = data.get("tasks", [])
    if not isinstance(listed, list) or not all(isinstance(t, dict) for t in listed):
        raise StudyError(f"{where} has tasks that are not [[tasks]] sections.")
    if len(listed) > MAX_STUDY_TASKS:
        raise StudyError(f"{where} lists more than {MAX_STUDY_TASKS} tasks.")
    tasks: list[StudyTask] = []
    for entry in listed:
        _check_fields(entry, _TASK_FIELDS, "tasks", where)
        tid, text = entry.get("id"), entry.get("instruction")
        if not isinstance(tid, str) or not _TASK_ID.match(tid):
            raise StudyError(f"A task in {where} needs an id of letters, digits, '.', '_', '-'.")
        if any(t.id == tid for t in tasks):
            raise StudyError(f"{where} lists the task id {tid!r} twice.")
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_INSTRUCTION:
            raise StudyError(
                f"Task {tid} in {where} needs an instruction of 1 to {MAX_INSTRUCTION} characters."
            )
        limit = entry.get("time_limit_s")
        if limit is not None and not 0 < limit <= MAX_SESSION_S:
            raise StudyError(f"Task {tid}'s time_limit_s in {where} must be above 0, up to a week.")
        tasks.append(StudyTask(**entry))
    rules = TaskRules(**rules_data)
    if not rules.free_text and not tasks:
        raise StudyError(f"{where} allows no free-text tasks but lists no [[tasks]] either.")
    return tuple(tasks), rules


def _check_fields(table: dict[str, Any], known: dict[str, Any], section: str, where: str) -> None:
    for name, value in table.items():
        if name not in known:
            raise StudyError(f"{where} has an unknown field '{name}' in [{section}].")
        expected = known[name]
        if isinstance(value, bool) and expected is not bool and bool not in _as_tuple(expected):
            raise StudyError(f"The field '{name}' in [{section}] of {where} has the wrong type.")
        if not isinstance(value, expected):
            raise StudyError(f"The field '{name}' in [{section}] of {where} has the wrong type.")


def _as_tuple(expected: Any) -> tuple[Any, ...]:
    return expected if isinstance(expected, tuple) else (expected,)


def load_study(path: Path) -> Study:
    """Read and validate a study file.

    Raises:
        StudyError: missing, unreadable, not TOML, or invalid.
    """
    try:
        raw = read_bounded(path)
    except TooLarge:
        raise StudyError(f"The study file {path} is far too large to be a study file.") from None
    except FileNotFoundError:
        raise StudyError(f"The study file {path} does not exist.") from None
    except OSError as error:
        raise StudyError(f"The study file {path} cannot be read: {error.strerror}.") from None
    try:
        data = loads_toml(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise StudyError(f"The study file {path} is not valid TOML: {error}.") from None
    return parse_study(data, str(path))


def study_to_toml(study: Study) -> str:
    """The study file's text (round-trips through load_study)."""
    import tomli_w

    data = study.to_record()
    capture = {k: v for k, v in data.pop("capture").items() if v is not None}
    tasks = [{k: v for k, v in t.items() if v is not None} for t in data.pop("tasks")]
    rules = data.pop("task_rules")
    study_table = {k: v for k, v in data.items() if v is not None}
    doc: dict[str, Any] = {"format": STUDY_FORMAT_VERSION, "study": study_table, "capture": capture}
    if tasks:
        doc["tasks"] = tasks
    if rules != asdict(TaskRules()):
        doc["task_rules"] = rules
    return tomli_w.dumps(doc)
