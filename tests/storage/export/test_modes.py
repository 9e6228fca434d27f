"""Exports are as private as the vault (0600 files, 0700 folders) unless asked to be shared."""

from __future__ import annotations

import os
from pathlib import Path

import pyrage
import pytest

from storage.export import FORMATS, export_sessions
from storage.export.collect import collect
from tests.storage.export.fakes import make_session

pytest.importorskip("pyarrow.parquet")


def modes(root: Path) -> set[tuple[str, int]]:
    """Each path's kind ("d" or "f") and permission bits, the root included."""
    found = {("d" if root.is_dir() else "f", root.stat().st_mode & 0o777)}
    for parent, folders, files in os.walk(root):
        found |= {("d", Path(parent, n).stat().st_mode & 0o777) for n in folders}
        found |= {("f", Path(parent, n).stat().st_mode & 0o777) for n in files}
    return found


@pytest.fixture(autouse=True)
def open_umask() -> object:
    """The usual umask (022), under which a plain write gives 0644."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_private_by_default(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / ("x.zip" if fmt == "zip" else "x")
    export_sessions([make_session("a")], fmt, out)
    kinds = {"d": 0o700, "f": 0o600}
    assert modes(out) == {(k, kinds[k]) for k, _ in modes(out)}
    assert len(modes(out)) >= 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_shared_exports_are_readable_by_others(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / ("x.zip" if fmt == "zip" else "x")
    export_sessions([make_session("a")], fmt, out, shared=True)
    kinds = {"d": 0o755, "f": 0o644}
    assert modes(out) == {(k, kinds[k]) for k, _ in modes(out)}


def test_an_age_export_is_private(tmp_path: Path) -> None:
    public = str(pyrage.x25519.Identity.generate().to_public())
    export_sessions([make_session("a")], "folder", tmp_path / "x.age", recipient=public)
    assert modes(tmp_path / "x.age") == {("f", 0o600)}


def test_a_collected_dataset_is_private_unless_shared(tmp_path: Path) -> None:
    export_sessions([make_session("a")], "folder", tmp_path / "a")
    collect([tmp_path / "a"], tmp_path / "ds")
    assert {m for _, m in modes(tmp_path / "ds")} == {0o700, 0o600}
    export_sessions([make_session("b")], "zip", tmp_path / "b.zip")
    collect([tmp_path / "b.zip"], tmp_path / "ds", shared=True)
    assert {m for _, m in modes(tmp_path / "ds")} == {0o755, 0o644}
