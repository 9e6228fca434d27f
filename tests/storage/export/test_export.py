"""Export formats written from an in-memory reader: layout, hashes, atomicity, encryption."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pyrage
import pytest
from PIL import Image

from storage.errors import NotApproved
from storage.export import FORMATS, ExportCancelled, ExportError, export_sessions, preview
from storage.export.action_code import to_code
from storage.export.manifest import sha256_file
from storage.export.steps import step_action
from storage.scan.text import dismissal_key
from tests.storage.export.agentnet_grammar import check_task
from tests.storage.export.fakes import MONITOR, FakeReader, frame, make_session


def untar(data: bytes) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}  # type: ignore[union-attr]


def test_folder_layout_has_every_file_hashed(tmp_path: Path) -> None:
    reader = make_session(frames=5)
    reader.mark_same(4, 3)
    out = tmp_path / "export"
    manifest = export_sessions([reader], "folder", out, created=1.0)
    on_disk = json.loads((out / "manifest.json").read_text())
    assert on_disk == manifest
    assert manifest["format_version"] == 1
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert sorted([*manifest["files"], "manifest.json"]) == files
    for rel, info in manifest["files"].items():
        assert sha256_file(out / rel) == info["sha256"]
    session = out / "sessions" / "s1"
    assert {p.name for p in session.iterdir()} == {
        "session.json",
        "consent.json",
        "redactions.json",
        "events.jsonl",
        "episodes.jsonl",
        "elements.jsonl",
        "actions.jsonl",
        "windows.jsonl",
        "frames.jsonl",
        "frames",
    }
    assert len(list((session / "frames").iterdir())) == 4  # frame 4 is the same as 3
    metas = [json.loads(line) for line in (session / "frames.jsonl").read_text().splitlines()]
    assert metas[4]["file"] == "frames/000003.png"
    with Image.open(session / "frames" / "000002.png") as image:
        assert image.tobytes() == frame(2).tobytes()
    entry = manifest["sessions"][0]
    assert (entry["events"], entry["actions"], entry["frames"], entry["windows"]) == (
        len(list(reader.events())),
        4,
        5,
        1,
    )


def test_unapproved_session_is_refused_and_nothing_written(tmp_path: Path) -> None:
    reader = make_session(review="unreviewed")
    with pytest.raises(NotApproved, match=r"^Session s1 is not approved; .*exporting\.$"):
        export_sessions([reader], "folder", tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_failure_midway_leaves_nothing(tmp_path: Path) -> None:
    def cancel(what: str, done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    for fmt in FORMATS:
        with pytest.raises(KeyboardInterrupt):
            export_sessions([make_session()], fmt, tmp_path / f"out.{fmt}", progress=cancel)
    assert list(tmp_path.iterdir()) == []


def test_cancelled_from_progress_leaves_nothing(tmp_path: Path) -> None:
    def cancel(what: str, done: int, total: int) -> None:
        raise ExportCancelled

    with pytest.raises(ExportCancelled, match=r"^Export cancelled; nothing was written\.$"):
        export_sessions([make_session()], "zip", tmp_path / "out.zip", progress=cancel)
    assert list(tmp_path.iterdir()) == []


def test_existing_target_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    with pytest.raises(ExportError, match="already exists"):
        export_sessions([make_session()], "folder", tmp_path / "out")


def test_zip_holds_the_folder_layout(tmp_path: Path) -> None:
    out = tmp_path / "export.zip"
    manifest = export_sessions([make_session("a"), make_session("b")], "zip", out)
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        assert "manifest.json" in names
        assert set(manifest["files"]) | {"manifest.json"} == names
        assert json.loads(zf.read("manifest.json"))["sessions"][1]["id"] == "b"


def test_webdataset_samples_per_action_in_bounded_shards(tmp_path: Path) -> None:
    out = tmp_path / "wds"
    sessions = [make_session("a", frames=6), make_session("b.2", frames=6)]
    export_sessions(sessions, "webdataset", out, shard_bytes=8_000)
    shards = sorted(out.glob("shard-*.tar"))
    assert len(shards) >= 2
    members: dict[str, bytes] = {}
    for shard in shards:
        got = untar(shard.read_bytes())
        assert shard.stat().st_size <= 8_000 + 10_240 or len(got) <= 3
        members |= got
    keys = sorted({name.split(".", 1)[0] for name in members})
    assert keys == [f"{p}_{i:06d}" for p in ("a", "b_2") for i in range(4)]
    record = json.loads(members["a_000000.action.json"])
    assert record["code"] == "pyautogui.click(x=0.5, y=0.25)"
    assert record["window"] == {"app": "Editor", "title": "notes.txt - Editor", "pid": 1}
    assert record["coordinate_space"] == "normalized"
    assert record["observation"]["file"] == "a_000000.pre.png"
    assert "a_000003.post.png" not in members  # the hotkey has no post frame
    with Image.open(io.BytesIO(members["a_000001.pre.png"])) as image:
        assert image.tobytes() == frame(1).tobytes()


def test_parquet_tables(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "pq"
    export_sessions([make_session("a"), make_session("b")], "parquet", out)
    actions = pq.read_table(out / "actions.parquet")
    events = pq.read_table(out / "events.parquet")
    sessions = pq.read_table(out / "sessions.parquet")
    assert actions.num_rows == 8
    assert sessions.column("session_id").to_pylist() == ["a", "b"]
    assert events.num_rows == 2 * len(list(make_session().events()))
    row = actions.slice(0, 1).to_pylist()[0]
    assert row["kind"] == "click"
    assert row["code"] == "pyautogui.click(x=0.5, y=0.25)"
    assert row["pre_image"]["path"] == "images/a/000000.png"
    with Image.open(io.BytesIO(row["pre_image"]["bytes"])) as image:
        assert image.tobytes() == frame(0).tobytes()
    assert (row["x"], row["y"], row["x_px"], row["y_px"]) == (0.5, 0.25, 160, 50)
    assert (row["monitor_index"], row["monitor_w"], row["image_width"]) == (0, 320, 320)


def test_trajectory_steps(tmp_path: Path) -> None:
    out = tmp_path / "traj"
    export_sessions([make_session("a")], "trajectory", out)
    trajectory = json.loads((out / "trajectories" / "a.json").read_text())
    assert trajectory["coordinate_space"] == "normalized"
    assert (trajectory["instruction"], trajectory["instruction_missing"]) == ("", True)
    steps = trajectory["traj"]
    assert [s["value"]["code"] for s in steps] == [
        "pyautogui.click(x=0.5, y=0.25)",
        "pyautogui.write(message='hi jo@example.org')",
        "pyautogui.moveTo(x=0.3125, y=0.5)\npyautogui.scroll(-3)",
        "pyautogui.hotkey(keys=['ctrl', 's'])",
        "computer.terminate(status='failure')",
    ]
    check_task(trajectory)  # AgentNet's schema, written from its public description
    assert steps[0]["action"]["kind"] == "click"
    assert steps[0]["action_seq"] == 0
    for step in steps:
        assert step["image"] == step["observation"]["file"]
        assert (out / step["image"]).is_file()


def test_without_a_pre_action_frame_the_observation_is_the_last_frame_before(
    tmp_path: Path,
) -> None:
    reader = make_session("a")
    reader._actions[0]["frame_before"] = None
    reader._actions[0]["t"] = 2.5  # frames are captured at t = 0, 1, 2...
    export_sessions([reader], "trajectory", tmp_path / "traj")
    steps = json.loads((tmp_path / "traj" / "trajectories" / "a.json").read_text())["traj"]
    click = next(s for s in steps if s["action_seq"] == 0)
    assert click["image"] == "images/a/000002.png"
    with Image.open(tmp_path / "traj" / click["image"]) as image:
        assert image.tobytes() == frame(2).tobytes()


def test_age_export_decrypts_with_the_identity(tmp_path: Path) -> None:
    identity = pyrage.x25519.Identity.generate()
    out = tmp_path / "export.age"
    manifest = export_sessions([make_session()], "folder", out, recipient=str(identity.to_public()))
    data = out.read_bytes()
    assert data.startswith(b"age-encryption.org/v1")
    assert b"example.org" not in data
    members = untar(pyrage.decrypt(data, [identity]))
    assert json.loads(members["manifest.json"]) == manifest
    assert set(members) == {*manifest["files"], "manifest.json"}


def test_study_sessions_default_to_the_study_key(tmp_path: Path) -> None:
    identity = pyrage.x25519.Identity.generate()
    consent = {"consent_id": "c", "study": {"id": "st", "recipient": str(identity.to_public())}}
    out = tmp_path / "export.zip"
    export_sessions([make_session(consent=consent)], "zip", out)
    assert "manifest.json" in untar(pyrage.decrypt(out.read_bytes(), [identity]))


def test_bad_recipient_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"is not an age public key \(age1\.\.\.\)\.$"):
        export_sessions([make_session()], "folder", tmp_path / "o", recipient="age1nope")


def test_preview_counts_titles_and_unresolved_suggestions() -> None:
    shown = preview([make_session("a"), make_session("b")])
    assert (shown.events, shown.actions, shown.frames) == (2 * 38, 8, 12)
    assert shown.apps == ["Editor"]
    assert shown.samples == [("a", 0), ("a", 3), ("a", 5), ("b", 0), ("b", 3), ("b", 5)]
    assert {s.kind for s in shown.unresolved} == {"email"}
    assert "2 session(s)" in shown.lines()[0]
    dismissed = [dismissal_key("a", s.key()) for s in shown.unresolved]
    assert preview([make_session("a")], dismissed=dismissed).unresolved == []


def test_a_dismissal_hides_only_its_own_sessions_suggestion() -> None:
    """Sessions a and b have the same email at the same seqs: dismissing it in a leaves b's."""
    first = preview([make_session("a")]).unresolved
    dismissed = [dismissal_key("a", s.key()) for s in first]
    shown = preview([make_session("a"), make_session("b")], dismissed=dismissed)
    assert [s.key() for s in shown.unresolved] == [s.key() for s in first]
    assert len(preview([make_session("a"), make_session("b")]).unresolved) == 2 * len(first)
    # An unqualified key (the old, flattened form) dismisses nothing.
    assert preview([make_session("a")], dismissed=[s.key() for s in first]).unresolved == first


