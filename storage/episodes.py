"""Task episodes inside a session: their shape, their limits, and edits that build new lists.

An episode is what the person set out to do (their instruction), when (seconds since the
session start, as actions' ``t``) and how it ended. The recorder appends episode records while
recording; review and the CLI build a whole new list with the helpers here and hand it to
``UnlockedVault.set_episodes``, which validates it against the session before anything is
rewritten (FORMAT.md section 2). Every helper returns a new list and never changes its input.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from typing import Any, Literal, TypedDict, cast

from storage.errors import InvalidEpisodes

Outcome = Literal["success", "failure", "abandoned"]
OUTCOMES: tuple[str, ...] = ("success", "failure", "abandoned")
MAX_INSTRUCTION = 2000
MAX_NOTE = 4000
MAX_EPISODES = 10_000
#: Seconds an episode may end after the session's recorded end: the recorder's clock and the
#: writer's wall-clock start and end are read a few milliseconds apart.
END_SLACK = 1.0
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
STORED_FIELDS = ("id", "instruction", "t_start", "t_end", "outcome", "note", "study_task_id")


class Episode(TypedDict):
    """One task episode as ``SessionReader.episodes()`` gives it.

    ``start_seq`` / ``end_seq`` are the first and last action seq whose ``t`` lies inside
    [t_start, t_end] (None when no action does); they are derived on reading, never stored.
    """

    id: str
    instruction: str
    t_start: float
    t_end: float | None
    outcome: Outcome | None
    note: str
    study_task_id: str | None
    start_seq: int | None
    end_seq: int | None


def stored(ep: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of an episode that are stored (the derived seqs dropped)."""
    return {k: ep.get(k) for k in STORED_FIELDS}


def check_record(ep: Mapping[str, Any]) -> dict[str, Any]:
    """Check one episode's fields and limits; returns its stored form.

    Raises:
        InvalidEpisodes: a field is missing, of the wrong type or over its limit.
    """
    if not isinstance(ep, Mapping):
        raise InvalidEpisodes("An episode must be a record of its fields.")
    rec = stored({"note": "", "outcome": None, "study_task_id": None, "t_end": None, **ep})
    eid = rec["id"]
    if not isinstance(eid, str) or not _ID.match(eid):
        raise InvalidEpisodes(f"The episode id {eid!r} is not valid (letters, digits, - and _).")
    instruction, note = rec["instruction"], rec["note"]
    if not isinstance(instruction, str):
        raise InvalidEpisodes(f"Episode {eid} has no instruction text.")
    if len(instruction) > MAX_INSTRUCTION:
        raise InvalidEpisodes(
            f"Episode {eid}'s instruction is {len(instruction)} characters; "
            f"the limit is {MAX_INSTRUCTION}."
        )
    if not isinstance(note, str) or len(note) > MAX_NOTE:
        raise InvalidEpisodes(f"Episode {eid}'s note must be text of at most {MAX_NOTE} letters.")
    for name in ("t_start", "t_end"):
        v = rec[name]
        if v is None and name == "t_end":
            continue
        if isinstance(v, bool) or not isinstance(v, int | float) or v != v or v < 0:
            raise InvalidEpisodes(f"Episode {eid}'s {name} must be a time in seconds, not {v!r}.")
        rec[name] = float(v)
    if rec["t_end"] is not None and rec["t_end"] < rec["t_start"]:
        raise InvalidEpisodes(f"Episode {eid} ends before it starts.")
    if rec["outcome"] not in (None, *OUTCOMES):
        raise InvalidEpisodes(
            f"Episode {eid}'s outcome {rec['outcome']!r} is not one of {', '.join(OUTCOMES)}."
        )
    task = rec["study_task_id"]
    if task is not None and (not isinstance(task, str) or not task):
        raise InvalidEpisodes(f"Episode {eid}'s study task id must be text.")
    return rec


