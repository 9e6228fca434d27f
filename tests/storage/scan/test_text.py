"""The scanner on sessions: runs of typed text, suggestions, recall on the labelled set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from storage.scan import text as scanner

DATA = Path(__file__).resolve().parent / "data" / "scanner_set.jsonl"


def key_events(text: str, start_seq: int = 0, t: float = 0.0) -> list[dict[str, Any]]:
    """Press/release pairs for ``text`` (release carries no char, as recorded)."""
    out: list[dict[str, Any]] = []
    seq = start_seq
    for ch in text:
        key = {"\n": "enter", "\b": "backspace"}.get(ch, ch.lower())
        char = None if ch in "\n\b" else ch
        for down in (True, False):
            out.append(
                {
                    "seq": seq,
                    "t": t,
                    "wall": t,
                    "kind": "key",
                    "down": down,
                    "key": key,
                    "char": char if down else None,
                    "vk": None,
                    "mods": [],
                }
            )
            seq += 1
    return out


def window(seq: int, title: str) -> dict[str, Any]:
    return {
        "seq": seq,
        "t": 0.0,
        "wall": 0.0,
        "kind": "window",
        "app": "app",
        "title": title,
        "pid": 1,
        "x": 0,
        "y": 0,
        "w": 10,
        "h": 10,
        "wid": 1,
    }


def test_typed_run_follows_backspace_and_breaks() -> None:
    events = key_events("hello wor\b\bx\nsecond")
    runs = scanner.typed_runs(events)
    assert [r.text for r in runs] == ["hello wx", "second"]
    assert len(runs[0].event_seqs) == len(runs[0].text)


def test_session_suggestions_locate_events_actions_and_titles() -> None:
    events = [window(0, "Notes - mail anna@example.com")]
    events += key_events("card 4111111111111111\n", start_seq=1)
    card_seqs = [e["seq"] for e in events if e["kind"] == "key" and e["down"] and e["char"]]
    action = {
        "seq": 0,
        "kind": "type",
        "events": card_seqs,
        "text": "card 4111111111111111",
        "window_seq": 0,
    }
    suggestions = scanner.scan_session(events, [action])
    kinds = {(s.kind, s.source) for s in suggestions}
    assert kinds == {("card", "typed"), ("email", "title")}
    card = next(s for s in suggestions if s.kind == "card")
    assert card.event_seqs == tuple(card_seqs[5:])
    assert card.action_seq == 0
    assert "4111111111111111" not in card.masked
    title = next(s for s in suggestions if s.kind == "email")
    assert title.title_seq == 0


def test_text_typed_into_a_password_prompt_is_suggested() -> None:
    events = [window(0, "Password required"), *key_events("hunter2", start_seq=1)]
    events += [window(100, "Editor"), *key_events("hello", start_seq=101)]
    suggestions = scanner.scan_session(events, [])
    assert [(s.kind, s.title_seq) for s in suggestions] == [("password_prompt", 0)]


def test_type_action_without_key_events_is_scanned() -> None:
    action = {
        "seq": 3,
        "kind": "type",
        "events": [],
        "text": "mail me: jo@example.org",
        "window_seq": None,
    }
    suggestions = scanner.scan_session([], [action])
    assert [(s.kind, s.action_seq) for s in suggestions] == [("email", 3)]


def test_dismissed_suggestions_are_not_unresolved() -> None:
    suggestions = scanner.scan_session([window(0, "jo@example.org")], [])
    assert scanner.unresolved(suggestions, [suggestions[0].key()]) == []
    assert scanner.unresolved(suggestions) == suggestions


def evaluate(samples: list[dict[str, Any]]) -> dict[str, float]:
    true_pos = false_neg = false_pos = 0
    for sample in samples:
        if "title" in sample:
            events = [window(0, sample["title"]), *key_events(sample["typed"], start_seq=1)]
            hit = any(s.kind == "password_prompt" for s in scanner.scan_session(events, []))
            true_pos += hit and sample["password"]
            false_neg += (not hit) and sample["password"]
            false_pos += hit and not sample["password"]
            continue
        found = scanner.find(sample["text"])
        matched: set[int] = set()
        for label in sample["spans"]:
            hits = [
                i
                for i, m in enumerate(found)
                if m.kind == label["kind"] and m.start < label["end"] and m.end > label["start"]
            ]
            if hits:
                true_pos += 1
                matched.update(hits)
            else:
                false_neg += 1
        false_pos += len(found) - len(matched)
    return {
        "recall": true_pos / (true_pos + false_neg),
        "precision": true_pos / max(1, true_pos + false_pos),
        "positives": true_pos + false_neg,
        "false_positives": false_pos,
    }


def test_labelled_set_recall_and_precision() -> None:
    samples = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    metrics = evaluate(samples)
    print(f"scanner on {len(samples)} samples: {metrics}")
    assert metrics["positives"] >= 400
    assert metrics["recall"] >= 0.95
    assert metrics["precision"] >= 0.9


def test_labelled_set_is_reproducible() -> None:
    from tests.storage.scan.data import make_scanner_set

    lines = [json.dumps(s, sort_keys=True) for s in make_scanner_set.samples()]
    assert DATA.read_text(encoding="utf-8").splitlines() == lines


def test_text_typed_with_cursor_moves_is_scanned_as_it_stands() -> None:
    """'card ' and fifteen 1s, Left fifteen times, then '4': the field holds a card number
    (storage/typed_text.py replays the cursor), and its presses include the cursor moves."""
    events = key_events("card " + "1" * 15)
    seq = len(events)
    lefts = []
    for _ in range(15):
        lefts.append(seq)
        for down in (True, False):
            events.append(
                {"seq": seq, "t": 0.0, "wall": 0.0, "kind": "key", "down": down, "key": "left",
                 "char": None, "vk": None, "mods": []}
            )  # fmt: skip
            seq += 1
    events += key_events("4", start_seq=seq)
    (card,) = [s for s in scanner.scan_session(events, []) if s.kind == "card"]
    assert set(lefts) <= set(card.event_seqs)
    assert seq in card.event_seqs  # the '4'
