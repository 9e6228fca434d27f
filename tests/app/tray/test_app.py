"""The tray app with a fake recorder: consent starts it, pause/stop, re-confirmation, fallback."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from app.core.settings import Settings, load, save
from app.dialogs.consent_dialog import ConsentDialog
from app.dialogs.studies_dialog import StudiesDialog
from app.tray.app import TrayApp
from app.tray.consent_flow import RECORD_WITHOUT_STUDY
from recorder.consent.participant import participant_id
from recorder.consent.reconfirm import ReconfirmSchedule
from storage import DiskFull, Vault
from tests.app.sessions import OFFSCREEN_LIMITS, PASSPHRASE, TEST_LOG_N, make_vault, write_session
from tests.app.study_files import write_study

pytestmark = OFFSCREEN_LIMITS
TIMEOUT = 10_000


@dataclass
class FakeSummary:
    session_id: str
    events: int = 0
    frames: int = 0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class FakeRecorder:
    """Writes a real (empty) session into the vault; waits until asked to stop."""

    def __init__(self, consent: dict[str, Any]) -> None:
        self.consent = consent
        self._stop = threading.Event()
        self.paused = False
        self.sink: Any = None
        self.failure: Exception | None = None
        self.task_marks: list[tuple[str, Any]] = []
        self.open_task: dict[str, Any] | None = None

    def start(self, open_sink: Any) -> str:
        self.sink = open_sink(self.consent)
        return str(self.sink.session_id)

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        self.paused = False

    def request_stop(self, reason: str = "stopped") -> None:
        self._stop.set()

    def wait(self) -> str:
        self._stop.wait(30)
        return "failed" if self.failure is not None else "stopped"

    def fail(self, error: Exception) -> None:
        """What the real recorder does when its writer meets a full disk."""
        self.failure = error
        self._stop.set()

    def stop(self, reason: str = "stopped") -> FakeSummary:
        if self.failure is not None:
            self.sink.close("interrupted")
            raise self.failure
        self.sink.close()
        return FakeSummary(self.sink.session_id, events=3, frames=1)

    def summary(self, reason: str = "") -> FakeSummary:
        return FakeSummary("", events=3, frames=1)

    def new_task(self, instruction: str, study_task_id: str | None = None) -> str:
        self.task_marks.append(("new", instruction))
        self.open_task = {"id": f"e{len(self.task_marks)}", "instruction": instruction}
        return str(self.open_task["id"])

    def end_task(self, outcome: str) -> dict[str, Any] | None:
        self.task_marks.append(("end", outcome))
        closed, self.open_task = self.open_task, None
        return None if closed is None else {**closed, "outcome": outcome}

    def current_task(self) -> dict[str, Any] | None:
        return self.open_task

    def set_task_instruction(self, instruction: str, study_task_id: str | None = None) -> None:
        assert self.open_task is not None
        self.task_marks.append(("named", instruction))
        self.open_task["instruction"] = instruction


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def tray(qtbot: QtBot, tmp_path: Path) -> Iterator[TrayApp]:
    make_vault(tmp_path / "vault")
    recorders: list[FakeRecorder] = []

    def make(consent: dict[str, Any]) -> FakeRecorder:
        recorders.append(FakeRecorder(consent))
        return recorders[-1]

    app = TrayApp(
        tmp_path / "vault",
        tray_available=False,
        make_recorder=make,
        schedule=ReconfirmSchedule(interval_s=60, timeout_s=30, clock=FakeClock()),
    )
    app.recorders = recorders  # type: ignore[attr-defined]
    assert app.status_window is not None
    qtbot.add_widget(app.status_window)
    qtbot.add_widget(app.prompt)
    app.show()
    yield app
    # pytest-qt has closed the widgets by now: stop the timer and the session thread directly.
    app.timer.stop()
    app.controller.stopped.disconnect()
    app.controller.started.disconnect()
    app.controller.stop()
    app.controller.wait_finished()


def start_recording(qtbot: QtBot, tray: TrayApp) -> None:
    dialog = tray.record()
    assert dialog is not None
    qtbot.add_widget(dialog)
    assert tray.state.state == "idle"  # nothing starts before consent
    for box in dialog.checkboxes.values():
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    with qtbot.wait_signal(tray.controller.started, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.start, Qt.MouseButton.LeftButton)


def test_not_now_starts_nothing(qtbot: QtBot, tray: TrayApp) -> None:
    dialog = tray.record()
    assert dialog is not None
    qtbot.add_widget(dialog)
    qtbot.mouseClick(dialog.not_now, Qt.MouseButton.LeftButton)
    assert tray.state.state == "idle"
    assert tray.recorders == []  # type: ignore[attr-defined]


def test_record_pause_resume_stop(qtbot: QtBot, tray: TrayApp) -> None:
    with qtbot.wait_signal(tray.notified) as note:
        start_recording(qtbot, tray)
    assert note.args[0] == "Overt is recording"
    assert tray.state.state == "recording"
    assert tray.state.session_id
    recorder = tray.recorders[0]  # type: ignore[attr-defined]
    assert recorder.consent["affirmed_by"].startswith("consent dialog")
    assert not tray.actions["record"].isEnabled()
    tray.tick()
    assert "3 events, 1 frames" in tray.status_window.text.text()  # type: ignore[union-attr]
    tray.actions["pause"].trigger()
    assert recorder.paused
    assert tray.actions["pause"].text() == "Resume"
    tray.actions["pause"].trigger()
    assert not recorder.paused
    assert not tray.status_window.close()  # type: ignore[union-attr]
    with qtbot.wait_signal(tray.controller.stopped, timeout=TIMEOUT):
        tray.actions["stop"].trigger()
    assert tray.state.state == "idle"
    assert tray.actions["record"].isEnabled()


def test_a_full_disk_stops_the_recording_with_a_notice(qtbot: QtBot, tray: TrayApp) -> None:
    start_recording(qtbot, tray)
    sentence = "The disk is full while saving the session; nothing already saved was lost."
    with qtbot.wait_signal(tray.notified, timeout=TIMEOUT) as note:
        tray.recorders[0].fail(DiskFull(sentence))  # type: ignore[attr-defined]
    assert note.args == ["Overt stopped recording", sentence]
    assert tray.state.state == "idle"
    assert tray.actions["record"].isEnabled()


def test_hotkey_pause_shows_in_the_tray(qtbot: QtBot, tray: TrayApp) -> None:
    start_recording(qtbot, tray)
    tray.recorders[0].paused = True  # type: ignore[attr-defined]
    tray.tick()
    assert tray.state.state == "paused"
    assert "hotkey" in tray.state.status()


def test_unanswered_reconfirmation_pauses(qtbot: QtBot, tray: TrayApp) -> None:
    start_recording(qtbot, tray)
    clock = tray.schedule.clock
    assert isinstance(clock, FakeClock)
    clock.now += 61
    tray.tick()
    assert tray.prompt.isVisible()
    assert tray.state.state == "recording"
    clock.now += 31
    with qtbot.wait_signal(tray.notified) as note:
        tray.tick()
    assert note.args[0] == "Overt paused recording"
    assert tray.state.state == "paused"
    assert tray.recorders[0].paused  # type: ignore[attr-defined]


def test_answered_reconfirmation_keeps_recording(qtbot: QtBot, tray: TrayApp) -> None:
    start_recording(qtbot, tray)
    clock = tray.schedule.clock
    assert isinstance(clock, FakeClock)
    clock.now += 61
    tray.tick()
    qtbot.mouseClick(tray.prompt.keep, Qt.MouseButton.LeftButton)
    clock.now += 31
    tray.tick()
    assert tray.state.state == "recording"


def test_studies_opens_the_studies_dialog(qtbot: QtBot, tray: TrayApp) -> None:
    tray.actions["studies"].trigger()
    dialog = tray.windows[-1]
    assert isinstance(dialog, StudiesDialog)
    qtbot.add_widget(dialog)
    assert dialog.isVisible()


def test_record_drafts_the_consent_for_the_joined_study(
    qtbot: QtBot, tray: TrayApp, tmp_path: Path
) -> None:
    study_file = tmp_path / "study.toml"
    write_study(study_file)  # asks for keys without text, 2 frames/s
    save(tray.home, Settings(text_mode="full", fps=1.0, study_path=str(study_file)))
    dialog = tray.record()
    assert dialog is not None
    qtbot.add_widget(dialog)
    draft = dialog.draft
    assert draft["study"]["id"] == "uxlab-forms"
    assert draft["scope"]["text_mode"] == "keys"  # the study asks less than the settings
    assert draft["scope"]["fps"] == 1.0  # the person chose less than the study asks
    assert draft["recipients"]["who"] == "UX Lab, Example University"
    assert draft["participant_id"] == participant_id(tray.home, "uxlab-forms")
    shown = " ".join(label.text() for label in dialog.findChildren(QLabel))
    for fact in ("UX Lab, Example University", "study how people fill in web forms",
                 "IRB-2026-042", "only the study can read them"):  # fmt: skip
        assert fact in shown, fact
    dialog.reject()


def test_a_vanished_study_is_said_and_recording_without_it_is_offered(
    qtbot: QtBot, tray: TrayApp, tmp_path: Path
) -> None:
    gone = tmp_path / "gone.toml"
    save(tray.home, Settings(study_path=str(gone)))
    assert tray.record() is None  # never a consent dialog for a study that is not there
    box = tray.study_problem
    assert isinstance(box, QMessageBox)
    qtbot.add_widget(box)
    assert box.text() == f"The study file {gone} does not exist."
    [without] = [b for b in box.buttons() if b.text() == RECORD_WITHOUT_STUDY]
    without.click()
    dialog = tray.windows[-1]
    assert isinstance(dialog, ConsentDialog)
    qtbot.add_widget(dialog)
    assert dialog.draft["study"] is None
    assert load(tray.home).study_path == str(gone)  # still remembered: not left silently
    dialog.reject()


def test_withdraw_while_recording_stops_first_then_deletes(qtbot: QtBot, tray: TrayApp) -> None:
    assert tray.actions["withdraw"].isEnabled()
    start_recording(qtbot, tray)
    assert tray.actions["withdraw"].isEnabled()  # one click away, even now
    session_id = tray.state.session_id
    unlock = tray.withdraw()
    assert unlock is not None
    qtbot.add_widget(unlock)
    unlock.passphrase.setText(PASSPHRASE.decode())  # type: ignore[attr-defined]
    with qtbot.wait_signal(tray.withdraw_opened, timeout=TIMEOUT) as opened:
        qtbot.keyClick(unlock.passphrase, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    dialog = opened.args[0]
    qtbot.add_widget(dialog)
    assert "(recording now)" in dialog.session_table.item(0, 0).text()
    dialog.session_table.selectRow(0)
    qtbot.mouseClick(dialog.withdraw_session_button, Qt.MouseButton.LeftButton)
    box = dialog.question
    assert "stops the recording first" in box.text()
    [yes] = [b for b in box.buttons() if b.text() == "Delete and write receipt"]
    with qtbot.wait_signal(dialog.withdrawn, timeout=TIMEOUT):
        yes.click()
    assert tray.state.state == "idle"
    assert Vault.open(tray.home).sessions() == []
    assert (tray.home / "receipts" / f"withdrawal-{session_id}.json").exists()


def test_withdrawing_from_the_joined_study_leaves_it(
    qtbot: QtBot, tray: TrayApp, tmp_path: Path
) -> None:
    study_file = tmp_path / "study.toml"
    write_study(study_file)
    save(tray.home, Settings(text_mode="keys", study_path=str(study_file)))
    tray._show_study()
    assert tray.actions["studies"].text() == "Studies… (Filling in forms)"
    tray._leave_study("another-study")
    assert load(tray.home).study_path == str(study_file)  # not this one
    with qtbot.wait_signal(tray.notified) as note:
        tray._leave_study("uxlab-forms")
    assert note.args[0] == "Overt: you left the study"
    assert load(tray.home).study_path is None
    assert load(tray.home).text_mode == "keys"
    assert tray.actions["studies"].text() == "Studies…"


def test_expired_sessions_go_at_start_up_with_a_notice(qtbot: QtBot, tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    started = time.mktime((2026, 10, 3, 12, 0, 0, 0, 0, -1))
    writer = vault.begin_session(
        {"consent_id": "c", "scope": {}, "retention": {"local_days": 1}}, clock=lambda: started
    )
    writer.close()
    app = TrayApp(vault.home, tray_available=False, clock=lambda: started + 3 * 86400)
    assert app.status_window is not None
    qtbot.add_widget(app.status_window)
    qtbot.add_widget(app.prompt)
    with qtbot.wait_signal(app.notified) as note:
        app.show()
    assert note.args == [
        "Overt deleted expired sessions",
        "Deleted 1 session past the retention its consent set, recorded 3 Oct 2026.",
    ]
    assert Vault.open(vault.home).sessions() == []
    assert app.expiry.timer.isActive()
    app._really_quit()
    assert not app.expiry.timer.isActive()


def test_settings_shape_the_consent_shown(qtbot: QtBot, tray: TrayApp) -> None:
    save(tray.home, Settings(text_mode="keys", fps=2.0))
    dialog = tray.record()
    assert dialog is not None
    qtbot.add_widget(dialog)
    assert dialog.draft["scope"]["text_mode"] == "keys"
    assert dialog.draft["scope"]["fps"] == 2.0
    dialog.reject()


def test_review_asks_for_the_passphrase_then_opens_the_window(qtbot: QtBot, tray: TrayApp) -> None:
    dialog = tray.review()
    assert dialog is not None
    qtbot.add_widget(dialog)
    dialog.passphrase.setText(PASSPHRASE.decode())
    with qtbot.wait_signal(tray.review_opened, timeout=TIMEOUT) as opened:
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    window = opened.args[0]
    qtbot.add_widget(window)
    assert window.sessions.topLevelItemCount() == 0
    assert window.isVisible()


def test_the_trays_consent_dialog_starts_from_the_settings(qtbot: QtBot, tmp_path: Path) -> None:
    home = tmp_path / "vault"
    make_vault(home)
    save(home, Settings(mouse=False, keys=False, allow_apps=["firefox"], retention_days=3))
    tray = TrayApp(home, tray_available=False)
    assert tray.status_window is not None
    qtbot.add_widget(tray.status_window)
    qtbot.add_widget(tray.prompt)
    dialog = tray.record()
    assert dialog is not None
    qtbot.add_widget(dialog)
    scope = dialog.draft["scope"]
    assert (scope["mouse"], scope["keys"], scope["apps_allow"]) == (False, False, ["firefox"])
    assert dialog.draft["retention"]["local_days"] == 3
    assert not any(box.isChecked() for box in dialog.checkboxes.values())
    assert tray.state.state == "idle"  # the person still affirms every session
    dialog.reject()
    tray.timer.stop()


def test_stop_and_quit_saves_the_session_before_quitting(qtbot: QtBot, tray: TrayApp) -> None:
    start_recording(qtbot, tray)
    assert tray.actions["quit"].text() == "Stop and quit"
    session_id = tray.state.session_id
    assert session_id is not None
    assert tray.status_window is not None
    with qtbot.wait_signal(tray.controller.stopped, timeout=TIMEOUT):
        tray.actions["quit"].trigger()
        assert tray.state.state == "stopping"
        assert tray.status_window.isVisible()  # it still says it records, until saved
    assert Vault.open(tray.home).session(session_id).state == "complete"
    assert not tray.status_window.isVisible()
    assert not tray.expiry.timer.isActive()


def test_first_start_without_a_vault_opens_the_welcome(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.dialogs.vault_dialogs import FirstRunDialog

    def cheap_create(home: Path, passphrase: bytes) -> Vault:
        return Vault.create(home, passphrase, log_n=TEST_LOG_N)

    monkeypatch.setitem(FirstRunDialog.__init__.__kwdefaults__, "create", cheap_create)
    home = tmp_path / "vault"
    app = TrayApp(home, tray_available=False)
    assert app.status_window is not None
    qtbot.add_widget(app.status_window)
    qtbot.add_widget(app.prompt)
    app.show()
    [welcome] = [w for w in app.windows if isinstance(w, FirstRunDialog)]
    qtbot.add_widget(welcome)
    assert welcome.isVisible()  # not only a hollow ring
    shown = " ".join(label.text() for label in welcome.findChildren(QLabel))
    assert "Ctrl+Alt+Shift+P" in shown  # where the pause hotkey is
    assert "solid red disc" in shown
    app.activate()  # a second launch, or Record… meanwhile: the same welcome, not another
    assert app.record() is None
    assert [w for w in app.windows if isinstance(w, FirstRunDialog)] == [welcome]
    welcome.passphrase.setText(PASSPHRASE.decode())
    welcome.confirm.setText(PASSPHRASE.decode())
    with qtbot.wait_signal(app.notified) as note:
        welcome.create_button.click()
    assert note.args[0] == "Overt is ready"
    Vault.open(home).unlock(PASSPHRASE)
    app.show()  # with a vault, no welcome
    assert not [w for w in app.windows if isinstance(w, FirstRunDialog)]
    app._really_quit()


def test_withdraw_while_review_is_unlocked_asks_no_passphrase(qtbot: QtBot, tray: TrayApp) -> None:
    write_session(Vault.open(tray.home), frames=1)
    unlock = tray.review()
    assert unlock is not None
    qtbot.add_widget(unlock)
    unlock.passphrase.setText(PASSPHRASE.decode())  # type: ignore[attr-defined]
    with qtbot.wait_signal(tray.review_opened, timeout=TIMEOUT) as opened:
        qtbot.keyClick(unlock.passphrase, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    review = opened.args[0]  # deletes itself on close (not added to qtbot)
    with qtbot.wait_signal(tray.withdraw_opened, timeout=TIMEOUT) as withdrawing:
        assert tray.withdraw() is None  # no unlock dialog: the review's vault is shared
    dialog = withdrawing.args[0]
    qtbot.add_widget(dialog)
    assert dialog.unlocked is review.vault
    assert dialog.session_table.rowCount() == 1
    dialog.accept()
    review.close()
    qtbot.wait_until(lambda: tray.vault.unlocked is None, timeout=TIMEOUT)
    again = tray.withdraw()  # nothing holds the unlocked vault now: the passphrase again
    assert again is not None
    qtbot.add_widget(again)


def test_the_trays_time_and_reviews_duration_count_paused_time_alike(
    qtbot: QtBot, tray: TrayApp
) -> None:
    start_recording(qtbot, tray)
    session_id = tray.state.session_id
    assert session_id is not None
    tray.actions["pause"].trigger()
    qtbot.wait(1200)
    tray.actions["pause"].trigger()
    with qtbot.wait_signal(tray.controller.stopped, timeout=TIMEOUT):
        tray.actions["stop"].trigger()
    shown = tray.state.elapsed()
    duration = Vault.open(tray.home).unlock(PASSPHRASE).open_session(session_id).summary.duration
    assert shown >= 1.0  # the pause counted
    assert abs(shown - duration) < 0.5, (shown, duration)


def test_withdraw_from_the_tray_tells_the_open_review_its_session_went(
    qtbot: QtBot, tray: TrayApp
) -> None:
    from app.review.vault_follow import GONE

    session_id = write_session(Vault.open(tray.home), frames=2)
    unlock = tray.review()
    assert unlock is not None
    qtbot.add_widget(unlock)
    unlock.passphrase.setText(PASSPHRASE.decode())  # type: ignore[attr-defined]
    with qtbot.wait_signal(tray.review_opened, timeout=TIMEOUT) as opened:
        qtbot.keyClick(unlock.passphrase, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    review = opened.args[0]  # deletes itself on close (not added to qtbot)
    qtbot.wait_until(lambda: review.view.image is not None, timeout=TIMEOUT)  # newest, shown
    with qtbot.wait_signal(tray.withdraw_opened, timeout=TIMEOUT) as withdrawing:
        tray.withdraw()
    dialog = withdrawing.args[0]
    qtbot.add_widget(dialog)
    dialog.session_table.selectRow(0)
    qtbot.mouseClick(dialog.withdraw_session_button, Qt.MouseButton.LeftButton)
    [yes] = [b for b in dialog.question.buttons() if b.text() == "Delete and write receipt"]
    with qtbot.wait_signal(review.failed, timeout=TIMEOUT) as said:
        yes.click()
    assert said.args == [GONE]
    assert review.sessions.topLevelItemCount() == 0
    assert review.view.placeholder == GONE
    assert not Vault.open(tray.home).session_ids()
    assert session_id not in review.sessions.ids
    review.close()


def test_task_entries_mark_episodes_in_the_recorder(qtbot: QtBot, tray: TrayApp) -> None:
    assert not tray.actions["new_task"].isEnabled()
    start_recording(qtbot, tray)
    recorder = tray.recorders[0]  # type: ignore[attr-defined]
    assert tray.actions["new_task"].isEnabled()
    assert not tray.actions["task_done"].isEnabled()
    tray.actions["new_task"].trigger()
    dialog = tray.tasks.dialog
    assert dialog is not None
    assert dialog.isVisible()
    qtbot.add_widget(dialog)
    qtbot.keyClicks(dialog.instruction, "Book a train to Leeds")
    with qtbot.wait_signal(tray.notified) as note:
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert note.args[0] == "Task started"
    assert recorder.task_marks == [("new", "Book a train to Leeds")]
    assert "Task: Book a train to Leeds" in tray.state.tooltip()
    assert tray.actions["task_done"].isEnabled()
    tray.actions["task_done"].trigger()
    assert recorder.task_marks[-1] == ("end", "success")
    assert not tray.actions["task_done"].isEnabled()
    assert tray.state.task is None
    # A task hotkey changes the recorder's task without the menu: the tray follows it.
    recorder.new_task("Reply to Sam")
    tray.tick()
    assert tray.state.task == "Reply to Sam"
    assert tray.actions["task_failed"].isEnabled()
    tray.actions["task_failed"].trigger()
    assert recorder.task_marks[-1] == ("end", "failure")


def test_the_new_task_hotkey_asks_for_the_words(qtbot: QtBot, tray: TrayApp) -> None:
    start_recording(qtbot, tray)
    recorder = tray.recorders[0]  # type: ignore[attr-defined]
    recorder.open_task = {"id": "e1", "instruction": ""}  # the recorder opened it at the hotkey
    tray.controller.task_hotkey.emit("new", "e1")
    qtbot.wait_until(lambda: tray.tasks.dialog is not None and tray.tasks.dialog.isVisible())
    dialog = tray.tasks.dialog
    assert dialog is not None
    qtbot.add_widget(dialog)
    assert dialog.start_button.text() == "Name task"
    assert "(not named yet)" in tray.state.tooltip()
    assert tray.actions["task_done"].isEnabled()
    qtbot.keyClicks(dialog.instruction, "Sort the inbox")
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert recorder.task_marks == [("named", "Sort the inbox")]
    assert tray.state.task == "Sort the inbox"
    recorder.open_task = None  # the done hotkey closed it in the recorder
    with qtbot.wait_signal(tray.notified) as note:
        tray.controller.task_hotkey.emit("done", "e1")
    assert note.args == ["Task done", "“Sort the inbox”."]
    assert tray.state.task is None
    assert not tray.actions["task_done"].isEnabled()


def test_a_replaced_vault_key_is_said_and_nothing_records(
    qtbot: QtBot, tray: TrayApp, tmp_path: Path
) -> None:
    """Issue 20 item 1: the tray says the one sentence the writer refuses with."""
    make_vault(tmp_path / "attacker")
    (tmp_path / "vault" / "vault.key").write_bytes(
        (tmp_path / "attacker" / "vault.key").read_bytes()
    )
    dialog = tray.record()
    assert dialog is not None
    qtbot.add_widget(dialog)
    for box in dialog.checkboxes.values():
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    with qtbot.wait_signal(tray.controller.failed, timeout=TIMEOUT) as said:
        qtbot.mouseClick(dialog.start, Qt.MouseButton.LeftButton)
    assert "will not record into it" in said.args[0]
    assert tray.state.state == "idle"
    assert list((tmp_path / "vault" / "sessions").iterdir()) == []


def test_a_terminal_marks_tasks_on_the_trays_recording(
    qtbot: QtBot, tray: TrayApp, tmp_path: Path
) -> None:
    from app.core.task_control import ControlError, send

    home = tmp_path / "vault"
    start_recording(qtbot, tray)
    recorder = tray.recorders[0]  # type: ignore[attr-defined]
    reply = send(home, {"op": "new", "instruction": "From a script"})
    assert reply["ok"], reply
    tray.tick()
    assert tray.state.task == "From a script"
    assert send(home, {"op": "mark", "outcome": "success"})["ok"]
    tray.tick()
    assert tray.state.task is None
    assert recorder.task_marks == [("new", "From a script"), ("end", "success")]
    with qtbot.wait_signal(tray.controller.stopped, timeout=TIMEOUT):
        tray.stop()
    with pytest.raises(ControlError, match="No recording"):
        send(home, {"op": "mark", "outcome": "success"})
