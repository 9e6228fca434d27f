"""Withdraw…: lists sessions and studies, asks once, deletes, writes and shows the receipt."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.dialogs.withdraw_dialog import WithdrawDialog
from storage import UnlockedVault, Vault
from storage.export.collect import read_receipt
from tests.app.sessions import OFFSCREEN_LIMITS, PASSPHRASE, make_vault, write_session

pytestmark = OFFSCREEN_LIMITS
STUDY = {"id": "uxlab", "title": "Forms"}


def vault_with_three(home: Path) -> tuple[UnlockedVault, str, list[str]]:
    vault = make_vault(home)
    personal = write_session(vault, frames=1)
    study = [write_session(vault, frames=1, study=STUDY) for _ in range(2)]  # type: ignore[arg-type]
    return vault.unlock(PASSPHRASE), personal, study


def answer(dialog: WithdrawDialog, yes: bool) -> str:
    """Click the confirmation's button; its question text."""
    box = dialog.question
    assert isinstance(box, QMessageBox)
    text = box.text()
    wanted = "Delete and write receipt" if yes else "Cancel"
    [button] = [b for b in box.buttons() if b.text() == wanted]
    button.click()
    return text


def row_of(dialog: WithdrawDialog, session_id: str) -> int:
    return [e.id for e in dialog.entries].index(session_id)


def make_dialog(qtbot: QtBot, unlocked: UnlockedVault, **kwargs: object) -> WithdrawDialog:
    dialog = WithdrawDialog(unlocked, **kwargs)  # type: ignore[arg-type]
    qtbot.add_widget(dialog)
    dialog.show()
    return dialog


def test_lists_date_study_size_and_studies(qtbot: QtBot, tmp_path: Path) -> None:
    unlocked, personal, study = vault_with_three(tmp_path / "vault")
    dialog = make_dialog(qtbot, unlocked)
    table = dialog.session_table
    assert table.rowCount() == 3
    row = row_of(dialog, personal)
    assert table.item(row, 0).text()[:2] == "20"  # a date
    assert table.item(row, 1).text() == "personal"
    assert table.item(row, 2).text().endswith("KB")
    assert table.item(row_of(dialog, study[0]), 1).text() == "Forms"
    assert dialog.study_table.rowCount() == 1
    assert dialog.study_table.item(0, 0).text() == "Forms (uxlab)"
    assert dialog.study_table.item(0, 1).text() == "2"
    assert not dialog.withdraw_session_button.isEnabled()  # nothing selected yet


def test_cancel_deletes_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    unlocked, personal, _ = vault_with_three(tmp_path / "vault")
    dialog = make_dialog(qtbot, unlocked)
    dialog.session_table.selectRow(row_of(dialog, personal))
    qtbot.mouseClick(dialog.withdraw_session_button, Qt.MouseButton.LeftButton)
    assert "deleted irrecoverably" in answer(dialog, yes=False)
    assert len(Vault.open(unlocked.home).sessions()) == 3
    assert not (unlocked.home / "receipts").exists()


def test_withdraw_a_session_shows_its_receipt(qtbot: QtBot, tmp_path: Path) -> None:
    unlocked, personal, study = vault_with_three(tmp_path / "vault")
    opened: list[Path] = []
    dialog = make_dialog(qtbot, unlocked, show_folder=opened.append)
    dialog.session_table.selectRow(row_of(dialog, personal))
    qtbot.mouseClick(dialog.withdraw_session_button, Qt.MouseButton.LeftButton)
    with qtbot.wait_signal(dialog.withdrawn) as done:
        answer(dialog, yes=True)
    assert done.args[0] == [personal]
    receipt = unlocked.home / "receipts" / f"withdrawal-{personal}.json"
    assert read_receipt(receipt.read_bytes()) is not None
    assert str(receipt) in dialog.outcome.text()
    assert {s.id for s in Vault.open(unlocked.home).sessions()} == set(study)
    assert dialog.session_table.rowCount() == 2  # the list was refreshed
    qtbot.mouseClick(dialog.open_receipts, Qt.MouseButton.LeftButton)
    assert opened == [unlocked.home / "receipts"]


