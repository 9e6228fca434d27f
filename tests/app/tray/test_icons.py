"""The tray's icons: idle, recording and paused differ in shape, not only in colour."""

from __future__ import annotations

from typing import Any

from app.tray.icons import idle_icon, paused_icon, recording_icon


def test_icons_differ_in_shape_not_only_colour(qapp: Any) -> None:
    def alpha_mask(icon: Any) -> bytes:
        img = icon.pixmap(64, 64).toImage()
        return bytes(img.pixelColor(x, y).alpha() > 0 for y in range(64) for x in range(64))

    masks = {alpha_mask(i()) for i in (idle_icon, recording_icon, paused_icon)}
    assert len(masks) == 3
