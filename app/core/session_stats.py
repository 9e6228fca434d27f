"""A session's recording statistics for people: what was lost, and how many clicks have their
UI element (`overt show --stats`).

The recorder notes these when a session stops (recorder/session.py ``_shutdown``): its
summary, drops per source and the grounding statistics of recorder/capture/grounding.py. A
session that did not stop cleanly has none.
"""

from __future__ import annotations

from typing import Any


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}" if n == 1 else f"{n} {thing}s"


def _share(part: int, whole: int) -> str:
    return f"{part} of {whole} ({round(100 * part / whole)}%)" if whole else f"{part} of 0"


#: Why a recording stopped (recorder/session.py ``Recorder.wait``), for people.
STOP_REASONS = {
    "stopped": "by you",
    "signal": "by you (Ctrl+C or a signal)",
    "duration": "at the end of the duration you chose",
    "idle": "after no input for the idle limit",
    "failed": "by a failure",
    "error": "by an error",
}
INDENT = " " * 10  # under the value column of `overt show`'s "Session   ..." lines


def stats_lines(stats: dict[str, Any], state: str = "complete") -> list[str]:
    """The statistics as a few lines; one line saying there are none when ``stats`` is empty
    (``state`` is the session's: one that did not stop cleanly never noted them)."""
    if not stats:
        if state != "complete":
            return [f"Stopped   not cleanly ({state}): no recording statistics were kept"]
        return ["Stopped   no recording statistics in this session"]
    lost = (
        f"{_count(stats.get('drops', 0), 'input event')}, "
        f"{_count(stats.get('frame_drops', 0), 'screenshot')}, "
        f"{_count(stats.get('pre_frames_missed', 0), 'screenshot')} before an action; "
        f"{_count(stats.get('suppressed', 0), 'input')} held back by the privacy guards"
    )
    reason = str(stats.get("reason", "unknown"))
    lines = [f"Stopped   {STOP_REASONS.get(reason, reason)}", f"Lost      {lost}"]
    return lines + element_lines(stats.get("elements"))


def element_lines(elements: dict[str, Any] | None) -> list[str]:
    """Coverage of the UI elements: of clicks overall and per app, and why some have none."""
    if not elements:
        return ["Elements  not recorded in this session"]
    clicks = int(elements.get("clicks") or 0)
    found = int(elements.get("clicks_with_element") or 0)
    actions = _share(int(elements.get("with_element") or 0), int(elements.get("actions") or 0))
    lines = [f"Elements  {_share(found, clicks)} clicks have their UI element; {actions} actions"]
    by_app = elements.get("by_app") or {}
    for app, counts in sorted(by_app.items(), key=lambda item: -int(item[1].get("clicks", 0))):
        share = _share(int(counts.get("with_element", 0)), int(counts.get("clicks", 0)))
        lines.append(f"{INDENT}{app}: {share} clicks")
    missing = elements.get("missing") or {}
    if missing:
        why = ", ".join(f"{reason} {n}" for reason, n in sorted(missing.items()))
        lines.append(f"{INDENT}none found: {why}")
    p50, p95 = elements.get("lookup_ms_p50"), elements.get("lookup_ms_p95")
    if p50 is not None and p95 is not None:
        lines.append(f"{INDENT}lookups took {p50:.1f} ms (median), {p95:.1f} ms (95th percentile)")
        dropped = int((elements.get("lookups") or {}).get("dropped", 0))
        if dropped:
            lines[-1] += f"; {dropped} not made (too many at once)"
    return lines
