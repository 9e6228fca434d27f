"""Sensitive-content scanner: suggests what to redact in typed text and window titles.

(Text in frames, read by OCR when an engine is installed, is scanned by
``storage/scan/frame_text.py`` with the same ``find``.)

It only suggests; the person decides. Matches are checked where a check exists (Luhn for card
numbers, mod-97 for IBANs, check letters for Spanish DNI), so a random 16-digit number is not
a card. Pure and Qt-free: it reads event and action dicts (see ``storage/format/records.py``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["email", "phone", "card", "iban", "national_id", "secret", "password_prompt"]

#: When two matches overlap, the more specific kind wins (lower number first).
_PRIORITY: dict[str, int] = {
    "secret": 0,
    "card": 1,
    "iban": 2,
    "national_id": 3,
    "email": 4,
    "phone": 5,
}

_EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24}\b"
)
_CARD = re.compile(r"(?<![\w-])(?:\d[ -]?){12,18}\d(?![\w-])")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
_SSN = re.compile(r"(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])")
_UK_NI = re.compile(
    r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r" ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b"
)
_ES_DNI = re.compile(r"\b\d{8}-?[A-Z]\b")
_PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[ .-]?|\(\d{1,4}\)[ .-]?)?\d{1,5}(?:[ .-]\d{1,8}){1,5}(?![\w])"
)
_SECRET_PREFIXED = re.compile(
    r"AKIA[0-9A-Z]{16}"
    r"|gh[pousr]_[A-Za-z0-9]{36}"
    r"|github_pat_[A-Za-z0-9_]{22,}"
    r"|sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}"
    r"|xox[abposr]-[A-Za-z0-9-]{10,}"
    r"|AIza[0-9A-Za-z_-]{35}"
    r"|glpat-[A-Za-z0-9_-]{20}"
    r"|-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----"
    r"|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"
)
_TOKEN = re.compile(r"[A-Za-z0-9+/=_-]{20,}")
_PASSWORD_TITLE = re.compile(
    r"password|passphrase|passwort|mot de passe|contrase|sign[ -]?in|log[ -]?in|unlock"
    r"|authenticat|\bsudo\b|credential|\bPIN\b|one[- ]time code|verification code|2FA",
    re.IGNORECASE,
)
_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
#: Bits per character above which a long mixed-class token is taken for a secret.
ENTROPY_BITS = 4.0
#: Keys that end a run of typed text (focus moves on or the text is submitted).
_RUN_BREAKS = frozenset({"enter", "tab", "esc", "escape", "up", "down", "page_up", "page_down"})


@dataclass(frozen=True)
class TextMatch:
    """A sensitive span found in one string: ``text[start:end]`` is of ``kind``."""

    kind: Kind
    start: int
    end: int


@dataclass(frozen=True)
class Suggestion:
    """A suggested redaction, located in the session's streams.

    Attributes:
        kind: what was found.
        source: "typed" (key events / a type action), "title" (a window event's title) or
            "frame" (text read in frames by OCR, see ``storage/scan/frame_text.py``).
        event_seqs: the key events (typed) or the window event (title) holding it.
        action_seq: the type action holding it, if any.
        title_seq: for "title" and "password_prompt": the window event's seq.
        masked: a masked preview ("j***@e***.com") safe to show or log.
        frames: for "frame": the first and last frame index it is visible in.
        box: for "frame": where, as (x, y, width, height) in the frame's pixels.
    """

    kind: Kind
    source: Literal["typed", "title", "frame"]
    event_seqs: tuple[int, ...]
    action_seq: int | None
    title_seq: int | None
    masked: str
    frames: tuple[int, int] | None = None
    box: tuple[int, int, int, int] | None = None

    def key(self) -> str:
        """A stable identifier for dismissing this suggestion."""
        if self.source == "frame":
            first, last = self.frames or (0, 0)
            where = ",".join(map(str, self.box or ()))
            return f"{self.kind}:frame:{first}-{last}:{where}"
        where = ",".join(map(str, self.event_seqs))
        return f"{self.kind}:{self.source}:{where}:{self.action_seq}:{self.title_seq}"

    def to_json(self) -> dict[str, Any]:
        out = {
            "kind": self.kind,
            "source": self.source,
            "event_seqs": list(self.event_seqs),
            "action_seq": self.action_seq,
            "title_seq": self.title_seq,
            "masked": self.masked,
            "key": self.key(),
        }
        if self.source == "frame":
            out["frames"] = list(self.frames or ())
            out["box"] = list(self.box or ())
        return out


@dataclass
class TextRun:
    """Text typed without a break, with the key event behind each character.

    Attributes:
        text: the typed text after backspaces.
        event_seqs: per character of ``text``, the seq of the key press (or None when the
            run came from a type action without key events).
        window_seq: the active window event's seq when the run was typed.
        action_seq: the type action covering the run, if known.
    """

    text: str = ""
    event_seqs: list[int | None] = field(default_factory=list)
    window_seq: int | None = None
    action_seq: int | None = None


def luhn_ok(digits: str) -> bool:
    """True when ``digits`` passes the Luhn check (card numbers)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def iban_ok(iban: str) -> bool:
    """True when ``iban`` (spaces removed) passes the ISO 13616 mod-97 check."""
    if not 15 <= len(iban) <= 34:
        return False
    moved = iban[4:] + iban[:4]
    number = "".join(str(int(ch, 36)) for ch in moved)
    return int(number) % 97 == 1


def shannon_bits(text: str) -> float:
    """Shannon entropy of ``text`` in bits per character."""
    counts: dict[str, int] = {}
    for ch in text:
        counts[ch] = counts.get(ch, 0) + 1
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def _looks_like_secret(token: str) -> bool:
    classes = sum(
        (
            any(c.islower() for c in token),
            any(c.isupper() for c in token),
            any(c.isdigit() for c in token),
        )
    )
    if classes < 3 or len(token) < 20:
        return False
    if token.isalpha() or "__" in token:
        return False
    # Random base62 has lowercase runs of ~1.7 on average; CamelCaseWords2024 has long ones.
    runs = [len(r) for r in re.findall(r"[a-z]+", token)]
    if runs and sum(runs) / len(runs) >= 3.5:
        return False
    return shannon_bits(token) >= ENTROPY_BITS


def _card_grouping(match: str) -> bool:
    """Cards are printed in groups of four (Amex: 4-6-5); 978-6-097-88601-9 is an ISBN."""
    groups = [len(g) for g in re.split(r"[ -]", match)]
    if len(groups) == 1:
        return True
    return groups[:2] == [4, 6] or (all(g == 4 for g in groups[:-1]) and 1 <= groups[-1] <= 4)


def _dni_ok(match: str) -> bool:
    number, letter = match.replace("-", "")[:8], match[-1]
    return _DNI_LETTERS[int(number) % 23] == letter


def _phone_ok(match: str) -> bool:
    digits = re.sub(r"\D", "", match)
    plus_or_paren = match.startswith("+") or "(" in match
    if not (9 if plus_or_paren else 10) <= len(digits) <= (15 if plus_or_paren else 11):
        return False
    if "." in match and not plus_or_paren:
        return False  # 192.168.10.100, 1.2.3.4567: versions and addresses, not phones
    if re.fullmatch(r"\d{4}([ -])\d{2}\1\d{2}.*", match):
        return False  # a date
    groups = re.split(r"[ .()-]+", match.lstrip("+").strip("()"))
    return not (len(groups) == 4 and all(len(g) == 4 for g in groups))


def find(text: str) -> list[TextMatch]:
    """Every sensitive span in ``text``, overlaps resolved by specificity.

    Args:
        text: any string (typed run, window title, OCR output).

    Returns:
        Non-overlapping matches in text order.
    """
    found: list[TextMatch] = []
    for m in _SECRET_PREFIXED.finditer(text):
        found.append(TextMatch("secret", m.start(), m.end()))
    for m in _TOKEN.finditer(text):
        if _looks_like_secret(m.group()):
            found.append(TextMatch("secret", m.start(), m.end()))
    # Digits inside something shaped like an IBAN are its account number, not a card.
    iban_like = [(m.start(), m.end()) for m in _IBAN.finditer(text)]
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        inside = any(a <= m.start() and m.end() <= b for a, b in iban_like)
        if 13 <= len(digits) <= 19 and luhn_ok(digits) and not inside and _card_grouping(m.group()):
            found.append(TextMatch("card", m.start(), m.end()))
    for m in _IBAN.finditer(text):
        if iban_ok(m.group().replace(" ", "")):
            found.append(TextMatch("iban", m.start(), m.end()))
    for m in _SSN.finditer(text):
        found.append(TextMatch("national_id", m.start(), m.end()))
    for m in _UK_NI.finditer(text):
        found.append(TextMatch("national_id", m.start(), m.end()))
    for m in _ES_DNI.finditer(text):
        if _dni_ok(m.group()):
            found.append(TextMatch("national_id", m.start(), m.end()))
    for m in _EMAIL.finditer(text):
        found.append(TextMatch("email", m.start(), m.end()))
    for m in _PHONE.finditer(text):
        if _phone_ok(m.group()):
            found.append(TextMatch("phone", m.start(), m.end()))
    found.sort(key=lambda t: (_PRIORITY[t.kind], -(t.end - t.start), t.start))
    kept: list[TextMatch] = []
    for cand in found:
        if all(cand.end <= k.start or cand.start >= k.end for k in kept):
            kept.append(cand)
    return sorted(kept, key=lambda t: t.start)


def is_password_title(title: str) -> bool:
    """True when a window title suggests a password or sign-in prompt."""
    return bool(_PASSWORD_TITLE.search(title))


def mask(text: str) -> str:
    """A preview that shows the shape but not the content: first character and length."""
    if len(text) <= 2:
        return "*" * len(text)
    return f"{text[0]}{'*' * min(len(text) - 1, 12)} ({len(text)} chars)"


def typed_runs(events: Iterable[Mapping[str, Any]]) -> list[TextRun]:
    """Reconstruct runs of typed text from key events.

    A run ends at enter/tab/escape, a click, a window change, or a shortcut (ctrl/alt/super
    held); backspace removes the last character. Only presses carrying ``char`` count.
    """
    runs: list[TextRun] = []
    current = TextRun()
    window_seq: int | None = None

    def close() -> None:
        nonlocal current
        if current.text:
            runs.append(current)
        current = TextRun(window_seq=window_seq)

    for e in events:
        kind = e.get("kind")
        if kind == "window":
            close()
            window_seq = int(e["seq"])
            current.window_seq = window_seq
        elif kind == "button" and e.get("down"):
            close()
        elif kind == "key" and e.get("down"):
            key = str(e.get("key") or "")
            mods = set(e.get("mods") or ()) - {"shift"}
            char = e.get("char")
            if key == "backspace":
                if current.text:
                    current.text = current.text[:-1]
                    current.event_seqs.pop()
            elif key in _RUN_BREAKS or mods:
                close()
            elif isinstance(char, str) and char:
                current.text += char
                current.event_seqs.extend([int(e["seq"])] * len(char))
    close()
    return runs


def _action_runs(actions: Iterable[Mapping[str, Any]], covered: set[int]) -> list[TextRun]:
    """Runs from type actions whose key events are not in the event stream."""
    runs = []
    for a in actions:
        text = a.get("text")
        if a.get("kind") != "type" or not isinstance(text, str) or not text:
            continue
        if covered & set(a.get("events") or ()):
            continue
        runs.append(TextRun(text, [None] * len(text), a.get("window_seq"), int(a["seq"])))
    return runs


def scan_session(
    events: Iterable[Mapping[str, Any]], actions: Iterable[Mapping[str, Any]]
) -> list[Suggestion]:
    """Suggestions for a whole session: typed text, password prompts, window titles.

    Args:
        events: the session's events in seq order.
        actions: the session's actions in seq order.

    Returns:
        Suggestions in stream order (typed first, then titles).
    """
    actions = list(actions)
    titles: dict[int, str] = {}

    def note_titles() -> Iterator[Mapping[str, Any]]:
        # One pass over the events (a long session's events need not fit in memory).
        for e in events:
            if e.get("kind") == "window":
                titles[int(e["seq"])] = str(e.get("title") or "")
            yield e

    runs = typed_runs(note_titles())
    covered = {s for r in runs for s in r.event_seqs if s is not None}
    runs += _action_runs(actions, covered)
    by_event: dict[int, int] = {}
    for a in actions:
        if a.get("kind") == "type":
            for s in a.get("events") or ():
                by_event[int(s)] = int(a["seq"])
    out: list[Suggestion] = []
    for run in runs:
        prompt = run.window_seq is not None and is_password_title(titles.get(run.window_seq, ""))
        spans = [TextMatch("password_prompt", 0, len(run.text))] if prompt else find(run.text)
        for m in spans:
            seqs = tuple(sorted({s for s in run.event_seqs[m.start : m.end] if s is not None}))
            action = run.action_seq
            if action is None and seqs:
                action = by_event.get(seqs[0])
            out.append(
                Suggestion(
                    m.kind,
                    "typed",
                    seqs,
                    action,
                    run.window_seq if prompt else None,
                    mask(run.text[m.start : m.end]),
                )
            )
    for seq, title in titles.items():
        for m in find(title):
            out.append(Suggestion(m.kind, "title", (seq,), None, seq, mask(title[m.start : m.end])))
    return out


def dismissal_key(session_id: str, key: str) -> str:
    """A dismissal across sessions: ``<session id>/<Suggestion.key()>``.

    Suggestion keys are seqs within one session, so the same key in another session names
    other content; a dismissal must only ever hide its own session's suggestion.
    """
    return f"{session_id}/{key}"


def session_dismissals(session_id: str, dismissed: Iterable[str]) -> list[str]:
    """The Suggestion keys dismissed in ``session_id``, from session-qualified keys."""
    prefix = f"{session_id}/"
    return [k[len(prefix) :] for k in dismissed if k.startswith(prefix)]


def unresolved(
    suggestions: Iterable[Suggestion], dismissed: Iterable[str] = ()
) -> list[Suggestion]:
    """Suggestions the person has not dismissed (the review UI records dismissals by key).

    Redacted content is already gone from the reader, so a suggestion that survives a scan
    of the redacted session and is not dismissed is one nobody has looked at.
    """
    gone = set(dismissed)
    return [s for s in suggestions if s.key() not in gone]
