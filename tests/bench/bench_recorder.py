"""Recorder benchmarks on a virtual 1920x1080 X display; prints one flat JSON report.

Run: ``python -m tests.bench.bench_recorder`` (about 4 minutes). Metrics, units in names:

- callback_p50_us / callback_p99_us: the callbacks pynput calls (RawInput.on_move/on_click/
  on_press), timed one call at a time while the pipeline worker consumes the queue.
- fed_*: a 10 s burst at 20,000 events/s fed straight into those callbacks from a thread
  (xdotool is far too slow), through the whole pipeline into a counting sink.
- xtest_*: the same target rate injected as real X input (python-xlib XTEST fake motion
  in a tight loop in a separate process), received by the pynput listener.
- pre_action_frame_age_*: click time minus the time of its pre-action frame, for clicks
  driven by xdotool with varied pauses before them.
- frames_per_s_changing_1080p: grab + lossless encode + write, in one thread, of a screen
  an animation keeps changing, through the sink below.
- idle_cpu_pct_of_core: the recorder process's CPU time over 20 s of an idle screen.
- rss_mb_recorder_*: the recorder alone (counting sink) over a 60 s run of a scrolling
  screen and a click every 0.2 s, in a fresh process.

The office workload benchmark (office_*) is tests/bench/bench_office.py.

frames_per_s_* write through storage's SessionWriter (encrypted) when ``storage.vault`` is
importable, else a plaintext file sink; ``sink`` in the report says which.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from recorder.capture.keys import KeyInfo
from recorder.capture.policy import WindowInfo
from recorder.capture.rawinput import RawInput, RawItem, RawMove
from recorder.consent.record import ConsentScope, build_cli_consent
from recorder.platform.accessibility.element import ElementSource
from recorder.session import Recorder
from tests.helpers.xserver import XDisplay, XDoTool, start_display

BURST_S = 10.0
TARGET_RATE = 20_000


# --- sinks ------------------------------------------------------------------------------


class CountingSink:
    """Counts records and discards them (input-path benchmarks)."""

    session_id = "bench"

    def __init__(self) -> None:
        self.events = 0
        self.actions = 0
        self.elements = 0
        self.frames = 0
        self.lock = threading.Lock()

    def append_event(self, event: dict[str, Any]) -> int:
        self.events += 1
        return self.events - 1

    def append_action(self, action: dict[str, Any]) -> int:
        self.actions += 1
        return self.actions - 1

    def append_element(self, element: dict[str, Any]) -> int:
        self.elements += 1
        return self.elements - 1

    def append_frame(self, pixels: Any, size: Any, meta: Any, pixel_format: str = "BGRX") -> int:
        with self.lock:
            self.frames += 1
            return self.frames - 1

    def put_episode(self, episode: dict[str, Any]) -> None:
        pass

    def note_stats(self, stats: dict[str, Any]) -> None:
        pass

    def flush(self) -> None:
        pass

    def close(self, state: str = "complete") -> None:
        pass


class PlainFileSink(CountingSink):
    """Writes events as JSON lines and frames as WebP lossless keyframes or changed-rectangle
    patches, identical frames once: storage's encoding, without the encryption."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._events = (folder / "events.jsonl").open("a", encoding="utf-8")
        self._actions = (folder / "actions.jsonl").open("a", encoding="utf-8")
        self._prev: Any = None
        self._hashes: dict[bytes, int] = {}
        self.metas: list[dict[str, Any]] = []
        self.stored: list[tuple[str, int | None, tuple[int, int] | None]] = []
        self.encode_s: list[float] = []

    def append_event(self, event: dict[str, Any]) -> int:
        seq = super().append_event(event)
        event["seq"] = seq
        self._events.write(json.dumps(event) + "\n")
        return seq

    def append_action(self, action: dict[str, Any]) -> int:
        seq = super().append_action(action)
        action["seq"] = seq
        self._actions.write(json.dumps(action) + "\n")
        return seq

    def append_frame(self, pixels: Any, size: Any, meta: Any, pixel_format: str = "BGRX") -> int:
        from PIL import Image, ImageChops

        started = time.perf_counter()
        digest = hashlib.blake2b(pixels, digest_size=16).digest()
        with self.lock:
            index = len(self.metas)
            meta = dict(meta, index=index)
            self.metas.append(meta)
            if digest in self._hashes:
                meta["same_as"] = self._hashes[digest]
                self.stored.append(("same", self._hashes[digest], None))
                return index
            self._hashes[digest] = index
            image = Image.frombytes("RGB", size, bytes(pixels), "raw", "BGRX")
            box = None
            if self._prev is not None and self._prev.size == image.size and index % 60:
                bbox = ImageChops.difference(image, self._prev).getbbox()
                if bbox and (bbox[2] - bbox[0]) * (bbox[3] - bbox[1]) < 0.5 * size[0] * size[1]:
                    box = bbox
            self._prev = image
            patch = image.crop(box) if box else image
            buffer = io.BytesIO()
            patch.save(buffer, "WEBP", lossless=True, method=1)
            (self.folder / f"{index}.webp").write_bytes(buffer.getvalue())
            self.stored.append(("delta" if box else "key", None, box[:2] if box else None))
            self.encode_s.append(time.perf_counter() - started)
            return index

    def close(self, state: str = "complete") -> None:
        self._events.close()
        self._actions.close()

    def bytes(self) -> int:
        return sum(p.stat().st_size for p in self.folder.iterdir())

    def images(self) -> Any:
        """Every frame's full image, rebuilt from keyframes and patches, in order."""
        from PIL import Image

        full: dict[int, Any] = {}
        prev = None
        for index, (kind, same, origin) in enumerate(self.stored):
            if kind == "same":
                assert same is not None
                yield index, full.get(same) or prev
                continue
            with Image.open(self.folder / f"{index}.webp") as patch:
                patch.load()
                if kind == "key":
                    image = patch.convert("RGB")
                else:
                    assert prev is not None
                    assert origin is not None
                    image = prev.copy()
                    image.paste(patch, origin)
            prev = image
            full = {index: image}  # keep only the latest: frames refer back rarely
            yield index, image


