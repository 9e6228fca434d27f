"""The review window follows the vault: it opens on the newest session, says when the one shown
was deleted elsewhere, stays on its frame after a change, and its Duration follows deletions."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from pytestqt.qtbot import QtBot

from app.review.frame_panel import NO_FRAMES
from app.review.vault_follow import GONE, NO_SESSIONS
from app.review.window import ReviewWindow
from storage import UnlockedVault, Vault
from tests.app.sessions import (
    OFFSCREEN_LIMITS,
    PASSPHRASE,
    consent,
    frame_pixels,
    make_vault,
    meta,
    write_session,
)
from tests.helpers.overt_cli import run_overt

TIMEOUT = 10_000
DURATION_COLUMN = 1

pytestmark = OFFSCREEN_LIMITS


def window_on(qtbot: QtBot, vault: UnlockedVault) -> ReviewWindow:
    window = ReviewWindow(vault)
    qtbot.add_widget(window)
    window.confirm = lambda _preview: True  # type: ignore[method-assign]
    window.show()
    return window


def shown_frame(qtbot: QtBot, window: ReviewWindow, index: int) -> None:
    qtbot.wait_until(
        lambda: window.view.image is not None and f"Frame {index + 1} /" in window.position.text(),
        timeout=TIMEOUT,
    )


def test_review_opens_on_the_newest_session(qtbot: QtBot, tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    write_session(vault, frames=2)
    newest = write_session(vault, frames=3)
    window = window_on(qtbot, vault.unlock(PASSPHRASE))
    qtbot.wait_until(
        lambda: window.model is not None and bool(window.model.actions), timeout=TIMEOUT
    )
    shown_frame(qtbot, window, 0)
    assert window.session is not None
    assert window.session.session_id == newest
    current = window.sessions.currentItem()
    assert current is not None
    assert current.data(0, 256) == newest  # its row is the one selected
    assert "Frame 1 / 3" in window.position.text()


def test_an_empty_vault_says_so_instead_of_loading(qtbot: QtBot, tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    window = window_on(qtbot, vault.unlock(PASSPHRASE))
    assert window.view.image is None
    assert window.view.placeholder == NO_SESSIONS
    assert "Record…" in window.statusBar().currentMessage()
    first = write_session(vault, frames=2)  # recorded while the window waits
    qtbot.wait_until(lambda: window.session is not None, timeout=TIMEOUT)
    assert window.session is not None
    assert window.session.session_id == first


def test_a_session_without_frames_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    vault.begin_session(consent()).close()
    window = window_on(qtbot, vault.unlock(PASSPHRASE))
    qtbot.wait_until(lambda: window.model is not None, timeout=TIMEOUT)
    assert window.view.placeholder == NO_FRAMES


def test_a_session_deleted_by_the_cli_in_another_process_is_said_gone(
    qtbot: QtBot, tmp_path: Path
) -> None:
    home = tmp_path / "vault"
    vault = make_vault(home)
    kept = write_session(vault, frames=2)
    shown = write_session(vault, frames=3)
    window = window_on(qtbot, vault.unlock(PASSPHRASE))
    shown_frame(qtbot, window, 0)
    with qtbot.wait_signal(window.failed, timeout=TIMEOUT) as said:
        deleted = run_overt("delete", shown, "--yes", "--home", str(home))
        assert deleted.returncode == 0, deleted.stderr
    assert said.args == [GONE]
    assert window.view.image is None
    assert window.view.placeholder == GONE
    assert window.session is None
    assert window.sessions.ids == [kept]  # the list follows
    assert window.sessions.topLevelItemCount() == 1


def test_a_stale_row_says_the_session_is_gone_never_a_missing_chunk(
    qtbot: QtBot, tmp_path: Path
) -> None:
    vault = make_vault(tmp_path / "vault")
    older = write_session(vault, frames=2)
    write_session(vault, frames=2)
    window = window_on(qtbot, vault.unlock(PASSPHRASE))
    shown_frame(qtbot, window, 0)
    window.sessions.watcher.blockSignals(True)  # as if the change went unnoticed
    Vault.open(vault.home).delete_session(older)
    said: list[str] = []
    window.failed.connect(said.append)
    window.sessions.chosen.emit(older)  # the person clicks its row, still listed
    qtbot.wait_until(lambda: bool(said), timeout=TIMEOUT)
    assert said == [GONE]
    assert "chunk" not in window.statusBar().currentMessage()
    assert older not in window.sessions.ids


def test_review_stays_on_the_current_frame_after_a_black_out(qtbot: QtBot, tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    write_session(vault, frames=6)
    window = window_on(qtbot, vault.unlock(PASSPHRASE))
    qtbot.wait_until(
        lambda: window.model is not None and bool(window.model.actions), timeout=TIMEOUT
    )
    window.show_frame(3)
    shown_frame(qtbot, window, 3)
    window.view.selection = QRect(10, 10, 30, 20)
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        assert window.redact_region((10, 10, 30, 20), [range(3, 4)])
    shown_frame(qtbot, window, 3)
    assert window.index == 3
    assert "Frame 4 / 6" in window.position.text()


def test_the_duration_follows_the_deletion_of_the_sessions_tail(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = make_vault(tmp_path / "vault")
    writer = vault.begin_session(consent(), clock=lambda: time.time() - 100)
    for i, t in enumerate((0.0, 30.0, 60.0, 90.0)):
        writer.append_frame(frame_pixels(160, 90, i), (160, 90), meta(t, 160, 90))
        writer.append_event({"t": t + 1, "wall": 1.0, "kind": "move", "x": i, "y": i})
    real = time.monotonic
    with monkeypatch.context() as later:  # the writer closes 100 s after it began
        later.setattr(time, "monotonic", lambda: real() + 100)
        writer.close()
    window = window_on(qtbot, vault.unlock(PASSPHRASE))
    qtbot.wait_until(
        lambda: window.model is not None and bool(window.model.events), timeout=TIMEOUT
    )
    row = window.sessions.topLevelItem(0)
    assert row is not None
    assert row.text(DURATION_COLUMN) == "1:40"  # from Start to Stop
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        assert window.delete_range(2, 3, frames=True, events=True)
    row = window.sessions.topLevelItem(0)
    assert row is not None
    assert row.text(DURATION_COLUMN) == "0:31"  # ends with what is left
    summary = Vault.open(vault.home).unlock(PASSPHRASE).open_session(writer.session_id).summary
    assert summary.duration == 31.0  # `overt show` and an export's session.json agree
