"""`make demo`: a tour of Overt on a virtual display, leaving screenshots to look at.

1. Starts Xvfb + openbox + trayer and runs `overt doctor`.
2. A researcher writes a study (`overt study new`); a volunteer makes a throwaway vault
   (`overt init`, passphrase from a file).
3. Records a short session with the study (`overt record --i-consent --study ... --duration`)
   while xdotool clicks and types in a real window (a small Tk notes app).
4. Lists it, shows its actions and verifies it (`overt sessions`, `show --actions`, `verify`).
5. Runs the tray app in a child process (`--qt-shots`): first start with no vault (the
   welcome), its menu, Record… and the consent dialog, then a real recording started with
   Start while xdotool types in the notes window, the menu while recording, and Stop; then
   the review window as it opens (on that newest session), the Export dialog before
   approval (its refusal) and once it is approved (its preview, then the finished export).
   Each is saved as PNG whole-screen and cropped to the window.

Everything lives in a temporary folder and on the virtual display; both go at the end.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.helpers.xserver import (
    XDisplay,
    XDoTool,
    screenshot,
    start_display,
    tray_icon_centre,
)

ROOT = Path(__file__).resolve().parent.parent.parent
PASSPHRASE = "demo passphrase, throwaway"
TYPED = "milk, eggs, bread"
TRAY_TYPED = "call the bakery at 9, or mail orders@bakery.example"
NOTES_APP = r"""
import tkinter as tk
root = tk.Tk(className="Notes")
root.title("Shopping list - Notes")
root.geometry("640x360+160+200")
text = tk.Text(root, font=("DejaVu Sans", 16))
text.insert("end", "Shopping list\n\n")
text.pack(fill="both", expand=True)
text.focus_set()
root.mainloop()
"""
WAIT_MS = 20_000
MARGIN = 6  # around the tray menu; windows are cropped to their frame
DESKTOP = (0x3B, 0x4A, 0x5A)  # a calm slate instead of Xvfb's black root window


def banner(text: str) -> None:
    print(f"\n=== {text}", flush=True)


class Tour:
    """The demo's state: display, throwaway folders, and how to run `overt` in them."""

    def __init__(self, display: XDisplay, work: Path, out_dir: Path) -> None:
        self.display = display
        self.xdo = XDoTool(display)
        self.work = work
        self.out_dir = out_dir
        self.home = work / "vault"
        self.pw = work / "pw"
        self.pw.write_text(PASSPHRASE + "\n")
        self.env = dict(
            display.env,
            OVERT_HOME=str(self.home),
            OVERT_PASSPHRASE_FILE=str(self.pw),
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        )

    def overt(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Run one `overt` command on the demo display and echo it and what it printed."""
        print(f"$ overt {' '.join(args)}", flush=True)
        out = subprocess.run(
            [sys.executable, "-m", "app", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        print(
            f"{out.stdout}{out.stderr}",
            end="" if (out.stdout + out.stderr).endswith("\n") else "\n",
        )
        if out.returncode != 0:
            print(f"(exit status {out.returncode})")
        return out

    def must(self, *args: str, timeout: float = 60) -> str:
        out = self.overt(*args, timeout=timeout)
        if out.returncode != 0:
            raise SystemExit(f"demo: `overt {args[0]}` failed; stopping the tour")
        return out.stdout


def record_session(tour: Tour, study: Path) -> str:
    """Record a few seconds of clicking and typing in the notes window; the session id."""
    xdo = tour.xdo
    wid = xdo.wait_window("Shopping list")
    xdo.run("windowactivate", "--sync", str(wid))
    args = ["record", "--i-consent", "--study", str(study), "--duration", "5"]
    print(f"$ overt {' '.join(args)}    (xdotool clicks and types in the notes window)", flush=True)
    recording = subprocess.Popen(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env=tour.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert recording.stdout is not None
    try:
        first = recording.stdout.readline()  # printed once capture is confirmed running
        print(first, end="", flush=True)
        if not first.startswith("Recording session "):
            _, err = recording.communicate(timeout=30)
            raise SystemExit(f"demo: recording did not start: {err.strip()}")
        session_id = first.split()[2].rstrip(";")
        xdo.move(420, 420)
        xdo.click()
        xdo.type(TYPED, delay_ms=40)
        xdo.key("Return")
        xdo.move(300, 320)
        xdo.click()
        out, err = recording.communicate(timeout=60)
    finally:
        if recording.poll() is None:
            recording.terminate()
            recording.wait(10)
    print(f"{out}{err}", end="")
    if recording.returncode != 0:
        raise SystemExit("demo: recording failed; stopping the tour")
    return session_id


def paint_desktop(display: XDisplay) -> None:
    """Give the root window a colour, so screenshots and recorded frames are not all black."""
    from Xlib import display as xlib_display

    conn = xlib_display.Display(display.name)
    try:
        screen = conn.screen()
        red, green, blue = (c * 257 for c in DESKTOP)
        pixel = screen.default_colormap.alloc_color(red, green, blue).pixel
        screen.root.change_attributes(background_pixel=pixel)
        screen.root.clear_area()
        conn.sync()
    finally:
        conn.close()


def main(out: str) -> int:
    started = time.monotonic()
    out_dir = Path(out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="overt-demo-"))
    display = start_display()
    tour = Tour(display, work, out_dir)
    try:
        paint_desktop(display)
        banner(
            f"A virtual display {display.name} (Xvfb + openbox + trayer); throwaway folder {work}"
        )
        banner("What works here")
        tour.overt("doctor")

        banner("A researcher writes a study file and keeps its private key")
        study, identity = work / "study.toml", work / "researcher.key"
        tour.must(
            "study", "new", "--out", str(study), "--identity-out", str(identity),
            "--id", "demo-notes", "--title", "Note taking", "--researcher", "Demo Lab",
            "--contact", "lab@example.org", "--purpose", "teach agents to take notes",
            "--fps", "1",
        )  # fmt: skip

        banner("A volunteer creates a vault (passphrase read from OVERT_PASSPHRASE_FILE)")
        tour.must("init")

        banner("Record 5 s with the study while xdotool uses a real window")
        display.spawn(sys.executable, "-c", NOTES_APP)
        session_id = record_session(tour, study)

        banner("What the vault holds")
        tour.must("sessions")
        tour.must("show", session_id, "--actions")
        tour.must("verify", session_id)

        banner("The app's windows: tray menu, consent dialog, review window")
        print(
            f"$ python -m tests.helpers.demo --qt-shots {out_dir} {tour.home} {session_id}",
            flush=True,
        )
        shots = subprocess.run(
            [sys.executable, "-m", "tests.helpers.demo", "--qt-shots", str(out_dir),
             str(tour.home), session_id],
            cwd=ROOT, env=tour.env, timeout=120, check=False,
        )  # fmt: skip
        if shots.returncode != 0:
            raise SystemExit("demo: the app's windows could not be shown")
        banner(f"Done in {time.monotonic() - started:.0f} s. Screenshots are in {out_dir}:")
        for png in sorted(out_dir.glob("*.png")):
            print(f"  {png}")
    finally:
        display.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


# --- the Qt part, run as `python -m tests.helpers.demo --qt-shots OUT HOME SESSION` ---------


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
    print(f"xdotool types {TRAY_TYPED!r} in the notes window:")
    xdo.run("windowactivate", "--sync", str(xdo.wait_window("Shopping list")))
    xdo.move(420, 460)
    xdo.click()
    xdo.type(TRAY_TYPED, delay_ms=40)
    pump(1500)  # a periodic frame or two after the typing
    print("The tray while recording; right-click the icon:")
    open_menu("tray-menu")
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
    if len(sys.argv) > 1 and sys.argv[1] == "--qt-shots":
        sys.exit(qt_shots(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]))
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "build/demo"))
