"""The parquet layout: actions (one row per step, frames as images), events, sessions tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storage.export import layouts, step_layouts, tables
from storage.export.pngs import FramePngs
from storage.export.sink import Sink
from storage.export.source import SessionSource

#: The parquet export's README.md: its YAML lets ``datasets.load_dataset(folder)`` find the
#: three tables (the folder also holds JSON metadata, which would be taken for the data).
PARQUET_CARD = """---
configs:
- config_name: actions
  data_files: actions.parquet
  default: true
- config_name: events
  data_files: events.parquet
- config_name: sessions
  data_files: sessions.parquet
---
# Overt export (parquet)

`actions.parquet`: one row per action step, its pre- and post-action frames as images;
`events.parquet`: the raw events; `sessions.parquet`: summaries and consent records.
storage/EXPORT_FORMATS.md in Overt describes every column.
"""


def write_parquet(
    sink: Sink, sources: Sequence[SessionSource], space: str, progress: layouts.Progress
) -> list[dict[str, Any]]:
    writers = {
        name: tables.TableWriter(sink.open(f"{name}.parquet"), name)
        for name in ("actions", "events", "sessions")
    }
    entries = []
    try:
        for source in sources:
            sid = source.summary.id
            layouts.write_metadata(sink, source)
            pngs = FramePngs(source)
            for e in source.events():
                writers["events"].add(tables.event_row(sid, e))
            steps = [
                step
                for _, episode in step_layouts.session_steps(source, space)
                for step in step_layouts.actions_only(episode)
            ]
            for done, (step, png) in enumerate(step_layouts.step_pngs(pngs, steps), start=1):
                row = tables.step_row(
                    sid, dict(step), space, png.get("pre.png"), png.get("post.png")
                )
                writers["actions"].add(row)
                progress(sid, done, len(steps))
            writers["sessions"].add(
                tables.session_row(
                    source.summary.to_json(), source.consent, source.redactions(), None
                )
            )
            entries.append(
                layouts.session_entry(source, actions=len(steps), frames=len(pngs.metas))
            )
    except BaseException:
        sink.abort()
        raise
    finally:
        for writer in writers.values():
            writer.close()
    sink.write("README.md", PARQUET_CARD.encode())
    return entries
