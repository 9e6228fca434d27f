"""app/review/frame_panel.py on a real session: frames load off the GUI thread, in step."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from app.qt.loader import CurrentLoader
from app.review.frame_panel import FramePanel
from app.review.model import ReviewModel
from app.review.session import ReviewSession
from storage.scan.text import Suggestion
from tests.app.sessions import OFFSCREEN_LIMITS, vault_with_session

TIMEOUT = 10_000

pytestmark = OFFSCREEN_LIMITS


@pytest.fixture
def panel(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[FramePanel, CurrentLoader]]:
    vault, sid = vault_with_session(tmp_path / "vault")
    session = ReviewSession(vault, sid)
    model = ReviewModel(session.frames())
    model.set_records(*session.records())
    pool = QThreadPool()
    loader = CurrentLoader(pool)
    panel = FramePanel(loader)
    qtbot.add_widget(panel)
    panel.resize(800, 500)
    panel.open(session, model)
    yield panel, loader
    pool.waitForDone(TIMEOUT)


def test_a_frame_is_shown_with_where_and_the_action_it_shows(
    qtbot: QtBot, panel: tuple[FramePanel, CurrentLoader]
) -> None:
    frames, _ = panel
    with qtbot.wait_signal(frames.shown, timeout=TIMEOUT) as shown:
        frames.show_frame(2)
    assert shown.args == [2, 2]  # frame 2 is click 2's pre-action frame
    assert frames.view.image is not None
    assert frames.position.text().startswith("Frame 3 / 6  ·  0:02  ·  periodic")
    assert frames.position.text().endswith("Editor — notes.txt — Editor")
    with qtbot.wait_signal(frames.shown, timeout=TIMEOUT) as shown:
        frames.step_action(1)
    assert shown.args == [3, 3]
    frames.step_frame(10)
    qtbot.wait_until(lambda: frames.index == 5 and "Frame 6 / 6" in frames.position.text())


def test_a_frame_still_loading_for_the_old_session_is_never_shown(
    qtbot: QtBot, panel: tuple[FramePanel, CurrentLoader]
) -> None:
    frames, loader = panel
    shown: list[object] = []
    frames.shown.connect(lambda *args: shown.append(args))
    frames.show_frame(4)
    loader.renew()  # as the window does when it opens another session
    frames.reset()
    frames.loader.pool.waitForDone(TIMEOUT)
    qtbot.wait(50)  # let the stale result's queued signal arrive, and be dropped
    assert shown == []
    assert frames.view.image is None
    assert frames.index == 0


def test_a_frame_suggestion_selects_its_box_on_its_first_frame(
    qtbot: QtBot, panel: tuple[FramePanel, CurrentLoader]
) -> None:
    frames, _ = panel
    s = Suggestion("email", "frame", (), None, None, "j***", frames=(3, 5), box=(4, 5, 60, 9))
    with qtbot.wait_signal(frames.shown, timeout=TIMEOUT):
        frames.show_suggestion(s)
    assert frames.index == 3
    assert frames.view.selection is not None
    assert frames.view.selection.getRect() == (4, 5, 60, 9)


def test_thumbnails_fill_the_timeline_once_records_are_shown(
    qtbot: QtBot, panel: tuple[FramePanel, CurrentLoader]
) -> None:
    frames, _ = panel
    frames.show()
    frames.show_records()
    slots = frames.timeline.thumbnail_slots(frames.model.frame_aspect())  # type: ignore[union-attr]
    qtbot.wait_until(lambda: len(frames.timeline.thumbnails) == slots, timeout=TIMEOUT)
    frames.close_session("Session deleted.")
    assert frames.position.text() == "Session deleted."
    assert frames.model is None