@pytest.mark.parametrize(
    ("action", "code"),
    [
        (
            {"kind": "click", "x": 319, "y": 0, "button": "right"},
            "pyautogui.rightClick(x=0.9969, y=0.0)",
        ),
        (
            {"kind": "double_click", "x": 32, "y": 20, "button": "left"},
            "pyautogui.doubleClick(x=0.1, y=0.1)",
        ),
        (
            {"kind": "drag", "x": 0, "y": 0, "x2": 160, "y2": 100, "button": "left"},
            "pyautogui.moveTo(x=0.0, y=0.0)\npyautogui.dragTo(x=0.5, y=0.5, button='left')",
        ),
        (
            {"kind": "scroll", "x": 0, "y": 0, "dx": 2, "dy": 0},
            "pyautogui.moveTo(x=0.0, y=0.0)\npyautogui.hscroll(2)",
        ),
        ({"kind": "type", "text": ""}, "# typed text was not recorded"),
        ({"kind": "type", "text": "it's"}, 'pyautogui.write(message="it\'s")'),
        ({"kind": "hotkey", "keys": ["alt_l", "f4"]}, "pyautogui.hotkey(keys=['alt', 'f4'])"),
        ({"kind": "hotkey", "keys": ["enter"]}, "pyautogui.press(keys=['enter'])"),
    ],
)
def test_action_code(action: dict[str, Any], code: str) -> None:
    assert to_code(step_action(action, MONITOR, [MONITOR], "normalized")) == code


