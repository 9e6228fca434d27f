"""app/review/previews.py: what each change will do, said before it is done."""

from __future__ import annotations

from pathlib import Path

from app.review.model import ReviewModel
from tests.app.review.session_records import model
from tests.storage.helpers import PASS, make_vault
from tests.storage.typist import SECRET, corrected_session


def test_previews_say_what_will_change() -> None:
    m = model()
    assert not m.preview_text("word").empty
    assert m.preview_text("absent").empty
    assert "1 occurrence(s)" in m.preview_text("word").lines[0]
    seqs = m.event_range_of_actions(0, 1)
    assert seqs == range(3, 4)
    p = m.preview_events(seqs)
    assert p.lines[0].startswith("1 event(s)")
    assert "2 action(s)" in p.lines[1]
    assert m.event_range_of_frames(0, 0) == range(0, 3)
    assert m.preview_titles(None).lines[1].strip() == "Bank — Firefox"
    assert m.preview_region((0, 0, 10, 10), [range(1, 3)]).lines[1].startswith("2 frame(s)")
    assert m.frames_while_window(m.events[0]) == [range(0, 3)]
    summary = m.approve_summary()
    assert "Apps: Firefox, Terminal." in summary.lines
    assert "pass word" in summary.lines[2]


def test_the_text_preview_counts_what_the_redaction_logs(tmp_path: Path) -> None:
    """Typed with a correction, a pause and cursor moves, the text is found once in typed text
    (and once in a title); the preview's count is the count the redaction log keeps."""
    vault = make_vault(tmp_path / "vault")
    sid, _ = corrected_session(vault)
    unlocked = vault.unlock(PASS)
    reader = unlocked.open_session(sid)
    m = ReviewModel(reader.frames())
    m.set_records(reader.events(), reader.actions())
    p = m.preview_text(SECRET)
    assert p.lines[0] == "2 occurrence(s) are removed: 1 in typed text, 1 in window titles."
    assert unlocked.redact_text(sid, SECRET) == 2
    assert [e["count"] for e in unlocked.open_session(sid).redactions()] == [2]


def test_no_dialog_says_everywhere() -> None:
    """Removal reaches the places storage/text_reach.py lists and the frames OCR searched,
    never more: the review window's words must not promise 'everywhere'."""
    root = Path(__file__).parents[3]
    sources = [*(root / "app" / "review").glob("*.py"), *(root / "app" / "dialogs").glob("*.py")]
    sources += [root / "recorder" / "consent" / "text.py", root / "README.md"]
    assert [p.name for p in sources if "everywhere" in p.read_text("utf-8").lower()] == []
