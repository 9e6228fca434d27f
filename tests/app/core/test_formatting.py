"""app/core/formatting.py: sizes, durations and shortened text for people."""

from __future__ import annotations

import pytest

from app.core.formatting import format_duration, format_size, shorten
from storage.export.run import human_size


@pytest.mark.parametrize(("seconds", "text"), [(0, "0:00"), (61.9, "1:01"), (3723, "1:02:03")])
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_shorten_cuts_with_an_ellipsis_at_the_limit() -> None:
    assert shorten("abcdef", 6) == "abcdef"
    assert shorten("abcdefg", 6) == "abcde…"


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0 B"),
        (999, "999 B"),
        (1000, "1.0 KB"),
        (3 * 1024 * 1024, "3.1 MB"),
        (12_300_000, "12.3 MB"),
        (1_200_000_000, "1.2 GB"),
        (5_000_000_000_000, "5000.0 GB"),
    ],
)
def test_format_size_counts_in_decimal_units(n: int, text: str) -> None:
    assert format_size(n) == text


def test_sizes_read_the_same_as_the_exports_summary() -> None:
    """The export's own summary lines (storage/, which cannot import app/) agree with us."""
    sizes = [0, 1, 999, 1000, 1049, 999_949, 1_000_000, 3 * 1024**2, 10**9, 7 * 10**12]
    assert [format_size(n) for n in sizes] == [human_size(n) for n in sizes]
