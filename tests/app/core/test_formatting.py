"""app/core/formatting.py: sizes, durations and shortened text for people."""

from __future__ import annotations

import pytest

from app.core.formatting import format_duration, shorten


@pytest.mark.parametrize(("seconds", "text"), [(0, "0:00"), (61.9, "1:01"), (3723, "1:02:03")])
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_shorten_cuts_with_an_ellipsis_at_the_limit() -> None:
    assert shorten("abcdef", 6) == "abcdef"
    assert shorten("abcdefg", 6) == "abcde…"
