"""Window context on X11 through python-xlib: the active window and each change of it (its
title, its geometry), screen locks, the visible windows, and the open windows for app pickers.
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

from recorder.capture.policy import WindowCallback, WindowInfo
from recorder.errors import CaptureUnavailable


def open_display() -> Any:
    try:
        import Xlib.display

        return Xlib.display.Display()
    except Exception as error:  # noqa: BLE001 - no display / refused connection
        raise CaptureUnavailable(f"Cannot connect to the X display: {error}.") from None


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
        display = open_display()  # fail here, in the caller's thread, if X is unreachable
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
                    "_NET_FRAME_EXTENTS",
                )
            }
            # property changes (focus, stacking, titles) and top-level moves and maps, so the
            # visible windows (and what lies under the pointer) are re-read when they change
            root.change_attributes(event_mask=X.PropertyChangeMask | X.SubstructureNotifyMask)
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
                if info != last:
                    last = info
                    # stamped when the change was noticed, before the property reads, so the
                    # pipeline can order it before input that followed it
                    on_window(info, seen)
                visible = read_visible_windows(display, atoms)
                if visible != last_visible:
                    last_visible = visible
                    self._on_visible(visible, seen)
                display.flush()
                # events that came in during the reads above sit in Xlib's queue, not on the
                # socket: waiting on the socket then would notice them only at the next poll
                wait = 0.0 if display.pending_events() else self._poll_s
                ready, _, _ = select.select([display.fileno(), self._stop_r], [], [], wait)
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
    """The mapped top-level client windows bottom to top, then the mapped unmanaged ones
    (menus, tooltips: ``popup``), for masking frames and finding the window under a click."""
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
    if found:
        found += _read_popups(display)
    return found


def _read_popups(display: Any) -> list[WindowInfo]:
    """The mapped override-redirect children of the root (menus, tooltips, dropdowns).

    They sit above every managed window, and they belong to whichever app opened them,
    usually the focused one: a click on one keeps input where it was.
    """
    from Xlib import X, error

    popups = []
    for child in display.screen().root.query_tree().children:
        try:
            attributes = child.get_attributes()
            if attributes.map_state != X.IsViewable or not attributes.override_redirect:
                continue
            geometry = child.get_geometry()
        except error.XError:
            continue  # gone meanwhile
        x, y, w, h = int(geometry.x), int(geometry.y), int(geometry.width), int(geometry.height)
        popups.append(WindowInfo("", "", None, x, y, w, h, int(child.id), popup=True))
    return popups


def open_windows() -> list[WindowInfo]:
    """The top-level windows open now with their app identity (WM_CLASS), for app pickers.

    Opens and closes its own connection, so a settings dialog can call it without a session.
    Without a window manager's client list, the root's mapped children that carry a WM_CLASS
    stand in.

    Raises:
        CaptureUnavailable: the X display cannot be reached.
    """
    from Xlib import X, error

    display = open_display()
    try:
        atoms = {
            name: display.intern_atom(name)
            for name in (
                "_NET_WM_NAME",
                "WM_NAME",
                "_NET_WM_PID",
                "_NET_CLIENT_LIST_STACKING",
                "_NET_FRAME_EXTENTS",
            )
        }
        found = [w for w in read_visible_windows(display, atoms) if not w.popup]
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
    x, y, w, h = int(origin.x), int(origin.y), int(geometry.width), int(geometry.height)
    return WindowInfo(
        app=klass or _process_name(pid),
        title=title,
        pid=pid,
        x=x,
        y=y,
        w=w,
        h=h,
        wid=int(window.id),
        instance=instance,
        frame=_frame(display, window, atoms, (x, y, w, h)),
    )


def _frame(
    display: Any, window: Any, atoms: dict[str, int], client: tuple[int, int, int, int]
) -> tuple[int, int, int, int] | None:
    """The window with its decorations: the client grown by _NET_FRAME_EXTENTS, or else the
    geometry of the window manager's frame (the client's top-level ancestor); None if none."""
    from Xlib import X

    x, y, w, h = client
    atom = atoms.get("_NET_FRAME_EXTENTS")
    prop = window.get_full_property(atom, X.AnyPropertyType) if atom else None
    if prop is not None and len(prop.value) == 4:
        left, right, top, bottom = (int(v) for v in prop.value)
        return (x - left, y - top, w + left + right, h + top + bottom)
    root = display.screen().root
    ancestor = window
    for _ in range(8):  # frames nest a few levels deep at most
        parent = ancestor.query_tree().parent
        if parent is None or int(parent.id) == int(root.id):
            break
        ancestor = parent
    if int(ancestor.id) == int(window.id):
        return None
    geometry = ancestor.get_geometry()
    return (int(geometry.x), int(geometry.y), int(geometry.width), int(geometry.height))


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
