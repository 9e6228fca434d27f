"""`make soak`: the office workload for an hour through the real recorder into a real vault.

Run: ``python -m tests.bench.soak build/bench`` (``SOAK_MINUTES=N`` for a shorter run). On a
fresh virtual display, the office workload of tests/bench/office.py drives a Tk editor with
xdotool while ``overt record`` (the command a volunteer runs, in its own process) records it.
Every 10 s the recorder's RSS and CPU and the vault's bytes on disk are sampled. Writes
soak.md (pass/fail lines and the figures), soak.csv (every sample) and soak.png (RSS, bytes
and CPU over time). A report, not a test: it prints its checks and exits 0 unless the run
itself failed.
"""

from __future__ import annotations

import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage import Vault
from tests.bench.office import EDITOR, office_workload
from tests.bench.procstat import process_cpu_s, process_rss_mb
from tests.helpers.xserver import XDisplay, XDoTool, start_display

SAMPLE_EVERY_S = 10.0
RSS_FLAT_WITHIN = 0.10  # (max - min) / min of the windows' median RSS, after the warm-up
RSS_MAX_MB = 200.0
WARM_UP_S = 60.0  # RSS grows while caches and the first keyframes settle: not counted as drift
WINDOW_S = 300.0
CPU_TARGET_PCT = 8.0  # issue 18's target for the office workload, drawn on the plot


@dataclass
class Sample:
    """One look at the recorder: seconds since recording began, RSS, CPU since the last."""

    t_s: float
    rss_mb: float
    cpu_pct: float
    vault_mb: float


def vault_bytes(home: Path) -> int:
    return sum(p.stat().st_size for p in home.rglob("*") if p.is_file())


