"""Sizes, durations and long text for people: one way, in the CLI, the tray and the review."""

from __future__ import annotations

from storage.export.run import human_size


def format_duration(seconds: float) -> str:
    """'2:03' under an hour, '1:02:03' from an hour on (whole seconds, never negative)."""
    s = int(max(seconds, 0.0))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def format_size(n: int) -> str:
    """Bytes in decimal units, as file managers and disk makers count: '512 B', '3.4 KB',
    '12.0 MB', '1.2 GB'. The export's preview (storage, which cannot import app) owns the
    function; the app shows the same figures by calling it."""
    return human_size(n)


def shorten(text: str, limit: int = 60) -> str:
    """Cut long text with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
