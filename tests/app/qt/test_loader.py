"""app/qt/loader.py: a load reports only if nothing newer was asked for meanwhile."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from app.qt.loader import CurrentLoader
from storage import StorageError

TIMEOUT = 5_000


@pytest.fixture
def loader(qapp: object) -> Iterator[CurrentLoader]:
    pool = QThreadPool()
    yield CurrentLoader(pool)
    pool.waitForDone(TIMEOUT)


def held(
    gate: threading.Event, value: object = None, error: str | None = None
) -> Callable[[], object]:
    """A load that waits for ``gate``, then returns ``value`` or raises ``error``."""

    def load() -> object:
        assert gate.wait(TIMEOUT / 1000)
        if error is not None:
            raise StorageError(error)
        return value

    return load


def test_a_current_load_delivers_its_result_and_its_failure(
    qtbot: QtBot, loader: CurrentLoader
) -> None:
    gate = threading.Event()
    gate.set()
    got: list[object] = []
    loader.start(held(gate, 42), got.append, got.append)
    loader.start(held(gate, error="The disk is gone."), got.append, got.append)
    qtbot.wait_until(lambda: len(got) == 2, timeout=TIMEOUT)
    assert sorted(map(str, got)) == ["42", "The disk is gone."]


def test_after_renew_a_stale_load_reports_only_that_it_settled(
    qtbot: QtBot, loader: CurrentLoader
) -> None:
    gate = threading.Event()
    got: list[object] = []
    settled: list[str] = []
    loader.start(held(gate, "old"), got.append, got.append, settled=lambda: settled.append("a"))
    loader.start(
        held(gate, error="Old session gone."),
        got.append,
        got.append,
        settled=lambda: settled.append("b"),
    )
    loader.renew()
    loader.start(held(gate, "new"), got.append, got.append, settled=lambda: settled.append("c"))
    gate.set()
    qtbot.wait_until(lambda: len(settled) == 3, timeout=TIMEOUT)
    assert sorted(settled) == ["a", "b", "c"]
    assert got == ["new"]
