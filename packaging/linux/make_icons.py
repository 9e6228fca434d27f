"""Draw Overt's icons, SVG sources and PNG renders, from one geometry so they always agree.

Run from the repository root: ``.venv/bin/python packaging/linux/make_icons.py``. It writes a
hicolor-layout tree under ``packaging/linux/icons/hicolor``: the app icon (``apps/overt``) and
the tray's three states (``status/overt-idle``, ``-recording``, ``-paused``), which differ in
shape as well as colour so that they read the same to colour-blind people and in monochrome
panels: idle is a hollow ring, recording a filled dot inside the ring, paused two bars inside it.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
VIEW = 64  # every shape below is in a 64x64 design grid
SUPERSAMPLE = 1024  # draw big, then downscale: smooth edges at every size

GREY = "#5f6b7a"
RED = "#d0312d"
AMBER = "#b86e00"
SLATE = "#2b3440"
PAPER = "#e8edf2"
GREEN = "#3fb68b"


@dataclass(frozen=True)
class Ring:
    """A circle outline: centre (cx, cy), radius r to the middle of the stroke."""

    cx: float
    cy: float
    r: float
    width: float
    colour: str


@dataclass(frozen=True)
class Disc:
    """A filled circle."""

    cx: float
    cy: float
    r: float
    colour: str


@dataclass(frozen=True)
class Box:
    """A filled rectangle with rounded corners (radius rx)."""

    x: float
    y: float
    w: float
    h: float
    rx: float
    colour: str


Shape = Ring | Disc | Box

ICONS: dict[tuple[str, str], tuple[Shape, ...]] = {
    ("apps", "overt"): (
        Box(4, 4, 56, 56, 12, SLATE),
        Ring(32, 32, 16, 6, PAPER),
        Disc(32, 32, 7, GREEN),
    ),
    ("status", "overt-idle"): (Ring(32, 32, 24, 8, GREY),),
    ("status", "overt-recording"): (Ring(32, 32, 24, 8, RED), Disc(32, 32, 12, RED)),
    ("status", "overt-paused"): (
        Ring(32, 32, 24, 8, AMBER),
        Box(22, 21, 7, 22, 1.5, AMBER),
        Box(35, 21, 7, 22, 1.5, AMBER),
    ),
}


def _num(value: float) -> str:
    return f"{value:g}"


def svg(shapes: tuple[Shape, ...]) -> str:
    """The SVG source of one icon."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{VIEW}" height="{VIEW}" '
        f'viewBox="0 0 {VIEW} {VIEW}">',
    ]
    for shape in shapes:
        if isinstance(shape, Ring):
            lines.append(
                f'  <circle cx="{_num(shape.cx)}" cy="{_num(shape.cy)}" r="{_num(shape.r)}" '
                f'fill="none" stroke="{shape.colour}" stroke-width="{_num(shape.width)}"/>'
            )
        elif isinstance(shape, Disc):
            lines.append(
                f'  <circle cx="{_num(shape.cx)}" cy="{_num(shape.cy)}" r="{_num(shape.r)}" '
                f'fill="{shape.colour}"/>'
            )
        else:
            lines.append(
                f'  <rect x="{_num(shape.x)}" y="{_num(shape.y)}" width="{_num(shape.w)}" '
                f'height="{_num(shape.h)}" rx="{_num(shape.rx)}" fill="{shape.colour}"/>'
            )
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


def render(shapes: tuple[Shape, ...], size: int) -> Image.Image:
    """A size x size RGBA render of one icon."""
    scale = SUPERSAMPLE / VIEW
    canvas = Image.new("RGBA", (SUPERSAMPLE, SUPERSAMPLE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)
    for shape in shapes:
        if isinstance(shape, Ring):
            outer = shape.r + shape.width / 2
            box = [(shape.cx - outer) * scale, (shape.cy - outer) * scale]
            box += [(shape.cx + outer) * scale, (shape.cy + outer) * scale]
            draw.ellipse(box, outline=shape.colour, width=round(shape.width * scale))
        elif isinstance(shape, Disc):
            box = [(shape.cx - shape.r) * scale, (shape.cy - shape.r) * scale]
            box += [(shape.cx + shape.r) * scale, (shape.cy + shape.r) * scale]
            draw.ellipse(box, fill=shape.colour)
        else:
            box = [shape.x * scale, shape.y * scale]
            box += [(shape.x + shape.w) * scale, (shape.y + shape.h) * scale]
            draw.rounded_rectangle(box, radius=shape.rx * scale, fill=shape.colour)
    return canvas.resize((size, size), Image.Resampling.LANCZOS)


def write_all(root: Path) -> list[Path]:
    """Write every SVG and PNG under ``root`` (a hicolor tree); returns the files written."""
    written: list[Path] = []
    for (context, name), shapes in ICONS.items():
        target = root / "scalable" / context / f"{name}.svg"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(svg(shapes), encoding="utf-8")
        written.append(target)
        for size in SIZES:
            target = root / f"{size}x{size}" / context / f"{name}.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            render(shapes, size).save(target, format="PNG", optimize=True)
            written.append(target)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parent / "icons" / "hicolor"
    parser.add_argument("--out", type=Path, default=default, help=f"default: {default}")
    args = parser.parse_args()
    files = write_all(args.out)
    print(f"wrote {len(files)} icon files under {args.out}")


if __name__ == "__main__":
    main()
