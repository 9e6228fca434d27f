"""The consent dialog: Start only once every statement is ticked; Not now records nothing."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox, QDialog, QLabel
from pytestqt.qtbot import QtBot

from app.core.consent_drafting import draft_consent
from app.core.settings import Settings, load, save
from app.dialogs.consent_dialog import START_ACTION, ConsentDialog
from recorder.consent.text import render_text
from tests.app.sessions import OFFSCREEN_LIMITS


def draft() -> dict[str, Any]:
    scope = {"text_mode": "keys", "frames": True, "fps": 2, "apps_deny": ["keepassxc"]}
    return {"version": 1, "consent_id": "c1", "study": None, "scope": scope}


def tick(qtbot: QtBot, box: QCheckBox) -> None:
    """Click the box's indicator, as a person would."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def make(qtbot: QtBot, **kwargs: Any) -> ConsentDialog:
    dialog = ConsentDialog(draft(), **kwargs)
    qtbot.add_widget(dialog)
    dialog.show()
    return dialog


def test_start_is_disabled_until_every_statement_is_ticked(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    assert not any(box.isChecked() for box in dialog.checkboxes.values())
    assert not dialog.start.isEnabled()
    boxes = list(dialog.checkboxes.values())
    for box in boxes[:-1]:
        tick(qtbot, box)
        assert not dialog.start.isEnabled()
    tick(qtbot, boxes[-1])
    assert dialog.start.isEnabled()
    tick(qtbot, boxes[0])
    assert not dialog.start.isEnabled()


def test_start_produces_a_record_bound_to_the_shown_text(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    for box in dialog.checkboxes.values():
        tick(qtbot, box)
    with qtbot.wait_signal(dialog.accepted):
        qtbot.mouseClick(dialog.start, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.record is not None
    assert dialog.record["affirmed_by"] == START_ACTION
    from recorder.consent.text import text_sha256

    assert dialog.record["text"]["sha256"] == text_sha256(render_text(draft()))


def test_not_now_gives_no_record(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    for box in dialog.checkboxes.values():
        tick(qtbot, box)
    with qtbot.wait_signal(dialog.rejected):
        qtbot.mouseClick(dialog.not_now, Qt.MouseButton.LeftButton)
    assert dialog.record is None


def test_open_windows_are_marked_in_or_out(qtbot: QtBot) -> None:
    dialog = make(
        qtbot,
        open_windows=[("firefox", "Inbox"), ("keepassxc", "Passwords")],
        in_scope=lambda app, _title: app != "keepassxc",
    )
    shown = "\n".join(label.text() for label in dialog.findChildren(QLabel))
    assert "firefox: Inbox (recorded)" in shown
    assert "keepassxc: Passwords (NOT recorded)" in shown


@OFFSCREEN_LIMITS
def test_the_consent_dialog_shows_the_defaults_and_ticks_no_statement(
    qtbot: QtBot, tmp_path: Path
) -> None:
    save(tmp_path, Settings(mouse=False, retention_days=9))
    dialog = ConsentDialog(draft_consent(tmp_path, load(tmp_path)))
    qtbot.add_widget(dialog)
    assert dialog.draft["scope"]["mouse"] is False
    assert not any(box.isChecked() for box in dialog.checkboxes.values())
    assert not dialog.start.isEnabled()
    text = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "9 days" in text


def test_the_consent_text_shows_no_raw_markup(qtbot: QtBot) -> None:
    study = {"id": "s", "title": "Forms", "researcher": "Lab", "contact": "lab@example.org",
             "purposes": ["study forms"]}  # fmt: skip
    for shown in (draft(), {**draft(), "study": study}):
        dialog = ConsentDialog(shown)
        qtbot.add_widget(dialog)
        texts = [html.unescape(label.text()) for label in dialog.findChildren(QLabel)]
        texts += [box.text() for box in dialog.checkboxes.values()]
        assert not [t for t in texts if "`" in t]
        assert any("Withdraw… in the tray's menu" in t for t in texts)
        assert "`" not in render_text(shown)  # the CLI shows the same text


def test_the_dialog_says_which_names_of_buttons_menus_and_fields_are_kept(qtbot: QtBot) -> None:
    """Element names are captured (never a password field's); text mode none keeps their kind
    and box only: the dialog says which, for the scope it shows."""
    with_names = make(qtbot)  # text mode "keys": names are kept
    shown = " ".join(html.unescape(label.text()) for label in with_names.findChildren(QLabel))
    assert "Buttons, menus and fields you click or type into: their names" in shown
    assert "never a password field's name or contents" in shown
    none = {**draft(), "scope": {**draft()["scope"], "text_mode": "none"}}
    without = ConsentDialog(none)
    qtbot.add_widget(without)
    shown = " ".join(html.unescape(label.text()) for label in without.findChildren(QLabel))
    assert "Buttons, menus and fields you click or type into, without their names" in shown
    assert "their names (e.g." not in shown
