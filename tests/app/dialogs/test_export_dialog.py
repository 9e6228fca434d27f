"""The Export dialog on a real vault: preview, export, cancel, refusal of unapproved sessions."""

from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

import app.dialogs.export_dialog as module
from app.dialogs.export_dialog import ExportDialog
from storage.export import FORMATS
from storage.export.errors import ExportCancelled
from tests.app.sessions import OFFSCREEN_LIMITS, vault_with_session

TIMEOUT = 10_000

pytestmark = OFFSCREEN_LIMITS


def approved(tmp_path: Path) -> tuple[object, str]:
    vault, sid = vault_with_session(tmp_path / "vault", frames=4)
    vault.approve(sid)
    return vault, sid


def opened(qtbot: QtBot, tmp_path: Path) -> tuple[ExportDialog, Path]:
    vault, sid = approved(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    dialog = ExportDialog(vault, [sid], folder=out)  # type: ignore[arg-type]
    qtbot.add_widget(dialog)
    with qtbot.wait_signal(dialog.previewReady, timeout=TIMEOUT):
        pass
    return dialog, out


def test_preview_then_export_writes_the_files(qtbot: QtBot, tmp_path: Path) -> None:
    dialog, out = opened(qtbot, tmp_path)
    text = dialog.summary.toPlainText()
    assert "1 session(s):" in text
    assert "4 frames" in text
    assert "Editor" in text
    assert "notes.txt — Editor" in text
    assert dialog.thumbs.count() >= 2  # sample thumbnails (and a stretch)
    dialog.choose_format("zip")
    target = Path(dialog.path.text())
    assert target.parent == out
    assert target.suffix == ".zip"
    with qtbot.wait_signal(dialog.finished_export, timeout=TIMEOUT) as blocker:
        dialog.export_button.click()
    assert blocker.args
    assert str(blocker.args[0]).startswith("Exported 1 session(s)")
    assert dialog.result_path == target
    assert target.is_file()
    assert [p.name for p in out.iterdir()] == [target.name]


def test_after_the_export_its_folder_can_be_shown_and_the_choices_stay_fixed(
    qtbot: QtBot, tmp_path: Path
) -> None:
    vault, sid = approved(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    shown: list[Path] = []
    dialog = ExportDialog(vault, [sid], folder=out, show_folder=shown.append)  # type: ignore[arg-type]
    qtbot.add_widget(dialog)
    with qtbot.wait_signal(dialog.previewReady, timeout=TIMEOUT):
        pass
    assert dialog.show_button.isHidden()
    with qtbot.wait_signal(dialog.finished_export, timeout=TIMEOUT):
        dialog.export_button.click()
    assert not dialog.show_button.isHidden()
    assert not dialog.browse_button.isEnabled()  # the export is written: nothing to re-choose
    assert not dialog.path.isEnabled()
    dialog.show_button.click()
    assert shown == [out]


def test_cancel_leaves_nothing(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog, out = opened(qtbot, tmp_path)
    gate = threading.Event()

    # Hold the export at its first progress call until Cancel has been pressed.
    original = module.export_sessions

    def slow(*args: object, **kwargs: object) -> object:
        progress = kwargs["progress"]

        def held(what: str, done: int, total: int) -> None:
            gate.wait(TIMEOUT / 1000)
            progress(what, done, total)  # type: ignore[operator]

        kwargs["progress"] = held
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "export_sessions", slow)
    with qtbot.wait_signal(dialog.finished_export, timeout=TIMEOUT) as blocker:
        dialog.start_export()
        dialog.cancel_button.click()
        gate.set()
    assert blocker.args == [str(ExportCancelled())]
    assert list(out.iterdir()) == []
    assert dialog.result_path is None
    assert dialog.export_button.isEnabled()


def test_unapproved_session_is_refused(qtbot: QtBot, tmp_path: Path) -> None:
    vault, sid = vault_with_session(tmp_path / "vault", frames=2)
    dialog = ExportDialog(vault, [sid], folder=tmp_path)
    qtbot.add_widget(dialog)
    assert dialog.status.text() == (
        f"Session {sid} is not approved; review and approve it before exporting."
    )
    assert not dialog.export_button.isEnabled()
    dialog.start_export()
    assert not dialog.busy()


def test_an_unapproved_session_shows_no_endless_preview_or_progress(
    qtbot: QtBot, tmp_path: Path
) -> None:
    vault, sid = vault_with_session(tmp_path / "vault", frames=2)
    dialog = ExportDialog(vault, [sid], folder=tmp_path)
    qtbot.add_widget(dialog)
    dialog.show()
    assert "Preparing" not in dialog.summary.toPlainText()
    assert "Approve" in dialog.summary.toPlainText()  # what to do instead
    assert dialog.progress.isHidden()
    assert not dialog.busy()
    assert not dialog.format.isEnabled()


def test_each_format_says_what_it_is_for(qtbot: QtBot, tmp_path: Path) -> None:
    dialog, _out = opened(qtbot, tmp_path)
    items = [dialog.format.itemText(i) for i in range(dialog.format.count())]
    assert [dialog.format.itemData(i) for i in range(dialog.format.count())] == list(FORMATS)
    for name, text in zip(FORMATS, items, strict=True):
        assert text.startswith(f"{name}: "), text
        assert len(text) > len(name) + 12, text
    assert dialog.progress.isHidden()  # no 0% bar once the preview is shown
    dialog.choose_format("parquet")
    assert dialog.chosen_format() == "parquet"


def test_export_button_opens_the_dialog_for_the_open_session(qtbot: QtBot, tmp_path: Path) -> None:
    vault, sid = approved(tmp_path)
    host = QWidget()
    qtbot.add_widget(host)
    host.vault = vault  # type: ignore[attr-defined]
    host.session = SimpleNamespace(session_id=sid)  # type: ignore[attr-defined]
    button = module.export_button(host)
    button.click()
    dialogs = host.findChildren(ExportDialog)
    assert len(dialogs) == 1
    assert dialogs[0].session_ids == [sid]
    with qtbot.wait_signal(dialogs[0].previewReady, timeout=TIMEOUT):
        pass


def test_cancel_during_the_preview_stops_it_and_closes(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault, sid = approved(tmp_path)
    gate = threading.Event()
    calls: list[str] = []
    original = module.preview

    def held(*args: object, **kwargs: object) -> object:
        progress = kwargs["progress"]

        def wait_then_check(what: str, done: int, total: int) -> None:
            calls.append(what)
            gate.wait(TIMEOUT / 1000)
            progress(what, done, total)  # type: ignore[operator]

        kwargs["progress"] = wait_then_check
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "preview", held)
    dialog = ExportDialog(vault, [sid], folder=tmp_path)  # type: ignore[arg-type]
    qtbot.add_widget(dialog)
    dialog.show()
    qtbot.wait_until(lambda: bool(calls), timeout=TIMEOUT)
    dialog.cancel_button.click()
    assert not dialog.isVisible()
    gate.set()
    qtbot.wait_until(lambda: not dialog.busy(), timeout=TIMEOUT)
    assert dialog.preview_result is None
    assert dialog.status.text() == str(ExportCancelled())


def test_the_preview_honours_this_sessions_dismissals(qtbot: QtBot, tmp_path: Path) -> None:
    from app.core.dismissals import save_dismissal
    from storage.scan import text as scanner

    vault, sid = vault_with_session(tmp_path / "vault", frames=2, typed="mail jo@example.org")
    vault.approve(sid)
    reader = vault.open_session(sid)
    found = scanner.scan_session(reader.events(), list(reader.actions()))
    assert found
    for suggestion in found:
        save_dismissal(vault.home, sid, suggestion.key())
    save_dismissal(vault.home, "another-session", "email:typed:1:0:None")
    dialog = ExportDialog(vault, [sid], folder=tmp_path)
    qtbot.add_widget(dialog)
    with qtbot.wait_signal(dialog.previewReady, timeout=TIMEOUT) as blocker:
        pass
    assert blocker.args[0].unresolved == []
    assert "Warning" not in dialog.summary.toPlainText()


def test_cancel_while_packing_an_encrypted_export_leaves_nothing(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancel arrives while the encrypted tar is being packed (frames are all written)."""
    import pyrage

    dialog, out = opened(qtbot, tmp_path)
    dialog.recipient.setText(str(pyrage.x25519.Identity.generate().to_public()))
    gate = threading.Event()
    phases: list[str] = []
    original = module.export_sessions

    def slow(*args: object, **kwargs: object) -> object:
        progress = kwargs["progress"]

        def held(what: str, done: int, total: int) -> None:
            phases.append(what)
            if what.startswith("packing"):
                gate.wait(TIMEOUT / 1000)
            progress(what, done, total)  # type: ignore[operator]

        kwargs["progress"] = held
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "export_sessions", slow)
    with qtbot.wait_signal(dialog.finished_export, timeout=TIMEOUT) as blocker:
        dialog.start_export()
        qtbot.wait_until(lambda: any(p.startswith("packing") for p in phases), timeout=TIMEOUT)
        dialog.cancel_button.click()
        gate.set()
    assert blocker.args == [str(ExportCancelled())]
    assert list(out.iterdir()) == []
