"""What the tray's consent chores cost on a vault of 50 sessions.

- ``withdraw_list_sessions_ms``: reading every session's consent for the Withdraw… list
  (opened after an unlock, on the GUI thread).
- ``expiry_check_nothing_due_ms``: the start-up and daily expiry run when nothing is due
  (index only, no passphrase).
- ``withdraw_one_session_ms``: receipt plus irrecoverable deletion of one small session.
Medians of several runs; no Qt.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from app.core import withdrawal
from app.tray.expiry import expire_now
from tests.app.sessions import PASSPHRASE, make_vault, write_session

SESSIONS = 50
RUNS = 7


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def main(report: dict[str, float]) -> None:
    """Write the sessions, then time listing, expiry and withdrawing."""
    with tempfile.TemporaryDirectory() as tmp:
        vault = make_vault(Path(tmp) / "vault")
        ids = [
            write_session(vault, frames=2, study={"id": "s", "title": "S"} if i % 2 else None)  # type: ignore[arg-type]
            for i in range(SESSIONS)
        ]
        unlocked = vault.unlock(PASSPHRASE)
        lists, expiries, withdraws = [], [], []
        for _ in range(RUNS):
            started = time.perf_counter()
            entries = withdrawal.list_sessions(unlocked)
            lists.append(_ms(started))
            assert len(entries) == SESSIONS
            started = time.perf_counter()
            assert not expire_now(vault.home, time.time()).deleted
            expiries.append(_ms(started))
        out = Path(tmp) / "receipts"
        for session_id in ids[:RUNS]:
            started = time.perf_counter()
            withdrawal.withdraw_session(unlocked, session_id, out)
            withdraws.append(_ms(started))
        report["withdraw_list_sessions_ms"] = round(statistics.median(lists), 1)
        report["expiry_check_nothing_due_ms"] = round(statistics.median(expiries), 1)
        report["withdraw_one_session_ms"] = round(statistics.median(withdraws), 1)
        report["withdraw_bench_sessions"] = SESSIONS


if __name__ == "__main__":
    figures: dict[str, float] = {}
    main(figures)
    print(figures)
