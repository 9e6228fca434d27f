"""Machine baseline: how fast this machine is right now, so other figures can be read as ratios."""

from __future__ import annotations

import hashlib
import statistics
import time


def main(report: dict[str, float]) -> None:
    """Time SHA-256 over 64 MiB a few times: a steady, CPU-bound yardstick."""
    block = bytes(64 * 2**20)
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        hashlib.sha256(block).digest()
        runs.append(time.perf_counter() - started)
    report["baseline_sha256_mb_s"] = round(64 / statistics.median(runs), 1)


if __name__ == "__main__":
    import json

    result: dict[str, float] = {}
    main(result)
    print(json.dumps(result))
