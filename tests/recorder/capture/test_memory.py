"""The glibc mmap-threshold setting: applied on glibc, harmless everywhere, idempotent."""

from __future__ import annotations

import platform

import pytest

from recorder.capture import memory


def test_applies_on_glibc_and_is_idempotent() -> None:
    applied = memory.keep_large_blocks_unmapped()
    if platform.libc_ver()[0] == "glibc":
        assert applied is True
    assert memory.keep_large_blocks_unmapped() is applied


def test_other_platforms_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory, "_done", False)
    monkeypatch.setattr(memory.sys, "platform", "darwin")
    assert memory.keep_large_blocks_unmapped() is False
