"""app/review/change_runner.py: preview, confirm, then apply in the pool, for every change."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from app.review.change_runner import ChangeRunner
from app.review.changes import Change
from app.review.previews import Preview
from storage import StorageError

TIMEOUT = 5_000


class Session:
    """A stand-in ReviewSession: only its id is read by the runner."""

    session_id = "s1"


@pytest.fixture
def pool(qapp: object) -> Iterator[QThreadPool]:
    pool = QThreadPool()
    yield pool
    pool.waitForDone(TIMEOUT)


def runner_with(pool: QThreadPool, answer: bool) -> tuple[ChangeRunner, list[str], list[str]]:
    asked: list[str] = []
    runner = ChangeRunner(pool, lambda p: asked.append(p.title) or answer)  # type: ignore[func-returns-value]
    statuses: list[str] = []
    runner.status.connect(statuses.append)
    return runner, asked, statuses


def test_a_confirmed_change_runs_in_the_pool_and_reports_its_result(
    qtbot: QtBot, pool: QThreadPool
) -> None:
    runner, asked, statuses = runner_with(pool, True)
    threads: list[threading.Thread] = []

    def apply(_session: object) -> int:
        threads.append(threading.current_thread())
        return 4

    change = Change(Preview("Black out a region", ["…"]), apply, "Blacked out {} frame(s).")
    started: list[bool] = []
    runner.started.connect(lambda: started.append(True))
    with qtbot.wait_signal(runner.applied, timeout=TIMEOUT) as applied:
        assert runner.run(change, Session())  # type: ignore[arg-type]
    assert applied.args == ["Blacked out 4 frame(s).", "s1", False]
    assert asked == ["Black out a region"]
    assert started == [True]
    assert statuses == ["Black out a region…"]
    assert len(threads) == 1
    assert threads[0] is not threading.main_thread()


def test_nothing_to_change_no_session_or_a_no_runs_nothing(qtbot: QtBot, pool: QThreadPool) -> None:
    ran: list[object] = []
    empty = Change(Preview("Remove 'x'", [], empty=True), ran.append, "")
    runner, asked, statuses = runner_with(pool, True)
    assert not runner.run(empty, Session())  # type: ignore[arg-type]
    assert statuses == ["Remove 'x': nothing would change."]
    assert asked == []
    some = Change(Preview("Delete frames", ["1 frame"]), ran.append, "")
    assert not runner.run(some, None)
    declined, asked, _ = runner_with(pool, False)
    assert not declined.run(some, Session())  # type: ignore[arg-type]
    assert asked == ["Delete frames"]
    pool.waitForDone(TIMEOUT)
    assert ran == []


def test_a_failure_is_one_sentence(qtbot: QtBot, pool: QThreadPool) -> None:
    runner, _, _ = runner_with(pool, True)

    def apply(_session: object) -> None:
        raise StorageError("The session is being recorded; stop it first.")

    change = Change(Preview("Approve this session", ["…"]), apply, "Approved.")
    with qtbot.wait_signal(runner.failed, timeout=TIMEOUT) as failed:
        assert runner.run(change, Session())  # type: ignore[arg-type]
    assert failed.args == ["The session is being recorded; stop it first."]
