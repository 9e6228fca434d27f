"""app/review/navigation.py: stepping by frame and by action."""

from __future__ import annotations

from tests.app.review.session_records import model


def test_stepping_by_frame_is_clamped() -> None:
    m = model()
    assert m.step_frame(0, -1) == 0
    assert m.step_frame(3, 1) == 4
    assert m.step_frame(4, 1) == 4


def test_stepping_by_action_follows_the_actions_frames() -> None:
    m = model()
    assert m.step_action(0, 1) == 0  # before any action: the first
    assert m.action_frame(0) == 1  # its pre-action frame
    assert m.action_frame(1) == 1  # no frame_before: the frame at its time
    assert m.step_action(1, 1, current=0) == 1  # two actions on one frame: both visited
    assert m.step_action(1, -1, current=1) == 0
    assert m.step_action(3, -1) == 1
    assert m.step_action(4, 1) == 3  # nothing later: the last action
    assert m.step_action(4, 1, current=3) == 3  # clamped


def test_the_action_a_frame_shows() -> None:
    m = model()
    assert m.action_at_frame(0) is None
    assert m.action_at_frame(1) == 0  # the click's pre-action frame
    assert m.action_at_frame(3) == 2  # the typed run's pre-action frame
    assert m.action_at_frame(4) == 3  # no action's frame: the last one begun by then
