"""Write scanner_set.jsonl: a synthetic, labelled set for the sensitive-content scanner.

Deterministic (fixed seed): run `python -m tests.storage.scan.data.make_scanner_set` to rebuild.
Each line is one sample:
    {"id": ..., "text": ..., "spans": [{"kind", "start", "end"}]}   (typed text or a title)
    {"id": ..., "title": ..., "typed": ..., "password": bool}       (a password-prompt case)
A sample with no spans is a negative; many negatives are chosen to look like positives.
"""

from __future__ import annotations

import json
import random
import string
from pathlib import Path

OUT = Path(__file__).resolve().parent / "scanner_set.jsonl"
SEED = 7

FIRST = ["anna", "bob", "chen", "dmitri", "eva", "farah", "gus", "hana", "ivan", "jo"]
DOMAINS = ["example.com", "mail.example.org", "uni-example.ac.uk", "corp.example.net"]
PREFIXES = [
    "my email is {}",
    "send it to {}",
    "{}",
    "cc {} please",
    "contact: {} thanks",
    "ping {} about the invoice",
    "login {}",
    "the number is {} ok",
    "{} is on file",
]
IBAN_COUNTRIES = {"GB": 22, "DE": 22, "FR": 27, "NL": 18, "ES": 24, "IT": 27, "BE": 16}


def luhn_complete(rng: random.Random, prefix: str, length: int) -> str:
    body = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    for check in string.digits:
        candidate = body + check
        total = 0
        for i, ch in enumerate(reversed(candidate)):
            d = int(ch) * (2 if i % 2 else 1)
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


def group(digits: str, size: int, sep: str) -> str:
    return sep.join(digits[i : i + size] for i in range(0, len(digits), size))


def card(rng: random.Random, valid: bool = True) -> str:
    prefix, length = rng.choice([("4", 16), ("51", 16), ("37", 15), ("6011", 16), ("4", 13)])
    digits = luhn_complete(rng, prefix, length)
    if not valid:
        digits = digits[:-1] + str((int(digits[-1]) + rng.randint(1, 9)) % 10)
    return group(digits, 4, rng.choice([" ", "-", ""])) if length == 16 else digits


def iban(rng: random.Random, valid: bool = True) -> str:
    country = rng.choice(sorted(IBAN_COUNTRIES))
    length = IBAN_COUNTRIES[country]
    bban = "".join(rng.choice(string.digits) for _ in range(length - 4))
    moved = bban + country + "00"
    check = 98 - int("".join(str(int(c, 36)) for c in moved)) % 97
    if not valid:
        check = (check + rng.randint(1, 50)) % 97 + 2
    value = f"{country}{check:02d}{bban}"
    return group(value, 4, " ") if rng.random() < 0.5 else value


def phone(rng: random.Random) -> str:
    d = lambda n: "".join(rng.choice(string.digits) for _ in range(n))  # noqa: E731
    return rng.choice(
        [
            f"+44 20 {d(4)} {d(4)}",
            f"({d(3)}) {d(3)}-{d(4)}",
            f"{d(3)}-{d(3)}-{d(4)}",
            f"+1-{d(3)}-{d(3)}-{d(4)}",
            f"+49 30 {d(8)}",
            f"+33 6 {d(2)} {d(2)} {d(2)} {d(2)}",
            f"07{d(3)} {d(6)}",
            f"+61.4.{d(4)}.{d(4)}",
        ]
    )


def ssn(rng: random.Random) -> str:
    return f"{rng.randint(100, 665):03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def uk_ni(rng: random.Random) -> str:
    first = rng.choice("ABCEHJKLMPRSTWXYZ")
    second = rng.choice("ABCEHJKLMPRSTWXYZ")
    if first + second in {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}:
        second = "A"
    digits = "".join(rng.choice(string.digits) for _ in range(6))
    sep = rng.choice(["", " "])
    return f"{first}{second}{sep}{group(digits, 2, sep)}{sep}{rng.choice('ABCD')}"


def dni(rng: random.Random) -> str:
    n = rng.randint(10_000_000, 99_999_999)
    return f"{n}{'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23]}"