def open_vault_sink(folder: Path) -> tuple[Callable[[dict[str, Any]], Any], str]:
    try:
        from storage.vault import Vault
    except ImportError:
        sink = PlainFileSink(folder)
        return (lambda consent: sink), "plaintext-file"
    vault = Vault.create(folder, b"bench passphrase")
    return vault.begin_session, "storage"


# --- a fake backend for fed benchmarks --------------------------------------------------------


class FedBackend:
    """Input comes from the benchmark calling the callbacks; frames from the real screen."""

    reports_visible_windows = False

    def __init__(self) -> None:
        self.raw: RawInput | None = None

    def start_input(self, raw: RawInput) -> None:
        self.raw = raw

    def inject_sentinel(self) -> list[Callable[[RawItem], bool]]:
        assert self.raw is not None
        self.raw.on_move(-1, -1)
        return [lambda item: isinstance(item, RawMove) and item.x == -1]

    def stop_input(self) -> None:
        pass

    def start_windows(self, raw: RawInput) -> None:
        raw.on_window(WindowInfo("bench", "bench", None, 0, 0, 1920, 1080, 1))

    def stop_windows(self) -> None:
        pass

    def resolve_key(self, key: Any) -> KeyInfo | None:
        return KeyInfo(key, key, None, ord(key))

    def button_name(self, button: Any) -> str:
        return str(button)

    def make_screen(self) -> Any:
        from recorder.platform.screen import MssScreen

        return MssScreen()


def consent(**scope: Any) -> dict[str, Any]:
    return build_cli_consent(ConsentScope(**scope), app_version="bench")


#: What a Recorder looks UI elements up with: a source factory, "backend" (the backend's
#: own, if it has one) or None (no grounding). tests/bench/bench_grounding_load.py runs the
#: benchmarks below with grounding on and off.
Elements = Callable[[], ElementSource] | Literal["backend"] | None
#: Where a fed click lands, by its event number (None: spread over the screen).
ClickPoint = Callable[[int], tuple[int, int]] | None


