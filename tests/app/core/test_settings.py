"""The settings file (app/core/settings.py): versioned, checked by field, written atomically."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from app.core.settings import (
    FILE,
    MAX_RETENTION_DAYS,
    VERSION,
    Settings,
    SettingsError,
    app_names,
    load,
    save,
)
from recorder.consent.record import DEFAULT_DENY_APPS
from storage import DiskFull


def write(home: Path, doc: Any) -> None:
    (home / FILE).write_text(json.dumps(doc) if not isinstance(doc, str) else doc)


def test_defaults_when_there_is_no_file(tmp_path: Path) -> None:
    assert load(tmp_path) == Settings()


def test_round_trip_and_scope(tmp_path: Path) -> None:
    save(tmp_path, Settings(text_mode="keys", fps=2.5, deny_apps=["signal"], mouse=False,
                            allow_apps=["firefox"], retention_days=14))  # fmt: skip
    loaded = load(tmp_path)
    assert loaded.text_mode == "keys"
    scope = loaded.scope()
    assert scope.fps == 2.5
    assert scope.mouse is False
    assert scope.apps_allow == ("firefox",)
    assert scope.apps_deny == (*DEFAULT_DENY_APPS, "signal")
    assert json.loads((tmp_path / FILE).read_text())["version"] == VERSION == 2


def test_keys_off_means_no_text_at_all(tmp_path: Path) -> None:
    scope = Settings(keys=False, text_mode="full").scope()
    assert scope.keys is False
    assert scope.effective_text_mode == "none"
    assert Settings(text_mode="none").scope().keys is False


def test_a_version_1_file_still_loads_with_the_new_fields_defaulted(tmp_path: Path) -> None:
    write(tmp_path, {"version": 1, "text_mode": "keys", "fps": 2, "deny_apps": ["signal"]})
    loaded = load(tmp_path)
    assert (loaded.text_mode, loaded.fps, loaded.deny_apps) == ("keys", 2.0, ["signal"])
    assert (loaded.mouse, loaded.keys, loaded.allow_apps, loaded.retention_days) == (
        True, True, [], None)  # fmt: skip


@pytest.mark.parametrize(
    ("doc", "words"),
    [
        ({"version": 3}, "newer Overt"),
        ({"fps": 1}, "no valid version"),
        ({"version": "2"}, "no valid version"),
        ({"version": True}, "no valid version"),
        ([1, 2], "not a JSON object"),
        ("not json", "cannot be read"),
        ({"version": 2, "colour": "red"}, "unknown field 'colour'"),
        ({"version": 2, "fps": 0}, "bad value for 'fps': the frame rate"),
        ({"version": 2, "fps": "fast"}, "bad value for 'fps': it must be a number"),
        ({"version": 2, "mouse": 1}, "bad value for 'mouse': it must be true or false"),
        ({"version": 2, "deny_apps": "signal"}, "bad value for 'deny_apps'"),
        ({"version": 2, "retention_days": 0}, "bad value for 'retention_days'"),
        ({"version": 2, "retention_days": 1.5}, "bad value for 'retention_days'"),
        ({"version": 2, "text_mode": "all"}, "bad value for 'text_mode'"),
        ({"version": 2, "allow_apps": ["signal"], "deny_apps": ["Signal"]}, "both"),
    ],
)
def test_bad_files_are_refused_in_one_sentence_naming_the_field(
    tmp_path: Path, doc: Any, words: str
) -> None:
    write(tmp_path, doc)
    before = (tmp_path / FILE).read_bytes()
    with pytest.raises(SettingsError) as caught:
        load(tmp_path)
    message = str(caught.value)
    assert words in message
    assert str(tmp_path / FILE) in message
    assert message.endswith(".")
    assert "\n" not in message
    assert (tmp_path / FILE).read_bytes() == before  # a bad file is reported, never rewritten


def test_an_app_both_allowed_and_denied_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as caught:
        save(tmp_path, Settings(allow_apps=["signal", "firefox"], deny_apps=["signal"]))
    assert str(caught.value) == (
        "signal is both in the only-record list and the never-record list; "
        "remove it from one of them."
    )
    assert caught.value.field == "allow_apps"
    with pytest.raises(SettingsError, match="KeePassXC is never recorded"):
        Settings(allow_apps=["KeePassXC"]).check()
    assert not (tmp_path / FILE).exists()


def test_app_names_are_trimmed_lowercased_and_unique() -> None:
    assert app_names(" Firefox, signal,,firefox , Thunderbird ") == [
        "firefox", "signal", "thunderbird"]  # fmt: skip


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save(tmp_path, Settings(fps=3.0))
    before = (tmp_path / FILE).read_bytes()

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(DiskFull, match=r"The disk is full while writing settings\.json"):
        save(tmp_path, Settings(fps=5.0))
    assert (tmp_path / FILE).read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [FILE]
    assert (tmp_path / FILE).stat().st_mode & 0o077 == 0  # preferences stay private too


app_name = st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x2FF, blacklist_characters=","),
    min_size=1,
    max_size=12,
).filter(str.strip)  # a blank name is refused by check(), as it should be
valid_settings = st.builds(
    Settings,
    text_mode=st.sampled_from(["full", "keys", "none"]),
    fps=st.floats(min_value=0.01, max_value=30.0, allow_nan=False),
    frames=st.booleans(),
    window_titles=st.booleans(),
    pause_hotkey=st.sampled_from(["ctrl+alt+shift+p", "ctrl+super+F9", "ctrl+alt+home"]),
    deny_apps=st.lists(app_name, max_size=4),
    keyring_unlock=st.booleans(),
    mouse=st.booleans(),
    keys=st.booleans(),
    allow_apps=st.lists(app_name, max_size=4),
    retention_days=st.none() | st.integers(min_value=1, max_value=MAX_RETENTION_DAYS),
).filter(lambda s: not {a.lower() for a in s.allow_apps}
         & {a.lower() for a in (*s.deny_apps, *DEFAULT_DENY_APPS)})  # fmt: skip


@hyp_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(valid_settings)
def test_every_valid_settings_survives_a_round_trip(tmp_path: Path, settings: Settings) -> None:
    save(tmp_path, settings)
    assert load(tmp_path) == settings


def test_a_bad_saved_pause_hotkey_falls_back_to_the_default_with_a_notice(
    tmp_path: Path,
) -> None:
    for bad in ("p", "ctrl+banana", "ctrl+c"):
        (tmp_path / FILE).write_text(json.dumps({"version": VERSION, "pause_hotkey": bad}))
        notices: list[str] = []
        assert load(tmp_path, notices).pause_hotkey == "ctrl+alt+shift+p"
        assert len(notices) == 1
        assert notices[0].startswith(f"The saved pause hotkey {bad!r} ")
        assert "Overt uses ctrl+alt+shift+p until you choose another." in notices[0]


def test_an_unusable_pause_hotkey_is_not_saved(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"^The pause hotkey 'p' needs ctrl, alt or super"):
        save(tmp_path, Settings(pause_hotkey="p"))
    assert not (tmp_path / FILE).exists()
