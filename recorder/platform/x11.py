"""The X11 backend: pynput input (with a sentinel and a clean stop), window context through
python-xlib (PropertyNotify on _NET_ACTIVE_WINDOW and titles), and mss frames.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from recorder.capture.frames import ScreenSource
from recorder.capture.keys import KeyInfo
from recorder.capture.policy import WindowCallback, WindowInfo
from recorder.capture.rawinput import RawInput, RawItem
from recorder.errors import CaptureUnavailable
from recorder.platform.pynput_input import PynputInput, button_name
from recorder.platform.screen import MssScreen


def _display() -> Any:
    try:
        import Xlib.display

        return Xlib.display.Display()
    except Exception as error:  # noqa: BLE001 - no display / refused connection
        raise CaptureUnavailable(f"Cannot connect to the X display: {error}.") from None


class X11Input(PynputInput):
    """pynput on X11, stopped the way NOTES.md found reliable.

    ``Listener.stop()`` alone waits for one more X event; disabling its RECORD context from
    a separate connection and syncing, retried while joining, stops it every time.
    """

    def _stop_listener(self, listener: Any) -> None:
        listener.stop()
        context = getattr(listener, "_context", None)
        if context is None:
            listener.join(3.0)
            return
        display = _display()
        try:
            for _ in range(60):
                with contextlib.suppress(Exception):
                    display.record_disable_context(context)
                    display.sync()
                listener.join(0.05)
                if not listener.is_alive():
                    break
        finally:
            display.close()


class X11Windows:
    """Reports the active window and each change of it, its title or its geometry."""

    def __init__(self, poll_s: float = 0.5) -> None:
        self._poll_s = poll_s
        self._thread: threading.Thread | None = None
        self._stop_r, self._stop_w = -1, -1
        self._on_lock: Callable[[bool, float], None] = lambda locked, t: None
        self._on_visible: Callable[[list[WindowInfo], float], None] = lambda windows, t: None
        self._locked_hint = logind_locked_hint()
        self.error: BaseException | None = None

    def start(
        self,
        on_window: WindowCallback,
        on_lock: Callable[[bool, float], None],
        on_visible: Callable[[list[WindowInfo], float], None],
    ) -> None:
        display = _display()  # fail here, in the caller's thread, if X is unreachable
        self._on_lock = on_lock
        self._on_visible = on_visible
        self._stop_r, self._stop_w = os.pipe()
        self._thread = threading.Thread(
            target=self._run, args=(display, on_window), name="overt-windows", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._thread is None:
            return
        os.write(self._stop_w, b"x")
        self._thread.join(3.0)
        os.close(self._stop_r)
        os.close(self._stop_w)
        self._thread = None

    def _run(self, display: Any, on_window: WindowCallback) -> None:
        from Xlib import X

        try:
            root = display.screen().root
            atoms = {
                name: display.intern_atom(name)
                for name in (
                    "_NET_ACTIVE_WINDOW",
                    "_NET_WM_NAME",
                    "WM_NAME",
                    "_NET_WM_PID",
                    "_NET_CLIENT_LIST_STACKING",
                )
            }
            root.change_attributes(event_mask=X.PropertyChangeMask)
            saver = display.has_extension("MIT-SCREEN-SAVER")
            if saver:
                from Xlib.ext import screensaver

                root.screensaver_select_input(screensaver.NotifyMask)
            locked = hint = False
            next_hint = 0.0
            watched: Any = None
            last: WindowInfo | bool | None = False  # False: nothing reported yet
            last_visible: list[WindowInfo] | None = None
            seen = time.monotonic()
            while True:
                info, window = read_active_window(display, atoms)
                if window is not None and (watched is None or window.id != watched.id):
                    with contextlib.suppress(Exception):
                        window.change_attributes(event_mask=X.PropertyChangeMask)
                    watched = window
                if saver or self._locked_hint is not None:
                    # best effort: the screen saver is on, or logind says the session is
                    # locked (GNOME, KDE, light-locker set LockedHint; a bare X server cannot)
                    now_locked = bool(saver) and root.screensaver_query_info().state == 1
                    if self._locked_hint is not None and seen >= next_hint:
                        hint = self._locked_hint()
                        next_hint = seen + 2.0
                    now_locked = now_locked or hint
                    if now_locked != locked:
                        locked = now_locked
                        self._on_lock(locked, seen)
                visible = read_visible_windows(display, atoms)
                if visible != last_visible:
                    last_visible = visible
                    self._on_visible(visible, seen)
                if info != last:
                    last = info
                    # stamped when the change was noticed, before the property reads, so the
                    # pipeline can order it before input that followed it
                    on_window(info, seen)
                display.flush()
                ready, _, _ = select.select([display.fileno(), self._stop_r], [], [], self._poll_s)
                seen = time.monotonic()
                if self._stop_r in ready:
                    return
                while display.pending_events():
                    display.next_event()  # any property change: re-read below
        except Exception as error:  # noqa: BLE001 - the session reports a dead source
            self.error = error
        finally:
            with contextlib.suppress(Exception):
                display.close()


def logind_locked_hint(
    environ: dict[str, str] | None = None, run: Callable[..., Any] = subprocess.run
) -> Callable[[], bool] | None:
    """A reader of logind's LockedHint for this session, or None where there is none."""
    env = os.environ if environ is None else environ
    session = env.get("XDG_SESSION_ID")
    loginctl = shutil.which("loginctl")
    if not session or loginctl is None:
        return None

    def locked() -> bool:
        try:
            out = run(
                [loginctl, "show-session", session, "-p", "LockedHint", "--value"],
                capture_output=True,
                text=True,
                timeout=2,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return False
        return bool(out.stdout.strip() == "yes")

    return locked


def read_visible_windows(display: Any, atoms: dict[str, int]) -> list[WindowInfo]:
    """The mapped top-level client windows, bottom to top (for masking frames)."""
    from Xlib import X, error

    root = display.screen().root
    prop = root.get_full_property(atoms["_NET_CLIENT_LIST_STACKING"], X.AnyPropertyType)
    found = []
    for wid in prop.value if prop is not None else ():
        window = display.create_resource_object("window", int(wid))
        try:
            if window.get_attributes().map_state != X.IsViewable:
                continue
            found.append(_describe(display, window, atoms))
        except error.XError:
            continue  # gone meanwhile
    return found


def open_windows() -> list[WindowInfo]:
    """The top-level windows open now with their app identity (WM_CLASS), for app pickers.

    Opens and closes its own connection, so a settings dialog can call it without a session.
    Without a window manager's client list, the root's mapped children that carry a WM_CLASS
    stand in.

    Raises:
        CaptureUnavailable: the X display cannot be reached.
    """
    from Xlib import X, error

    display = _display()
    try:
        atoms = {
            name: display.intern_atom(name)
            for name in ("_NET_WM_NAME", "WM_NAME", "_NET_WM_PID", "_NET_CLIENT_LIST_STACKING")
        }
        found = read_visible_windows(display, atoms)
        if found:
            return found
        for window in display.screen().root.query_tree().children:
            try:
                if window.get_attributes().map_state == X.IsViewable and window.get_wm_class():
                    found.append(_describe(display, window, atoms))
            except error.XError:
                continue  # gone meanwhile
        return found
    finally:
        display.close()


def _describe(display: Any, window: Any, atoms: dict[str, int]) -> WindowInfo:
    from Xlib import X

    root = display.screen().root
    wm_class = window.get_wm_class() or ("", "")
    title = _text_property(window, atoms["_NET_WM_NAME"]) or _text_property(
        window, atoms["WM_NAME"]
    )
    pid_prop = window.get_full_property(atoms["_NET_WM_PID"], X.AnyPropertyType)
    pid = int(pid_prop.value[0]) if pid_prop is not None and len(pid_prop.value) else None
    geometry = window.get_geometry()
    origin = root.translate_coords(window, 0, 0)
    instance, klass = wm_class[0] or "", wm_class[1] or ""
    return WindowInfo(
        app=klass or _process_name(pid),
        title=title,
        pid=pid,
        x=int(origin.x),
        y=int(origin.y),
        w=int(geometry.width),
        h=int(geometry.height),
        wid=int(window.id),
        instance=instance,
    )


def read_active_window(display: Any, atoms: dict[str, int]) -> tuple[WindowInfo | None, Any]:
    """The active window's app, UTF-8 title, pid and root-relative geometry."""
    from Xlib import X, error

    root = display.screen().root
    prop = root.get_full_property(atoms["_NET_ACTIVE_WINDOW"], X.AnyPropertyType)
    if prop is None or not prop.value or not prop.value[0]:
        return None, None
    window = display.create_resource_object("window", int(prop.value[0]))
    try:
        return _describe(display, window, atoms), window
    except error.XError:
        return None, None  # the window went away while we looked at it


def _text_property(window: Any, atom: int) -> str:
    from Xlib import X

    prop = window.get_full_property(atom, X.AnyPropertyType)
    if prop is None:
        return ""
    value = prop.value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _process_name(pid: int | None) -> str:
    if pid is None:
        return ""
    try:
        return Path(f"/proc/{pid}/comm").read_text(encoding="utf-8").strip()
    except OSError:
        return ""


class X11Keys:
    """Resolves pynput key objects to physical keys through the X keyboard mapping."""

    def __init__(self) -> None:
        from pynput.keyboard import Key
        from Xlib import XK

        self._display = _display()
        self._key_type = Key
        self._xk = XK
        self._special: dict[int, str] = {key.value.vk: key.name for key in Key if key.value.vk}
        self._codes: dict[int, int | None] = {}
        self._names: dict[int, str] = {}

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._display.close()

    def code(self, keysym: int) -> int | None:
        if keysym not in self._codes:
            code = self._display.keysym_to_keycode(keysym)
            self._codes[keysym] = int(code) if code else None
        return self._codes[keysym]

    def base_name(self, code: int) -> str | None:
        if code not in self._names:
            keysym = self._display.keycode_to_keysym(code, 0)
            self._names[code] = self.keysym_name(keysym) if keysym else ""
        return self._names[code] or None

    def keysym_name(self, keysym: int) -> str:
        if keysym in self._special:
            return self._special[keysym]
        if 0x20 < keysym < 0x7F:
            return chr(keysym).lower()
        name = self._xk.keysym_to_string(keysym)
        return name.lower() if name else f"vk{keysym}"

    def resolve(self, key: Any) -> KeyInfo | None:
        if key is None:
            return None
        if isinstance(key, self._key_type):
            vk = key.value.vk
            code = self.code(vk) if vk else None
            char = " " if key.name == "space" else None
            return KeyInfo(key.name, char, vk, code)
        vk = getattr(key, "vk", None)
        char = getattr(key, "char", None)
        code = self.code(vk) if vk else None
        name = self.base_name(code) if code else None
        if name is None:
            name = char.lower() if char else f"vk{vk}"
        return KeyInfo(name, char, vk, code)


class X11Backend:
    """Capture on an X11 session."""

    reports_visible_windows = True

    def __init__(self) -> None:
        self._input = X11Input()
        self._windows = X11Windows()
        self._keys: X11Keys | None = None

    def start_input(self, raw: RawInput) -> None:
        self._input.start(raw)
        self._keys = X11Keys()

    def inject_sentinel(self) -> list[Callable[[RawItem], bool]]:
        """A one-pixel pointer nudge and back, and a press of an unmapped key code.

        Both come back through RECORD like real input, which proves the listeners deliver;
        neither moves the pointer in the end nor types anything.
        """
        from Xlib import X
        from Xlib.ext import xtest

        display = _display()
        try:
            root = display.screen().root
            pointer = root.query_pointer()
            x, y = int(pointer.root_x), int(pointer.root_y)
            nudge = x + 1 if x == 0 else x - 1
            xtest.fake_input(display, X.MotionNotify, x=nudge, y=y)
            xtest.fake_input(display, X.MotionNotify, x=x, y=y)
            checks: list[Callable[[RawItem], bool]] = [
                lambda item: item[0] == "move" and (item[2], item[3]) == (nudge, y),
                lambda item: item[0] == "move" and (item[2], item[3]) == (x, y),
            ]
            code = _unmapped_keycode(display)
            if code is not None:
                xtest.fake_input(display, X.KeyPress, code)
                xtest.fake_input(display, X.KeyRelease, code)
                checks.append(lambda item: item[0] == "key" and item[2] is False)
            display.sync()
        finally:
            display.close()
        return checks

    def stop_input(self) -> None:
        self._input.stop()
        if self._keys is not None:
            self._keys.close()
            self._keys = None

    def start_windows(self, raw: RawInput) -> None:
        self._windows.start(raw.on_window, raw.on_lock, raw.on_visible)

    def stop_windows(self) -> None:
        self._windows.stop()

    def resolve_key(self, key: Any) -> KeyInfo | None:
        keys = self._keys
        return keys.resolve(key) if keys is not None else None

    def button_name(self, button: Any) -> str:
        return button_name(button)

    def make_screen(self) -> ScreenSource:
        return MssScreen()


def _unmapped_keycode(display: Any) -> int | None:
    info = display.display.info
    first, last = info.min_keycode, info.max_keycode
    mapping = display.get_keyboard_mapping(first, last - first + 1)
    for offset in range(len(mapping) - 1, -1, -1):
        if not any(mapping[offset]):
            return int(first + offset)
    return None
