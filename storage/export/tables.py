"""Parquet tables (actions with frame bytes, events, sessions): export and collect share them.

pyarrow is optional (the ``parquet`` extra) and imported only when a table is written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

from storage.export.layouts import import_pyarrow

ACTION_INTS = ("seq", "x", "y", "x2", "y2", "dx", "dy", "frame_before", "frame_after", "window_seq")
BATCH_ROWS = 64


def _schemas() -> dict[str, Any]:
    pa, _ = import_pyarrow()
    actions = pa.schema(
        [("session_id", pa.string()), ("kind", pa.string())]
        + [(name, pa.int64()) for name in ACTION_INTS]
        + [
            ("t", pa.float64()),
            ("t_end", pa.float64()),
            ("wall", pa.float64()),
            ("button", pa.string()),
            ("text", pa.string()),
            ("keys", pa.list_(pa.string())),
            ("window_app", pa.string()),
            ("window_title", pa.string()),
            ("code", pa.string()),
            ("action_json", pa.string()),
            ("pre_png", pa.binary()),
            ("post_png", pa.binary()),
        ]
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
    return {"actions": actions, "events": events, "sessions": sessions}


def action_row(record: dict[str, Any], pre: bytes | None, post: bytes | None) -> dict[str, Any]:
    """A row of the actions table from ``layouts.action_record`` output and frame PNGs."""
    action = record["action"]
    window = record.get("window") or {}
    row: dict[str, Any] = {"session_id": record["session_id"], "kind": action.get("kind")}
    for name in ACTION_INTS:
        value = action.get(name)
        row[name] = int(value) if isinstance(value, int) else None
    row.update(
        t=action.get("t"),
        t_end=action.get("t_end"),
        wall=action.get("wall"),
        button=action.get("button"),
        text=action.get("text"),
        keys=action.get("keys"),
        window_app=window.get("app"),
        window_title=window.get("title"),
        code=record.get("code"),
        action_json=json.dumps(action, sort_keys=True),
        pre_png=pre,
        post_png=post,
    )
    return row


def event_row(session_id: str, event: dict[str, Any]) -> dict[str, Any]:
    return {
        "session_id": session_id,
        "seq": event.get("seq"),
        "kind": event.get("kind"),
        "t": event.get("t"),
        "wall": event.get("wall"),
        "event_json": json.dumps(event, sort_keys=True),
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
