"""storage/API.md documents every name storage/ exports and every public method of its handles."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import storage
from storage import SessionReader, SessionSummary, SessionWriter, UnlockedVault, Vault, VerifyResult

API_MD = Path(storage.__file__).with_name("API.md")
#: How API.md writes each class's members: ``vault.sessions()``, ``Vault.create(...)``...
HANDLES: dict[type, tuple[str, ...]] = {
    Vault: ("Vault", "vault"),
    UnlockedVault: ("unlocked",),
    SessionReader: ("reader",),
    SessionWriter: ("writer",),
}


def public_members(cls: type) -> list[str]:
    """Methods and properties a caller can use (class members not starting with "_")."""
    return sorted(name for name in vars(cls) if not name.startswith("_"))


def undocumented(text: str) -> list[str]:
    """Every exported name, handle member and result field API.md does not mention."""
    missing = [name for name in storage.__all__ if not re.search(rf"`{name}`|\b{name}\b", text)]
    for cls, handles in HANDLES.items():
        for name in public_members(cls):
            if not any(re.search(rf"\b{h}\.{name}\b", text) for h in handles):
                missing.append(f"{cls.__name__}.{name}")
    for result in (SessionSummary, VerifyResult):
        names = {f.name for f in dataclasses.fields(result)} | set(public_members(result))
        start = re.search(rf"^{result.__name__}\b", text, re.MULTILINE)  # its own block
        section = text[start.start() :] if start else ""
        for name in sorted(names):
            if not re.search(rf"(^|\s|\.){name}\b", section, re.MULTILINE):
                missing.append(f"{result.__name__}.{name}")
    return missing


def test_every_public_name_and_method_is_documented() -> None:
    assert undocumented(API_MD.read_text(encoding="utf-8")) == []


def test_a_missing_method_or_name_is_noticed() -> None:
    """The check can fail: drop one method's lines, or one error's, and it says which."""
    text = API_MD.read_text(encoding="utf-8")
    without_expire = "\n".join(ln for ln in text.splitlines() if "vault.expire(" not in ln)
    assert undocumented(without_expire) == ["Vault.expire"]
    without_busy = text.replace("SessionBusy", "")
    assert undocumented(without_busy) == ["SessionBusy"]
    without_frames = "\n".join(ln for ln in text.splitlines() if "delete_frames" not in ln)
    assert undocumented(without_frames) == ["UnlockedVault.delete_frames"]


def test_no_state_the_code_does_not_have() -> None:
    """The review and session states API.md names are the ones the index knows."""
    from storage.format import index

    text = API_MD.read_text(encoding="utf-8")
    quoted = set(re.findall(r'"(\w+)"', text.split("## Results", 1)[1].split("VerifyResult")[0]))
    assert quoted == set(index.STATES) | set(index.REVIEWS)
    assert 'reviewed"' not in text.replace('"unreviewed"', "")
