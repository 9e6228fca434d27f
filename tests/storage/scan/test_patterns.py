"""The sensitive patterns: known values found, checked lookalikes not, spans well formed."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.scan import patterns


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("4111 1111 1111 1111", "card"),
        ("GB82 WEST 1234 5698 7654 32", "iban"),
        ("DE89370400440532013000", "iban"),
        ("123-45-6789", "national_id"),
        ("AB 12 34 56 C", "national_id"),
        ("12345678Z", "national_id"),
        ("a.b@example.com", "email"),
        ("+44 20 7946 0958", "phone"),
        ("AKIAIOSFODNN7EXAMPLE", "secret"),
        ("-----BEGIN PRIVATE KEY-----", "secret"),
    ],
)
def test_known_values_are_found(text: str, kind: str) -> None:
    found = patterns.find(f"x {text} y")
    assert [m.kind for m in found] == [kind]
    assert found[0].start == 2
    assert found[0].end == 2 + len(text)


@pytest.mark.parametrize(
    "text",
    [
        "4111 1111 1111 1112",
        "GB82 WEST 1234 5698 7654 33",
        "2024-05-01",
        "version 1.2.3",
        "10.0.0.255",
        "0123456789abcdef0123456789abcdef01234567",
        "12345678A",
    ],
)
def test_checked_lookalikes_are_not_found(text: str) -> None:
    assert patterns.find(text) == []


@settings(max_examples=150, deadline=None)
@given(
    body=st.text(alphabet="0123456789", min_size=15, max_size=15),
    sep=st.sampled_from(["", " ", "-"]),
)
def test_any_luhn_valid_card_is_found(body: str, sep: str) -> None:
    check = next(d for d in "0123456789" if patterns.luhn_ok(body + d))
    digits = body + check
    card = sep.join(digits[i : i + 4] for i in range(0, 16, 4))
    found = patterns.find(f"pay with {card} today")
    assert [(m.kind, m.start, m.end) for m in found] == [("card", 9, 9 + len(card))]


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=0, max_size=200))
def test_find_never_crashes_and_spans_are_ordered(text: str) -> None:
    found = patterns.find(text)
    assert all(0 <= m.start < m.end <= len(text) for m in found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
