"""Review's "Scan frames for text" with the real Tesseract: find, show, black out, dismiss."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from pytestqt.qtbot import QtBot

from app.review.previews import Preview
from app.review.scan import MISSING_TIP, NOT_INSTALLED, FrameTextScan
from app.review.window import ReviewWindow
from storage.scan import ocr
from tests.app.sessions import OFFSCREEN_LIMITS, vault_with_session
from tests.helpers.screen_text import BACKGROUND, FONT, H, W, engine, record, screens

TIMEOUT = 30_000

pytestmark = OFFSCREEN_LIMITS
__all__ = ["engine"]  # the fixture: tesseract, or a failure under CI=true


def listed(window: ReviewWindow) -> list[str]:
    items = window.suggestions_list
    return [items.item(i).text() for i in range(items.count())]


def open_window(qtbot: QtBot, tmp_path: Path) -> tuple[ReviewWindow, object, str]:
    unlocked, sid = record(screens(), tmp_path)
    window = ReviewWindow(unlocked)
    qtbot.add_widget(window)
    window.show()
    window.confirm = lambda _p: True  # type: ignore[method-assign]
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        window.open_session(sid)
    return window, unlocked, sid


def test_found_text_is_shown_and_blacked_out_where_it_was(
    qtbot: QtBot, tmp_path: Path, engine: str
) -> None:
    window, unlocked, sid = open_window(qtbot, tmp_path)
    assert window.frame_scan.button.isEnabled()
    with qtbot.wait_signal(window.frameTextFound, timeout=TIMEOUT) as found:
        window.frame_scan.button.click()
    assert found.args == [2]
    labels = listed(window)
    assert "Email address on screen, frames 2–8 (0:01–0:07): j************ (20 chars)" in labels
    assert window.tabs.tabText(window.tabs.indexOf(window.suggestions_tab)) == "Suggestions (2)"
    row = next(i for i, text in enumerate(labels) if text.startswith("Email"))
    suggestion = window.model.suggestions[row]  # type: ignore[union-attr]
    window.suggestions_list.setCurrentRow(row)
    assert window.index == 1  # where it first appears, its box selected
    assert window.view.selection is not None
    assert window.view.selection.getRect() == suggestion.box

    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        assert window.accept_suggestion(row)
    # The text is black in every frame it was in; the other finding is still listed.
    reader = unlocked.open_session(sid)  # type: ignore[attr-defined]
    x, y, w, h = suggestion.box
    for index in range(1, 8):
        pixels = reader.frame_image(index).crop((x, y, x + w, y + h))
        assert pixels.getextrema() == ((0, 0), (0, 0), (0, 0)), index
    labels = listed(window)
    assert [label.split(",")[0] for label in labels] == ["Card number on screen"]
    # Dismissed, it stays gone after the session is reloaded.
    assert window.dismiss_suggestion(0)
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        window.open_session(sid)
    assert window.suggestions_list.count() == 0


def test_without_tesseract_the_button_says_what_to_install(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocr, "find_engine", lambda: None)
    window, _, _ = open_window(qtbot, tmp_path)
    assert not window.frame_scan.button.isEnabled()
    assert window.frame_scan.button.toolTip() == MISSING_TIP
    assert isinstance(window.frame_scan, FrameTextScan)


def secret_screens(count: int = 8, shown: range = range(2, 6)) -> list[Image.Image]:
    """A login form where 'password99' is visible in frames ``shown`` only."""
    font = ImageFont.truetype(FONT, 18)
    image = Image.new("RGB", (W, H), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.text((20, 10), "Sign in to the console", fill=(0, 0, 0), font=font)
    out = []
    for i in range(count):
        if i == shown.start:
            draw.text((20, 80), "Your password99 is shown", fill=(0, 0, 0), font=font)
        if i == shown.stop:
            draw.rectangle((0, 75, W, 110), fill=BACKGROUND)
        out.append(image.copy())
    return out


def test_remove_every_occurrence_blacks_out_the_text_where_ocr_reads_it(
    qtbot: QtBot, tmp_path: Path, engine: str
) -> None:
    """The text is only on screen: the frame search finds it, the one preview says where and
    in how many frames, and confirming blacks it out there."""
    unlocked, sid = record(secret_screens(), tmp_path)
    window = ReviewWindow(unlocked)
    qtbot.add_widget(window)
    window.show()
    previews: list[Preview] = []
    window.confirm = lambda p: previews.append(p) or True  # type: ignore[func-returns-value]
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        window.open_session(sid)
    with (
        qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT),
        qtbot.wait_signal(window.textChangeOffered, timeout=TIMEOUT) as offered,
    ):
        assert window.redact_text("password99")
    assert offered.args == [True]
    (preview,) = previews
    assert preview.lines[0].startswith("0 occurrence(s) are removed: 0 in typed text, ")
    assert "1 place(s) in 4 frame(s) (3–6) are blacked out too." in preview.lines[2]
    reader = unlocked.open_session(sid)
    (entry,) = reader.redactions()
    assert entry["kind"] == "region"
    x, y, w, h = entry["where"]["rect"]
    assert 75 <= y < y + h <= 110  # on the text's line
    assert x > 60  # around the word, not the line: "Your " is left as it was
    for index in range(2, 6):
        pixels = reader.frame_image(index).crop((x, y, x + w, y + h))
        assert pixels.getextrema() == ((0, 0), (0, 0), (0, 0)), index
    assert reader.frame_image(1).crop((x, y, x + w, y + h)).getextrema() != ((0, 0),) * 3


def test_without_tesseract_the_removal_says_frames_were_not_searched(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocr, "find_engine", lambda: None)
    unlocked, sid = vault_with_session(tmp_path / "vault", typed="my secret here")
    window = ReviewWindow(unlocked)
    qtbot.add_widget(window)
    window.show()
    previews: list[Preview] = []
    window.confirm = lambda p: previews.append(p) or False  # type: ignore[func-returns-value]
    with qtbot.wait_signal(window.recordsLoaded, timeout=TIMEOUT):
        window.open_session(sid)
    with qtbot.wait_signal(window.textChangeOffered, timeout=TIMEOUT) as offered:
        window.redact_text("secret")
    assert offered.args == [False]  # offered, and declined
    (preview,) = previews
    assert f"Frames were not searched: {NOT_INSTALLED}" in preview.lines
    assert "everywhere" not in " ".join([preview.title, *preview.lines])