def test_fake_reader_is_a_session_source() -> None:
    from storage.export.source import SessionSource

    source: SessionSource = make_session()
    assert isinstance(source, FakeReader)


def test_age_tool_decrypts_an_export(tmp_path: Path) -> None:
    """Cross-check with the reference implementation: `age -d -i KEY export.age | tar t`."""
    key = tmp_path / "key.txt"
    subprocess.run(["age-keygen", "-o", str(key)], check=True, capture_output=True)
    public = next(
        line.split(": ", 1)[1]
        for line in key.read_text().splitlines()
        if line.startswith("# public key: ")
    )
    out = tmp_path / "export.age"
    manifest = export_sessions([make_session()], "trajectory", out, recipient=public)
    plain = subprocess.run(
        ["age", "-d", "-i", str(key), str(out)], check=True, capture_output=True
    ).stdout
    assert set(untar(plain)) == {*manifest["files"], "manifest.json"}


def test_parquet_without_pyarrow_is_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(ExportError, match=r"^The parquet format needs pyarrow: .*\[parquet\]'\.$"):
        export_sessions([make_session()], "parquet", tmp_path / "pq")
    assert list(tmp_path.iterdir()) == []


def test_banded_png_is_lossless_and_independent_of_the_cache() -> None:
    import io
    import random

    from PIL import Image as PILImage
    from PIL import ImageDraw

    from storage.export.pngs import BAND_ROWS, BandCache, encode_png

    rng = random.Random(3)
    base = PILImage.new("RGB", (67, 3 * BAND_ROWS + 5), (200, 210, 220))
    frames = []
    for i in range(6):
        image = base.copy()
        draw = ImageDraw.Draw(image)
        y = (i * 17) % (image.height - 10)
        draw.rectangle((5, y, 60, y + 8), fill=(rng.randrange(256), 0, rng.randrange(256)))
        image.putpixel((rng.randrange(67), rng.randrange(image.height)), (1, 2, 3))
        frames.append(image)
    shared = BandCache()
    warm = [encode_png(f, shared) for f in frames]
    cold = [encode_png(f) for f in frames]
    assert warm == cold  # bytes depend on the pixels only
    for data, image in zip(warm, frames, strict=True):
        decoded = PILImage.open(io.BytesIO(data))
        decoded.load()  # checks the zlib stream, its Adler-32 and the CRCs
        assert decoded.mode == "RGB"
        assert decoded.tobytes() == image.tobytes()


