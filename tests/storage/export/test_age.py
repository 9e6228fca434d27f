"""Age exports write no plaintext anywhere: scanned on disk and in open files, mid-export.

The canary is a window title; plaintext would also show as a PNG signature, a tar header
("ustar") or a JSON record. Spooled streams are forced to spill so the sealed temporary files
exist while the scan runs; they have no name, so open file descriptors are read too.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import pyrage
import pytest

from storage.export import ExportCancelled, ExportError, export_sessions
from storage.export import sink as sink_module
from tests.storage.export.fakes import make_session

CANARY = "CANARY-title-5be1c0de"
PLAINTEXT_MARKERS = (CANARY.encode(), b"\x89PNG", b"ustar", b'"seq":', b"IHDR")
FORMATS = ("folder", "zip", "webdataset", "parquet", "trajectory", "agentnet")


def canary_session(session_id: str = "s1") -> Any:
    reader = make_session(session_id, frames=6)
    reader._events[0]["title"] = CANARY
    return reader


def written_bytes(folders: list[Path]) -> dict[str, bytes]:
    """Every file under ``folders`` and every regular file there this process holds open."""
    found: dict[str, bytes] = {}
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                found[str(path)] = path.read_bytes()
    for fd in os.listdir("/proc/self/fd"):
        link = f"/proc/self/fd/{fd}"
        try:
            target = os.readlink(link)
            if not target.startswith(tuple(str(f) for f in folders)):
                continue
            with open(link, "rb") as f:
                found[f"fd {fd}: {target}"] = f.read()
        except OSError:
            continue
    return found


def assert_no_plaintext(found: dict[str, bytes]) -> None:
    for name, data in found.items():
        for marker in PLAINTEXT_MARKERS:
            assert marker not in data, f"{marker!r} in {name}"


@pytest.fixture
def spill_everything(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Every stream spills; temporary files default to a folder of this test's own."""
    monkeypatch.setattr(sink_module, "SPOOL_MEMORY", 0)
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return temp


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_plaintext_touches_disk_during_or_after_an_age_export(
    tmp_path: Path, fmt: str, spill_everything: Path
) -> None:
    identity = pyrage.x25519.Identity.generate()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    scans: list[dict[str, bytes]] = []
    sealed: list[str] = []

    def scan(what: str, done: int, total: int) -> None:
        found = written_bytes([out_dir, spill_everything])
        sealed.extend(name for name in found if "(deleted)" in name and str(out_dir) in name)
        assert_no_plaintext(found)
        scans.append(found)

    out = out_dir / f"export-{fmt}.age"
    manifest = export_sessions(
        [canary_session()], fmt, out, recipient=str(identity.to_public()), progress=scan
    )
    assert scans, "the progress callback never ran"
    # Trajectory files are written whole; the other layouts stream (JSON Lines, tables, shards).
    assert sealed or fmt in ("trajectory", "agentnet"), (
        "no stream spilled to a temporary file during a scan"
    )
    assert [p.name for p in out_dir.iterdir()] == [out.name]
    assert_no_plaintext(written_bytes([out_dir]))
    # The canary is in the export, so the scan would have seen it had it been written.
    plain = pyrage.decrypt(out.read_bytes(), [identity])
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        names = [m.name for m in tar]
        contents = b"".join(tar.extractfile(m).read() for m in tar)  # type: ignore[union-attr]
    # (parquet compresses it; agentnet carries no window titles)
    assert CANARY.encode() in contents or fmt in ("parquet", "agentnet")
    assert names[-1] == "manifest.json"
    assert set(names) == {*manifest["files"], "manifest.json"}


def test_the_age_tool_decrypts_a_spilled_export(tmp_path: Path, spill_everything: Path) -> None:
    key = tmp_path / "key.txt"
    subprocess.run(["age-keygen", "-o", str(key)], check=True, capture_output=True)
    public = next(
        line.split(": ", 1)[1]
        for line in key.read_text().splitlines()
        if line.startswith("# public key: ")
    )
    out = tmp_path / "export.age"
    manifest = export_sessions([canary_session()], "folder", out, recipient=public)
    plain = subprocess.run(
        ["age", "-d", "-i", str(key), str(out)], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar}  # type: ignore[union-attr]
        owners = {(m.uname, m.gname, m.uid) for m in tar}
    assert owners == {("", "", 0)}
    for name, entry in manifest["files"].items():
        assert len(members[name]) == entry["bytes"]
    assert CANARY.encode() in members["sessions/s1/events.jsonl"]


@pytest.mark.parametrize("phase", ["s1", "packing"])
@pytest.mark.parametrize("fmt", ["folder", "webdataset", "parquet"])
def test_cancel_in_any_phase_leaves_nothing(
    tmp_path: Path, fmt: str, phase: str, spill_everything: Path
) -> None:
    identity = pyrage.x25519.Identity.generate()
    seen: list[str] = []

    def cancel(what: str, done: int, total: int) -> None:
        seen.append(what)
        if what.startswith(phase):
            raise ExportCancelled

    with pytest.raises(ExportCancelled):
        export_sessions(
            [canary_session()],
            fmt,
            tmp_path / "out.age",
            recipient=str(identity.to_public()),
            progress=cancel,
        )
    assert any(w.startswith(phase) for w in seen)
    assert list(tmp_path.iterdir()) == [spill_everything]
    assert list(spill_everything.iterdir()) == []


def test_encryptor_failure_fails_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(reader: Any, writer: Any, recipients: Any) -> None:
        reader.read(100)
        raise pyrage.EncryptError("disk full")

    monkeypatch.setattr(pyrage, "encrypt_io", broken)
    identity = pyrage.x25519.Identity.generate()
    with pytest.raises(ExportError, match=r"^Encrypting the export failed: disk full\.$"):
        export_sessions(
            [canary_session()], "folder", tmp_path / "out.age", recipient=str(identity.to_public())
        )
    assert list(tmp_path.iterdir()) == []


def test_an_altered_spill_file_fails_the_export(tmp_path: Path) -> None:
    spool = sink_module.SealedSpool(tmp_path, memory=0)
    spool.write(b"plain" * 1000)
    assert spool.spilled
    handle = spool._file
    assert handle is not None
    handle.seek(10)
    handle.write(b"\x00")
    handle.seek(0, os.SEEK_END)
    with pytest.raises(ExportError, match="altered"):
        b"".join(spool.chunks())