def spread(n: int) -> tuple[int, int]:
    return n % 1920, n % 1080


def grounding_stats(recorder: Recorder) -> dict[str, Any] | None:
    """The session's grounding statistics (coverage, lookups), or None without grounding."""
    grounding = recorder.pipeline.grounding if recorder.pipeline is not None else None
    return grounding.to_dict() if grounding is not None else None


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def wait_until(check: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


# --- benchmarks ---------------------------------------------------------------------------------


def bench_callbacks(
    report: dict[str, Any], elements: Elements = None, point: ClickPoint = None
) -> None:
    backend = FedBackend()
    at = point or spread
    recorder = Recorder(consent(), backend, elements=elements)
    recorder.start(lambda c: CountingSink())
    raw = backend.raw
    assert raw is not None
    calls = (raw.on_move, raw.on_click, raw.on_press)
    samples: list[int] = []
    clock = time.perf_counter_ns
    for i in range(100_000):
        kind = i % 10
        if kind < 8:
            start = clock()
            calls[0](i % 1920, i % 1080, False)
        elif kind == 8:
            start = clock()
            calls[1](*at(i), "left", i % 20 == 8, False)
        else:
            start = clock()
            calls[2]("a", False)
        samples.append(clock() - start)
        if i % 1000 == 999:
            time.sleep(0.001)  # ~1000 events per ms bursts, then let the worker run
    recorder.stop()
    timer = min(-(clock() - clock()) for _ in range(1000))  # the timer's own cost, ~0
    report["callback_p50_us"] = round(percentile([float(s) for s in samples], 50) / 1000, 3)
    report["callback_p99_us"] = round(percentile([float(s) for s in samples], 99) / 1000, 3)
    report["callback_max_us"] = round(max(samples) / 1000, 1)
    report["callback_timer_overhead_ns"] = abs(timer)


def bench_fed_burst(
    report: dict[str, Any], elements: Elements = None, point: ClickPoint = None
) -> None:
    backend = FedBackend()
    at = point or spread
    sink = CountingSink()
    recorder = Recorder(consent(), backend, elements=elements)
    recorder.start(lambda c: sink)
    raw = backend.raw
    assert raw is not None
    assert recorder.pipeline is not None
    sent = 0
    max_depth = 0
    batch = 100
    interval = batch / TARGET_RATE
    start = time.perf_counter()
    next_at = start
    while time.perf_counter() - start < BURST_S:
        for i in range(batch):
            n = sent + i
            if n % 50 == 0:
                raw.on_click(*at(n), "left", n % 100 == 0, False)
            elif n % 50 == 25:
                raw.on_press("a", False)
            elif n % 50 == 26:
                raw.on_release("a", False)
            else:
                raw.on_move(n % 1920, (n // 1920) % 1080, False)
        sent += batch
        max_depth = max(max_depth, raw.queue.qsize())
        next_at += interval
        delay = next_at - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
    elapsed = time.perf_counter() - start
    pipeline = recorder.pipeline
    caught_up = time.perf_counter()
    wait_until(lambda: pipeline.stats.raw_items >= sent + 1 - sum(raw.dropped.values()), 30)
    lag = time.perf_counter() - caught_up
    recorder.stop()
    report["fed_events_per_s"] = round(sent / elapsed)
    report["fed_events_total"] = sent
    report["fed_drops"] = sum(raw.dropped.values())
    report["fed_queue_max_depth"] = max_depth
    report["fed_worker_catch_up_ms"] = round(lag * 1000, 1)
    report["fed_events_written"] = sink.events
    stats = grounding_stats(recorder)
    if stats is not None:
        report["fed_element_records"] = sink.elements
        report["fed_lookups_submitted"] = stats["lookups"]["submitted"]
        report["fed_lookups_dropped"] = stats["lookups"]["dropped"]


INJECTOR = r"""
import sys, time
from Xlib import X, display
from Xlib.ext import xtest
rate, seconds = float(sys.argv[1]), float(sys.argv[2])
d = display.Display()
batch = 200
sent = 0
start = time.perf_counter()
next_at = start
while time.perf_counter() - start < seconds:
    for i in range(batch):
        n = sent + i
        xtest.fake_input(d, X.MotionNotify, x=100 + n % 1700, y=100 + (n // 1700) % 800)
    d.flush()
    sent += batch
    next_at += batch / rate
    delay = next_at - time.perf_counter()
    if delay > 0:
        time.sleep(delay)
d.sync()
print(sent, time.perf_counter() - start)
"""


def bench_xtest_burst(report: dict[str, Any]) -> None:
    from recorder.platform.x11 import X11Backend

    recorder = Recorder(consent(frames=False), X11Backend())
    recorder.start(lambda c: CountingSink())
    pipeline = recorder.pipeline
    assert pipeline is not None
    before = pipeline.stats.raw_items
    out = subprocess.run(
        [sys.executable, "-c", INJECTOR, str(TARGET_RATE), str(BURST_S)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    sent_text, elapsed_text = out.stdout.split()
    sent, elapsed = int(sent_text), float(elapsed_text)
    wait_until(lambda: pipeline.stats.raw_items - before >= sent, 20)
    received = pipeline.stats.raw_items - before
    recorder.stop()
    report["xtest_injected_events_per_s"] = round(sent / elapsed)
    report["xtest_events_injected"] = sent
    report["xtest_events_received"] = received
    report["xtest_drops"] = sum(recorder.raw.dropped.values())


def bench_pre_action(
    report: dict[str, Any],
    xdo: XDoTool,
    elements: Elements = "backend",
    points: list[tuple[int, int]] | None = None,
) -> None:
    """Clicks driven by xdotool, at ``points`` in turn (default: spread over the screen)."""
    from recorder.platform.x11 import X11Backend

    sinks: list[PlainFileSink] = []
    with tempfile.TemporaryDirectory() as tmp:

        def open_sink(c: dict[str, Any]) -> PlainFileSink:
            sinks.append(PlainFileSink(Path(tmp)))
            return sinks[-1]

        recorder = Recorder(consent(), X11Backend(), elements=elements)
        recorder.start(open_sink)
        leads = [0.0, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5]
        for i in range(35):
            lead = leads[i % len(leads)]
            x, y = points[i % len(points)] if points else (200 + 37 * i, 300 + 11 * i)
            xdo.run("mousemove", str(x), str(y), "sleep", str(lead), "click", "1")
            time.sleep(0.45)  # keep clicks apart: no double-clicks
        xdo.run("sleep", "2.5")  # the ring goes cold: the first click after idle
        for i in range(3):
            x, y = points[i % len(points)] if points else (900 + i * 50, 500)
            xdo.run("mousemove", str(x), str(y), "click", "1")
            time.sleep(2.5)
        recorder.stop()
        stats = grounding_stats(recorder)
        sink = sinks[0]
        actions = [json.loads(line) for line in (Path(tmp) / "actions.jsonl").open()]
    clicks = [a for a in actions if a["kind"] in ("click", "double_click")]
    ages = [
        (a["t"] - sink.metas[a["frame_before"]]["t"]) * 1000
        for a in clicks
        if a["frame_before"] is not None
    ]
    report["pre_action_clicks"] = len(clicks)
    report["pre_action_frame_missing"] = sum(a["frame_before"] is None for a in clicks)
    report["post_action_frame_missing"] = sum(a["frame_after"] is None for a in clicks)
    report["pre_action_frame_age_p50_ms"] = round(percentile(ages, 50), 1)
    report["pre_action_frame_age_p95_ms"] = round(percentile(ages, 95), 1)
    report["pre_action_frame_age_max_ms"] = round(max(ages), 1) if ages else None
    if stats is not None:
        report["pre_action_click_coverage"] = stats["click_coverage"]
        report["pre_action_lookup_p95_ms"] = stats["lookup_ms_p95"]


ANIMATION = r"""
import random, tkinter as tk
root = tk.Tk(className="animation")
root.geometry("1920x1080+0+0")
root.attributes("-fullscreen", True)
canvas = tk.Canvas(root, background="white", highlightthickness=0)
canvas.pack(fill="both", expand=True)
words = "the quick brown fox jumps over the lazy dog".split()
def tick():
    canvas.delete("all")
    for _ in range(60):
        x, y = random.randrange(1900), random.randrange(1060)
        color = "#%06x" % random.randrange(1 << 24)
        canvas.create_rectangle(x, y, x + random.randrange(20, 300), y + random.randrange(10, 120),
                                fill=color, outline="")
    for row in range(0, 1080, 24):
        canvas.create_text(10, row, anchor="nw", text=" ".join(random.choices(words, k=30)))
    root.after(30, tick)
tick()
root.mainloop()
"""


SCROLLER = r"""
import tkinter as tk
root = tk.Tk(className="scroller")
root.geometry("1920x1080+0+0")
root.attributes("-fullscreen", True)
text = tk.Text(root, font=("DejaVu Sans Mono", 12))
text.pack(fill="both", expand=True)
text.insert("1.0", "\n".join(f"{i:05d} quarterly figures, notes and a long line of prose " * 2
                               for i in range(20000)))
def tick():
    text.yview_scroll(3, "units")
    root.after(20, tick)
tick()
root.mainloop()
"""


def frames_per_s(display: XDisplay, script: str, seconds: float = 5.0) -> dict[str, Any]:
    """Grab + encode + write, in one thread, while ``script`` keeps the screen changing."""
    from recorder.platform.screen import MssScreen

    proc = display.spawn(sys.executable, "-c", script)
    try:
        time.sleep(1.5)
        screen = MssScreen()
        monitor = screen.monitors()[0]
        grabs = 0
        changed = 0
        last = None
        start = time.perf_counter()
        while time.perf_counter() - start < 2.0:
            pixels, size = screen.grab(monitor)
            grabs += 1
            changed += pixels != last
            last = pixels
        capture_only = grabs / (time.perf_counter() - start)
        with tempfile.TemporaryDirectory() as tmp:
            factory, kind = open_vault_sink(Path(tmp) / "v")
            sink = factory(consent())
            frames = 0
            last = None
            start = time.perf_counter()
            while time.perf_counter() - start < seconds:
                t0 = time.perf_counter()
                pixels, size = screen.grab(monitor)
                if pixels == last:
                    continue  # only changed frames count (and identical ones cost nothing)
                last = pixels
                meta = {"t": t0, "wall": time.time(), "monitor": monitor, "reason": "periodic"}
                sink.append_frame(pixels, size, meta)
                frames += 1
            sink.flush()
            elapsed = time.perf_counter() - start
            sink.close()
        screen.close()
    finally:
        proc.terminate()
        proc.wait(5)
    return {
        "sink": kind,
        "fps": round(frames / elapsed, 1),
        "capture_only_fps": round(capture_only, 1),
        "changed_share": round(changed / grabs, 2),
    }


def bench_frames_per_s(report: dict[str, Any], display: XDisplay) -> None:
    scrolling = frames_per_s(display, SCROLLER)
    noisy = frames_per_s(display, ANIMATION)
    report["sink"] = scrolling["sink"]
    report["frames_per_s_changing_1080p"] = scrolling["fps"]
    report["frames_per_s_changing_1080p_content"] = "a full-screen text editor scrolling"
    report["frames_per_s_noisy_1080p"] = noisy["fps"]
    report["capture_only_frames_per_s_1080p"] = scrolling["capture_only_fps"]
    report["capture_changed_share"] = scrolling["changed_share"]


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bench_idle_cpu(report: dict[str, Any], seconds: float = 20.0) -> None:
    from recorder.platform.x11 import X11Backend

    recorder = Recorder(consent(), X11Backend())
    recorder.start(lambda c: CountingSink())
    time.sleep(1.0)  # past the first frame
    cpu0, wall0 = cpu_seconds(), time.perf_counter()
    time.sleep(seconds)
    cpu1, wall1 = cpu_seconds(), time.perf_counter()
    recorder.stop()
    report["idle_seconds"] = seconds
    report["idle_cpu_pct_of_core"] = round((cpu1 - cpu0) / (wall1 - wall0) * 100, 2)


def bench_rss_recorder(report: dict[str, Any], display: XDisplay, seconds: float) -> None:
    """RSS of the recorder alone (counting sink, no encoder) while a scrolling screen and a
    click every 0.2 s make it grab, ring and write frames continuously."""
    proc = display.spawn(sys.executable, "-c", SCROLLER)
    try:
        time.sleep(1.5)
        backend = FedBackend()
        sink = CountingSink()
        recorder = Recorder(consent(), backend)
        recorder.start(lambda c: sink)
        raw = backend.raw
        assert raw is not None
        samples = []
        start = time.monotonic()
        i = 0
        while time.monotonic() - start < seconds:
            raw.on_move(100 + i % 500, 200, False)
            if i % 4 == 0:
                raw.on_click(100 + i % 500, 200, "left", True, False)
                raw.on_click(100 + i % 500, 200, "left", False, False)
            if i % 20 == 0:
                samples.append(rss_mb())
            i += 1
            time.sleep(0.05)
        recorder.stop()
    finally:
        proc.terminate()
        proc.wait(5)
    report["rss_seconds"] = seconds
    report["rss_mb_recorder_after_5s"] = round(samples[5], 1)
    report["rss_mb_recorder_end"] = round(samples[-1], 1)
    report["rss_mb_recorder_max"] = round(max(samples), 1)
    report["rss_frames_written"] = sink.frames


def in_subprocess(display: XDisplay, mode: str, seconds: float) -> dict[str, Any]:
    """Run one benchmark in a fresh process, so its RSS is the recorder's, not the bench's."""
    out = subprocess.run(
        [sys.executable, "-m", "tests.bench.bench_recorder", mode, str(seconds)],
        env=display.env,
        capture_output=True,
        text=True,
        timeout=seconds + 180,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed")
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def main(report: dict[str, Any]) -> None:
    """Run every recorder benchmark on a fresh virtual display, adding flat metrics."""
    quick = os.environ.get("OVERT_BENCH_QUICK") == "1"
    display = start_display(tray=False)
    saved = os.environ.get("DISPLAY")
    os.environ["DISPLAY"] = display.name
    os.environ.pop("WAYLAND_DISPLAY", None)
    xdo = XDoTool(display)
    try:
        report["bench_input_note"] = (
            "fed_*: callbacks called directly from a thread; xtest_*: real X input injected "
            "with XTEST from a separate process"
        )
        steps: list[tuple[str, Callable[[], None]]] = [
            ("callbacks", lambda: bench_callbacks(report)),
            ("fed_burst", lambda: bench_fed_burst(report)),
            ("xtest_burst", lambda: bench_xtest_burst(report)),
            ("pre_action", lambda: bench_pre_action(report, xdo)),
            ("frames", lambda: bench_frames_per_s(report, display)),
            ("idle", lambda: bench_idle_cpu(report, 10.0 if quick else 20.0)),
            ("rss", lambda: report.update(in_subprocess(display, "--rss", 15 if quick else 60))),
        ]
        for name, step in steps:
            try:
                step()
            except Exception as error:  # a failed benchmark is reported, the others still run
                report[f"{name}_error"] = f"{type(error).__name__}: {error}"
    finally:
        display.stop()
        if saved is None:
            os.environ.pop("DISPLAY", None)
        else:
            os.environ["DISPLAY"] = saved


def _child(mode: str, seconds: float) -> None:
    display = XDisplay(os.environ["DISPLAY"], 1920, 1080, dict(os.environ))
    report: dict[str, Any] = {}
    bench_rss_recorder(report, display, seconds)
    display.stop()
    print(json.dumps(report))


if __name__ == "__main__" and sys.argv[1:2] == ["--rss"]:
    _child(sys.argv[1], float(sys.argv[2]))
elif __name__ == "__main__":
    results: dict[str, Any] = {}
    with contextlib.suppress(KeyboardInterrupt):
        main(results)
    print(json.dumps(results, indent=2))