def validate(
    episodes: Iterable[Mapping[str, Any]],
    *,
    end: float | None = None,
    task_ids: Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """Check a whole list: each episode, unique ids, no overlaps, bounds inside the session.

    Args:
        end: the session's length in seconds (None: not checked); an open episode (``t_end``
            None) then ends there.
        task_ids: the study's task ids (None: any id is refused, as the session has no
            study tasks).

    Returns:
        The stored records, sorted by ``t_start``.

    Raises:
        InvalidEpisodes: one sentence saying what is wrong.
    """
    recs = [check_record(ep) for ep in episodes]
    if len(recs) > MAX_EPISODES:
        raise InvalidEpisodes(f"A session holds at most {MAX_EPISODES} episodes.")
    seen: set[str] = set()
    known = set(task_ids or ())
    for r in recs:
        if r["id"] in seen:
            raise InvalidEpisodes(f"Two episodes have the id {r['id']}.")
        seen.add(r["id"])
        task = r["study_task_id"]
        if task is not None and task not in known:
            raise InvalidEpisodes(f"Episode {r['id']} names {task!r}, which is not a study task.")
        if end is not None:
            if r["t_end"] is None:
                r["t_end"] = max(r["t_start"], float(end))
            if r["t_start"] > end + END_SLACK or r["t_end"] > end + END_SLACK:
                raise InvalidEpisodes(
                    f"Episode {r['id']} lies outside the session, which is {end:.1f} s long."
                )
    recs.sort(key=lambda r: (r["t_start"], r["t_end"] if r["t_end"] is not None else 1e300))
    for a, b in itertools.pairwise(recs):
        a_end = a["t_end"] if a["t_end"] is not None else float("inf")
        if a_end > b["t_start"]:
            raise InvalidEpisodes(f"Episodes {a['id']} and {b['id']} overlap.")
    return recs


def fold(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Stored records in stream order to episodes: a later record with the same id wins."""
    by_id: dict[str, dict[str, Any]] = {}
    for r in records:
        rec = check_record(r)
        by_id.pop(rec["id"], None)
        by_id[rec["id"]] = rec
    return sorted(by_id.values(), key=lambda r: r["t_start"])


def with_seqs(
    records: Iterable[Mapping[str, Any]], action_times: list[tuple[float, int]]
) -> list[Episode]:
    """Episodes with their first and last action seq; ``action_times`` is (t, seq) sorted.

    An action belongs to the episode with ``t_start <= t < t_end``, and at ``t == t_end`` to
    that episode only when no other starts there: one action is never in two episodes.
    """
    recs = list(records)
    starts = {r["t_start"] for r in recs}
    out = []
    for r in recs:
        lo, hi = r["t_start"], r["t_end"] if r["t_end"] is not None else float("inf")
        inside = [seq for t, seq in action_times if lo <= t < hi or (t == hi and hi not in starts)]
        ep = {**stored(r), "start_seq": inside[0] if inside else None}
        ep["end_seq"] = inside[-1] if inside else None
        out.append(cast(Episode, ep))
    return out


def next_id(episodes: Iterable[Mapping[str, Any]]) -> str:
    """A fresh id, ``e<n>`` after the highest ``e<n>`` in use."""
    top = 0
    for ep in episodes:
        m = re.fullmatch(r"e([0-9]{1,9})", str(ep.get("id")))
        if m:
            top = max(top, int(m.group(1)))
    return f"e{top + 1}"


# --- edits: each returns a new, checked list (bounds are checked by set_episodes) -----------


def add(
    episodes: list[Any],
    instruction: str,
    t_start: float,
    t_end: float,
    *,
    outcome: str | None = None,
    note: str = "",
    study_task_id: str | None = None,
) -> list[dict[str, Any]]:
    """A new episode over [t_start, t_end] (e.g. from a range selected in review)."""
    new = {
        "id": next_id(episodes),
        "instruction": instruction,
        "t_start": t_start,
        "t_end": t_end,
        "outcome": outcome,
        "note": note,
        "study_task_id": study_task_id,
    }
    return _checked([*map(stored, episodes), new])


def split(episodes: list[Any], episode_id: str, t: float) -> list[dict[str, Any]]:
    """Split an episode at ``t`` (strictly inside it) into two with the same instruction.

    The first part keeps the id and the note; the second gets a new id and the outcome (how
    the task ended belongs to its end).
    """
    eps = [stored(e) for e in episodes]
    i = _index(eps, episode_id)
    ep = eps[i]
    end = ep["t_end"] if ep["t_end"] is not None else float("inf")
    if not ep["t_start"] < t < end:
        raise InvalidEpisodes(f"The split point {t:.2f} s is not inside episode {episode_id}.")
    second = {**ep, "id": next_id(eps), "t_start": float(t), "note": ""}
    eps[i] = {**ep, "t_end": float(t), "outcome": None}
    eps.insert(i + 1, second)
    return _checked(eps)


def merge(episodes: list[Any], id_a: str, id_b: str) -> list[dict[str, Any]]:
    """Merge two neighbouring episodes into the first's id, spanning both.

    The instruction is the earlier one's (or the later's when the earlier is empty), the
    outcome the later one's, the notes joined.
    """
    eps = _checked([stored(e) for e in episodes])
    i, j = sorted((_index(eps, id_a), _index(eps, id_b)))
    if i == j:
        raise InvalidEpisodes("An episode cannot be merged with itself.")
    if j != i + 1:
        raise InvalidEpisodes(f"Episodes {id_a} and {id_b} are not neighbours.")
    a, b = eps[i], eps[j]
    merged = {
        **a,
        "id": id_a,
        "instruction": a["instruction"] or b["instruction"],
        "t_end": b["t_end"],
        "outcome": b["outcome"],
        "note": "\n".join(n for n in (a["note"], b["note"]) if n),
        "study_task_id": a["study_task_id"] or b["study_task_id"],
    }
    return _checked([*eps[:i], merged, *eps[j + 1 :]])


def move(
    episodes: list[Any], episode_id: str, t_start: float, t_end: float
) -> list[dict[str, Any]]:
    """New bounds for one episode."""
    eps = [stored(e) for e in episodes]
    i = _index(eps, episode_id)
    eps[i] = {**eps[i], "t_start": t_start, "t_end": t_end}
    return _checked(eps)


_KEEP: Any = object()


def edit(
    episodes: list[Any],
    episode_id: str,
    *,
    instruction: str | None = None,
    note: str | None = None,
    outcome: Any = _KEEP,
    study_task_id: Any = _KEEP,
) -> list[dict[str, Any]]:
    """Change an episode's instruction, note, outcome (None unsets it) or study task id."""
    eps = [stored(e) for e in episodes]
    i = _index(eps, episode_id)
    ep = dict(eps[i])
    if instruction is not None:
        ep["instruction"] = instruction
    if note is not None:
        ep["note"] = note
    if outcome is not _KEEP:
        ep["outcome"] = outcome
    if study_task_id is not _KEEP:
        ep["study_task_id"] = study_task_id
    eps[i] = ep
    return _checked(eps)


def remove(episodes: list[Any], episode_id: str) -> list[dict[str, Any]]:
    """Without that episode (its actions stay in the session)."""
    eps = [stored(e) for e in episodes]
    del eps[_index(eps, episode_id)]
    return eps


def _index(eps: list[dict[str, Any]], episode_id: str) -> int:
    for i, ep in enumerate(eps):
        if ep["id"] == episode_id:
            return i
    raise InvalidEpisodes(f"This session has no episode {episode_id!r}.")


def _checked(eps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fields, ids and overlaps; study task ids and bounds are the session's to check."""
    for ep in eps:
        check_record(ep)
    tasks = {ep["study_task_id"] for ep in eps if ep.get("study_task_id")}
    return validate(eps, task_ids=tasks)


def study_task_ids(consent: Mapping[str, Any]) -> set[str]:
    """The task ids the session's study lists (empty for personal use or a study without)."""
    study = consent.get("study")
    tasks = study.get("tasks") if isinstance(study, Mapping) else None
    if not isinstance(tasks, list):
        return set()
    return {str(t["id"]) for t in tasks if isinstance(t, Mapping) and isinstance(t.get("id"), str)}
