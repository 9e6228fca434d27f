"""A window source that polls a platform function (Windows, macOS) and reports changes."""

from __future__ import annotations

import threading
from collections.abc import Callable

from recorder.capture.policy import WindowCallback, WindowInfo

ReadWindow = Callable[[], WindowInfo | None]


class PollingWindows:
    """Calls ``read`` every ``interval`` seconds and reports the active window when it changes.

    Attributes:
        error: the exception that ended polling, if any.
    """

    def __init__(self, read: ReadWindow, interval: float = 0.15) -> None:
        self._read = read
        self._interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def start(self, on_window: WindowCallback) -> None:
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, args=(on_window,), name="overt-windows", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(3.0)
            self._thread = None

    def _run(self, on_window: WindowCallback) -> None:
        last: WindowInfo | bool | None = False  # False: nothing reported yet
        try:
            while True:
                info = self._read()
                if info != last:
                    last = info
                    on_window(info)
                if self._stop.wait(self._interval):
                    return
        except Exception as error:  # noqa: BLE001 - the session reports a dead source
            self.error = error
