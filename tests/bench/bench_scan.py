"""Review's frame scan (OCR with Tesseract): its speed, and its recall on the labelled set.

`python -m tests.bench.bench_scan` prints the JSON report. Without tesseract it reports nothing
and says so on stderr.

- Speed: the export bench's 1080p session, each frame with a 1000x160 block of new "text"
  somewhere, so every frame needs a strip read.
- Recall and precision: the scanner's labelled text samples (tests/storage/scan/data) drawn as lines
  of 15 px DejaVu Sans on 1080p frames, recorded into a vault and scanned as review does. A
  label counts as found when a suggestion of its kind lies on its line; a suggestion on a line
  with no label of its kind is a false positive.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from tests.bench.bench_export import PASS, record_session

W, H = 1920, 1080
LINE = 24
TOP = 20
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DATA = Path(__file__).resolve().parents[1] / "storage" / "scan" / "data" / "scanner_set.jsonl"


def bench_speed(report: dict[str, Any], work: Path, engine: str, frames: int = 40) -> None:
    from storage import Vault
    from storage.scan import ocr
    from storage.scan.frame_text import scan_frames

    vault = Vault.create(work / "speed", PASS, log_n=12)
    sid = record_session(vault, frames)
    unlocked = vault.unlock(PASS)
    readers = [unlocked.open_session(sid) for _ in range(2)]  # as review does
    started = time.perf_counter()
    scan_frames(readers, ocr.tesseract_reader(engine))
    report["frame_scan_ms_per_1080p_frame"] = round(
        (time.perf_counter() - started) / frames * 1000, 1
    )


def screens(samples: list[dict[str, Any]]) -> list[Image.Image]:
    """The samples' texts, one per line, as many lines as fit on each 1080p frame."""
    font = ImageFont.truetype(FONT, 15)
    per = (H - 2 * TOP) // LINE
    out = []
    for first in range(0, len(samples), per):
        image = Image.new("RGB", (W, H), (252, 252, 252))
        draw = ImageDraw.Draw(image)
        for row, sample in enumerate(samples[first : first + per]):
            draw.text((40, TOP + row * LINE), sample["text"], fill=(25, 25, 25), font=font)
        out.append(image)
    return out


def bench_recall(report: dict[str, Any], work: Path, engine: str) -> None:
    from storage import Vault
    from storage.scan import ocr
    from storage.scan.frame_text import scan_frames

    samples = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    samples = [s for s in samples if "text" in s]
    random.Random(7).shuffle(samples)  # kinds mixed on every frame, as on a real screen
    images = screens(samples)
    per = (H - 2 * TOP) // LINE
    vault = Vault.create(work / "recall", PASS, log_n=12)
    monitor = {"index": 0, "x": 0, "y": 0, "w": W, "h": H, "scale": 1.0}
    with vault.begin_session({"purpose": "benchmark", "captures": ["screen"]}) as writer:
        for i, image in enumerate(images):
            meta = {"t": float(i), "wall": 1.7e9 + i, "reason": "periodic", "monitor": monitor}
            writer.append_frame(image.tobytes(), image.size, meta, "RGB")
        sid = str(writer.session_id)
    started = time.perf_counter()
    unlocked = vault.unlock(PASS)
    readers = [unlocked.open_session(sid) for _ in range(2)]
    found = scan_frames(readers, ocr.tesseract_reader(engine))
    elapsed = time.perf_counter() - started
    on_line: dict[tuple[int, int], list[str]] = {}
    for s in found:
        assert s.box is not None
        assert s.frames is not None
        centre = s.box[1] + s.box[3] // 2
        for frame in range(s.frames[0], s.frames[1] + 1):
            on_line.setdefault((frame, (centre - TOP) // LINE), []).append(s.kind)
    true_pos = false_neg = false_pos = 0
    for n, sample in enumerate(samples):
        kinds = list(on_line.get((n // per, n % per), []))
        for label in sample["spans"]:
            if label["kind"] in kinds:
                true_pos += 1
                kinds.remove(label["kind"])
            else:
                false_neg += 1
        false_pos += len(kinds)
    report["frame_scan_recall"] = round(true_pos / max(1, true_pos + false_neg), 3)
    report["frame_scan_precision"] = round(true_pos / max(1, true_pos + false_pos), 3)
    report["frame_scan_labels"] = true_pos + false_neg
    report["frame_scan_full_frame_s"] = round(elapsed / len(images), 2)


def main(report: dict[str, Any]) -> None:
    from storage.scan import ocr

    engine = ocr.find_engine()
    if engine is None:
        print("bench: tesseract is not installed; the frame scan is not measured", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory(prefix="overt-bench-scan-") as tmp:
        bench_speed(report, Path(tmp), engine)
        bench_recall(report, Path(tmp), engine)


if __name__ == "__main__":
    result: dict[str, Any] = {}
    main(result)
    print(json.dumps(result, indent=1, sort_keys=True))
