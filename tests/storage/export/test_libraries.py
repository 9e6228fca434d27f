"""The formats read by the libraries they are for: `webdataset` and Hugging Face `datasets`.

Both run offline: the suite's no-network guard stays on, and `datasets` is told it is offline
before it is imported (it reads its configuration once, at import).
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from storage.export import export_sessions
from storage.export.collect import collect
from tests.storage.export.fakes import frame, make_session

os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"


def load_parquet(files: list[Path], cache: Path) -> Any:
    from datasets import load_dataset

    return load_dataset(
        "parquet", data_files=[str(f) for f in files], split="train", cache_dir=str(cache)
    )


# webdataset 1.0 opens each shard and leaves closing it to the garbage collector.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_webdataset_library_reads_every_sample_across_shards(tmp_path: Path) -> None:
    import webdataset as wds

    out = tmp_path / "wds"
    export_sessions([make_session("a"), make_session("b")], "webdataset", out, shard_bytes=1)
    shards = sorted(str(p) for p in out.glob("shard-*.tar"))
    assert len(shards) > 1
    samples = list(wds.WebDataset(shards, shardshuffle=False, empty_check=False))
    assert [s["__key__"] for s in samples] == [
        f"{sid}_{seq:06d}" for sid in ("a", "b") for seq in range(4)
    ]
    first = samples[0]
    action = json.loads(first["action.json"])
    assert action["session_id"] == "a"
    assert action["code"].startswith("pyautogui.click(")
    with Image.open(io.BytesIO(first["pre.png"])) as image:
        assert image.tobytes() == frame(0).tobytes()
    assert "post.png" not in samples[3]  # the hotkey has no post-action frame


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_webdataset_pairs_every_action_with_its_image(tmp_path: Path) -> None:
    """`.to_tuple("pre.png", "action.json")` yields every action, the scroll included."""
    import webdataset as wds

    export_sessions([make_session("a")], "webdataset", tmp_path / "wds")
    shards = sorted(str(p) for p in (tmp_path / "wds").glob("shard-*.tar"))
    pairs = wds.WebDataset(shards, shardshuffle=False, empty_check=False).decode("pil")
    got = [
        (image.size, action["kind"]) for image, action in pairs.to_tuple("pre.png", "action.json")
    ]
    assert got == [((320, 200), k) for k in ("click", "type", "scroll", "hotkey")]


def test_datasets_loads_the_parquet_export_folder_with_images(tmp_path: Path) -> None:
    """The export folder itself loads (its README's configs), images decoded without a cast."""
    from datasets import Image as ImageFeature
    from datasets import load_dataset

    out = tmp_path / "pq"
    export_sessions([make_session("a"), make_session("b")], "parquet", out)
    actions = load_dataset(str(out), split="train", cache_dir=str(tmp_path / "hf"))
    assert actions.num_rows == 8
    assert isinstance(actions.features["pre_image"], ImageFeature)
    first = actions[0]
    assert (first["session_id"], first["kind"]) == ("a", "click")
    assert first["code"].startswith("pyautogui.click(")
    assert first["pre_image"].tobytes() == frame(0).tobytes()
    assert (first["x"], first["monitor_w"], first["image_width"]) == (0.5, 320, 320)
    events = load_dataset(str(out), "events", split="train", cache_dir=str(tmp_path / "hf"))
    assert sorted(set(events["session_id"])) == ["a", "b"]


def test_datasets_loads_the_collected_dataset(tmp_path: Path) -> None:
    export_sessions([make_session("a")], "folder", tmp_path / "a")
    export_sessions([make_session("b")], "zip", tmp_path / "b.zip")
    dataset = tmp_path / "dataset"
    report = collect([tmp_path / "a", tmp_path / "b.zip"], dataset)
    assert not report.rejected
    from datasets import load_dataset

    # As the dataset card says: the folder itself, by the card's configs.
    actions = load_dataset(str(dataset), "actions", split="train", cache_dir=str(tmp_path / "hf"))
    assert sorted(set(actions["session_id"])) == ["a", "b"]
    assert actions.num_rows == 8
    assert actions[0]["pre_image"].tobytes() == frame(0).tobytes()
    sessions = load_dataset(str(dataset), "sessions", split="train", cache_dir=str(tmp_path / "hf"))
    assert sessions.num_rows == 2
    assert all(sha for sha in sessions["manifest_sha256"])
    default = load_dataset(str(dataset), split="train", cache_dir=str(tmp_path / "hf"))
    assert default.num_rows == 8  # actions, the default config


def readme_loaders() -> list[str]:
    """The Python snippets of the README's "For researchers" section."""
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## For researchers", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.DOTALL)


# webdataset 1.0 opens each shard and leaves closing it to the garbage collector.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_the_readme_loaders_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each snippet, run as printed, ends on the last step: its image and its code."""
    snippets = readme_loaders()
    assert len(snippets) == 4
    for fmt, folder in (
        ("parquet", "export-parquet"),
        ("webdataset", "export-wds"),
        ("agentnet", "export-agentnet"),
    ):
        export_sessions([make_session("a")], fmt, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    import datasets.config

    # The snippet names no cache folder: keep its cache here, not in the home folder.
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "hf")
    for snippet in snippets:
        assert len([line for line in snippet.splitlines() if line.strip()]) <= 5, snippet
        scope: dict[str, Any] = {}
        exec(compile(snippet, "README.md", "exec"), scope)  # the README's own code, as printed
        last = scope["code"]
        assert last.startswith(("pyautogui.", "computer.terminate(")), snippet
        image = scope.get("image")
        assert image is not None, snippet
        assert image.size == (320, 200), snippet
