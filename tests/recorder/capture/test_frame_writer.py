"""Gaps: the spans in which no frame is written, even one grabbed before the gap was heard of."""

from __future__ import annotations

from recorder.capture.frame_writer import FrameGaps


def test_a_gap_covers_grabs_from_its_cause_until_it_closes() -> None:
    gaps = FrameGaps()
    gaps.update(False, now=10.0, since=9.9)  # heard of at 10.0, the window changed at 9.9
    assert not gaps.covers(9.89)
    assert gaps.covers(9.9)
    assert gaps.covers(50.0)  # open
    gaps.update(True, now=12.0, since=None)
    assert gaps.covers(11.99)
    assert not gaps.covers(12.0)


def test_a_second_stop_keeps_the_first_start_and_a_later_cause_starts_now() -> None:
    gaps = FrameGaps()
    gaps.update(False, now=5.0, since=7.0)  # a cause stamped later than now: from now
    gaps.update(False, now=6.0, since=5.5)
    assert gaps.covers(5.0)
    gaps.update(True, now=8.0, since=None)
    gaps.update(True, now=9.0, since=None)  # nothing open: nothing changes
    assert not gaps.covers(8.5)


def test_only_the_last_gaps_are_kept() -> None:
    gaps = FrameGaps(keep=2)
    for start in (1.0, 3.0, 5.0):
        gaps.update(False, now=start, since=None)
        gaps.update(True, now=start + 1, since=None)
    assert not gaps.covers(1.5)
    assert gaps.covers(3.5)
    assert gaps.covers(5.5)
