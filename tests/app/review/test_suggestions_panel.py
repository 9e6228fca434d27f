"""app/review/suggestions_panel.py: listed, dismissed (saved beside the vault), rescanned."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app.core.dismissals import dismissed_keys
from app.review.suggestions_panel import SuggestionsPanel
from storage.scan.text import Suggestion
from tests.app.review.session_records import model as sample
from tests.app.sessions import OFFSCREEN_LIMITS

pytestmark = OFFSCREEN_LIMITS

TYPED = Suggestion("password_prompt", "typed", (), 2, None, "p***")
ON_SCREEN = Suggestion("email", "frame", (), None, None, "j***", frames=(1, 2), box=(1, 2, 3, 4))


def panel_on(qtbot: QtBot, home: Path) -> tuple[SuggestionsPanel, list[int]]:
    m = sample()
    m.suggestions = [TYPED]
    panel = SuggestionsPanel(home, lambda: m, lambda: "s1", QPushButton("Scan"))
    qtbot.add_widget(panel)
    counts: list[int] = []
    panel.counted.connect(counts.append)
    return panel, counts


def test_a_frame_scan_adds_to_the_list_and_is_kept_for_a_reload(
    qtbot: QtBot, tmp_path: Path
) -> None:
    panel, counts = panel_on(qtbot, tmp_path)
    assert panel.fill() == 1
    with qtbot.wait_signal(panel.frameTextFound) as found:
        panel.scan_found("s1", [ON_SCREEN])
    assert found.args == [1]
    assert counts == [1, 2]
    assert panel.suggestions_list.item(1).text().startswith("Email address on screen")
    assert panel.last_scan("s1", 5) == [ON_SCREEN]
    assert panel.last_scan("s1", 4) is None  # frames were deleted: the boxes may be wrong
    panel.scan_found("another session", [ON_SCREEN])
    assert counts == [1, 2]
    panel.forget(ON_SCREEN)
    assert panel.last_scan("s1", 5) == []


def test_dismissing_saves_the_key_only_and_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    panel, counts = panel_on(qtbot, tmp_path)
    panel.fill()
    panel.suggestions_list.setCurrentRow(0)
    with qtbot.wait_signal(panel.dismissed), qtbot.wait_signal(panel.status) as status:
        assert panel.dismiss()
    assert status.args == ["Dismissed; export will not warn about it."]
    assert counts == [1, 0]
    assert dismissed_keys(tmp_path, ["s1"]) == [f"s1/{TYPED.key()}"]
    assert not panel.dismiss()  # nothing left to dismiss


def test_a_dismissal_that_cannot_be_saved_keeps_the_suggestion(
    qtbot: QtBot, tmp_path: Path
) -> None:
    panel, counts = panel_on(qtbot, tmp_path / "gone")  # no folder to write into
    panel.fill()
    with qtbot.wait_signal(panel.failed) as failed:
        assert not panel.dismiss(0)
    assert failed.args[0].startswith("The dismissal could not be saved: ")
    assert panel.selected(0) == (0, TYPED)
    assert counts == [1]


@pytest.mark.parametrize("row", [-1, 1, 5])
def test_rows_outside_the_list_choose_nothing(qtbot: QtBot, tmp_path: Path, row: int) -> None:
    panel, _ = panel_on(qtbot, tmp_path)
    assert panel.selected(row) is None
