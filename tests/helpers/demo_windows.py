"""`make demo`'s second half: the app's windows on the demo display, saved as PNGs.

Run by tests/helpers/demo.py as `python -m tests.helpers.demo_windows OUT HOME SESSION` in a
child process (Qt on the demo's DISPLAY): first start, the tray menu, the consent dialog, a
recording through the tray with a task marked (New task…, Task done), the review window
with its Tasks tab, and the export dialog.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.helpers.demo import MARGIN, TRAY_TYPED, WAIT_MS
from tests.helpers.xserver import XDisplay, XDoTool, screenshot, tray_icon_centre

TASK = "Order bread from the bakery"


def qt_shots(out_dir: Path, home: Path, session_id: str) -> int:
    """Open the tray, the consent dialog and the review window on DISPLAY; save PNGs."""
    from app.qt.guard import guard_none_refcount

    guard_none_refcount()
    from PySide6.QtCore import QEventLoop, QPoint, QRect, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    from app.review.window import ReviewWindow
    from app.tray.app import TrayApp
    from storage import Vault

    qapp = QApplication.instance() or QApplication(["overt"])
    assert isinstance(qapp, QApplication)
    qapp.setApplicationName("Overt")
    qapp.setQuitOnLastWindowClosed(False)
    display = XDisplay(os.environ["DISPLAY"], 0, 0, dict(os.environ))
    screen_size = qapp.primaryScreen().geometry()
    display.width, display.height = screen_size.width(), screen_size.height()
    xdo = XDoTool(display)

    def pump(ms: int) -> None:
        """Run Qt's event loop for ``ms``. Not QTest.qWait: it holds the GIL while it waits,
        which starved the recorder's threads (pynput, Xlib) so the tray's recording seemed
        to hang at "starting"; QEventLoop.exec releases the GIL, as the real app's does."""
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait_until(check: Callable[[], object], what: str) -> None:
        deadline = time.monotonic() + WAIT_MS / 1000
        while not check():
            if time.monotonic() > deadline:
                raise SystemExit(f"demo: timed out waiting for {what}")
            pump(50)

    def shoot(name: str, region: QRect, margin: int = 0) -> None:
        """Save the whole screen as screen-NAME.png and REGION of it as NAME.png."""
        pump(300)  # let openbox map and Qt paint; there is no signal for "painted"
        full = screenshot(display, out_dir / f"screen-{name}.png")
        from PIL import Image

        box = region.adjusted(-margin, -margin, margin, margin).intersected(screen_size)
        with Image.open(full) as image:
            image.crop((box.left(), box.top(), box.right() + 1, box.bottom() + 1)).save(
                out_dir / f"{name}.png"
            )
        print(f"saved {out_dir / f'{name}.png'} ({box.width()}x{box.height()}) and {full.name}")

    def framed(widget: QWidget) -> QRect:
        """The window with openbox's title bar, once openbox has framed it."""
        wait_until(lambda: widget.frameGeometry() != widget.geometry(), "the window's frame")
        return widget.frameGeometry()

    print("First start, with no vault yet: the welcome opens beside the tray icon:")
    first = TrayApp(home.parent / "new-vault")
    first.show()
    welcome = first.vault.welcome
    assert welcome is not None, "no welcome on first start"
    wait_until(lambda: welcome.isVisible(), "the welcome")
    xdo.run("windowactivate", "--sync", str(xdo.wait_window("Welcome to Overt")))
    shoot("first-start", framed(welcome))
    welcome.reject()
    first.expiry.stop()
    first.view.hide()
    wait_until(lambda: tray_icon_centre(display) is None, "the first start's icon to go")

    tray = TrayApp(home)
    tray.show()
    assert tray.tray is not None, "no system tray (trayer) on the demo display"
    strip = QRect(display.width - 120, 0, 120, 24)  # trayer: top right, 120x24
    wait_until(lambda: tray_icon_centre(display) is not None, "the tray icon")
    icon = tray_icon_centre(display)
    assert icon is not None

    def open_menu(name: str) -> None:
        xdo.move(*icon)
        xdo.click(3)
        wait_until(tray.menu.isVisible, "the tray menu")
        shoot(name, tray.menu.geometry().united(strip), MARGIN)
        tray.menu.hide()
        wait_until(lambda: not tray.menu.isVisible(), "the menu to close")

    print("Right-click the tray icon (idle):")
    open_menu("tray-menu-idle")

    print("Record…: the consent dialog (Start is off until every statement is ticked):")
    dialog = tray.record()
    assert dialog is not None
    wait_until(lambda: dialog.isVisible() and not dialog.frameGeometry().isEmpty(), "the dialog")
    shoot("consent", framed(dialog))
    for box in dialog.checkboxes.values():
        QTest.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    wait_until(dialog.start.isEnabled, "Start to be enabled")
    print("Ticked every statement: Start is enabled. Pressing Start:")
    failures: list[str] = []
    stopped: list[dict[str, object]] = []
    tray.controller.failed.connect(failures.append)
    tray.controller.stopped.connect(stopped.append)
    QTest.mouseClick(dialog.start, Qt.MouseButton.LeftButton)
    asked = time.monotonic()
    wait_until(lambda: tray.state.state != "starting" or failures, "the recording to start")
    if failures or tray.state.state != "recording":
        raise SystemExit(f"demo: the tray could not start recording: {failures}")
    print(f"Recording ({tray.state.session_id}) {time.monotonic() - asked:.1f} s after Start.")
    print("New task… from the tray: what the person sets out to do, in their words:")
    task_dialog = tray.tasks.new_task()
    assert task_dialog is not None
    wait_until(lambda: task_dialog.isVisible(), "the New task window")
    xdo.run("windowactivate", "--sync", str(xdo.wait_window("Overt: new task")))
    xdo.type(TASK, delay_ms=30)
    wait_until(lambda: task_dialog.text() == TASK, "the task's words")
    shoot("new-task", framed(task_dialog))
    xdo.key("Return")
    wait_until(lambda: tray.state.task == TASK, "the task to start")
    pump(500)
    print(f"xdotool types {TRAY_TYPED!r} in the notes window:")
    xdo.run("windowactivate", "--sync", str(xdo.wait_window("Shopping list")))
    xdo.move(420, 460)
    xdo.click()
    xdo.type(TRAY_TYPED, delay_ms=40)
    pump(1500)  # a periodic frame or two after the typing
    print("The tray while recording; right-click the icon:")
    open_menu("tray-menu")
    print("Task done, from the tray menu (or ctrl+alt+shift+d):")
    tray.actions["task_done"].trigger()
    wait_until(lambda: tray.state.task is None, "the task to end")
    print("Stop, from the tray menu:")
    tray.actions["stop"].trigger()
    wait_until(lambda: stopped or failures, "the recording to stop")
    summary = stopped[0]
    print(
        f"Stopped: {summary.get('events')} events, {summary.get('actions')} actions, "
        f"{summary.get('frames')} frames."
    )
    tray_session = str(summary["session_id"])
    tray.tray.hide()

    print(f"The review window on the session recorded through the tray ({tray_session}):")
    passphrase = Path(os.environ["OVERT_PASSPHRASE_FILE"]).read_bytes().rstrip(b"\n")
    window = ReviewWindow(Vault.open(home).unlock(passphrase))
    loaded: list[str] = []
    window.recordsLoaded.connect(loaded.append)
    window.show()  # it opens on the newest session: the one just recorded
    wait_until(lambda: loaded and window.view.image is not None, "the session to load")
    if window.session is None or window.session.session_id != tray_session:
        raise SystemExit("demo: review did not open on the newest session")
    xdo.run("windowactivate", "--sync", str(xdo.wait_window("Overt: review")))
    shoot("review-on-open", framed(window))
    if TRAY_TYPED not in window.text_view.toPlainText():
        raise SystemExit("demo: the typed text is not in the tray-recorded session")
    window.actions_list.setCurrentRow(0)  # the first click, marked on its frame
    assert window.model is not None
    wait_until(lambda: window.index == window.model.action_frame(0), "the first action's frame")  # type: ignore[union-attr]
    xdo.run("windowactivate", "--sync", str(xdo.wait_window("Overt: review")))
    shoot("review", framed(window))
    window.tabs.setCurrentIndex(1)
    window.search.setText(TRAY_TYPED.split()[0])
    shoot("review-typed-text", framed(window))
    print("The Tasks tab, and the task as a green band (done) on the timeline:")
    window.tabs.setCurrentWidget(window.tasks_panel)
    wait_until(lambda: window.timeline.bands, "the task's band")
    window.tasks_panel.tasks_list.setCurrentRow(0)
    shoot("review-tasks", framed(window))
    if window.frame_scan.available:
        print("Suggestions: Scan frames for text (Tesseract), then the address on screen:")
        window.tabs.setCurrentWidget(window.suggestions_tab)
        scanned: list[int] = []
        window.frameTextFound.connect(scanned.append)
        window.frame_scan.button.click()
        wait_until(lambda: scanned, "the frame scan")
        model = window.model
        assert model is not None
        rows = [i for i, s in enumerate(model.suggestions) if s.source == "frame"]
        if not rows:
            raise SystemExit("demo: the frame scan found no address on screen")
        window.suggestions_list.setCurrentRow(rows[0])
        wait_until(lambda: window.view.image is not None, "the frame with the address")
        shoot("review-frame-text", framed(window))
    else:
        print("(Tesseract is not installed: no frame scan.)")
    window.close()

    from app.dialogs.export_dialog import ExportDialog

    print("Export… before it is approved: what to do first, no preview:")
    unlocked = Vault.open(home).unlock(passphrase)
    refused = ExportDialog(unlocked, [tray_session], folder=home.parent)
    refused.show()
    wait_until(lambda: refused.isVisible() and bool(refused.refusal), "the export's refusal")
    shoot("export-unapproved", framed(refused))
    refused.close()
    print("Approve it, then Export…: the preview (counts, apps, titles, sample frames):")
    unlocked.approve(tray_session)
    exports = home.parent / "exports"
    exports.mkdir(exist_ok=True)
    export = ExportDialog(unlocked, [tray_session], folder=exports)
    previewed: list[object] = []
    export.previewReady.connect(previewed.append)
    export.show()
    wait_until(lambda: previewed or export.status.text(), "the export preview")
    if not previewed:
        raise SystemExit(f"demo: no export preview: {export.status.text()}")
    shoot("export-preview", framed(export))
    results: list[str] = []
    export.finished_export.connect(results.append)
    export.start_export()
    wait_until(lambda: results, "the export to finish")
    print(results[0])
    if export.result_path is None:
        raise SystemExit("demo: the export failed")
    shoot("export-done", framed(export))
    export.close()
    return 0


if __name__ == "__main__":
    sys.exit(qt_shots(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]))
