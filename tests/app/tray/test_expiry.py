"""Retention in the tray: expiry at start-up and daily, on a fake clock, against a real vault."""

from __future__ import annotations

import time
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.tray.expiry import DAY_S, ExpiryReport, ExpiryTimer, expire_now
from storage import Vault
from tests.app.sessions import make_vault

T0 = time.mktime((2026, 10, 3, 12, 0, 0, 0, 0, -1))  # noon, local time, 3 Oct 2026


def kept_for(vault: Vault, days: int, started: float) -> str:
    """A session whose consent keeps it ``days`` days, started at ``started``."""
    consent = {"consent_id": "c", "scope": {}, "retention": {"local_days": days}}
    writer = vault.begin_session(consent, clock=lambda: started)
    writer.close()
    return writer.session_id


class FakeClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_expire_now_deletes_only_what_is_due(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    due = kept_for(vault, 1, T0)
    kept = kept_for(vault, 30, T0)
    report = expire_now(vault.home, T0 + 2 * DAY_S)
    assert report.deleted == ((due, T0),)
    assert [s.id for s in Vault.open(vault.home).sessions()] == [kept]
    assert report.message() == (
        "Deleted 1 session past the retention its consent set, recorded 3 Oct 2026."
    )


def test_no_vault_yet_is_nothing_to_expire(tmp_path: Path) -> None:
    assert expire_now(tmp_path / "nothing", T0) == ExpiryReport(())


def test_the_message_names_each_day_once() -> None:
    report = ExpiryReport((("a", T0), ("b", T0 + 60), ("c", T0 + 2 * DAY_S)))
    assert report.message() == (
        "Deleted 3 sessions past the retention its consent set, recorded 3 Oct 2026 and 5 Oct 2026."
    )


def test_runs_at_start_and_again_after_a_day(qtbot: QtBot, tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    first = kept_for(vault, 1, T0 - 2 * DAY_S)  # already past at start-up
    later = kept_for(vault, 1, T0)  # due tomorrow
    clock = FakeClock(T0)
    timer = ExpiryTimer(vault.home, clock)
    reports: list[ExpiryReport] = []
    timer.expired.connect(reports.append)
    timer.start()
    assert timer.timer.isActive()
    assert [r.deleted[0][0] for r in reports] == [first]
    clock.now += DAY_S / 2
    timer.timer.timeout.emit()  # an hourly check half a day later: not a day yet
    assert len(reports) == 1
    assert Vault.open(vault.home).session(later)
    clock.now += DAY_S / 2 + 1
    timer.timer.timeout.emit()  # a day after the start-up run: expires the second
    assert [r.deleted[0][0] for r in reports] == [first, later]
    clock.now += DAY_S + 1
    with qtbot.assert_not_emitted(timer.expired):
        timer.timer.timeout.emit()  # ran, found nothing: no notice
    assert timer.last_run == clock.now
    timer.stop()
