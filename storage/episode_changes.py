"""Replacing a session's task episodes after recording, through a Rewriter (fresh key)."""

from __future__ import annotations

from typing import Any

from storage import episodes as episode_records
from storage.rewriter import Rewriter


def replace(rw: Rewriter, episodes: list[Any]) -> int:
    """Check the whole list against the session, then rewrite the episodes stream.

    The check comes before anything is written, so a bad list changes nothing; an unchanged
    list writes nothing either.

    Returns:
        The number of episodes the session now holds.

    Raises:
        InvalidEpisodes: one sentence saying what is wrong with the list.
    """
    reader = rw.reader
    records = episode_records.validate(
        episodes,
        end=reader.end_time(),
        task_ids=episode_records.study_task_ids(reader.consent),
    )
    if records == reader.episode_records():
        return len(records)
    rw.write_records("episodes", records)
    rw.commit({"kind": "episodes", "where": {}, "count": len(records)})
    return len(records)
