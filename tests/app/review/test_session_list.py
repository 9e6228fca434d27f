"""app/review/session_list.py: one row per session; its study read from the consent later."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QThreadPool
from pytestqt.qtbot import QtBot

from app.review.session_list import STUDY_COLUMN, SessionList
from tests.app.sessions import OFFSCREEN_LIMITS, PASSPHRASE, make_vault, write_session

TIMEOUT = 10_000

pytestmark = OFFSCREEN_LIMITS


@pytest.fixture
def pool(qapp: object) -> Iterator[QThreadPool]:
    pool = QThreadPool()
    yield pool
    pool.waitForDone(TIMEOUT)


def test_rows_then_studies_and_a_click_chooses_the_session(
    qtbot: QtBot, tmp_path: Path, pool: QThreadPool
) -> None:
    vault = make_vault(tmp_path / "vault")
    own = write_session(vault, frames=2)
    studied = write_session(vault, frames=3, study={"id": "notes", "title": "Note taking"})  # type: ignore[arg-type]
    sessions = SessionList(vault.unlock(PASSPHRASE), pool)
    qtbot.add_widget(sessions)
    sessions.show()
    with qtbot.wait_signal(sessions.studiesRead, timeout=TIMEOUT):
        sessions.refresh()
    rows = {
        sessions.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole): sessions.topLevelItem(i)
        for i in range(sessions.topLevelItemCount())
    }
    assert set(rows) == {own, studied}
    assert rows[own].text(STUDY_COLUMN) == "(own)"
    assert rows[studied].text(STUDY_COLUMN) == "Note taking (notes)"
    assert rows[studied].text(3) == "3 frames, 5 actions, 53 events"
    sessions.select(studied)
    assert sessions.currentItem() is rows[studied]
    qtbot.wait_exposed(sessions)
    rect = sessions.visualItemRect(rows[own])
    with qtbot.wait_signal(sessions.chosen) as chosen:
        at = QPoint(rect.left() + 5, rect.center().y())  # the row is wider than the list
        qtbot.mouseClick(sessions.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert chosen.args == [own]
    sessions.refresh()  # studies are remembered: no "…" while they are read again
    assert {sessions.topLevelItem(i).text(STUDY_COLUMN) for i in range(2)} == {
        "(own)",
        "Note taking (notes)",
    }
