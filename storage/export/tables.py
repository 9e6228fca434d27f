"""Parquet tables (action steps with frame bytes, events, sessions): export and collect share them.

pyarrow is optional (the ``parquet`` extra) and imported only when a table is written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

from storage.export.layouts import import_pyarrow

BATCH_ROWS = 64
#: The actions table's columns (storage/export/STEPS.md): name -> pyarrow type name.
ACTION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("session_id", "string"),
    ("seq", "int64"),
    ("kind", "string"),
    ("t", "float64"),
    ("t_end", "float64"),
    ("code", "string"),
    ("coordinate_space", "string"),
    *((name, "float64") for name in ("x", "y", "x2", "y2")),
    *((name, "int64") for name in ("x_px", "y_px", "x2_px", "y2_px", "dx", "dy")),
    ("button", "string"),
    ("text", "string"),
    ("keys", "list<string>"),
    ("window_app", "string"),
    ("window_title", "string"),
    *((f"monitor_{name}", "int64") for name in ("index", "x", "y", "w", "h")),
    ("monitor_scale", "float64"),
    ("image_width", "int64"),
    ("image_height", "int64"),
    ("pre_image", "image"),
    ("post_image", "image"),
    ("episode_id", "string"),
    ("instruction", "string"),
    ("outcome", "string"),
    ("element_role", "string"),
    ("element_name", "string"),
    ("element_bounds", "list<float64>"),
    ("element_missing", "string"),
    ("action_json", "string"),
)


#: The collected ``episodes`` table: one row per task episode (issue 16).
EPISODE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("session_id", "string"),
    ("episode_id", "string"),
    ("instruction", "string"),
    ("instruction_missing", "bool_"),
    ("outcome", "string"),
    ("note", "string"),
    ("study_task_id", "string"),
    ("t_start", "float64"),
    ("t_end", "float64"),
    ("start_seq", "int64"),
    ("end_seq", "int64"),
    ("steps", "int64"),
)


def _arrow_type(pa: Any, name: str) -> Any:
    if name == "image":
        # The storage of Hugging Face datasets' Image feature.
        return pa.struct([("bytes", pa.binary()), ("path", pa.string())])
    if name.startswith("list<"):
        return pa.list_(_arrow_type(pa, name[5:-1]))
    return getattr(pa, name)()


def _feature(name: str) -> dict[str, Any]:
    """A column's Hugging Face ``datasets`` feature, as the library writes it in metadata."""
    if name == "image":
        return {"_type": "Image"}
    if name.startswith("list<"):
        return {"_type": "List", "feature": _feature(name[5:-1])}
    return {"_type": "Value", "dtype": name}


def hf_metadata(columns: tuple[tuple[str, str], ...]) -> bytes:
    """The ``huggingface`` schema metadata: ``datasets`` reads the features from it, so the
    image columns decode as images without a cast."""
    features = {name: _feature(kind) for name, kind in columns}
    return json.dumps({"info": {"features": features}}, sort_keys=True).encode()


def _schemas() -> dict[str, Any]:
    pa, _ = import_pyarrow()
    actions = pa.schema(
        [(name, _arrow_type(pa, kind)) for name, kind in ACTION_COLUMNS],
        metadata={b"huggingface": hf_metadata(ACTION_COLUMNS)},
    )
    events = pa.schema(
        [
            ("session_id", pa.string()),
            ("seq", pa.int64()),
            ("kind", pa.string()),
            ("t", pa.float64()),
            ("wall", pa.float64()),
            ("event_json", pa.string()),
        ]
    )
    sessions = pa.schema(
        [
            ("session_id", pa.string()),
            ("review", pa.string()),
            ("study_id", pa.string()),
            ("events", pa.int64()),
            ("actions", pa.int64()),
            ("frames", pa.int64()),
            ("summary_json", pa.string()),
            ("consent_json", pa.string()),
            ("redactions_json", pa.string()),
            ("manifest_sha256", pa.string()),
        ]
    )
    episodes = pa.schema([(name, _arrow_type(pa, kind)) for name, kind in EPISODE_COLUMNS])
    return {"actions": actions, "events": events, "sessions": sessions, "episodes": episodes}


