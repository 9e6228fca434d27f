"""One tray per vault: a second launch hands over to the first and exits."""

from __future__ import annotations

import uuid

from pytestqt.qtbot import QtBot

from app.tray.single_instance import SingleInstance

TIMEOUT = 10_000


def test_second_instance_hands_over_to_the_first(qtbot: QtBot) -> None:
    name = f"overt-test-{uuid.uuid4().hex[:8]}"
    first = SingleInstance(name)
    assert first.claim()
    second = SingleInstance(name)
    with qtbot.wait_signal(first.activated, timeout=TIMEOUT):
        assert not second.claim()
    first.release()
    third = SingleInstance(name)
    assert third.claim()  # the name is free again
    third.release()