def test_frame_encoder_reuses_unchanged_bands_exactly() -> None:
    """Encoding against the previous frame gives the same bytes as encoding each alone."""
    import random
    from concurrent.futures import ThreadPoolExecutor

    from PIL import Image as PILImage
    from PIL import ImageDraw

    from storage.export.pngs import BAND_ROWS, FrameEncoder, changed_bands, encode_png

    rng = random.Random(5)
    base = PILImage.new("RGB", (50, 5 * BAND_ROWS + 7), (10, 20, 30))
    frames = [base.copy(), base.copy()]  # the second is identical: every band reused
    for i in range(8):
        image = frames[-1].copy()
        y = rng.randrange(image.height)
        # A change on a band's last row is also the context of the next band's first row.
        y = BAND_ROWS * 2 - 1 if i == 3 else y
        ImageDraw.Draw(image).line((0, y, 49, y), fill=(rng.randrange(256), 9, 9))
        frames.append(image)
    frames.append(PILImage.new("RGB", (30, 40), (1, 1, 1)))  # a size change starts afresh
    assert changed_bands(frames[1], frames[0]) == []
    assert changed_bands(frames[5], frames[4]) == [1, 2]
    with ThreadPoolExecutor(max_workers=2) as pool:
        encoder = FrameEncoder(pool)
        for image in frames:
            encoder.submit(image)
        streamed = [encoder.result() for _ in frames]
    assert streamed == [encode_png(f) for f in frames]
    for data, image in zip(streamed, frames, strict=True):
        decoded = PILImage.open(io.BytesIO(data))
        decoded.load()
        assert decoded.tobytes() == image.tobytes()


def test_frame_stream_stops_its_reader_when_closed_early_and_passes_errors_on() -> None:
    import threading

    from storage.export.pngs import FramePngs

    reader = make_session(frames=12)
    stream = FramePngs(reader).stream(range(12), workers=1)
    assert next(stream)[0] == 0
    stream.close()  # what a cancel does: the generator is closed mid-way
    assert not [t for t in threading.enumerate() if t.name == "export-read"]

    def broken(index: int, since: int | None) -> Any:
        raise OSError("disk read failed")

    reader.frame_changes = broken  # type: ignore[method-assign]
    with pytest.raises(OSError, match="disk read failed"):
        list(FramePngs(reader).stream(range(3)))
    assert not [t for t in threading.enumerate() if t.name == "export-read"]


def test_a_frame_equal_to_the_previous_one_is_written_once(tmp_path: Path) -> None:
    """Frame 2 has frame 1's pixels without being marked same_as: one file, two references."""
    reader = make_session(frames=4)
    reader._images[2] = frame(1)
    manifest = export_sessions([reader], "folder", tmp_path / "export")
    session = tmp_path / "export" / "sessions" / "s1"
    assert sorted(p.name for p in (session / "frames").iterdir()) == [
        "000000.png",
        "000001.png",
        "000003.png",
    ]
    metas = [json.loads(line) for line in (session / "frames.jsonl").read_text().splitlines()]
    assert [m["file"] for m in metas] == [
        "frames/000000.png",
        "frames/000001.png",
        "frames/000001.png",
        "frames/000003.png",
    ]
    assert manifest["sessions"][0]["frame_files"] == 3
