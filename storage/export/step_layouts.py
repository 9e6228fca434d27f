"""The step layouts (webdataset, trajectory, agentnet): projections of build_steps' steps.

Nothing here computes coordinates, frames, windows or code: storage/export/steps.py does, once.
Each writer takes the sink, one source, the coordinate space and a progress callback and
returns the session's manifest entry. See storage/EXPORT_FORMATS.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from storage.export.layouts import (
    Progress,
    ShardWriter,
    sample_key,
    session_entry,
    write_json,
    write_metadata,
)
from storage.export.manifest import canonical_json
from storage.export.pngs import FramePngs
from storage.export.sink import Sink
from storage.export.source import SessionSource
from storage.export.steps import FrameFile, Step, build_steps, episodes_of

TRAJECTORY_FORMAT = "overt-trajectory"


def session_steps(
    source: SessionSource, space: str, frame_file: FrameFile | None = None
) -> list[tuple[dict[str, Any] | None, list[Step]]]:
    """(episode, its steps) for each episode of the session (one, None, without episodes)."""
    sid = str(source.summary.id)
    return [
        (episode, list(build_steps(source, episode, space, frame_file=frame_file, session_id=sid)))
        for episode in episodes_of(source)
    ]


def step_pngs(pngs: FramePngs, steps: list[Step]) -> Iterator[tuple[Step, dict[str, bytes]]]:
    """(step, {"pre.png": observation, "post.png": next observation if any}) per step."""
    wanted = [
        {
            "frame_before": step["observation"]["seq"],
            "frame_after": None if after is None else after["seq"],
        }
        for step in steps
        for after in (step["next_observation"],)
    ]
    for step, (_, members) in zip(steps, pngs.for_actions(wanted), strict=True):
        yield step, members


def actions_only(steps: list[Step]) -> list[Step]:
    """The steps that are actions (the terminate steps dropped): one per sample or row."""
    return [s for s in steps if s["kind"] != "terminate"]


def write_webdataset(
    sink: Sink, source: SessionSource, shards: ShardWriter, space: str, progress: Progress
) -> dict[str, Any]:
    """One sample per action step: pre.png, post.png (when there is one) and action.json."""
    sid = str(source.summary.id)
    write_metadata(sink, source)
    pngs = FramePngs(source)
    steps = [s for _, episode in session_steps(source, space) for s in actions_only(episode)]
    for done, (step, members) in enumerate(step_pngs(pngs, steps), start=1):
        key = sample_key(sid, int(step["action_seq"] or 0))
        sample = with_files(step, f"{key}.pre.png", f"{key}.post.png")
        record = {"session_id": sid, "coordinate_space": space, **sample}
        members["action.json"] = canonical_json(record)
        shards.add(key, members)
        progress(sid, done, len(steps))
    return session_entry(source, actions=len(steps), frames=len(pngs.metas))


def with_files(step: Step, pre: str, post: str) -> dict[str, Any]:
    """The step with its frames named as the layout stores them."""
    out: dict[str, Any] = dict(step)
    out["observation"] = {**step["observation"], "file": pre}
    if step["next_observation"] is not None:
        out["next_observation"] = {**step["next_observation"], "file": post}
    return out


def task_id(session_id: str, episode: dict[str, Any] | None) -> str:
    """The session id, or ``<session id>_<episode id>`` for an episode (issue 16)."""
    return session_id if episode is None else f"{session_id}_{episode.get('id')}"


def _instruction(episode: dict[str, Any] | None) -> dict[str, Any]:
    text = (episode or {}).get("instruction") or ""
    return {"instruction": text, "instruction_missing": not text}


def write_trajectory(
    sink: Sink, source: SessionSource, space: str, progress: Progress
) -> dict[str, Any]:
    """``trajectories/<task id>.json`` per episode, frames in ``images/<id>/NNNNNN.png``.

    Each ``traj`` entry is AgentNet's ``{index, image, value: {code}}`` plus the whole step.
    """
    sid = str(source.summary.id)
    write_metadata(sink, source)
    pngs = FramePngs(source)
    episodes = session_steps(source, space)
    written: set[str] = set()
    total = sum(len(steps) for _, steps in episodes)
    done = 0
    purpose = source.consent.get("purposes") or source.consent.get("purpose")
    for episode, steps in episodes:
        traj = []
        for step, members in step_pngs(pngs, steps):
            for frame, name in (
                (step["observation"], "pre.png"),
                (step["next_observation"], "post.png"),
            ):
                if frame is not None and frame["file"] not in written and name in members:
                    sink.write(frame["file"], members[name])
                    written.add(frame["file"])
            image = step["observation"]["file"]
            traj.append(
                {"index": step["index"], "image": image, "value": {"code": step["code"]}, **step}
            )
            done += 1
            progress(sid, done, total)
        tid = task_id(sid, episode)
        document = {
            "format": TRAJECTORY_FORMAT,
            "coordinate_space": space,
            "task_id": tid,
            "session_id": sid,
            **_instruction(episode),
            "episode": steps[0]["episode"] if steps else None,
            "task": purpose,
            "traj": traj,
        }
        write_json(sink, f"trajectories/{tid}.json", document)
    return session_entry(source, actions=total, steps=total, frames=len(written))


def write_agentnet(
    sink: Sink, source: SessionSource, space: str, progress: Progress
) -> dict[str, Any]:
    """AgentNet's layout: ``trajectories/<task id>.json`` (one JSON line) and ``images/``.

    ``{task_id, instruction, task_completed, coordinate_space, traj: [{index, image,
    value: {code}}]}``; ``image`` is a file name in ``images/``, the last distinct frame
    before the action; the last step is ``computer.terminate``.
    """
    sid = str(source.summary.id)
    write_metadata(sink, source)
    pngs = FramePngs(source)
    episodes = session_steps(source, space, frame_file=lambda i: f"{sid}_{i:06d}.png")
    written: set[str] = set()
    total = sum(len(steps) for _, steps in episodes)
    done = 0
    for episode, steps in episodes:
        # A step whose typed text was not recorded has no replayable code: AgentNet has
        # no such action, so it is left out of this layout (the others keep it).
        kept = [s for s in steps if not s["code"].startswith("#")]
        traj = []
        for position, (step, members) in enumerate(step_pngs(pngs, kept)):
            image = step["observation"]["file"]
            if image not in written:
                sink.write(f"images/{image}", members["pre.png"])
                written.add(image)
            traj.append({"index": position, "image": image, "value": {"code": step["code"]}})
            done += 1
            progress(sid, done, total)
        record = {
            "task_id": task_id(sid, episode),
            **_instruction(episode),
            "task_completed": bool(episode and episode.get("outcome") == "success"),
            "coordinate_space": space,
            "traj": traj,
        }
        data = json.dumps(record, ensure_ascii=False, sort_keys=True).encode() + b"\n"
        sink.write(f"trajectories/{record['task_id']}.json", data)
    return session_entry(source, actions=total, steps=total, frames=len(written))