def record(display: XDisplay, home: Path, seconds: float) -> tuple[list[Sample], dict[str, Any]]:
    """Run ``overt record`` for ``seconds`` while the office workload plays; sample it."""
    xdo = XDoTool(display)
    display.spawn(sys.executable, "-c", EDITOR)
    xdo.wait_window("report.txt")
    command = [sys.executable, "-m", "app.main", "record", "--home", str(home)]  # `overt`
    command += ["--i-consent", "--duration", str(seconds), "--json"]
    recorder = subprocess.Popen(
        command,
        env=display.env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert recorder.stdout is not None
    first = recorder.stdout.readline()  # "Recording session ...": frames are flowing
    if not first.startswith("Recording session"):
        recorder.kill()
        raise RuntimeError(f"overt record did not start: {first}{recorder.stderr.read()}")
    stop = threading.Event()
    worker = threading.Thread(target=office_workload, args=(xdo, stop), daemon=True)
    worker.start()
    samples: list[Sample] = []
    t0 = time.monotonic()
    cpu_before, t_before = process_cpu_s(recorder.pid), t0
    next_at = t0 + SAMPLE_EVERY_S
    try:
        while recorder.poll() is None:
            time.sleep(max(0.0, next_at - time.monotonic()))
            next_at += SAMPLE_EVERY_S
            try:
                cpu, rss = process_cpu_s(recorder.pid), process_rss_mb(recorder.pid)
            except (FileNotFoundError, ProcessLookupError):
                break
            if recorder.poll() is not None or rss != rss:
                break  # it stopped while we slept: what /proc shows now is its exit, not it
            now = time.monotonic()
            cpu_pct = (cpu - cpu_before) / (now - t_before) * 100
            cpu_before, t_before = cpu, now
            samples.append(Sample(now - t0, rss, cpu_pct, vault_bytes(home) / 1e6))
            print(
                f"soak: {samples[-1].t_s / 60:5.1f} min  RSS {rss:6.1f} MB  CPU {cpu_pct:5.1f}%  "
                f"vault {samples[-1].vault_mb:7.1f} MB",
                flush=True,
            )
        out, err = recorder.communicate(timeout=60)
    finally:
        stop.set()
        if recorder.poll() is None:
            recorder.terminate()
            recorder.wait(30)
    worker.join(30)
    if recorder.returncode != 0:
        raise RuntimeError(f"overt record failed (exit {recorder.returncode}): {err.strip()}")
    summary: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return samples, summary


def window_medians(samples: list[Sample]) -> list[float]:
    """Median RSS of each window after the warm-up (5 minutes, or a sixth of a shorter run).

    RSS moves in steps of a whole 1080p frame buffer (8.3 MB) as grabs are held and freed;
    a window's median shows the level under that, so a leak shows as windows that climb.
    """
    duration = samples[-1].t_s
    warm = min(WARM_UP_S, duration / 6)
    width = min(WINDOW_S, duration / 6)
    windows: dict[int, list[float]] = {}
    for s in samples:
        if s.t_s >= warm:
            windows.setdefault(int((s.t_s - warm) // width), []).append(s.rss_mb)
    return [statistics.median(values) for _, values in sorted(windows.items())]


def checks(samples: list[Sample], summary: dict[str, Any]) -> list[tuple[bool, str]]:
    """The soak's targets (issue 18), each as (passed, the line that says so)."""
    rss = [s.rss_mb for s in samples]
    levels = window_medians(samples) or rss
    spread = (max(levels) - min(levels)) / min(levels)
    drops = int(summary["drops"]) + int(summary["frame_drops"])
    return [
        (
            spread <= RSS_FLAT_WITHIN,
            f"RSS flat within {RSS_FLAT_WITHIN:.0%}: window medians {min(levels):.1f}-"
            f"{max(levels):.1f} MB over {len(levels)} windows, spread {spread:.1%} "
            f"(single samples {min(rss):.1f}-{max(rss):.1f} MB)",
        ),
        (max(rss) <= RSS_MAX_MB, f"RSS <= {RSS_MAX_MB:.0f} MB: peak {max(rss):.1f} MB"),
        (
            drops == 0,
            f"0 drops: {summary['drops']} input, {summary['frame_drops']} frames "
            f"({summary['pre_frames_missed']} pre-action frames missed, not a drop)",
        ),
    ]


def slope_per_hour(samples: list[Sample], value: str) -> float:
    """Least-squares growth of a sampled value per hour."""
    xs = [s.t_s / 3600 for s in samples]
    ys = [getattr(s, value) for s in samples]
    if len(xs) < 2:
        return 0.0
    return statistics.linear_regression(xs, ys).slope


def plot(samples: list[Sample], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    minutes = [s.t_s / 60 for s in samples]
    fig, axes = plt.subplots(3, 1, figsize=(9, 8), sharex=True)
    series = (
        ("rss_mb", "recorder RSS (MB)", RSS_MAX_MB),
        ("vault_mb", "vault on disk (MB)", None),
        ("cpu_pct", "recorder CPU (% of a core)", CPU_TARGET_PCT),
    )
    for axis, (name, label, limit) in zip(axes, series, strict=True):
        values = [getattr(s, name) for s in samples]
        axis.plot(minutes, values, marker=".", linewidth=1)
        axis.set_ylabel(label)
        axis.grid(alpha=0.3)
        axis.set_ylim(0, max([*values, limit or 0.0]) * 1.1 or 1.0)
        if limit is not None:
            axis.axhline(limit, color="tab:red", linestyle="--", linewidth=1, label="target")
            axis.legend(loc="lower right")
    axes[-1].set_xlabel("minutes since recording began")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_report(
    out_dir: Path, samples: list[Sample], summary: dict[str, Any], minutes: float
) -> list[str]:
    """soak.md, soak.csv and soak.png; returns the pass/fail lines."""
    with (out_dir / "soak.csv").open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["t_s", "rss_mb", "cpu_pct", "vault_mb"])
        for s in samples:
            writer.writerow([round(s.t_s, 1), round(s.rss_mb, 1), round(s.cpu_pct, 2), s.vault_mb])
    hours = summary["duration_s"] / 3600
    stored = summary["bytes"] if summary.get("bytes") is not None else samples[-1].vault_mb * 1e6
    title = f"overt record, office workload, {minutes:g} min"
    plot(samples, out_dir / "soak.png", title)
    verdicts = [f"{'PASS' if ok else 'FAIL'}: {line}" for ok, line in checks(samples, summary)]
    figures = [
        f"- duration {summary['duration_s']:.0f} s; {summary['events']} events, "
        f"{summary['actions']} actions, {summary['frames']} frames",
        f"- session {stored / 1e6:.1f} MB on disk: {stored / 1e6 / hours:.1f} MB/hour",
        f"- recorder CPU mean {statistics.mean(s.cpu_pct for s in samples):.1f}% of a core "
        f"(median of 10 s samples {statistics.median(s.cpu_pct for s in samples):.1f}%)",
        f"- RSS start {samples[0].rss_mb:.1f} MB, end {samples[-1].rss_mb:.1f} MB, trend "
        f"{slope_per_hour(samples, 'rss_mb'):+.1f} MB/hour",
    ]
    lines = [
        "# Overt soak",
        "",
        f"`overt record` (its own process) on a 1920x1080 Xvfb, the office workload of "
        f"tests/bench/office.py (synthetic: a Tk editor typed into, clicked and scrolled by "
        f"xdotool), {minutes:g} minutes, sampled every {SAMPLE_EVERY_S:.0f} s. "
        "Every sample is in soak.csv.",
        "",
        *[f"- {v}" for v in verdicts],
        "",
        *figures,
        "",
        "![RSS, vault bytes and CPU over time](soak.png)",
        "",
        "| minute | RSS MB | CPU % of a core (last 10 s) | vault MB |",
        "|---|---|---|---|",
    ]
    shown = -60.0
    for s in samples:
        if s.t_s - shown >= 60 or s is samples[-1]:
            shown = s.t_s
            lines.append(
                f"| {s.t_s / 60:.1f} | {s.rss_mb:.1f} | {s.cpu_pct:.1f} | {s.vault_mb:.1f} |"
            )
    (out_dir / "soak.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return verdicts


def main(out_dir: str) -> int:
    target = Path(out_dir)
    target.mkdir(parents=True, exist_ok=True)
    minutes = float(os.environ.get("SOAK_MINUTES", "60"))
    if minutes <= 0:
        print("SOAK_MINUTES must be a positive number of minutes.", file=sys.stderr)
        return 2
    display = start_display(tray=False)
    try:
        with tempfile.TemporaryDirectory(prefix="overt-soak-") as tmp:
            home = Path(tmp) / "vault"
            Vault.create(home, b"soak", log_n=14)
            samples, summary = record(display, home, minutes * 60)
    except (RuntimeError, OSError) as error:
        print(f"soak: {error}", file=sys.stderr)
        return 1
    finally:
        display.stop()
    if not samples:
        print("soak: the recorder stopped before the first sample.", file=sys.stderr)
        return 1
    for line in write_report(target, samples, summary, minutes):
        print(line)
    print(f"wrote {target / 'soak.md'}, soak.csv and soak.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "build/bench"))
