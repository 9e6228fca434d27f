"""`overt record` on a real X display: one line once recording, a summary after stopping.

Storage is merged separately, so these tests hand the command an in-memory sink; the vault
path itself is covered where storage lives.
"""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest

from app.cli import main as cli
from app.cli.commands import record
from tests.helpers.xserver import XDisplay
from tests.recorder.fakes import MemorySink


def run(argv: list[str], sinks: list[MemorySink]) -> int:
    args = cli.build_parser().parse_args(["record", *argv])

    def open_sink(consent: dict[str, object]) -> MemorySink:
        sinks.append(MemorySink(consent))
        return sinks[-1]

    return record.run_record(args, sink_factory=open_sink)


def test_records_until_the_duration_and_prints_a_summary(
    x_display: XDisplay, capsys: pytest.CaptureFixture[str]
) -> None:
    sinks: list[MemorySink] = []
    assert run(["--i-consent", "--duration", "1", "--text", "keys", "--fps", "2"], sinks) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0] == f"Recording session {sinks[0].session_id}; stop with Ctrl+C."
    assert lines[1].startswith("Stopped (duration) after 1.")
    for word in ("events", "actions", "frames", "0 drops", "bytes"):
        assert word in lines[1]
    consent = sinks[0].consent
    assert consent is not None
    assert consent["affirmed_by"] == "--i-consent flag"
    assert consent["scope"]["text_mode"] == "keys"
    assert sinks[0].state == "complete"


def test_sigterm_stops_cleanly(x_display: XDisplay, capsys: pytest.CaptureFixture[str]) -> None:
    sinks: list[MemorySink] = []
    timer = threading.Timer(0.8, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    try:
        assert run(["--i-consent", "--json"], sinks) == 0
    finally:
        timer.cancel()
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Recording session ")
    assert '"reason": "signal"' in out[1]
    assert sinks[0].markers()[-1] == "stop"
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_refuses_without_a_vault_on_a_real_display(x_display: XDisplay, tmp_path: Path) -> None:
    code = cli.main(["record", "--i-consent", "--home", str(tmp_path / "none")])
    assert code == 1
    assert not (tmp_path / "none").exists()
