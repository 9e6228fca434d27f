"""Retention in the tray: expired sessions are deleted at start-up and once a day.

Deleting needs only the plaintext index (each session's expiry is there, FORMAT.md 6), so it
runs without asking for the passphrase. The notice names how many sessions went and the days
they were recorded; their studies are not named because the index does not hold them (the
study is in the encrypted consent record, readable only after an unlock).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.qt.core import QObject, QTimer, Signal
from storage import StorageError, Vault, VaultNotFound

log = logging.getLogger(__name__)

DAY_S = 24 * 3600.0
#: How often the timer looks at the clock; expiry itself runs once a day of wall time,
#: so a suspended laptop catches up within this long of waking.
CHECK_INTERVAL_MS = 3600 * 1000


@dataclass(frozen=True)
class ExpiryReport:
    """What one expiry run deleted.

    Attributes:
        deleted: (session id, start time) of each deleted session.
    """

    deleted: tuple[tuple[str, float], ...]

    def message(self) -> str:
        """One sentence for the notification, e.g. 'Deleted 2 sessions … recorded 3 Oct 2026.'"""
        days = [_day(t) for t in sorted({_midnight(t) for _, t in self.deleted})]
        n = len(self.deleted)
        what = "1 session" if n == 1 else f"{n} sessions"
        return f"Deleted {what} past the retention its consent set, recorded {_join(days)}."


def _midnight(t: float) -> float:
    tm = time.localtime(t)
    return time.mktime((tm.tm_year, tm.tm_mon, tm.tm_mday, 0, 0, 0, 0, 0, -1))


def _day(t: float) -> str:
    tm = time.localtime(t)
    return f"{tm.tm_mday} {time.strftime('%b %Y', tm)}"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def expire_now(home: Path, now: float) -> ExpiryReport:
    """Delete every session of the vault at ``home`` past its expiry at ``now``.

    Returns:
        What was deleted (empty when there is no vault yet or nothing expired).

    Raises:
        StorageError: the vault could not be read or a deletion failed on disk.
    """
    try:
        vault = Vault.open(home)
    except VaultNotFound:
        return ExpiryReport(())
    started = {s.id: s.started for s in vault.expired(now)}
    if not started:
        return ExpiryReport(())
    deleted = vault.expire(now)
    return ExpiryReport(tuple((sid, started.get(sid, now)) for sid in deleted))


class ExpiryTimer(QObject):
    """Runs expiry at ``start()`` and again whenever a day of wall time has passed.

    Attributes:
        home: the vault folder.
        clock: wall-clock seconds (a fake in tests).
        timer: checks the clock every ``CHECK_INTERVAL_MS``.
        last_run: wall time of the last run, None before the first.

    Signals:
        expired(object): an ExpiryReport that deleted something (never sent for nothing).
        failed(str): expiry could not run (one sentence); sessions were kept.
    """

    expired = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        home: Path,
        clock: Callable[[], float] = time.time,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.home = home
        self.clock = clock
        self.last_run: float | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        """Expire now, then keep checking."""
        self.run()
        self.timer.start()

    def stop(self) -> None:
        """No more checks (on quit)."""
        self.timer.stop()

    def check(self) -> None:
        """Run expiry if a day has passed since the last run."""
        if self.last_run is None or self.clock() - self.last_run >= DAY_S:
            self.run()

    def run(self) -> ExpiryReport | None:
        """Expire now; report what was deleted (None when it could not run)."""
        now = self.clock()
        self.last_run = now
        try:
            report = expire_now(self.home, now)
        except StorageError as exc:
            log.warning("retention expiry failed: %s", exc)
            self.failed.emit(f"Overt could not delete the sessions past their retention: {exc}")
            return None
        if report.deleted:
            self.expired.emit(report)
        return report
