"""CPU and memory of a process and of its threads, read from /proc (Linux)."""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

TICKS_PER_S = os.sysconf("SC_CLK_TCK")


def _cpu_ticks(stat_file: Path) -> int:
    """utime + stime of a /proc .../stat file (fields 14 and 15; the name may hold spaces)."""
    fields = stat_file.read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def process_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far."""
    return _cpu_ticks(Path(f"/proc/{pid}/stat")) / TICKS_PER_S


def process_rss_mb(pid: int) -> float:
    """A process's resident memory now, in MB (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def thread_group(name: str) -> str:
    """A metric-friendly name for a thread, pools folded together: "overt-encode_1" ->
    "overt_encode", "Thread-3 (run)" -> "thread_run"."""
    name = re.sub(r"_\d+$", "", name)
    name = re.sub(r"^Thread-\d+", "thread", name)
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "thread"


def thread_cpu_s() -> dict[str, float]:
    """CPU seconds used so far by this process's live threads, by thread group.

    Threads Python does not know of (started by a C library) count as "native".
    """
    names = {t.native_id: t.name for t in threading.enumerate()}
    out: dict[str, float] = {}
    for task in Path("/proc/self/task").iterdir():
        try:
            ticks = _cpu_ticks(task / "stat")
        except (FileNotFoundError, ProcessLookupError):
            continue  # the thread ended while we looked
        group = thread_group(names.get(int(task.name), "native"))
        out[group] = out.get(group, 0.0) + ticks / TICKS_PER_S
    return out