def rand(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def secret(rng: random.Random) -> str:
    alnum = string.ascii_letters + string.digits
    return rng.choice(
        [
            lambda: "AKIA" + rand(rng, string.ascii_uppercase + string.digits, 16),
            lambda: "ghp_" + rand(rng, alnum, 36),
            lambda: "github_pat_" + rand(rng, alnum + "_", 60),
            lambda: "sk-" + rand(rng, alnum, 48),
            lambda: "sk-proj-" + rand(rng, alnum + "-_", 56),
            lambda: "xoxb-" + rand(rng, string.digits, 11) + "-" + rand(rng, alnum, 24),
            lambda: "AIza" + rand(rng, alnum + "-_", 35),
            lambda: "-----BEGIN OPENSSH PRIVATE KEY-----",
            lambda: "-----BEGIN RSA PRIVATE KEY-----",
            lambda: "eyJhbGciOiJIUzI1NiJ9.eyJ" + rand(rng, alnum, 30) + "." + rand(rng, alnum, 43),
            lambda: rand(rng, alnum, 40),  # a bare high-entropy token
        ]
    )()


def email(rng: random.Random) -> str:
    sep = rng.choice([".", "_", "+", ""])
    return f"{rng.choice(FIRST)}{sep}{rng.choice(FIRST)}{rng.randint(1, 99)}@{rng.choice(DOMAINS)}"


GENERATORS = {
    "email": email,
    "phone": phone,
    "card": card,
    "iban": iban,
    "national_id": lambda r: r.choice([ssn, uk_ni, dni])(r),
    "secret": secret,
}


def negatives(rng: random.Random) -> list[str]:
    """Things that look sensitive and are not."""
    alnum = string.ascii_letters + string.digits
    d = lambda n: "".join(rng.choice(string.digits) for _ in range(n))  # noqa: E731
    return [
        f"order {card(rng, valid=False)} shipped",
        f"ref {iban(rng, valid=False)}",
        f"meeting on 2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} at 10:30",
        f"version {rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 99)}",
        f"server 192.168.{rng.randint(0, 255)}.{rng.randint(0, 255)} is down",
        f"commit {rand(rng, '0123456789abcdef', 40)}",
        f"uuid {rand(rng, '0123456789abcdef', 8)}-{rand(rng, '0123456789abcdef', 4)}-4"
        f"{rand(rng, '0123456789abcdef', 3)}-a{rand(rng, '0123456789abcdef', 3)}-"
        f"{rand(rng, '0123456789abcdef', 12)}",
        f"total {rng.randint(1, 999)},{d(3)}.{d(2)} EUR",
        "user@localhost is the default",
        f"@{rng.choice(FIRST)} can you review",
        f"invoice INV-{d(6)} due",
        f"call extension {d(4)}",
        "the_quick_brown_fox_jumps_over_the_lazy_dog",
        "supercalifragilisticexpialidocious antidisestablishmentarianism",
        "ThisIsAVeryLongCamelCaseIdentifierName",
        f"Windows{d(2)}ProfessionalEdition{d(4)}Update",
        f"MyVeryLongVariableName{d(3)}WithNumbers",
        f"sk-{rand(rng, string.ascii_lowercase, 5)} is a short flag",
        f"room {d(3)}-{d(2)} building {d(1)}",
        f"tracking 1Z{rand(rng, string.ascii_uppercase + string.digits, 6)}",
        f"{d(5)} steps today",
        f"path /usr/lib/x86_64-linux-gnu/libxcb.so.{d(1)}",
        f"isbn 978-{d(1)}-{d(3)}-{d(5)}-{d(1)}",
        f"AKIA{rand(rng, string.ascii_lowercase, 4)} lowercase is not a key",
        f"https://example.com/search?q={rand(rng, string.ascii_lowercase, 12)}",
        f"MyPassw0rdPolicy says {d(2)} chars",
        f"pid {d(5)} used {d(3)} MB",
        rand(rng, alnum, 12),
    ]


def samples() -> list[dict[str, object]]:
    rng = random.Random(SEED)
    out: list[dict[str, object]] = []
    for kind, gen in GENERATORS.items():
        for _ in range(70):
            value = gen(rng)
            template = rng.choice(PREFIXES)
            text = template.format(value)
            start = text.index(value)
            out.append(
                {"text": text, "spans": [{"kind": kind, "start": start, "end": start + len(value)}]}
            )
    for _ in range(12):
        out.extend({"text": text, "spans": []} for text in negatives(rng))
    prompts = [
        ("Password required - Firefox", True),
        ("Sign in to your account - Chromium", True),
        ("sudo password for anna", True),
        ("Unlock Keyring", True),
        ("Log in | Example", True),
        ("Authentication Required", True),
        ("Enter PIN", True),
        ("Passphrase for key", True),
        ("Inbox - Thunderbird", False),
        ("report.odt - LibreOffice Writer", False),
        ("Terminal", False),
        ("Passport renewal form.pdf", False),
        ("PINE tree notes", False),
    ]
    for _ in range(6):
        for title, password in prompts:
            typed = rand(rng, string.ascii_letters + string.digits + "!@#", rng.randint(6, 14))
            if not password:
                typed = rng.choice(["hello world", "see you tomorrow", "the plan is fine"])
            out.append({"title": title, "typed": typed, "password": password})
    for i, sample in enumerate(out):
        sample["id"] = i
    return out


def main() -> None:
    with OUT.open("w", encoding="utf-8") as f:
        for sample in samples():
            f.write(json.dumps(sample, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
