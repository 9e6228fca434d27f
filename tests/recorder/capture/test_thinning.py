"""Pointer-move thinning keeps the rate bound, path ends and the move before a click."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from recorder.capture.thinning import MoveThinner


def run(times: list[float], hz: float | None) -> list[float]:
    thinner: MoveThinner[float] = MoveThinner(hz)
    kept: list[float] = []
    for t in times:
        kept.extend(thinner.move(t, t))
    kept.extend(thinner.tick(times[-1] + 1.0))
    return kept


def test_a_fast_path_is_thinned_to_the_rate_and_keeps_its_ends() -> None:
    times = [i / 1000 for i in range(1000)]  # 1 s of moves at 1000 Hz
    kept = run(times, 60.0)
    assert kept[0] == times[0]
    assert kept[-1] == times[-1]
    assert 55 <= len(kept) <= 65


def test_raw_mode_keeps_everything() -> None:
    times = [i / 1000 for i in range(100)]
    assert run(times, None) == times


def test_the_move_before_a_button_is_kept() -> None:
    thinner: MoveThinner[str] = MoveThinner(10.0)
    assert thinner.move(0.0, "a") == ["a"]
    assert thinner.move(0.01, "b") == []
    assert thinner.move(0.02, "c") == []
    assert thinner.before_other() == ["c"]
    assert thinner.before_other() == []


def test_a_path_end_waits_until_the_pointer_is_still() -> None:
    thinner: MoveThinner[str] = MoveThinner(10.0, settle=0.05)
    thinner.move(0.0, "a")
    thinner.move(0.01, "b")
    assert thinner.tick(0.03) == []
    assert thinner.tick(0.07) == ["b"]


@given(st.lists(st.floats(0, 0.05), min_size=1, max_size=300), st.sampled_from([30.0, 60.0]))
def test_kept_moves_are_ordered_spaced_and_end_at_the_last(gaps: list[float], hz: float) -> None:
    times = []
    t = 0.0
    for gap in gaps:
        t += gap
        times.append(t)
    kept = run(times, hz)
    assert kept == sorted(kept)
    assert kept[0] == times[0]
    assert kept[-1] == times[-1]
    # every kept move except the path's end is at least one interval after the previous one
    spacing = [b - a for a, b in itertools.pairwise(kept[:-1])]
    assert all(s >= 1 / hz - 1e-9 for s in spacing)
