"""A passphrase strength hint (no Qt): rough entropy from length and character classes."""

from __future__ import annotations

import math
import string

MIN_LENGTH = 8


def estimate_bits(passphrase: str) -> float:
    """A rough upper estimate of the passphrase's entropy in bits."""
    if not passphrase:
        return 0.0
    pool = 0
    if any(c in string.ascii_lowercase for c in passphrase):
        pool += 26
    if any(c in string.ascii_uppercase for c in passphrase):
        pool += 26
    if any(c in string.digits for c in passphrase):
        pool += 10
    if any(c in string.punctuation or c == " " for c in passphrase):
        pool += 33
    if any(ord(c) > 127 for c in passphrase):
        pool += 100
    distinct = len(set(passphrase))
    # Repeats ("aaaaaaaa") add little: distinct characters count fully, the rest a third.
    effective = distinct + (len(passphrase) - distinct) / 3
    return effective * math.log2(max(pool, 2))


def strength_hint(passphrase: str) -> tuple[str, bool]:
    """(A one-line hint, whether the passphrase is acceptable)."""
    if len(passphrase) < MIN_LENGTH:
        return f"Too short: use at least {MIN_LENGTH} characters (a few words is best).", False
    bits = estimate_bits(passphrase)
    if bits < 40:
        return "Weak: anyone with your vault files could guess this. Add more words.", True
    if bits < 70:
        return "Fair. A longer phrase of unrelated words is stronger.", True
    return "Strong.", True
