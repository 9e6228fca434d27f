"""What counts as sensitive in one string: the patterns, their checks, and ``find``.

Matches are checked where a check exists (Luhn for card numbers, mod-97 for IBANs, check
letters for Spanish DNI), so a random 16-digit number is not a card. Used on typed text and
window titles (storage/scan/text.py) and on text read in frames (storage/scan/frame_text.py).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

#: "text" is a text the person chose to remove, looked for in frames (frame_text.text_finder).
Kind = Literal["email", "phone", "card", "iban", "national_id", "secret", "password_prompt", "text"]

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


@dataclass(frozen=True)
class TextMatch:
    """A sensitive span found in one string: ``text[start:end]`` is of ``kind``."""

    kind: Kind
    start: int
    end: int


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
