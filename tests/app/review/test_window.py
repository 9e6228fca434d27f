"""The review window on a real vault: opening, stepping, redacting, deleting, approving."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from app.review.previews import Preview
from app.review.window import ReviewWindow
from storage import UnlockedVault
from tests.app.sessions import OFFSCREEN_LIMITS, vault_with_session
from tests.storage.helpers import consent

TIMEOUT = 10_000

pytestmark = OFFSCREEN_LIMITS


@pytest.fixture
def opened(qtbot: QtBot, tmp_path: Path) -> tuple[ReviewWindow, UnlockedVault, str]:
    vault, sid = vault_with_session(tmp_path / "vault")
    window = ReviewWindow(vault)
    qtbot.add_widget(window)
    window.show()
    previews: list[Preview] = []
    window.confirm = lambda p: previews.append(p) or True  # type: ignore[func-returns-value]
    window.previews = previews  # type: ignore[attr-defined]
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        window.open_session(sid)
    if window.view.image is None:
        with qtbot.wait_signal(window.frameShown, timeout=TIMEOUT):
            pass
    return window, vault, sid


def wait_frame(qtbot: QtBot, window: ReviewWindow, index: int) -> None:
    qtbot.wait_until(
        lambda: (
            window.view.image is not None
            and window.index == index
            and f"Frame {index + 1} /" in window.position.text()
        ),
        timeout=TIMEOUT,
    )


def test_session_list_shows_each_session(
    qtbot: QtBot, opened: tuple[ReviewWindow, UnlockedVault, str]
) -> None:
    window, _vault, _sid = opened
    assert window.sessions.topLevelItemCount() == 1
    item = window.sessions.topLevelItem(0)
    assert item.text(3) == "6 frames, 8 actions, 68 events"
    assert item.text(4) == "unreviewed"
    qtbot.wait_until(lambda: item.text(2) == "(own)", timeout=TIMEOUT)


def test_study_column_names_the_study_from_the_consent(
    qtbot: QtBot, opened: tuple[ReviewWindow, UnlockedVault, str]
) -> None:
    window, vault, sid = opened
    study = {"id": "demo-notes", "title": "Note taking", "researcher": "Demo Lab"}
    vault.vault.begin_session({"version": 1, "study": study, "scope": {}}).close()
    with qtbot.wait_signal(window.studiesRead, timeout=TIMEOUT):
        window.refresh_sessions()
    cells = {
        window.sessions.topLevelItem(i).data(
            0, Qt.ItemDataRole.UserRole
        ): window.sessions.topLevelItem(i).text(2)
        for i in range(2)
    }
    assert cells.pop(sid) == "(own)"
    assert list(cells.values()) == ["Note taking (demo-notes)"]


def test_keys_step_frames_and_actions_in_sync(
    qtbot: QtBot, opened: tuple[ReviewWindow, UnlockedVault, str]
) -> None:
    window, _vault, _sid = opened
    wait_frame(qtbot, window, 0)
    assert window.actions_list.count() == 8
    qtbot.keyClick(window, Qt.Key.Key_Right)
    wait_frame(qtbot, window, 1)
    assert window.actions_list.currentRow() == 1  # frame 1 is the click at 1.5 s's frame
    # The click just before (frame 1 is its post-action frame) and the one about to happen.
    assert window.view.overlay.clicks == [(40, 40, "left"), (41, 40, "left")]
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    wait_frame(qtbot, window, 3)
    assert window.actions_list.currentRow() == 3
    assert (
        window.actions_list.currentItem()
        .text()
        .endswith("click at (43, 40) in Editor — notes.txt — Editor")
    )
    qtbot.keyClick(window, Qt.Key.Key_PageUp)
    wait_frame(qtbot, window, 2)
    qtbot.keyClick(window, Qt.Key.Key_Left)
    wait_frame(qtbot, window, 1)
    window.actions_list.setCurrentRow(6)  # the typed run: its pre-action frame is the last
    wait_frame(qtbot, window, 5)
    assert "Frame 6 / 6" in window.position.text()


def test_rectangle_redaction_fills_the_stored_pixels(
    qtbot: QtBot, opened: tuple[ReviewWindow, UnlockedVault, str]
) -> None:
    window, vault, sid = opened
    wait_frame(qtbot, window, 0)
    # Draw the rectangle with the mouse, as a person would.
    view = window.view
    target = view._target()
    scale = target.width() / view.image.width()
    start = QPoint(int(target.x() + 20 * scale) + 1, int(target.y() + 10 * scale) + 1)
    end = QPoint(int(target.x() + 80 * scale), int(target.y() + 60 * scale))
    with qtbot.wait_signal(view.regionSelected) as blocker:
        qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=start)
        qtbot.mouseMove(view, end)
        qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=end)
    rect = blocker.args[0]
    assert rect.width() > 40
    assert rect.height() > 30
    with qtbot.wait_signal(window.changed, timeout=TIMEOUT) as changed:
        assert window.redact_region(
            (rect.x(), rect.y(), rect.width(), rect.height()), [range(0, 6)]
        )
    assert changed.args == ["Blacked out the region in 6 frame(s)."]
    assert window.previews[0].title == "Black out a region"  # type: ignore[attr-defined]
    reader = vault.open_session(sid)
    for i in (0, 3, 5):
        img = reader.frame_image(i)
        box = img.crop((rect.x(), rect.y(), rect.x() + rect.width(), rect.y() + rect.height()))
        assert box.getcolors() == [(box.width * box.height, (0, 0, 0))]
        assert img.getpixel((rect.x() + rect.width() + 2, 50)) != (0, 0, 0)
    assert reader.redactions()[0]["kind"] == "region"


def test_text_redaction_removes_the_text_from_view_and_store(
    qtbot: QtBot, opened: tuple[ReviewWindow, UnlockedVault, str]
) -> None:
    window, vault, sid = opened
    assert "secret" in window.text_view.toPlainText()
    window.search.setText("secret")
    assert window.search_result.text() == "1 match(es)"
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        assert window.redact_text(window.selected_text())
    assert "secret" not in window.text_view.toPlainText()
    assert "hello [removed] world" in window.text_view.toPlainText()
    reader = vault.open_session(sid)
    chars = "".join(e.get("char") or "" for e in reader.events() if e["kind"] == "key")
    assert "secret" not in chars
    assert all("secret" not in (a.get("text") or "") for a in reader.actions())


def test_selected_typed_text_is_removed_there_only(qtbot: QtBot, tmp_path: Path) -> None:
    vault, sid = vault_with_session(tmp_path / "vault", typed="my secret and your secret")
    window = ReviewWindow(vault)
    qtbot.add_widget(window)
    previews: list[Preview] = []
    window.confirm = lambda p: previews.append(p) or True  # type: ignore[func-returns-value]
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        window.open_session(sid)
    # Select the first "secret" in the typed-text view, as a person would with the mouse.
    doc = window.text_view.toPlainText()
    start = doc.index("my secret") + 3
    cursor = window.text_view.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len("secret"), QTextCursor.MoveMode.KeepAnchor)
    window.text_view.setTextCursor(cursor)
    assert window.selected_text() == "secret"
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        window._redact_selection_clicked()
    assert previews[0].title == "Remove the selected typed text"
    assert "'secret'" in previews[0].lines[1]
    # One occurrence stays, the other is gone: from the view and from the store.
    shown = window.text_view.toPlainText()
    assert "my [removed] and your secret" in shown
    assert shown.count("secret") == 1
    reader = vault.open_session(sid)
    (typed,) = [a["text"] for a in reader.actions() if a["kind"] == "type"]
    assert typed == "my [removed] and your secret"
    chars = "".join(e.get("char") or "" for e in reader.events() if e["kind"] == "key")
    assert chars == "my  and your secret"
    assert [r["kind"] for r in reader.redactions()] == ["typed_span"]


def test_delete_the_current_frame(
    qtbot: QtBot, opened: tuple[ReviewWindow, UnlockedVault, str]
) -> None:
    window, vault, sid = opened
    before = vault.open_session(sid)
    pixels = [before.frame_image(i).tobytes() for i in range(6)]
    qtbot.keyClick(window, Qt.Key.Key_Right)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    wait_frame(qtbot, window, 2)
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        assert window.delete_range(window.index, window.index, frames=True, events=False)
    assert window.previews[0].title == "Delete frames"  # type: ignore[attr-defined]
    assert window.previews[0].lines[0].startswith("1 of 6 frame(s)")  # type: ignore[attr-defined]
    wait_frame(qtbot, window, 2)  # where the deleted frame was: the one after it
    assert "Frame 3 / 5" in window.position.text()
    after = vault.open_session(sid)
    assert [after.frame_image(i).tobytes() for i in range(5)] == pixels[:2] + pixels[3:]
    assert sum(1 for _ in after.events()) == 68  # events kept
    assert after.redactions()[0]["kind"] == "frames"
    assert window.sessions.topLevelItem(0).text(3).startswith("5 frames")
    assert window.log_view.toPlainText().endswith("  deleted 1 frame(s)")


def test_delete_a_range_of_frames_with_its_events(
    qtbot: QtBot, opened: tuple[ReviewWindow, UnlockedVault, str]
) -> None:
    window, vault, sid = opened
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        assert window.delete_range(1, 3, frames=True, events=True)
    assert window.previews[0].title == "Delete events and frames"  # type: ignore[attr-defined]
    after = vault.open_session(sid)
    assert [f["t"] for f in after.frames()] == [0.0, 4.0, 5.0]
    assert not any(1.0 <= e["t"] < 4.0 for e in after.events())
    assert [r["kind"] for r in after.redactions()] == ["events", "frames"]
    assert window.model is not None
    assert window.model.frame_count == 3


def test_delete_actions_with_their_frames(
    qtbot: QtBot, opened: tuple[ReviewWindow, UnlockedVault, str]
) -> None:
    window, vault, sid = opened
    window.actions_list.clearSelection()
    window.actions_list.item(4).setSelected(True)
    window.ask_frames_too = lambda frames: True
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        window._delete_selected_clicked()
    after = vault.open_session(sid)
    assert [f["t"] for f in after.frames()] == [0.0, 1.0, 2.0, 3.0]  # frames 5 and 6 gone
    assert sum(1 for _ in after.actions()) == 7
    # The click before keeps its pre-action frame; its post-action frame was deleted.
    first = next(after.actions())
    assert (first["frame_before"], first["frame_after"]) == (0, 1)
    fourth = list(after.actions())[3]
    assert (fourth["frame_before"], fourth["frame_after"]) == (3, None)


def test_nothing_to_change_is_not_offered(
    qtbot: QtBot, opened: tuple[ReviewWindow, UnlockedVault, str]
) -> None:
    window, _vault, _sid = opened
    with qtbot.wait_signal(window.textChangeOffered, timeout=TIMEOUT) as offered:
        window.redact_text("not in this session")
    assert offered.args == [False]
    assert window.previews == []  # type: ignore[attr-defined]


def test_cancelled_preview_changes_nothing(
    qtbot: QtBot, opened: tuple[ReviewWindow, UnlockedVault, str]
) -> None:
    window, vault, sid = opened
    window.confirm = lambda _p: False
    with qtbot.wait_signal(window.textChangeOffered, timeout=TIMEOUT) as offered:
        window.redact_text("secret")
    assert offered.args == [False]
    assert vault.open_session(sid).redactions() == []


def test_delete_range_of_events(
    qtbot: QtBot, opened: tuple[ReviewWindow, UnlockedVault, str]
) -> None:
    window, vault, sid = opened
    window.actions_list.item(0).setSelected(True)
    window.actions_list.item(1).setSelected(True)
    seqs = window.model.event_range_of_actions(0, 1)  # type: ignore[union-attr]
    asked: list[range] = []
    window.ask_frames_too = lambda frames: asked.append(frames) or False  # type: ignore[func-returns-value]
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        window._delete_selected_clicked()
    assert asked == [range(0, 3)]  # click 0's pre-action frame to click 1's post-action one
    reader = vault.open_session(sid)
    assert not any(e["seq"] in seqs for e in reader.events())
    assert sum(1 for _ in reader.actions()) == 6
    assert window.actions_list.count() == 6


def test_blank_window_titles(qtbot: QtBot, opened: tuple[ReviewWindow, UnlockedVault, str]) -> None:
    window, vault, sid = opened
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        window._titles_clicked()
    assert all(not e["title"] for e in vault.open_session(sid).events() if e["kind"] == "window")
    assert "notes.txt" not in window.actions_list.item(0).text()


def test_approve_shows_what_will_leave(
    qtbot: QtBot, opened: tuple[ReviewWindow, UnlockedVault, str]
) -> None:
    window, vault, sid = opened
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        window._approve_clicked()
    preview = window.previews[0]  # type: ignore[attr-defined]
    assert preview.lines[0].startswith("6 frames")
    assert "hello secret world" in preview.lines[2]
    assert vault.vault.session(sid).review == "approved"
    assert window.sessions.topLevelItem(0).text(4) == "approved"


def test_delete_session(qtbot: QtBot, opened: tuple[ReviewWindow, UnlockedVault, str]) -> None:
    window, vault, _sid = opened
    with qtbot.wait_signal(window.changed, timeout=TIMEOUT):
        window._delete_session_clicked()
    assert vault.vault.sessions() == []
    assert window.sessions.topLevelItemCount() == 0
    assert window.session is None


def test_a_session_being_recorded_cannot_be_changed(qtbot: QtBot, tmp_path: Path) -> None:
    vault, sid = vault_with_session(tmp_path / "vault")
    writer = vault.vault.begin_session({"version": 1, "scope": {}})
    try:
        writer.append_frame(
            b"\x00" * (16 * 9 * 4),
            (16, 9),
            {
                "t": 0.0,
                "wall": 1.0,
                "reason": "first",
                "monitor": {"index": 0, "x": 0, "y": 0, "w": 16, "h": 9, "scale": 1.0},
            },
        )
        writer.flush()
        window = ReviewWindow(vault)
        qtbot.add_widget(window)
        window.confirm = lambda _p: True
        with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
            window.open_session(writer.session_id)
        rows = {
            window.sessions.topLevelItem(i).data(
                0, Qt.ItemDataRole.UserRole
            ): window.sessions.topLevelItem(i).text(4)
            for i in range(2)
        }
        assert rows[writer.session_id] == "unreviewed (recording)"
        with qtbot.wait_signal(window.failed, timeout=TIMEOUT) as failed:
            assert window.blank_titles(None) or window.approve()
        message = failed.args[0]
        assert message.endswith(".")
        assert "\n" not in message
        assert window.approve_button.isEnabled()  # tools come back after a failure
    finally:
        writer.close()
    assert vault.vault.session(sid).review == "unreviewed"


def test_delete_the_events_between_two_frames(
    qtbot: QtBot, opened: tuple[ReviewWindow, UnlockedVault, str]
) -> None:
    window, vault, sid = opened
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        assert window.delete_frame_range_events(1, 2)
    preview = window.previews[0]  # type: ignore[attr-defined]
    assert preview.verb == "Delete"
    left = list(vault.open_session(sid).events())
    assert not any(1.0 <= e["t"] < 3.0 for e in left)
    assert any(e["t"] < 1.0 for e in left)
    assert any(e["t"] >= 3.0 for e in left)


def test_suggestions_can_be_dismissed_and_accepted(qtbot: QtBot, tmp_path: Path) -> None:
    from app.core.dismissals import dismissed_keys
    from tests.app.sessions import vault_with_session as make

    vault, sid = make(tmp_path / "vault", typed="mail jane.doe@example.com now")
    window = ReviewWindow(vault)
    qtbot.add_widget(window)
    window.confirm = lambda p: True
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        window.open_session(sid)
    model = window.model
    assert model is not None
    emails = [s for s in model.suggestions if s.kind == "email"]
    assert emails
    assert window.suggestions_list.count() == len(model.suggestions)
    assert model.suggestion_text(emails[0]) == "jane.doe@example.com"
    assert "jane" not in window.suggestions_list.item(0).text()
    key = emails[0].key()
    assert window.dismiss_suggestion(model.suggestions.index(emails[0]))
    assert f"{sid}/{key}" in dismissed_keys(vault.home, [sid])
    assert "jane.doe" not in (vault.home / "dismissals.json").read_text()
    # Accepting a (re-found) suggestion removes the text from the store.
    model.suggestions.insert(0, emails[0])
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        assert window.accept_suggestion(0)
    actions = list(vault.open_session(sid).actions())
    assert not any("jane.doe" in str(a.get("text") or "") for a in actions)


def test_timeline_thumbnails_and_plot_span_a_short_session(
    qtbot: QtBot, opened: tuple[ReviewWindow, UnlockedVault, str]
) -> None:
    window, _vault, _sid = opened
    timeline = window.timeline
    model = window.model
    assert model is not None
    slots = timeline.thumbnail_slots(model.frame_aspect())
    assert slots > 6  # more slots than the session has frames: every slot is filled
    qtbot.wait_until(lambda: len(timeline.thumbnails) == slots, timeout=TIMEOUT)
    assert {img.height() for img in timeline.thumbnails.values()} == {2 * timeline.THUMB_H}
    # The last slot shows the last frame, the first the first: they span the session.
    assert model.frame_at(timeline.slot_time(slots - 1, slots)) == model.frame_count - 1
    assert model.frame_at(timeline.slot_time(0, slots)) == 0
    # The activity plot's bins cover the whole session: the last events are in the last bin.
    bins = len(timeline.activity["key"])
    assert bins == model.activity_bins(timeline.width())
    assert timeline.activity["key"][-1] > 0
    assert bins * 0.25 >= model.duration - 0.25


def test_closing_stops_the_thumbnails(
    qtbot: QtBot, opened: tuple[ReviewWindow, UnlockedVault, str]
) -> None:
    """No thumbnail may arrive after the window is gone (it did: "Timeline already deleted")."""
    window, _vault, _sid = opened
    window.frame_panel.start_thumbnails()
    assert window.frame_panel._thumb_timer.isActive() or window.frame_panel._thumb_loading
    window.close()
    assert not window.frame_panel._thumb_timer.isActive()
    assert window.frame_panel._thumb_queue == []


def test_the_preview_counts_text_in_task_notes_as_the_log_does(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """Every stream text removal reaches is loaded for the preview (here task episodes), so
    the dialog's count is the redaction log's."""
    vault, sid = vault_with_session(tmp_path / "vault", typed="the secret plan")
    reader = vault.open_session(sid)
    assert reader.episodes() == []
    with vault.vault.begin_session(consent()) as w:
        other = w.session_id
        w.put_episode({"id": "e1", "instruction": "find the secret", "t_start": 0.0,
                       "t_end": None, "note": "secret found"})  # fmt: skip
    window = ReviewWindow(vault)
    qtbot.add_widget(window)
    previews: list[Preview] = []
    window.confirm = lambda p: previews.append(p) or True  # type: ignore[func-returns-value]
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        window.open_session(other)
    with (
        qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT),  # reopened after the change
        qtbot.wait_signal(window.textChangeOffered, timeout=TIMEOUT),
    ):
        window.redact_text("secret")
    assert previews[0].lines[0] == "2 occurrence(s) are removed: 2 in task instructions and notes."
    assert [e["count"] for e in vault.open_session(other).redactions()] == [2]