def step_row(
    session_id: str, step: dict[str, Any], space: str, pre: bytes | None, post: bytes | None
) -> dict[str, Any]:
    """A row of the actions table from one step (storage/export/steps.py) and its PNGs."""
    action = step["action"]
    monitor = step["observation"]["monitor"]
    window = step.get("window") or {}
    episode = step.get("episode") or {}
    element = step.get("element") or {}
    row: dict[str, Any] = {
        "session_id": session_id,
        "seq": step.get("action_seq"),
        "kind": step["kind"],
        "t": step["t"],
        "t_end": step["t_end"],
        "code": step["code"],
        "coordinate_space": space,
    }
    for name in ("x", "y", "x2", "y2"):
        value = action.get(name)
        row[name] = float(value) if isinstance(value, (int, float)) else None
    for name in ("x_px", "y_px", "x2_px", "y2_px", "dx", "dy"):
        value = action.get(name)
        row[name] = int(value) if isinstance(value, (int, float)) else None
    bounds = element.get("bounds")
    row.update(
        button=action.get("button"),
        text=action.get("text"),
        keys=action.get("keys"),
        window_app=window.get("app"),
        window_title=window.get("title"),
        monitor_index=monitor.get("index"),
        monitor_x=monitor.get("x"),
        monitor_y=monitor.get("y"),
        monitor_w=monitor.get("w"),
        monitor_h=monitor.get("h"),
        monitor_scale=float(monitor.get("scale") or 1.0),
        image_width=step["observation"]["width"],
        image_height=step["observation"]["height"],
        pre_image=_image(pre, step["observation"]),
        post_image=_image(post, step.get("next_observation")),
        episode_id=None if episode.get("id") is None else str(episode["id"]),
        instruction=episode.get("instruction"),
        outcome=episode.get("outcome"),
        element_role=element.get("role"),
        element_name=element.get("name"),
        element_bounds=[float(v) for v in bounds] if isinstance(bounds, list) else None,
        element_missing=element.get("missing"),
        action_json=json.dumps(action, sort_keys=True),
    )
    return row


def _image(data: bytes | None, frame: dict[str, Any] | None) -> dict[str, Any] | None:
    if data is None or frame is None:
        return None
    return {"bytes": data, "path": str(frame["file"])}


def event_row(session_id: str, event: dict[str, Any]) -> dict[str, Any]:
    return {
        "session_id": session_id,
        "seq": event.get("seq"),
        "kind": event.get("kind"),
        "t": event.get("t"),
        "wall": event.get("wall"),
        "event_json": json.dumps(event, sort_keys=True),
    }


def episode_row(session_id: str, episode: dict[str, Any], steps: int) -> dict[str, Any]:
    """A row of the episodes table: the episode as the export holds it, and its step count."""
    instruction = episode.get("instruction") or ""
    return {
        "session_id": session_id,
        "episode_id": str(episode.get("id")),
        "instruction": instruction,
        "instruction_missing": not instruction,
        "outcome": episode.get("outcome"),
        "note": episode.get("note") or "",
        "study_task_id": episode.get("study_task_id"),
        "t_start": episode.get("t_start"),
        "t_end": episode.get("t_end"),
        "start_seq": episode.get("start_seq"),
        "end_seq": episode.get("end_seq"),
        "steps": steps,
    }


def session_row(
    summary: dict[str, Any], consent: Any, redactions: Any, manifest_sha256: str | None
) -> dict[str, Any]:
    return {
        "session_id": summary.get("id"),
        "review": summary.get("review"),
        "study_id": summary.get("study_id"),
        "events": summary.get("events"),
        "actions": summary.get("actions"),
        "frames": summary.get("frames"),
        "summary_json": json.dumps(summary, sort_keys=True),
        "consent_json": json.dumps(consent, sort_keys=True),
        "redactions_json": json.dumps(redactions, sort_keys=True),
        "manifest_sha256": manifest_sha256,
    }


class TableWriter:
    """Rows to a Parquet file in batches of ``BATCH_ROWS`` (bounded memory with frame bytes).

    Attributes:
        rows: rows written so far.
    """

    def __init__(self, where: Path | IO[bytes], table: str) -> None:
        """Write to the file ``where`` (a path, or a writable stream this writer closes)."""
        pa, pq = import_pyarrow()
        self._pa = pa
        self._schema = _schemas()[table]
        self._stream = None if isinstance(where, Path) else where
        target = str(where) if isinstance(where, Path) else where
        self._writer = pq.ParquetWriter(target, self._schema, compression="zstd")
        self._batch: list[dict[str, Any]] = []
        self.rows = 0

    def add(self, row: dict[str, Any]) -> None:
        self._batch.append(row)
        if len(self._batch) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if self._batch:
            table = self._pa.Table.from_pylist(self._batch, schema=self._schema)
            self._writer.write_table(table, row_group_size=BATCH_ROWS)
            self.rows += len(self._batch)
            self._batch = []

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self._writer.close()
            if self._stream is not None:
                self._stream.close()
