"""Split a test X display into side-by-side monitors (RandR 1.5), as mss and the recorder see them.

Xvfb has one output; RandR 1.5 "monitors" describe how a screen is divided, and mss reads
them, so a 1600x600 Xvfb set to two 800x600 monitors records exactly like two real ones.
python-xlib's own SetMonitor cannot encode its request, so the request is spelled out here.
"""

from __future__ import annotations

from typing import Any

from Xlib.protocol import rq


class _SetMonitor(rq.Request):
    _request = rq.Struct(
        rq.Card8("opcode"),
        rq.Opcode(43),
        rq.RequestLength(),
        rq.Window("window"),
        rq.Card32("name"),
        rq.Bool("primary"),
        rq.Bool("automatic"),
        rq.LengthOf("crtcs", 2),
        rq.Int16("x"),
        rq.Int16("y"),
        rq.Card16("width_in_pixels"),
        rq.Card16("height_in_pixels"),
        rq.Card32("width_in_millimeters"),
        rq.Card32("height_in_millimeters"),
        rq.List("crtcs", rq.Card32Obj),
    )


def set_monitors(display_name: str, rects: list[tuple[int, int, int, int]]) -> None:
    """Make ``rects`` (x, y, w, h) the display's monitors, the first one primary."""
    import Xlib.display
    from Xlib.ext import randr

    display: Any = Xlib.display.Display(display_name)
    try:
        root = display.screen().root
        opcode = display.display.get_extension_major(randr.extname)
        # Xvfb's one output goes to the first monitor: the server then drops the automatic
        # whole-screen monitor it made for that output (which cannot be deleted).
        outputs = list(root.xrandr_get_screen_resources().outputs)
        for position, (x, y, w, h) in enumerate(rects):
            _SetMonitor(
                display=display.display,
                opcode=opcode,
                window=root,
                name=display.intern_atom(f"TEST-{position}"),
                primary=position == 0,
                automatic=False,
                x=x,
                y=y,
                width_in_pixels=w,
                height_in_pixels=h,
                width_in_millimeters=w // 4,
                height_in_millimeters=h // 4,
                crtcs=outputs[:1] if position == 0 else [],
            )
        display.sync()
        found = [
            (m.x, m.y, m.width_in_pixels, m.height_in_pixels)
            for m in root.xrandr_get_monitors().monitors
        ]
        if sorted(found) != sorted(rects):
            raise RuntimeError(f"the display has monitors {found}, not {rects}")
    finally:
        display.close()
