"""Studies…: load a study file (errors in one sentence), read it, join it, leave it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.settings import Settings, load, save
from app.dialogs.studies_dialog import StudiesDialog
from tests.app.sessions import OFFSCREEN_LIMITS
from tests.app.study_files import write_study

pytestmark = OFFSCREEN_LIMITS


def dialog_for(qtbot: QtBot, home: Path, chosen: list[Path | None]) -> StudiesDialog:
    dialog = StudiesDialog(home, choose_file=lambda _parent: chosen.pop(0))
    qtbot.add_widget(dialog)
    dialog.show()
    return dialog


def test_no_study_joined_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = dialog_for(qtbot, tmp_path, [])
    assert "none" in dialog.current.text()
    assert not dialog.join_button.isEnabled()
    assert not dialog.leave_button.isEnabled()


def test_an_invalid_file_is_one_sentence_and_cannot_be_joined(qtbot: QtBot, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[study]\nid = "x1"\ncolour = "blue"\n')
    dialog = dialog_for(qtbot, tmp_path, [bad])
    qtbot.mouseClick(dialog.load_button, Qt.MouseButton.LeftButton)
    message = dialog.notice.text()
    assert message == f"{bad} has an unknown field 'colour' in [study]."
    assert "Traceback" not in message
    assert not dialog.join_button.isEnabled()
    assert dialog.details.text() == ""


def test_load_shows_what_the_study_asks_then_join_and_leave(qtbot: QtBot, tmp_path: Path) -> None:
    save(tmp_path, Settings(text_mode="keys"))
    path = tmp_path / "study.toml"
    study = write_study(path)
    dialog = dialog_for(qtbot, tmp_path, [path])
    qtbot.mouseClick(dialog.load_button, Qt.MouseButton.LeftButton)
    shown = dialog.details.text()
    for fact in ("UX Lab, Example University", "lab@example.org", "IRB-2026-042",
                 "study how people fill in web forms", "keys without the text",
                 "about 2 per second", "14 days", "only UX Lab", "dpo@example.org"):  # fmt: skip
        assert fact in shown, fact
    assert load(tmp_path).study_path is None  # loading is not joining
    with qtbot.wait_signal(dialog.changed) as joined:
        qtbot.mouseClick(dialog.join_button, Qt.MouseButton.LeftButton)
    assert joined.args[0] == study
    assert load(tmp_path).study_path == str(path.resolve())
    assert load(tmp_path).text_mode == "keys"  # the other settings are kept
    assert "Filling in forms" in dialog.current.text()
    assert dialog.leave_button.isEnabled()
    with qtbot.wait_signal(dialog.changed) as left:
        qtbot.mouseClick(dialog.leave_button, Qt.MouseButton.LeftButton)
    assert left.args[0] is None
    assert load(tmp_path).study_path is None
    assert "none" in dialog.current.text()
    assert "stay on this computer" in dialog.notice.text()


def test_a_joined_file_that_disappeared_is_said_plainly(qtbot: QtBot, tmp_path: Path) -> None:
    gone = tmp_path / "gone.toml"
    save(tmp_path, Settings(study_path=str(gone)))
    dialog = dialog_for(qtbot, tmp_path, [])
    assert "cannot be used" in dialog.current.text()
    assert dialog.notice.text() == f"The study file {gone} does not exist."
    assert dialog.leave_button.isEnabled()  # it can still be left
