"""Task episodes drawn on the review timeline: one band per episode, coloured by outcome."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.qt.core import QRectF, Qt
from app.qt.gui import QColor, QPainter, QPen

#: Band colours by outcome (None: not set); an open episode has no end yet.
OUTCOME_COLOURS: dict[str | None, str] = {
    "success": "#2e9e5b",
    "failure": "#c8423b",
    "abandoned": "#8a8f96",
    None: "#3b7dd8",
}


@dataclass(frozen=True)
class Band:
    """One episode on the timeline: its bounds (s), its number and instruction, its outcome."""

    t_start: float
    t_end: float
    label: str
    outcome: str | None


def bands_for(episodes: Sequence[dict[str, object]], duration: float) -> list[Band]:
    """The bands of these episodes (an open episode runs to the session's end)."""
    out = []
    for number, episode in enumerate(episodes, 1):
        t0 = float(episode.get("t_start") or 0.0)  # type: ignore[arg-type]
        end = episode.get("t_end")
        t1 = float(end) if end is not None else duration  # type: ignore[arg-type]
        outcome = episode.get("outcome")
        text = f"{number}. {episode.get('instruction') or '(no instruction)'}"
        out.append(Band(t0, max(t1, t0), text, outcome if isinstance(outcome, str) else None))
    return out


def paint_bands(painter: QPainter, bands: Sequence[Band], duration: float, row: QRectF) -> None:
    """Draw ``bands`` in ``row`` (the timeline's full width is the session's duration)."""
    if not bands or duration <= 0:
        return
    scale = row.width() / duration
    for band in bands:
        x0 = row.left() + band.t_start * scale
        width = max((band.t_end - band.t_start) * scale, 2.0)
        box = QRectF(x0, row.top(), width, row.height())
        colour = QColor(OUTCOME_COLOURS.get(band.outcome, OUTCOME_COLOURS[None]))
        painter.fillRect(box, colour)
        painter.setPen(QPen(colour.darker(140), 1))
        painter.drawRect(box.adjusted(0, 0, -1, -1))
        painter.setPen(QColor("#ffffff"))
        text = painter.fontMetrics().elidedText(
            band.label, Qt.TextElideMode.ElideRight, int(max(width - 6, 0))
        )
        painter.drawText(
            box.adjusted(3, 0, -3, 0),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            text,
        )
