"""Review's Suggestions list the scanner's finds in UI element names: labelled with where and
when, the text found again in the element, and accepting it removes it everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from app.review.model import ReviewModel
from storage.elements import by_action
from storage.scan.text import Suggestion, scan_session
from tests.app.review.session_records import frame
from tests.app.sessions import OFFSCREEN_LIMITS
from tests.storage.helpers import PASS, consent, frame_meta, make_vault, noise_bgrx


def lookup(name: str) -> dict[str, Any]:
    return {"role": "push button", "name": name, "description": None, "states": [],
            "bounds": [1, 2, 3, 4], "path": [{"role": "push button", "name": name}],
            "selected": None, "app": "Mail", "missing_reason": None, "lookup_ms": 1.0,
            "lag_ms": 0.0}  # fmt: skip


def element_model() -> ReviewModel:
    m = ReviewModel([frame(float(i), i) for i in range(2)])
    window = {"seq": 0, "t": 0.0, "kind": "window", "app": "Mail", "title": "Inbox", "x": 0,
              "y": 0, "w": 800, "h": 600}  # fmt: skip
    clicked = {"seq": 4, "t": 3.0, "t_end": 3.1, "kind": "click", "events": [],
               "frame_before": 0, "frame_after": 1, "window_seq": 0, "x": 2, "y": 3,
               "button": "left"}  # fmt: skip
    m.set_records([window], [clicked])
    m.text_streams = {
        "episodes": [],
        "elements": [{"seq": 0, "action": 4, "element": lookup("Reply to jane@example.com")}],
    }
    return m


def test_element_suggestions_are_labelled_found_and_previewed() -> None:
    m = element_model()
    (s,) = scan_session([], m.actions, by_action(m.text_streams["elements"]))
    assert (s.source, s.kind, s.action_seq) == ("element", "email", 4)
    m.set_suggestions([s], [])
    assert m.suggestions == [s]
    assert m.suggestion_label(s) == (
        f"Email address in a UI element's name at 0:03 in Mail — Inbox: {s.masked}"
    )
    assert m.suggestion_text(s) == "jane@example.com"
    assert m.suggestion_spans(s) == []
    p = m.preview_suggestion(s)
    assert p.title.startswith(f"Remove this email address ({s.masked})")
    assert "1 in UI element names" in p.lines[0]
    gone = Suggestion("email", "element", (), 4, None, "x***")
    assert m.suggestion_text(gone) is None
    assert m.preview_suggestion(gone).empty


@OFFSCREEN_LIMITS
def test_the_review_window_lists_and_accepts_an_element_suggestion(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from app.review.window import ReviewWindow

    vault = make_vault(tmp_path / "vault")
    with vault.begin_session(consent()) as w:
        w.append_frame(bytes(noise_bgrx(64, 48)), (64, 48), frame_meta(0.0))
        seq = w.append_action(
            {
                "t": 0.5,
                "t_end": 0.6,
                "wall": 1.0,
                "kind": "click",
                "events": [],
                "frame_before": 0,
                "frame_after": None,
                "window_seq": None,
                "x": 2,
                "y": 3,
                "button": "left",
            }
        )
        w.append_element({"action": seq, "element": lookup("Reply to jane@example.com")})
        sid = w.session_id
    unlocked = vault.unlock(PASS)
    window = ReviewWindow(unlocked)
    qtbot.add_widget(window)
    window.confirm = lambda p: True
    with qtbot.wait_signal(window.recordsLoaded, timeout=10_000):
        window.open_session(sid)
    model = window.model
    assert model is not None
    [found] = [s for s in model.suggestions if s.source == "element"]
    row = model.suggestions.index(found)
    assert window.suggestions_list.item(row).text().startswith("Email address in a UI element")
    assert "jane" not in window.suggestions_list.item(row).text()
    with qtbot.wait_signal(window.recordsLoaded, timeout=10_000):
        assert window.accept_suggestion(row)
    assert "jane" not in repr(unlocked.open_session(sid).element_records())