def test_withdraw_a_whole_study(qtbot: QtBot, tmp_path: Path) -> None:
    unlocked, personal, study = vault_with_three(tmp_path / "vault")
    dialog = make_dialog(qtbot, unlocked)
    dialog.study_table.selectRow(0)
    qtbot.mouseClick(dialog.withdraw_study_button, Qt.MouseButton.LeftButton)
    assert answer(dialog, yes=True) == (
        "Withdraw both sessions of the study 'Forms'? They are deleted irrecoverably and a "
        "receipt is written for each."
    )
    assert [s.id for s in Vault.open(unlocked.home).sessions()] == [personal]
    receipts = sorted((unlocked.home / "receipts").glob("*.json"))
    assert {json.loads(p.read_text())["session_id"] for p in receipts} == set(study)
    assert dialog.study_table.rowCount() == 0
    assert "Deleted 2 sessions irrecoverably" in dialog.outcome.text()


def test_withdrawing_from_the_joined_study_leaves_it(qtbot: QtBot, tmp_path: Path) -> None:
    unlocked, _, _ = vault_with_three(tmp_path / "vault")
    dialog = make_dialog(qtbot, unlocked, joined_study="uxlab")
    dialog.study_table.selectRow(0)
    qtbot.mouseClick(dialog.withdraw_study_button, Qt.MouseButton.LeftButton)
    with qtbot.wait_signal(dialog.study_withdrawn) as left:
        assert "You also leave the study" in answer(dialog, yes=True)
    assert left.args == ["uxlab"]


def test_withdrawing_another_study_leaves_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    unlocked, _, _ = vault_with_three(tmp_path / "vault")
    dialog = make_dialog(qtbot, unlocked, joined_study="another")
    dialog.study_table.selectRow(0)
    qtbot.mouseClick(dialog.withdraw_study_button, Qt.MouseButton.LeftButton)
    with qtbot.assert_not_emitted(dialog.study_withdrawn):
        assert "leave the study" not in answer(dialog, yes=True)
    assert dialog.study_table.rowCount() == 0


def test_the_session_being_recorded_is_stopped_first(qtbot: QtBot, tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    writer = vault.begin_session({"consent_id": "c-live", "scope": {}})
    stops: list[Callable[[], None]] = []
    live: list[str] = [writer.session_id]
    dialog = make_dialog(
        qtbot, vault.unlock(PASSPHRASE),
        recording_session=lambda: live[0] if live else None, stop_then=stops.append,
    )  # fmt: skip
    assert "(recording now)" in dialog.session_table.item(0, 0).text()
    dialog.session_table.selectRow(0)
    qtbot.mouseClick(dialog.withdraw_session_button, Qt.MouseButton.LeftButton)
    assert "stops the recording first" in answer(dialog, yes=True)
    assert "Stopping the recording first" in dialog.outcome.text()
    assert Vault.open(vault.home).session(writer.session_id)  # not yet: still recording
    writer.close()  # what the tray's stop does; then it calls back
    live.clear()
    [then] = stops
    then()
    assert Vault.open(vault.home).sessions() == []
    assert "Deleted 1 session irrecoverably" in dialog.outcome.text()


def test_the_question_counts_a_studys_sessions_in_words(qtbot: QtBot, tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    write_session(vault, frames=1, study=STUDY)  # type: ignore[arg-type]
    dialog = make_dialog(qtbot, vault.unlock(PASSPHRASE))
    dialog.study_table.selectRow(0)
    qtbot.mouseClick(dialog.withdraw_study_button, Qt.MouseButton.LeftButton)
    assert answer(dialog, yes=False) == (
        "Withdraw the only session of the study 'Forms'? It is deleted irrecoverably and a "
        "receipt is written."
    )
    for _ in range(2):
        write_session(vault, frames=1, study=STUDY)  # type: ignore[arg-type]
    dialog.refresh()
    dialog.study_table.selectRow(0)
    qtbot.mouseClick(dialog.withdraw_study_button, Qt.MouseButton.LeftButton)
    assert answer(dialog, yes=False).startswith(
        "Withdraw all 3 sessions of the study 'Forms'? They"
    )


def test_a_session_deleted_elsewhere_leaves_the_list(qtbot: QtBot, tmp_path: Path) -> None:
    unlocked, personal, study = vault_with_three(tmp_path / "vault")
    dialog = make_dialog(qtbot, unlocked)
    assert dialog.session_table.rowCount() == 3
    Vault.open(unlocked.home).delete_session(personal)  # as `overt delete` or expiry would
    qtbot.wait_until(lambda: dialog.session_table.rowCount() == 2, timeout=5000)
    assert {e.id for e in dialog.entries} == set(study)
