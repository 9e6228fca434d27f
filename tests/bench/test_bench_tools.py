"""The bench's own logic: the reference rows really decode and compare, the soak's checks."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from tests.bench import references
from tests.bench.procstat import thread_group
from tests.bench.soak import Sample, checks

SIZE = (64, 48)
SUMMARY: dict[str, Any] = {"drops": 0, "frame_drops": 0, "pre_frames_missed": 0}


def _spool(folder: Path, count: int = 4) -> references.FrameSpool:
    """Small frames of text-like marks with noise: each differs from the one before."""
    rng = random.Random(7)
    spool = references.FrameSpool(folder / "frames.bgrx", SIZE)
    image = Image.new("RGB", SIZE, (250, 250, 250))
    for i in range(count):
        draw = ImageDraw.Draw(image)
        for _ in range(20):
            x, y = rng.randrange(SIZE[0]), rng.randrange(SIZE[1])
            draw.point((x, y), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
        draw.rectangle((4 * i, 10, 4 * i + 6, 16), fill=(20, 20, 20))
        spool.append(image.copy(), {"t": i * 0.7, "wall": 1.7e9 + i, "reason": "periodic"})
    return spool


def test_one_per_second_takes_the_latest_frame_grabbed_by_each_second(tmp_path: Path) -> None:
    spool = references.FrameSpool(tmp_path / "s", SIZE)
    blank = Image.new("RGB", SIZE)
    # a pre-action frame is an earlier ring grab written after a later periodic one
    for t in (0.0, 1.2, 0.9, 2.5, 4.1):
        spool.append(blank, {"t": t})
    assert references.one_per_second(spool, 5) == [0, 2, 1, 3, 3]


def test_lossless_rows_decode_back_to_every_source_pixel(tmp_path: Path) -> None:
    spool = _spool(tmp_path)
    rows = [
        references.overt_frames(spool, tmp_path / "overt"),
        references.png_per_frame(spool, tmp_path / "png"),
        references.webp_per_frame(spool, tmp_path / "webp"),
    ]
    for row in rows:
        assert (row.key, row.pixel_exact, row.exact_frames) == (row.key, True, len(spool))
        assert row.bytes > 0
        assert row.cpu_s > 0


def test_a_lossy_encoding_is_found_out_by_the_comparison(tmp_path: Path) -> None:
    spool = _spool(tmp_path)
    row = references.image_files(spool, tmp_path / "jpeg", "jpeg", "JPEG", "JPEG", quality=50)
    assert not row.pixel_exact
    assert row.exact_frames == 0


@pytest.mark.bench  # PyAV is in the bench extra: `make bench` runs this test, `make test` does not
def test_video_rows_are_exact_only_when_lossless(tmp_path: Path) -> None:
    spool = _spool(tmp_path)
    every = list(range(len(spool)))
    lossless = references.video(spool, tmp_path / "a.mkv", "ffv1", "FFV1", references.FFV1, every)
    lossy = references.video(
        spool, tmp_path / "b.mkv", "crf", "CRF 28", references.X264_CRF28, every
    )
    assert lossless.pixel_exact
    assert not lossy.pixel_exact
    assert lossy.psnr_db is not None


def _samples(rss: list[float]) -> list[Sample]:
    return [Sample(10.0 * (i + 1), mb, 10.0, 0.1 * i) for i, mb in enumerate(rss)]


def test_soak_rss_steps_of_a_frame_buffer_are_flat_but_a_leak_is_not() -> None:
    # 360 samples (an hour): RSS hopping by whole 8.3 MB frame buffers around a steady level
    steady = _samples([118.0 + 8.3 * (i % 3 == 0) + 8.3 * (i % 7 == 0) for i in range(360)])
    leaking = _samples([118.0 + 0.1 * i for i in range(360)])  # +36 MB over the hour
    assert checks(steady, SUMMARY)[0][0]
    assert not checks(leaking, SUMMARY)[0][0]


def test_soak_fails_on_a_peak_over_200_mb_and_on_any_drop() -> None:
    samples = _samples([150.0] * 30 + [201.0] + [150.0] * 30)
    flat, peak, drops = checks(samples, {**SUMMARY, "frame_drops": 1})
    assert flat[0]
    assert not peak[0]
    assert not drops[0]


def test_thread_groups_fold_pools_and_unnamed_threads() -> None:
    assert thread_group("overt-encode_1") == "overt_encode"
    assert thread_group("overt-frame-writer") == "overt_frame_writer"
    assert thread_group("Thread-3 (run)") == "thread_run"
    assert thread_group("MainThread") == "mainthread"


def test_the_report_says_which_targets_are_met(tmp_path: Path) -> None:
    from tests.bench.run import met, write_markdown

    report: dict[str, Any] = {
        "office_bytes_per_hour_mb": 16.0,
        "office_cpu_pct_of_core": 9.2,
        "export_frames_per_s": 150,
        "ref_rows": "overt,png_1fps_actions,x264rgb_qp0_medium,x264_crf28_1fps_lossy",
        "ref_overt_mb_per_h": 11.0,
        "ref_overt_pixel_exact": "yes",
        "ref_png_1fps_actions_mb_per_h": 1240.0,
        "ref_png_1fps_actions_pixel_exact": "yes",
        "ref_x264rgb_qp0_medium_mb_per_h": 10.0,
        "ref_x264rgb_qp0_medium_pixel_exact": "yes",
        "ref_x264_crf28_1fps_lossy_mb_per_h": 5.0,
        "ref_x264_crf28_1fps_lossy_pixel_exact": "no",
    }
    assert met(report, "office_bytes_per_hour_mb") == "yes"
    assert met(report, "office_cpu_pct_of_core") == "no (1.15x the target)"
    assert met(report, "export_frames_per_s") == "yes"
    assert met(report, "office_rss_mb_end") == ""
    write_markdown(tmp_path / "report.md", report, [])
    text = (tmp_path / "report.md").read_text()
    assert "| office_cpu_pct_of_core | 9.2 | <= 8 | no (1.15x the target) |" in text
    assert "- whole vault, MB/hour: 16.0 (target <= 20): yes" in text
    # the lossy row does not count; the lossless one that stores less does
    assert "pixel-exact reference (2): no: x264rgb_qp0_medium store less" in text


def test_grounding_load_labels_each_mode_and_compares_on_with_off() -> None:
    from tests.bench.bench_grounding_load import merge

    runs = {
        "off": [{"callback_p99_us": 2.0, "fed_drops": 0}, {"callback_p99_us": 4.0}],
        "on": [
            {"callback_p99_us": 3.0, "pre_action_click_coverage": 1.0, "fed_drops": 0},
            {"callback_p99_us": 5.0, "pre_action_error": "RuntimeError: no frame"},
        ],
    }
    merged = merge(runs)
    assert merged["grounding_off_callback_p99_us"] == 3.0  # the median of 2 and 4
    assert merged["grounding_on_callback_p99_us"] == 4.0
    assert merged["grounding_callback_p99_us_on_over_off"] == 1.33
    assert merged["grounding_on_pre_action_click_coverage"] == 1.0
    assert "grounding_off_pre_action_click_coverage" not in merged
    assert merged["grounding_on2_pre_action_error"] == "RuntimeError: no frame"
    assert "grounding_fed_drops_on_over_off" not in merged  # 0 drops off: no ratio
