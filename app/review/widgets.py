"""The review window's custom widgets: the frame viewer with its overlays, and the timeline."""

from __future__ import annotations

import itertools
import math

from app.core.formatting import format_duration
from app.qt.core import QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from app.qt.gui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from app.qt.widgets import (
    QWidget,
)
from app.review.episode_bands import Band, paint_bands
from app.review.overlays import EVENT_KINDS, Overlay

KIND_COLOURS = {
    "move": QColor("#8fa3b8"),
    "button": QColor("#d9534f"),
    "scroll": QColor("#5cb85c"),
    "key": QColor("#337ab7"),
    "window": QColor("#f0ad4e"),
}


def span(a: QPoint, b: QPoint) -> QRect:
    """The rectangle between two pixel-edge positions (b's row and column excluded)."""
    return QRect(min(a.x(), b.x()), min(a.y(), b.y()), abs(a.x() - b.x()), abs(a.y() - b.y()))


class FrameView(QWidget):
    """Shows one frame scaled to fit, with overlays; drag to select a region.

    Attributes:
        image: the frame shown (None before the first arrives).
        placeholder: what is said where no frame is shown ("Loading…" only while one loads).
        overlay: what to draw over it.
        selection: the selected region in frame pixels, or None.

    Signals:
        regionSelected(QRect): a rectangle was drawn (frame pixel coordinates).
    """

    regionSelected = Signal(QRect)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image: QImage | None = None
        self.placeholder = ""
        self.overlay = Overlay()
        self.selection: QRect | None = None
        self._drag_from: QPoint | None = None
        self.setMinimumSize(480, 270)
        self.setMouseTracking(False)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip("Drag to select a region to black out")

    def sizeHint(self) -> QSize:
        return QSize(960, 540)

    def show_frame(self, image: QImage, overlay: Overlay) -> None:
        """Show a frame and its overlay."""
        self.image = image
        self.overlay = overlay
        self.update()

    def say(self, text: str) -> None:
        """Show no frame, and ``text`` in its place."""
        self.image = None
        self.placeholder = text
        self.update()

    def clear_selection(self) -> None:
        """Forget the selected region."""
        self.selection = None
        self.update()

    # --- geometry -------------------------------------------------------------------------

    def _target(self) -> QRectF:
        if self.image is None or self.image.isNull():
            return QRectF(self.rect())
        iw, ih = self.image.width(), self.image.height()
        scale = min(self.width() / iw, self.height() / ih)
        w, h = iw * scale, ih * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def to_image(self, pos: QPointF) -> QPoint:
        """Widget position -> frame pixel (clamped to the frame)."""
        if self.image is None:
            return QPoint(0, 0)
        t = self._target()
        x = (pos.x() - t.x()) * self.image.width() / max(t.width(), 1e-9)
        y = (pos.y() - t.y()) * self.image.height() / max(t.height(), 1e-9)
        x = min(max(round(x), 0), self.image.width())
        y = min(max(round(y), 0), self.image.height())
        return QPoint(int(x), int(y))

    # --- mouse ----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.image is not None:
            self._drag_from = self.to_image(event.position())
            self.selection = QRect(self._drag_from, QSize(0, 0))
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is not None:
            self.selection = span(self._drag_from, self.to_image(event.position()))
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is None:
            return
        rect = span(self._drag_from, self.to_image(event.position()))
        self._drag_from = None
        if rect.width() >= 2 and rect.height() >= 2:
            self.selection = rect
            self.regionSelected.emit(rect)
        else:
            self.selection = None
        self.update()

    # --- painting -------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#20242a"))
        if self.image is None:
            painter.setPen(QColor("#c8ced6"))
            box = self.rect().adjusted(24, 24, -24, -24)
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(box, int(flags), self.placeholder)
            painter.end()
            return
        target = self._target()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(target, self.image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        scale = target.width() / max(self.image.width(), 1)

        def at(x: float, y: float) -> QPointF:
            return QPointF(target.x() + x * scale, target.y() + y * scale)

        ov = self.overlay
        if ov.window is not None:
            x, y, w, h = ov.window
            painter.setPen(QPen(QColor("#f0ad4e"), 2, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(at(x, y), at(x + w, y + h)))
        for x, y, w, h in ov.elements:
            painter.setPen(QPen(QColor("#00e5ff"), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(at(x, y), at(x + w, y + h)))
        if len(ov.path) > 1:
            painter.setPen(QPen(QColor(80, 160, 255, 200), 2))
            pts = [at(x, y) for x, y in ov.path]
            for a, b in itertools.pairwise(pts):
                painter.drawLine(a, b)
        for x, y, x2, y2 in ov.drags:
            painter.setPen(QPen(QColor("#9b59b6"), 3))
            painter.drawLine(at(x, y), at(x2, y2))
            painter.drawEllipse(at(x2, y2), 5, 5)
        for x, y, _button in ov.clicks:
            painter.setPen(QPen(QColor("#e74c3c"), 3))
            painter.setBrush(QColor(231, 76, 60, 70))
            painter.drawEllipse(at(x, y), 12, 12)
            painter.drawLine(at(x, y) - QPointF(4, 0), at(x, y) + QPointF(4, 0))
            painter.drawLine(at(x, y) - QPointF(0, 4), at(x, y) + QPointF(0, 4))
        if self.selection is not None:
            s = self.selection
            painter.setPen(QPen(QColor("#ffffff"), 1, Qt.PenStyle.DashLine))
            painter.setBrush(QColor(0, 0, 0, 140))
            painter.drawRect(QRectF(at(s.x(), s.y()), at(s.x() + s.width(), s.y() + s.height())))
        painter.end()


class Timeline(QWidget):
    """Frame thumbnails, activity by kind (stacked bars), frame ticks, a time axis, and
    where we are; all of it spans the whole session, whatever its length.

    Attributes:
        activity: kind -> counts per bin (the bins divide the session evenly).
        frame_times: each frame's time (s).
        duration: the session's length (s).
        position: the current frame's time.
        thumbnails: slot -> small image of the frame shown at that slot's time.

    Signals:
        seek(float): the person clicked at this time (s).
    """

    seek = Signal(float)
    resized = Signal()

    THUMB_H = 40
    BAND_H = 14
    TICK_H = 6
    AXIS_H = 16

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.activity: dict[str, list[int]] = {}
        self.frame_times: list[float] = []
        self.duration = 1.0
        self.position = 0.0
        self.thumbnails: dict[int, QImage] = {}
        self.bands: list[Band] = []
        self.setMinimumHeight(134)
        self.setMaximumHeight(154)
        self.setToolTip("Frames, then activity by kind; grey ticks are frames. Click to jump.")

    def set_data(
        self, activity: dict[str, list[int]], frame_times: list[float], duration: float
    ) -> None:
        """Set what to plot (thumbnails are dropped: they arrive afterwards)."""
        self.activity = activity
        self.frame_times = frame_times
        self.duration = max(duration, 1e-9)
        self.thumbnails = {}
        self.update()

    def set_bands(self, bands: list[Band]) -> None:
        """Show the session's task episodes as bands under the thumbnails."""
        self.bands = bands
        self.update()

    def thumbnail_slots(self, aspect: float = 16 / 9) -> int:
        """How many thumbnails fit side by side (for frames of this width/height)."""
        return max(self.width() // max(int(self.THUMB_H * aspect) + 2, 1), 1)

    def slot_time(self, slot: int, slots: int) -> float:
        """The time shown by thumbnail ``slot`` of ``slots``: its left edge."""
        return slot / slots * self.duration

    def set_thumbnail(self, slot: int, image: QImage) -> None:
        """Show a frame's thumbnail in ``slot``."""
        self.thumbnails[slot] = image
        self.update()

    def set_position(self, t: float) -> None:
        """Move the current-time marker."""
        self.position = t
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.duration > 0 and self.width() > 0:
            self.seek.emit(max(event.position().x(), 0) / self.width() * self.duration)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        w, h = self.width(), self.height()
        painter.fillRect(self.rect(), QColor("#f4f6f8"))
        plot_top = self.THUMB_H + self.BAND_H + 6
        plot_h = h - plot_top - self.TICK_H - self.AXIS_H - 2
        painter.fillRect(QRectF(0, 0, w, self.THUMB_H), QColor("#dde2e7"))
        if self.thumbnails:
            slots = self.thumbnail_slots()
            slot_w = w / slots
            for slot, image in self.thumbnails.items():
                if slot >= slots:
                    continue
                box = QRectF(slot * slot_w + 1, 0, slot_w - 2, self.THUMB_H)
                painter.drawImage(box, image)
        paint_bands(painter, self.bands, self.duration, QRectF(0, self.THUMB_H + 2, w, self.BAND_H))
        bins = len(next(iter(self.activity.values()), []))
        if bins:
            totals = [sum(self.activity[k][i] for k in self.activity) for i in range(bins)]
            peak = max(max(totals), 1)
            bw = w / bins
            for i in range(bins):
                y = float(plot_top + plot_h)
                # Bar height grows with the square root of the count, so one burst of typing
                # does not flatten an hour of clicks; the kinds share the bar by count.
                height = math.sqrt(totals[i] / peak) * (plot_h - 2)
                for kind in EVENT_KINDS:
                    n = self.activity.get(kind, [0] * bins)[i]
                    if not n:
                        continue
                    bh = n / totals[i] * height
                    painter.fillRect(QRectF(i * bw, y - bh, max(bw - 1, 1), bh), KIND_COLOURS[kind])
                    y -= bh
        ticks_top = plot_top + plot_h + 1
        painter.setPen(QColor("#9aa4ae"))
        step = max(1, len(self.frame_times) // max(w // 2, 1))
        for t in self.frame_times[::step]:
            x = t / self.duration * w
            painter.drawLine(QPointF(x, ticks_top), QPointF(x, ticks_top + self.TICK_H))
        axis = QRectF(4, h - self.AXIS_H, w - 8, self.AXIS_H)
        painter.setPen(QColor("#55606b"))
        painter.drawText(axis, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, "0:00")
        painter.drawText(
            axis,
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            format_duration(self.duration),
        )
        metrics = painter.fontMetrics()
        legend_w = sum(metrics.horizontalAdvance(k + "   ") for k in EVENT_KINDS)
        lx = (w - legend_w) / 2
        for kind in EVENT_KINDS:
            painter.fillRect(QRectF(lx, h - self.AXIS_H / 2 - 4, 8, 8), KIND_COLOURS[kind])
            painter.drawText(
                QRectF(lx + 11, h - self.AXIS_H, 200, self.AXIS_H),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                kind,
            )
            lx += metrics.horizontalAdvance(kind + "   ") + 11
        x = self.position / self.duration * w
        painter.setPen(QPen(QColor("#111111"), 2))
        painter.drawLine(QPointF(x, 0), QPointF(x, h - self.AXIS_H))
        painter.end()
