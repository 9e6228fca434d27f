"""The consent text is generated from the record, and affirming binds the text's hash."""

from __future__ import annotations

from typing import Any

import pytest

from recorder.consent.text import STATEMENTS, affirm, render_text, text_sha256
from storage.text_reach import REACHES


def draft(**scope: Any) -> dict[str, Any]:
    base = {"mouse": True, "keys": True, "text_mode": "full", "frames": True, "fps": 1.0,
            "window_titles": True, "apps_allow": [], "apps_deny": ["keepassxc"],
            "duration_s": 600}  # fmt: skip
    return {"version": 1, "consent_id": "c1", "study": None, "scope": {**base, **scope}}


def test_text_follows_the_scope() -> None:
    full = render_text(draft())
    assert "Keys and typed text" in full
    assert "Screenshots" in full
    assert "10 minutes" in full
    assert "Never: keepassxc" in full
    keys_only = render_text(draft(text_mode="keys", frames=False, window_titles=False))
    assert "Keys without text" in keys_only
    assert "The text you type." in keys_only
    assert "Window titles and app names" not in keys_only
    assert "Screenshots." in keys_only  # listed under what it does not record


def test_text_says_the_session_may_hold_task_instructions_and_outcomes() -> None:
    record = affirm(draft(), statements=[i for i, _ in STATEMENTS], action="t", now=1.0)
    text = render_text(draft(text_mode="none", frames=False))
    assert "Tasks, if you mark them: what you say you set out to do" in text
    assert "whether it worked" in text
    assert record["text"]["version"] >= 5  # 5: removing a text searches the screenshots


def test_study_text_names_who_gets_the_data() -> None:
    record = draft()
    record["study"] = {"title": "Forms", "researcher": "UX Lab", "contact": "a@b.org",
                       "purposes": ["agents"], "ethics_ref": "IRB-7"}  # fmt: skip
    text = render_text(record)
    assert "UX Lab (a@b.org)" in text
    assert "IRB-7" in text


def test_affirm_requires_every_statement() -> None:
    ids = [sid for sid, _ in STATEMENTS]
    with pytest.raises(ValueError, match="no_employer"):
        affirm(draft(), statements=[i for i in ids if i != "no_employer"], action="test")
    record = affirm(draft(), statements=ids, action="typed yes", now=1.0)
    assert record["text"]["sha256"] == text_sha256(render_text(draft()))
    assert record["affirmed_by"] == "typed yes"
    assert record["time"] == 1.0


def test_text_says_what_each_removal_reaches() -> None:
    """Every place storage/text_reach.py removes text from is named, and what happens to
    screenshots is said (searched by OCR in review; not by the command)."""
    text = render_text(draft())
    line = next(x for x in text.splitlines() if "Removing a text" in x)
    for reach in REACHES:
        assert reach.place in line
    assert "[removed]" in line
    assert "searches the screenshots for the text with OCR" in text
    assert "overt redact --text does not change screenshots" in text


def test_text_says_what_the_never_list_reaches_and_what_it_cannot() -> None:
    full = render_text(draft())
    assert "no clicks, scrolls or keys you make in them" in full
    assert "title bar and borders included" in full
    assert "Beyond reach: their names or titles shown elsewhere (a taskbar" in full


def test_text_names_the_active_pause_hotkey() -> None:
    assert "with the hotkey Ctrl+Alt+Shift+P." in render_text(draft())
    assert "with the hotkey Ctrl+Alt+Shift+F9." in render_text(
        draft(pause_hotkey="ctrl+alt+shift+f9")
    )


def test_text_says_which_names_of_buttons_menus_and_fields_are_kept() -> None:
    """UI element names are captured content (recorder/capture/grounding.py): the text says so,
    that a password field's never are, and that text mode none keeps their kind and box."""
    record = affirm(draft(), statements=[i for i, _ in STATEMENTS], action="t", now=1.0)
    assert record["text"]["version"] >= 9  # 9: which UI element names are recorded
    for mode in ("full", "keys"):
        text = render_text(draft(text_mode=mode))
        assert "Buttons, menus and fields you click or type into: their names" in text
        assert "never a password field's name or contents" in text
    none = render_text(draft(text_mode="none"))
    assert "Buttons, menus and fields you click or type into, without their names" in none
    assert "The names of the buttons, menus and fields you click." in none
    assert "their names (e.g." not in none
    neither = render_text(draft(mouse=False, keys=False))
    assert "Buttons, menus and fields" not in neither
