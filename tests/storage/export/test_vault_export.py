"""Export from a real vault: recorded, redacted, approved; the redacted canary is in no format."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path

import pyrage
import pytest
from PIL import Image

from storage import NotApproved, Vault
from storage.export import export_sessions
from storage.export.collect import collect
from tests.storage.export.canary_session import CANARY, FILL, RECT, record
from tests.storage.helpers import PASS


@pytest.fixture(scope="module")
def redacted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Vault, str]:
    vault = Vault.create(tmp_path_factory.mktemp("v") / "vault", PASS, log_n=10)
    sid = record(vault)
    unlocked = vault.unlock(PASS)
    assert unlocked.redact_text(sid, CANARY) >= 2
    assert unlocked.redact_region(sid, RECT, fill=FILL) == 5
    return vault, sid


def reader(vault: Vault, sid: str):  # type: ignore[no-untyped-def]
    return vault.unlock(PASS).open_session(sid)


def test_unapproved_session_is_refused(tmp_path: Path) -> None:
    vault = Vault.create(tmp_path / "vault", PASS, log_n=10)
    sid = record(vault)
    with pytest.raises(NotApproved):
        export_sessions([reader(vault, sid)], "folder", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def contents(path: Path) -> dict[str, bytes]:
    """Every file of an export, decompressed (zip entries, tar members, parquet values)."""
    if path.is_dir():
        out = {}
        for p in path.rglob("*"):
            if p.is_file():
                out.update(
                    contents(p)
                    if p.suffix in (".tar", ".parquet")
                    else {p.relative_to(path).as_posix(): p.read_bytes()}
                )
        return out
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as zf:
            return {n: zf.read(n) for n in zf.namelist()}
    if path.suffix == ".tar":
        with tarfile.open(path) as tar:
            return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}  # type: ignore[union-attr]
    import pyarrow.parquet as pq

    out = {path.name: path.read_bytes()}
    for i, row in enumerate(pq.read_table(path).to_pylist()):
        for k, v in row.items():
            if isinstance(v, dict) and "bytes" in v:  # an image column: {bytes, path}
                v = v["bytes"]
            out[f"{path.name}/{i}/{k}"] = v if isinstance(v, bytes) else json.dumps(v).encode()
    return out


def assert_no_canary(files: dict[str, bytes]) -> int:
    pngs = 0
    for name, data in files.items():
        assert CANARY.encode() not in data, name
        if data.startswith(b"\x89PNG"):
            with Image.open(io.BytesIO(data)) as image:
                region = image.convert("RGB").crop(
                    (RECT[0], RECT[1], RECT[0] + RECT[2], RECT[1] + RECT[3])
                )
                assert region.tobytes() == bytes(FILL) * (RECT[2] * RECT[3]), name
                assert image.getpixel((RECT[0] + RECT[2] + 1, 1)) != FILL
            pngs += 1
    return pngs


@pytest.mark.parametrize(
    "fmt", ["folder", "zip", "webdataset", "parquet", "trajectory", "agentnet"]
)
def test_redacted_canary_absent_from_every_format(
    redacted: tuple[Vault, str], tmp_path: Path, fmt: str
) -> None:
    vault, sid = redacted
    vault.unlock(PASS).approve(sid)
    out = tmp_path / ("export.zip" if fmt == "zip" else "export")
    export_sessions([reader(vault, sid)], fmt, out)
    assert assert_no_canary(contents(out)) >= 2


def test_age_export_of_a_vault_session_and_collect(
    redacted: tuple[Vault, str], tmp_path: Path
) -> None:
    vault, sid = redacted
    vault.unlock(PASS).approve(sid)
    identity = pyrage.x25519.Identity.generate()
    out = tmp_path / "export.age"
    manifest = export_sessions(
        [reader(vault, sid)], "zip", out, recipient=str(identity.to_public())
    )
    plain = pyrage.decrypt(out.read_bytes(), [identity])
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        files = {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}  # type: ignore[union-attr]
    assert json.loads(files["manifest.json"]) == manifest
    assert manifest["sessions"][0]["frames"] == 5
    assert_no_canary(files)
    report = collect([out], tmp_path / "dataset", identities=[identity])
    assert report.added == [sid]
    assert_no_canary(contents(tmp_path / "dataset" / "data"))
    assert_no_canary(contents(tmp_path / "dataset" / "webdataset"))
    redactions = json.loads(files[f"sessions/{sid}/redactions.json"])
    assert [r["kind"] for r in redactions] == ["text", "region"]
