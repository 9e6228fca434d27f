"""The README.md dataset card of a collected dataset (Hugging Face datasets reads its YAML)."""

from __future__ import annotations

from typing import Any

CARD = """---
configs:
- config_name: actions
  data_files: "data/actions/*.parquet"
  default: true
- config_name: events
  data_files: "data/events/*.parquet"
- config_name: sessions
  data_files: "data/sessions/*.parquet"
- config_name: episodes
  data_files: "data/episodes/*.parquet"
---
# Overt computer-use dataset

Sessions recorded with Overt by people who consented to each session, reviewed and redacted
what was captured, and approved its export. Withdrawn sessions are removed.

- sessions: {sessions}
- actions: {actions}
- studies: {studies}
- withdrawals honoured: {withdrawn}
- collection runs: {runs}

## Layout
- `data/actions/`: one row per action step (click, drag, scroll, typed run, hotkey) with
  `pre_image` / `post_image` (lossless PNG, decoded as images by `datasets`), the monitor
  (`monitor_index`, `monitor_x`...), `image_width` / `image_height`, coordinates normalised
  to the monitor (`x`, `y`...; `x_px`, `y_px` in screen pixels) and pyautogui code in
  AgentNet's grammar (`code`), and the task it belongs to (`episode_id`, `instruction`,
  `outcome`; empty for a session recorded without tasks).
- `data/events/`: the raw event stream (`event_json`).
- `data/sessions/`: one row per session: summary, consent record, redaction log.
- `data/episodes/`: one row per task episode: `session_id`, `episode_id`, the person's
  `instruction` (`instruction_missing` when they gave none), `outcome` (`success`,
  `failure`, `abandoned` or empty), `note`, `study_task_id`, its bounds (`t_start`, `t_end`
  in seconds, `start_seq`, `end_seq`) and `steps` (its action rows). Join it to
  `data/actions/` on (`session_id`, `episode_id`) for (instruction, trajectory, outcome).
- `webdataset/shard-*.tar`: the same actions as WebDataset samples
  (`KEY.pre.png`, `KEY.post.png`, `KEY.action.json`).

Each folder under `data/` is one table of Parquet shards (zstd): point a reader at the folder.

## Loading
```python
import datasets              # this folder's configs: actions, events, sessions, episodes
actions = datasets.load_dataset("THIS_FOLDER", "actions", split="train")
import pyarrow.dataset as ds
sessions = ds.dataset("THIS_FOLDER/data/sessions", format="parquet").to_table()
# Spark: spark.read.parquet("THIS_FOLDER/data/actions")
# Ray:   ray.data.read_parquet("THIS_FOLDER/data/actions")
# WebDataset: webdataset.WebDataset(sorted(glob.glob("THIS_FOLDER/webdataset/*.tar")))
#   .decode("pil").to_tuple("pre.png", "action.json") gives (image, step) pairs
```

## Consent and withdrawal
Each session's consent record is in `data/sessions/` (`consent_json`). When a participant
withdraws, re-run `overt collect RECEIPT.json --out THIS_FOLDER`: the session's rows and samples
are removed. Copies made elsewhere must be refreshed from this folder.
"""


def render_card(state: dict[str, Any]) -> str:
    """The card for a dataset whose ``collect-state.json`` holds ``state``."""
    sessions = state["sessions"]
    studies = sorted({str(s.get("study_id")) for s in sessions.values() if s.get("study_id")})
    return CARD.format(
        sessions=len(sessions),
        actions=sum(int(s.get("actions", 0)) for s in sessions.values()),
        studies=", ".join(studies) or "none",
        withdrawn=len(state["withdrawn"]),
        runs=state["runs"],
    )
